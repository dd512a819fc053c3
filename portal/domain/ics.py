"""iCalendar files for performances: one event each, updated in place by calendar apps (stable UID, SEQUENCE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from icalendar import Calendar, Component, Event, Timezone

PRODID = "-//CSE awareness tour portal//Performances//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    stamp: datetime
    start: datetime  # timezone-aware, Europe/London
    end: datetime
    summary: str
    location: str
    description: str
    status: str  # TENTATIVE, CONFIRMED or CANCELLED
    sequence: int


def calendar_bytes(events: list[CalendarEvent], name: str, uid: str) -> bytes:
    """A VCALENDAR with one VEVENT per event and the Europe/London VTIMEZONE, as RFC 5545 bytes.

    The calendar's own UID is stable (a feed that changed it on every fetch could look like a new calendar)."""
    keys = sorted({key for item in events if (key := _zone_key(item.start))})
    components: list[Component] = [_timezone(key, *_years(events)) for key in keys]
    for item in events:
        event = Event.new(
            uid=item.uid,
            stamp=item.stamp,
            start=item.start,
            end=item.end,
            summary=item.summary,
            location=item.location,
            description=item.description,
        )
        event.add("status", item.status)
        event.add("sequence", item.sequence)
        components.append(event)
    calendar = Calendar.new(prodid=PRODID, subcomponents=components, uid=uid, name=name, method="PUBLISH")
    calendar.add_missing_timezones()  # any zone not named by a key (none today): the library works it out
    return calendar.to_ical()


def _zone_key(moment: datetime) -> str | None:
    return getattr(moment.tzinfo, "key", None)


def _years(events: list[CalendarEvent]) -> tuple[int, int]:
    return min(item.start.year for item in events), max(item.end.year for item in events)


@cache
def _timezone(key: str, first_year: int, last_year: int) -> Timezone:
    """A zone's VTIMEZONE over the calendar's years, worked out once a process.

    Its transitions take milliseconds to compute and never change, and the library's default span (1970 to 2038)
    wrote every one of sixty-eight years' clock changes into each file. The component is only read after this, so
    every calendar of those years shares it."""
    return Timezone.from_tzid(key, first_date=date(first_year, 1, 1), last_date=date(last_year + 1, 1, 1))
