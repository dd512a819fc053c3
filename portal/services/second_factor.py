"""The second factor: time-based codes from an authenticator app (RFC 6238, via pyotp), for administrators.

A code is accepted once: the last time step used is kept, so a code read over someone's shoulder, or replayed from a
log, is refused. One step either side of now is allowed for a phone's clock running a little fast or slow.

Setting the app up needs more than the password: a single-use link e-mailed to the account's address (whoever first
learns a new administrator's password must not be the one who enrols their phone). A lost app is reset by another
administrator (or `flask users reset-second-factor`), and its owner then sets it up again through a new link.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime

import pyotp

from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import User, UserSession
from portal.services import audit, recovery, sessions

STEP_SECONDS = 30
# [0-9], not \d: other scripts' digits would reach hmac.compare_digest, which refuses non-ASCII text.
CODE = re.compile(r"[0-9]{6}")
WRONG_CODE = "Enter the 6-digit code your authenticator app shows now"
LINK_NEEDED = "Your set-up link has expired or has already been used: ask for a new one"


class SecondFactorError(Refused):
    """The code was not accepted; nothing changed but the audit log."""


def pending_secret(user: User) -> str:
    """The key the user is asked to add to their app; made once and kept until a first code confirms it."""
    if user.totp_secret is None or user.totp_enabled_at is not None:
        user.totp_secret = pyotp.random_base32(length=32)  # 160 bits
        user.totp_last_step = None
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User, issuer: str) -> str:
    """The otpauth:// address a QR code carries to the authenticator app."""
    return pyotp.TOTP(pending_secret(user)).provisioning_uri(name=user.email, issuer_name=issuer)


def _accept(user: User, code: str, now: datetime) -> bool:
    code = re.sub(r"[\s-]", "", code or "")
    if user.totp_secret is None or not CODE.fullmatch(code):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current - 1, current, current + 1):
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            user.totp_last_step = step
            return True
    return False


def send_set_up_link(user: User, now: datetime) -> None:
    """E-mail the user a link to set up their app (nothing happens once it is set up)."""
    if user.totp_enabled_at is None:
        recovery.start_enrolment(user, now)


def may_set_up(user: User, link_token: str | None, now: datetime) -> bool:
    """Whether the user may see a set-up key now: not set up yet, and holding a live set-up link of their own."""
    return user.totp_enabled_at is None and recovery.enrolment_link_works(user, link_token, now)


def confirm_set_up(user: User, record: UserSession, code: str, now: datetime, link_token: str | None) -> None:
    """Turn the second factor on with a first code from the app, spending the e-mailed set-up link; this session has
    then passed it."""
    if user.totp_enabled_at is not None:
        raise SecondFactorError("Your authenticator app is already set up")
    if not recovery.enrolment_link_works(user, link_token, now):
        raise SecondFactorError(LINK_NEEDED)
    if not _accept(user, code, now):
        audit.record(user, "second_factor.set_up", "user", user.id, outcome="failed")
        raise SecondFactorError(WRONG_CODE)
    try:
        recovery.use_enrolment_link(user, link_token, now)
    except recovery.LinkError as error:  # the same link, spent a moment ago by a racing request
        raise SecondFactorError(LINK_NEEDED) from error
    user.totp_enabled_at = now
    record.second_factor_at = now
    audit.record(user, "second_factor.set_up", "user", user.id)


def check_code(user: User, record: UserSession, code: str, now: datetime) -> None:
    """Pass the second factor for this session with a code from the app."""
    if user.totp_enabled_at is None or not _accept(user, code, now):
        audit.record(user, "second_factor.checked", "user", user.id, outcome="failed")
        raise SecondFactorError(WRONG_CODE)
    record.second_factor_at = now
    audit.record(user, "second_factor.checked", "user", user.id)


def reset(actor: User | None, user: User, now: datetime) -> None:
    """Forget the user's app (a lost phone): they set it up again at their next sign-in. Ends their sessions."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    sessions.end_all_sessions(user, now)
    audit.record(actor, "second_factor.reset", "user", user.id, school_id=user.school_id)
