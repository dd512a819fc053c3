"""iCalendar files for performances: one event each, updated in place by calendar apps (stable UID, SEQUENCE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event

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
    components = []
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
    calendar.add("x-wr-calname", name)
    calendar.add_missing_timezones()
    return calendar.to_ical()
