"""A performance in words: when, where and by which cast. E-mails, calendar files and history entries all describe a
performance through describe_placement, so a moved performance reads the same (and new) everywhere.

It reads the cast, slot and school by their ids, as they are in the session now: a relationship loaded before a
change (performance.slot after slot_id was set) can never make a message give the old time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from portal.clock import LONDON
from portal.domain.wording import clock_time, date_and_time, long_date
from portal.extensions import db
from portal.models import Cast, Performance, School, Slot


@dataclass(frozen=True)
class Showing:
    """Where a performance is (or was): its day, start time, cast and school."""

    day: date
    starts_at: time | None  # None: a slot since removed from the season
    cast: str
    school: str

    @property
    def start(self) -> datetime:
        """The start as a Europe/London time (calendar files need one)."""
        return datetime.combine(self.day, self.starts_at or time(0), tzinfo=LONDON)

    @property
    def time(self) -> str:
        return clock_time(self.starts_at) if self.starts_at else "a time no longer in the season"

    @property
    def when(self) -> str:
        """Monday 4 January 2027 at 1:30pm."""
        return date_and_time(self.day, self.starts_at) if self.starts_at else long_date(self.day)


def describe_placement(day: date, slot_id: int | None, cast_id: int | None, school_id: int | None) -> Showing:
    """A performance's day, slot, cast and school (ids, as a performance or an audit snapshot holds them) in words."""
    slot = db.session.get(Slot, slot_id) if slot_id else None
    cast = db.session.get(Cast, cast_id) if cast_id else None
    school = db.session.get(School, school_id) if school_id else None
    return Showing(
        day=day,
        starts_at=slot.starts_at if slot else None,
        cast=cast.name if cast else "a cast no longer in the season",
        school=school.name if school else "",
    )


def describe(performance: Performance) -> Showing:
    """Where this performance is now."""
    return describe_placement(performance.day, performance.slot_id, performance.cast_id, performance.school_id)
