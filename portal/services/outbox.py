"""The outbox: messages are added in the transaction of the change that causes them, then claimed and sent.

A sender claims a batch (an UPDATE guarded by `claimed_at IS NULL`; on PostgreSQL the candidates are first locked
with FOR UPDATE SKIP LOCKED, so workers take different rows instead of queueing) and commits the claim before it
sends: two workers never send one message. A failure releases the claim with an exponential back-off; nothing is
ever dropped. The commits belong to the caller (portal.jobs.deliver_outbox), as in every service.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.mail import Envelope, one_line
from portal.models import OutboxMessage
from portal.services.writes import execute_write

# Longer than any SMTP timeout: a claim this old belongs to a worker that died mid-send, so the message is retried.
CLAIM_TIMEOUT = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=6)
BATCH_SIZE = 50
# Links carrying a one-time token: kept out of the outbox once sent and out of the admin's view.
SECRET_LINK = re.compile(r"/(reset-password|verify-email|invitation|second-factor/link)/[A-Za-z0-9_\-]+")


def dedupe_suffix(address: str) -> str:
    """A short, stable stand-in for an address inside a dedupe key (keys are limited to 120 characters)."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def add_message(
    *,
    to: str,
    subject: str,
    text: str,
    html: str,
    attachments: list[dict] | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Queue one message; None when a message with the same dedupe key already exists (it is never sent twice)."""
    if dedupe_key is not None and db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    ):
        return None
    message = OutboxMessage(
        to_address=one_line(to)[:254],
        subject=one_line(subject)[:200],
        body_text=text,
        body_html=html,
        attachments=attachments or [],
        dedupe_key=dedupe_key,
    )
    try:
        with db.session.begin_nested():  # a concurrent run may have added the same key a moment ago
            db.session.add(message)
    except IntegrityError:
        return None
    return message


def attachment(filename: str, content_type: str, data: bytes) -> dict:
    return {"filename": filename, "content_type": content_type, "data_base64": base64.b64encode(data).decode()}


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8... minutes after each failure, at most six hours: a dead server is retried until it is back."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 12)), MAX_BACKOFF)


def _claimable(now: datetime):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.send_after <= now,
        or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )


def claim_due(worker: str, now: datetime, limit: int = BATCH_SIZE) -> list[int]:
    """Claim up to `limit` due messages for this worker; the caller commits before sending."""
    candidates = (
        select(OutboxMessage.id)
        .where(*_claimable(now))
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers
    )
    claimed = []
    for message_id in db.session.scalars(candidates).all():
        changed = execute_write(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, *_claimable(now))
            .values(claimed_at=now, claimed_by=worker[:80])
            .execution_options(synchronize_session=False)
        )
        if changed == 1:
            claimed.append(message_id)
    return claimed


def envelope(message_id: int, sender: str, portal_url: str) -> Envelope:
    """The claimed message as plain values; its Message-ID stays the same on every attempt."""
    message = db.session.get_one(OutboxMessage, message_id)
    host = urlsplit(portal_url).hostname or "localhost"
    return Envelope(
        message_id=f"<outbox-{message.id}.{message.created_at:%Y%m%d%H%M%S}@{host}>",
        sender=sender,
        to=message.to_address,
        subject=message.subject,
        text=message.body_text,
        html=message.body_html,
        date=message.created_at,
        attachments=tuple(message.attachments or ()),
    )


def record_sent(message_id: int, worker: str, now: datetime) -> None:
    """Mark a message sent, and blank out any one-time link in it: the recipient has it, the database need not."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.claimed_by != worker[:80]:
        return
    message.sent_at, message.last_error = now, ""
    message.body_text, message.body_html = redact(message.body_text), redact(message.body_html)


def record_failure(message_id: int, worker: str, now: datetime, error: str) -> None:
    """Release the claim and try again later, further apart after each failure."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.claimed_by != worker[:80] or message.sent_at is not None:
        return
    message.attempts += 1
    message.last_error = error[:2000]
    message.claimed_at, message.claimed_by = None, ""
    message.send_after = now + backoff(message.attempts)


def release(message_ids: list[int], worker: str) -> None:
    """Give back claims not tried (the server went down mid-batch): no attempt is counted against them."""
    if message_ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.claimed_by == worker[:80])
            .where(OutboxMessage.sent_at.is_(None))
            .values(claimed_at=None, claimed_by="")
            .execution_options(synchronize_session=False)
        )


def redact(body: str) -> str:
    return SECRET_LINK.sub(lambda match: f"/{match.group(1)}/[link removed]", body)


def counts() -> dict[str, int]:
    """How many messages are sent, waiting for their first try, and waiting after a failure."""
    sent = func.count().filter(OutboxMessage.sent_at.is_not(None))
    waiting = func.count().filter(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts == 0)
    retrying = func.count().filter(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0)
    row = db.session.execute(select(sent, waiting, retrying).select_from(OutboxMessage)).one()
    return {"sent": row[0], "waiting": row[1], "retrying": row[2]}


def get_message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)
