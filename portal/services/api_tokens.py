"""Personal API tokens: made on the account page, sent as `Authorization: Bearer ...`, stored only as SHA-256."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import ApiToken, User
from portal.services import audit
from portal.services.sessions import hash_token
from portal.services.writes import bookkeeping, execute_write

# A handful per person is plenty (one per script or spreadsheet); more is a sign of tokens nobody revokes.
MAX_LIVE_TOKENS = 10
# Writing last_used_at on every API call would make every read a write; a minute's slack is harmless.
LAST_USED_GRANULARITY = timedelta(seconds=60)
# Longer than any token we issue (token_urlsafe(32) is 43 characters): anything longer is not worth hashing.
MAX_TOKEN_LENGTH = 200


class TokenError(Refused):
    """A token the rules refuse to create."""


def live_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(db.session.scalars(query))


def create_token(user: User, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A new token for the user and its raw value, which is shown once and never stored."""
    live = db.session.execute(
        select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).scalar_one()
    if live >= MAX_LIVE_TOKENS:
        raise TokenError(f"You already have {MAX_LIVE_TOKENS} tokens: revoke one you no longer use first")
    raw = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=hash_token(raw), created_at=now)
    db.session.add(token)
    db.session.flush()
    audit.record(user, "api_token.created", "api_token", token.id, after={"name": name})
    return token, raw


def own_live_token(user: User, token_id: int) -> ApiToken | None:
    """One of the user's unrevoked tokens, or None (someone else's token is None too, so existence never leaks)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return None
    return token


def revoke_token(user: User, token: ApiToken, now: datetime) -> None:
    token.revoked_at = now
    audit.record(user, "api_token.revoked", "api_token", token.id, before={"name": token.name})
    db.session.flush()


def revoke_all_tokens(user: User, now: datetime) -> int:
    """Revoke every live token of the user (a new password: a token made with the old one must not outlive it)."""
    revoked = execute_write(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now)
    )
    if revoked:
        audit.record(user, "api_token.revoked_all", "user", user.id, school_id=user.school_id, after={"count": revoked})
    return revoked


def user_for_token(raw: str, now: datetime) -> User | None:
    """The active user behind a raw token, or None for an unknown, revoked or over-long one."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        bookkeeping(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    return token.user
