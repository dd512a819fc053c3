"""The portal's clock. Tests and drills set PORTAL_FAKE_NOW to move time without patching."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current UTC time, or the fixed time in PORTAL_FAKE_NOW (ISO 8601) when that is set."""
    fake = os.environ.get("PORTAL_FAKE_NOW")
    if fake:
        return datetime.fromisoformat(fake).astimezone(UTC)
    return datetime.now(UTC)


def today() -> date:
    """Today's date in England, which is what deadlines are written in."""
    return now().astimezone(LONDON).date()
