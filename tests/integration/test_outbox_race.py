"""Two (here four) workers sending the outbox at once send each message exactly once, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text

from portal import create_app
from portal.config import ROOT, normalise_database_url
from portal.extensions import db
from portal.jobs import deliver_outbox
from portal.models import OutboxMessage
from portal.services import outbox
from tests.conftest import make_test_config

WORKERS = 4
MESSAGES = 60


def race_databases():
    yield "sqlite"
    if os.environ.get("TEST_DATABASE_URL"):
        yield "postgresql"


@pytest.fixture(params=list(race_databases()))
def race_app(request, tmp_path):
    """An app on a database of its own: the workers' claims must really commit."""
    if request.param == "postgresql":
        base = normalise_database_url(os.environ["TEST_DATABASE_URL"])
        name = f"outbox_race_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'outbox-race.db'}"
    app = create_app(make_test_config(tmp_path, url))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


class RecordingSender:
    """Counts what it is asked to send; a short pause per message gives the other workers time to collide."""

    def __init__(self):
        self.sent: Counter[str] = Counter()
        self.lock = threading.Lock()

    def send(self, message) -> None:
        time.sleep(0.005)
        with self.lock:
            self.sent[message["Message-ID"]] += 1


def test_workers_racing_over_the_outbox_send_each_message_once(race_app):
    with race_app.app_context():
        for n in range(MESSAGES):
            outbox.add_message(to=f"school{n}@example.org", subject=f"Message {n}", text="Hello", html="<p>Hello</p>")
        db.session.commit()
    sender, barrier, errors = RecordingSender(), threading.Barrier(WORKERS), []

    def work() -> None:
        try:
            with race_app.app_context():
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
    with race_app.app_context():
        unsent = db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
        workers = db.session.scalar(select(func.count(func.distinct(OutboxMessage.claimed_by))))
    assert unsent == 0
    assert workers >= 2, "the workers did not actually overlap"
