"""One-time form tokens: what makes a form that creates something create it once, however often it is sent.

A double click, a browser's "resend the form?", a slow connection retried: each sends the same form again. Every form
that creates something carries a fresh token in a hidden field. The first submission to arrive records the token
with what it made, and the database decides which one is first (a unique constraint, so two app servers agree);
every repeat finds the token taken, creates nothing, and is sent to what the first one made.

A token also says when its form was issued. One older than LIFETIME is refused as out of date, so a record of a
used token need only be kept a little longer than that (the retention schedule's FORM_SUBMISSIONS).
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

# Longer than any sitting: a signed-in session ends after 12 hours, its idle timeout much sooner.
LIFETIME = timedelta(days=1)
# App servers' clocks may disagree a little; a token "from the future" by more than this was not issued by us.
CLOCK_SKEW = timedelta(minutes=5)
TOKEN = re.compile(r"([0-9]{10})\.[0-9a-f]{32}")
OUT_OF_DATE = "This form was out of date: check your answers and send it again"
ALREADY_SAVED = "That was already saved"


def new_token(now: datetime) -> str:
    """A token for a form issued at `now`: its time in seconds, a dot and 128 random bits in hex."""
    return f"{int(now.timestamp()):010d}.{secrets.token_hex(16)}"


def token_is_current(token: object, now: datetime) -> bool:
    """Whether `token` is one we could have issued within LIFETIME before `now`."""
    match = TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        return False
    issued = datetime.fromtimestamp(int(match[1]), UTC)
    return now - LIFETIME <= issued <= now + CLOCK_SKEW
