"""Rules of the council's CSE training: who may book, places and the waiting list, offers and cancellations.

Plain values only; "now" is always passed in. The models' partial unique index and CHECK constraints spell the
same groups of statuses in SQL (a test holds them to these).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.domain.calendars import clock_label
from portal.domain.wording import long_date

LONDON = ZoneInfo("Europe/London")
# A freed place is held this long for the first person waiting before it passes to the next.
OFFER_HOURS = 48
# A place cannot be offered, nor booked, this close to the start: nobody could plan to come.
LAST_CALL_HOURS = 2
# A learner may cancel their own place up to this long before the start; after that they ask the council.
CANCELLATION_CUT_OFF_HOURS = 24
MAX_CAPACITY = 500


class CourseLevel(enum.StrEnum):
    AWARENESS = "awareness"
    MULTI_AGENCY = "multi_agency"


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class BookingStatus(enum.StrEnum):
    BOOKED = "booked"
    WAITING = "waiting"
    OFFERED = "offered"
    CANCELLED = "cancelled"
    ATTENDED = "attended"


# A booking's state as its learner and the register read it.
BOOKING_LABELS = {
    BookingStatus.BOOKED: "Booked",
    BookingStatus.WAITING: "On the waiting list",
    BookingStatus.OFFERED: "Place offered",
    BookingStatus.CANCELLED: "Cancelled",
    BookingStatus.ATTENDED: "Attended",
}
LEVEL_LABELS = {CourseLevel.AWARENESS: "CSE awareness", CourseLevel.MULTI_AGENCY: "Multi-agency CSE"}
# Live: the learner holds or waits for a place on the course (one at a time per course).
LIVE_STATUSES = frozenset({BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.OFFERED})
# Holding a place: counted against the session's capacity (an offered place is held for the person offered it).
PLACE_STATUSES = frozenset({BookingStatus.BOOKED, BookingStatus.OFFERED, BookingStatus.ATTENDED})


@dataclass(frozen=True)
class SessionFacts:
    """What booking a session depends on."""

    status: SessionStatus
    day: date
    starts_at: time
    capacity: int
    places_taken: int

    @property
    def starts(self) -> datetime:
        return session_start(self.day, self.starts_at)

    @property
    def full(self) -> bool:
        return self.places_taken >= self.capacity


def session_start(day: date, starts_at: time) -> datetime:
    """When a session starts, as an aware moment (sessions are in England's time)."""
    return datetime.combine(day, starts_at, tzinfo=LONDON)


def session_when(day: date, starts_at: time, ends_at: time) -> str:
    """Tuesday 1 December 2026, 9:30am to 12:30pm."""
    return f"{long_date(day)}, {clock_label(starts_at)} to {clock_label(ends_at)}"


def email_domain(email: str) -> str:
    """The part of an address after its last @, in lower case."""
    return email.rsplit("@", 1)[-1].strip().lower()


def normalise_domain(domain: str) -> str:
    """A listed domain as compared: lower case, without a leading @ or dot or surrounding spaces."""
    return domain.strip().lower().lstrip("@.").rstrip(".")


def approved_at_once(email: str, listed_domains: Iterable[str]) -> bool:
    """Whether an address is on a domain the council lists (or a subdomain of one), so needs no officer's approval.

    "police.uk" covers "thamesvalley.police.uk" but never "notpolice.uk"."""
    domain = email_domain(email)
    for listed in (normalise_domain(item) for item in listed_domains):
        if listed and (domain == listed or domain.endswith("." + listed)):
            return True
    return False


def booking_refusal(session: SessionFacts, learner_approved: bool, now: datetime) -> str | None:
    """Why a learner cannot book (or join the waiting list of) a session; None when they can."""
    if not learner_approved:
        return "Your account must be approved by the council before you can book training"
    if session.status == SessionStatus.CANCELLED:
        return "This session has been cancelled"
    if now >= session.starts - timedelta(hours=LAST_CALL_HOURS):
        return "This session has started or is about to start: choose a later one"
    return None


def status_on_booking(session: SessionFacts) -> BookingStatus:
    """First come, first served: a place while there is one, otherwise a place on the waiting list."""
    return BookingStatus.WAITING if session.full else BookingStatus.BOOKED


def offer_deadline(session: SessionFacts, now: datetime) -> datetime | None:
    """Until when a freed place is held for the person offered it; None when it is too late to offer it at all.

    The hold is OFFER_HOURS, cut short so that it ends LAST_CALL_HOURS before the session starts."""
    last_call = session.starts - timedelta(hours=LAST_CALL_HOURS)
    if now >= last_call:
        return None
    return min(now + timedelta(hours=OFFER_HOURS), last_call)


def cancellation_cut_off(session: SessionFacts) -> datetime:
    """The last moment a learner may cancel their own place."""
    return session.starts - timedelta(hours=CANCELLATION_CUT_OFF_HOURS)


def cancellation_refusal(status: BookingStatus, session: SessionFacts, now: datetime) -> str | None:
    """Why a learner cannot cancel this booking themselves; None when they can.

    A waiting-list place or an offer can be given up at any time; a booked place up to the cut-off."""
    if status not in LIVE_STATUSES:
        return "This booking is not live: there is nothing to cancel"
    if status == BookingStatus.BOOKED and now > cancellation_cut_off(session):
        return (
            f"Places can only be cancelled up to {CANCELLATION_CUT_OFF_HOURS} hours before the session: "
            "contact the council's training team"
        )
    return None


def acceptance_refusal(status: BookingStatus, offer_expires_at: datetime | None, now: datetime) -> str | None:
    """Why an offered place cannot be accepted; None when it can."""
    if status != BookingStatus.OFFERED or offer_expires_at is None:
        return "There is no place offered to you on this session"
    if now >= offer_expires_at:
        return "The time to accept this place has passed: it has been offered to the next person waiting"
    return None


@dataclass(frozen=True)
class Waiting:
    """One person on a session's waiting list."""

    booking_id: int
    joined_at: datetime


def first_waiting(waiting: Iterable[Waiting]) -> Waiting | None:
    """Who is offered a freed place: the earliest to join the list (the lower id on a tie)."""
    return min(waiting, key=lambda entry: (entry.joined_at, entry.booking_id), default=None)


def session_change_refusal(capacity: int, places_taken: int, starts_at: time, ends_at: time) -> str | None:
    """Why a session cannot have these times and capacity; None when it can."""
    if ends_at <= starts_at:
        return "The end time must be after the start time"
    if not 1 <= capacity <= MAX_CAPACITY:
        return f"The capacity must be between 1 and {MAX_CAPACITY}"
    if capacity < places_taken:
        return f"{places_taken} places are already taken: the capacity cannot be fewer than that"
    return None
