"""Rules of a performance after publication: taking a freed place, moving one, recording what was delivered."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.domain.calendars import clock_label

LONDON = ZoneInfo("Europe/London")
# The council and the company are warned this many days before a performance's confirm-by date, once.
LAPSE_WARNING_DAYS = 3
RELEASED_LABEL = "Released (not confirmed in time)"


class PerformanceStatus(enum.StrEnum):
    PROVISIONAL = "provisional"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    DELIVERED = "delivered"


# The one definition of each group of statuses (the models' partial unique indexes spell ACTIVE in SQL, and a test
# holds them to this). Active: holds its cast, its hall and its pupils. Booked: still to come, so it can be
# confirmed, moved or cancelled, and counts as planned.
ACTIVE_STATUSES = frozenset({PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED, PerformanceStatus.DELIVERED})
BOOKED_STATUSES = frozenset({PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED})


@dataclass(frozen=True)
class PlaceWanted:
    """A free (cast, day, slot) a school wants for one of its requests, with what the request and season allow."""

    season_published: bool
    request_live: bool  # submitted, not withdrawn
    pupils_left: int  # the request's pupils that no active performance holds yet
    day: date
    request_days: frozenset[date]
    slot_requested: bool  # the slot is one the school's hall is free in
    cast_performs: bool  # the cast performs the request's production
    cast_works: bool  # the day is one of the cast's working days
    declined_here: bool = False  # the school declined a performance on this day and at this time
    held_until: datetime | None = None  # offered first to other schools' requests, only they may take it until then


def moment_label(moment: datetime) -> str:
    """Wednesday 2 December 2026 at 3:00pm, in England's time."""
    local = moment.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B %Y} at {clock_label(local.time())}"


def take_refusal(place: PlaceWanted, today: date) -> str | None:
    """Why the school cannot take this place (None when it can): the same rules decide what the offers page shows."""
    if not place.season_published:
        return "Places can only be taken once the theatre company has published this season's performances"
    if not place.request_live:
        return "This request has been withdrawn: places can only be taken for a live request"
    if place.pupils_left <= 0:
        return "All your pupils already have a performance for this request"
    if place.day <= today:
        return "That date has passed: choose a later one"
    if place.day not in place.request_days:
        return "That date is not one of the dates your hall is free for this request"
    if not place.slot_requested:
        return "That time is not one of the times your hall is free for this request"
    if not (place.cast_performs and place.cast_works):
        return "That cast does not perform this production on that date"
    if place.declined_here:
        return "Your school declined a performance at that time, so it is offered to other schools"
    if place.held_until is not None:
        return (
            "That performance is being offered first to the schools it fits best, until "
            f"{moment_label(place.held_until)}: any school may book it after that if it is still free"
        )
    return None


def status_label(status: str, released: bool) -> str:
    """How a performance's status reads: a release for want of confirmation is not a school's decline."""
    return RELEASED_LABEL if released else status.capitalize()


def move_refusal(day: date, today: date) -> str | None:
    """A performance can be moved to today or later, never into the past (it would skew reach and the schedule)."""
    if day < today:
        return f"The new date must be today or later: {day.day} {day:%B %Y} has passed"
    return None


def _years(years: list[int]) -> str:
    names = [f"Year {year}" for year in sorted(years)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def attendance_refusal(attendance: dict[int, int], years_asked: set[int], cap: int) -> str | None:
    """Why these counts look wrong for this performance (None when they fit): a year group the request never named,
    or more pupils than one audience there may hold (production, hall and 30 pupils per member of staff)."""
    others = sorted(year for year, pupils in attendance.items() if pupils and year not in years_asked)
    if others:
        asked = _years(list(years_asked)) if years_asked else "no year group"
        return f"The school did not ask for {_years(others)} (it asked for {asked})"
    total = sum(attendance.values())
    if total > cap:
        return f"{total} pupils is more than one performance here may hold ({cap})"
    return None
