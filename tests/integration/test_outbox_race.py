"""Two (here four) workers sending the outbox at once send each message exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections import Counter

from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs import deliver_outbox
from portal.models import OutboxMessage
from portal.services import outbox

WORKERS = 4
MESSAGES = 60


class RecordingSender:
    """Counts what it is asked to send; a short pause per message gives the other workers time to collide."""

    def __init__(self):
        self.sent: Counter[str] = Counter()
        self.lock = threading.Lock()

    def send(self, message) -> None:
        time.sleep(0.005)
        with self.lock:
            self.sent[message["Message-ID"]] += 1


def test_workers_racing_over_the_outbox_send_each_message_once(committing_app):
    with committing_app.app_context():
        for n in range(MESSAGES):
            outbox.add_message(to=f"school{n}@example.org", subject=f"Message {n}", text="Hello", html="<p>Hello</p>")
        db.session.commit()
    sender, barrier, errors = RecordingSender(), threading.Barrier(WORKERS), []

    def work() -> None:
        try:
            with committing_app.app_context():
                barrier.wait()
                deliver_outbox(sender, batch_size=5)
                db.session.remove()
        except Exception as error:  # reported below: a thread's exception would otherwise vanish
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(sender.sent) == MESSAGES and set(sender.sent.values()) == {1}
    with committing_app.app_context():
        unsent = db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
        workers = db.session.scalar(select(func.count(func.distinct(OutboxMessage.claimed_by))))
    assert unsent == 0
    assert workers >= 2, "the workers did not actually overlap"
