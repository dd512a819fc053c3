"""Server-side records of signed-in browsers: started at sign-in, checked on every request, ended at sign-out."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from portal.extensions import db
from portal.models import User, UserSession
from portal.services.writes import bookkeeping, execute_write

# Writing last_seen on every request would make every page a write; a minute's slack is harmless.
LAST_SEEN_GRANULARITY = timedelta(seconds=60)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, now: datetime) -> str:
    """Record a new session for the user and return its token (kept only in the signed cookie)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(token_hash=hash_token(token), user=user, created_at=now, last_seen_at=now, authenticated_at=now)
    )
    db.session.flush()
    return token


# The user, and a school user's school, come in the same statement: every signed-in page needs the first two, and
# every school page the school. Built once, as every signed-in request runs it.
LIVE_SESSION = (
    select(UserSession)
    .options(joinedload(UserSession.user).joinedload(User.school))
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def find_live_session(token: str | None, now: datetime, idle: timedelta, absolute: timedelta) -> UserSession | None:
    """The session behind a token if it has not ended, timed out, or belongs to a deactivated user."""
    if not token:
        return None
    record = db.session.scalar(LIVE_SESSION, {"token_hash": hash_token(token)})
    if record is None or record.ended_at is not None or not record.user.active:
        return None
    # Both writes are bookkeeping: a page that only reads makes them too (portal.services.writes).
    if now - record.last_seen_at > idle or now - record.created_at > absolute:
        bookkeeping(update(UserSession).where(UserSession.id == record.id).values(ended_at=now))
        return None
    if now - record.last_seen_at > LAST_SEEN_GRANULARITY and bookkeeping(
        update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now)
    ):
        set_committed_value(record, "last_seen_at", now)
    return record


def touch_session(token: str, now: datetime) -> None:
    """Reset the idle clock (the "stay signed in" button of the timeout warning)."""
    db.session.execute(update(UserSession).where(UserSession.token_hash == hash_token(token)).values(last_seen_at=now))


def end_session(token: str | None, now: datetime) -> None:
    if token:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == hash_token(token), UserSession.ended_at.is_(None))
            .values(ended_at=now)
        )


def end_all_sessions(user: User, now: datetime, keep_token: str | None = None) -> int:
    """End every live session of a user (password change, deactivation), except optionally the current one."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep_token:
        query = query.where(UserSession.token_hash != hash_token(keep_token))
    return execute_write(query.values(ended_at=now))


def is_fresh(record: UserSession, now: datetime, window: timedelta) -> bool:
    """Whether the password was entered in this session within `window` (sign-in or a later confirmation)."""
    return now - (record.authenticated_at or record.created_at) <= window


def confirm_password_entered(record: UserSession, now: datetime) -> None:
    record.authenticated_at = now
