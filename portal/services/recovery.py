"""Passwords changed or recovered, e-mail verification, second-factor set-up and invitations by single-use,
time-limited links.

The link carries a random token (256 bits); only its SHA-256 is stored. Issuing a new link kills the older ones of
the same purpose, using one marks it used, and changing the password kills every outstanding link, every session and
every personal API token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from portal.domain.passwords import password_problem
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import AccountToken, User, UserSession
from portal.services import account_mail, api_tokens, audit, sessions, training_learners
from portal.services.accounts import AccountError, find_user_by_email, normalise_email
from portal.services.writes import execute_write

RESET, VERIFY, ENROL, INVITE = "reset", "verify", "enrol", "invite"
LIFETIMES = {
    RESET: timedelta(minutes=60),
    VERIFY: timedelta(hours=48),
    ENROL: timedelta(minutes=60),
    # An invitation waits for someone who may not read their e-mail today; a new one can always be sent.
    INVITE: timedelta(days=3),
}
# The links that set a password: once the password is set (or changed), none of them may set it again.
PASSWORD_LINKS = (RESET, INVITE)
MAX_TOKEN_LENGTH = 100


class LinkError(Refused):
    """The link is unknown, used or expired: nothing was changed."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke(user: User, purpose: str, now: datetime) -> None:
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )


def _issue(user: User, purpose: str, now: datetime) -> str:
    """A new link token for the user; any older one of the same purpose stops working."""
    _revoke(user, purpose, now)
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    db.session.flush()
    return token


def find_token(token: str | None, purpose: str, now: datetime) -> AccountToken | None:
    """The live token record behind a link, or None when it is unknown, used, expired or its user deactivated."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    record = db.session.scalar(
        select(AccountToken).where(AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose)
    )
    if record is None or record.used_at is not None or record.expires_at <= now or not record.user.active:
        return None
    return record


def _use(token: str, purpose: str, now: datetime) -> User:
    """Mark the token used, exactly once even if two requests race with it."""
    record = find_token(token, purpose, now)
    if record is None:
        raise LinkError("This link has expired or has already been used")
    used = execute_write(
        update(AccountToken)
        .where(AccountToken.id == record.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used != 1:
        raise LinkError("This link has expired or has already been used")
    return record.user


def request_reset(email: str, now: datetime) -> None:
    """E-mail a reset link if the address has an active account; the caller answers the same either way."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        audit.record(None, "password.reset_requested", "user", None, outcome="failed", detail=normalise_email(email))
        return
    token = _issue(user, RESET, now)
    account_mail.password_reset(user, token, LIFETIMES[RESET])
    audit.record(None, "password.reset_requested", "user", user.id, school_id=user.school_id)


def _set_password_from_link(token: str, purpose: str, password: str, now: datetime) -> User:
    """Spend a reset or invitation link on a new password (the registration rules apply); every other password link
    and every session of the user ends."""
    record = find_token(token, purpose, now)
    if record is None:
        raise LinkError("This link has expired or has already been used")
    problem = password_problem(password, record.user.email)
    if problem:
        raise AccountError("password", problem)
    user = _use(token, purpose, now)
    user.password_hash = generate_password_hash(password)
    for kind in PASSWORD_LINKS:
        _revoke(user, kind, now)
    sessions.end_all_sessions(user, now)
    return user


def reset_password(token: str, password: str, now: datetime) -> User:
    """Set a new password from a reset link: every other link, every session and every API token of the user ends."""
    user = _set_password_from_link(token, RESET, password, now)
    account_mail.password_changed(user, revoked_tokens=api_tokens.revoke_all_tokens(user, now))
    audit.record(user, "password.reset", "user", user.id, school_id=user.school_id)
    return user


def confirm_password(user: User, record: UserSession, password: str, now: datetime) -> bool:
    """Whether the signed-in user entered their password; if so the session counts as fresh again. Audited."""
    entered = check_password_hash(user.password_hash, password)
    if entered:
        sessions.confirm_password_entered(record, now)
    audit.record(user, "session.password_confirmed", "user", user.id, outcome="ok" if entered else "failed")
    return entered


def change_password(user: User, current_password: str, new_password: str, now: datetime, keep_token: str) -> None:
    """A signed-in user changes their password: other sessions, any reset link and every API token end; this session
    carries on."""
    if not check_password_hash(user.password_hash, current_password):
        raise AccountError("current_password", "Your current password is wrong")
    problem = password_problem(new_password, user.email)
    if problem:
        raise AccountError("password", problem)
    if check_password_hash(user.password_hash, new_password):
        raise AccountError("password", "Enter a password you have not used for this account just now")
    user.password_hash = generate_password_hash(new_password)
    for kind in PASSWORD_LINKS:
        _revoke(user, kind, now)
    sessions.end_all_sessions(user, now, keep_token=keep_token)
    account_mail.password_changed(user, revoked_tokens=api_tokens.revoke_all_tokens(user, now))
    audit.record(user, "password.changed", "user", user.id, school_id=user.school_id)


def start_verification(user: User, now: datetime) -> None:
    """E-mail a link that confirms the address belongs to the person who registered it."""
    account_mail.email_verification(user, _issue(user, VERIFY, now), LIFETIMES[VERIFY])


def verify_email(token: str, now: datetime) -> User:
    user = _use(token, VERIFY, now)
    user.email_verified_at = now
    audit.record(user, "account.email_verified", "user", user.id, school_id=user.school_id)
    training_learners.approve_if_listed(user, now)
    return user


def start_enrolment(user: User, now: datetime) -> None:
    """E-mail a link to set up an authenticator app: a first set-up needs the mailbox as well as the password."""
    account_mail.second_factor_set_up(user, _issue(user, ENROL, now), LIFETIMES[ENROL])
    audit.record(user, "second_factor.link_sent", "user", user.id, school_id=user.school_id)


def enrolment_link_works(user: User, token: str | None, now: datetime) -> bool:
    """Whether the token is a live set-up link of this user's (a link e-mailed to someone else never is)."""
    record = find_token(token, ENROL, now)
    return record is not None and record.user_id == user.id


def use_enrolment_link(user: User, token: str | None, now: datetime) -> None:
    """Spend the user's set-up link, once; LinkError when it is not theirs or no longer live."""
    if token is None or not enrolment_link_works(user, token, now):
        raise LinkError("This link has expired or has already been used")
    _use(token, ENROL, now)


def issue_invitation_link(user: User, now: datetime) -> str:
    """A link for an invited person to set their first password; an older invitation of theirs stops working."""
    return _issue(user, INVITE, now)


def set_password_from_invitation(token: str, password: str, now: datetime) -> User:
    """Spend an invitation link on the invited person's first password. Only their mailbox had the link, so the
    address is confirmed too."""
    user = _set_password_from_link(token, INVITE, password, now)
    user.email_verified_at = user.email_verified_at or now
    return user
