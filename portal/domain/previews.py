"""Preview performances for adults: who a preview is for, how many seats one booking may take, until when bookings
change, and the order of the waiting list. Plain values only; "today" and "now" are passed in."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta


class PreviewAudience(enum.StrEnum):
    ALL_SCHOOLS = "all_schools"
    DISTRICT = "district"
    SCHOOLS = "schools"  # a list of schools


class PreviewStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class ParentBookingState(enum.StrEnum):
    AWAITING_CONFIRMATION = "awaiting"  # the parent has not yet opened the e-mailed confirmation link
    HELD = "held"
    WAITING = "waiting"  # the preview was full when the parent confirmed: on the waiting list
    CANCELLED = "cancelled"
    ATTENDED = "attended"


# States whose seats count against the preview's seats (the seats-taken counter).
SEATED_STATES = frozenset({ParentBookingState.HELD, ParentBookingState.ATTENDED})
# States the parent may still cancel from.
CANCELLABLE_STATES = frozenset(
    {ParentBookingState.AWAITING_CONFIRMATION, ParentBookingState.HELD, ParentBookingState.WAITING}
)

# One parent booking: at most this many seats (a parent and a partner, a carer, a grandparent).
PARENT_SEATS_MAX = 4
# One e-mail address: at most this many seats over all its bookings for one preview.
ADDRESS_SEATS_MAX = 4
# Colleague names one school may book in one step.
STAFF_NAMES_MAX = 10
# How long a parent has to open the confirmation link before the booking lapses.
CONFIRMATION_HOURS = 48
# Parents' names and e-mail addresses, and colleagues' names, are removed this many days after the preview
# (the retention schedule, portal.domain.retention); the counts of seats are kept.
NAMES_KEPT_DAYS = 30


@dataclass(frozen=True)
class Audience:
    """Whom a preview is for: every school, one district's schools, or the schools listed."""

    kind: PreviewAudience
    district: str = ""
    school_ids: frozenset[int] = frozenset()

    def includes(self, school_id: int, school_district: str) -> bool:
        """Whether a school is invited to the preview."""
        if self.kind == PreviewAudience.ALL_SCHOOLS:
            return True
        if self.kind == PreviewAudience.DISTRICT:
            return school_district.casefold() == self.district.casefold()
        return school_id in self.school_ids

    def problem(self) -> str | None:
        """Why the audience cannot be saved, or None."""
        if self.kind == PreviewAudience.DISTRICT and not self.district.strip():
            return "Choose the district the preview is for"
        if self.kind == PreviewAudience.SCHOOLS and not self.school_ids:
            return "Choose at least one school the preview is for"
        return None


def can_change_booking(preview_day: date, today: date) -> bool:
    """Bookings (staff seats and parents') can be made, changed or cancelled up to and including the preview's day."""
    return today <= preview_day


def school_link_limit(seats: int) -> int:
    """Parents' seats one school's link may take for one preview: half the preview, and never below one booking."""
    return max(PARENT_SEATS_MAX, seats // 2)


def parent_seats_problem(requested: int, address_seats: int, link_seats: int, seats: int) -> str | None:
    """Why a parent cannot book `requested` seats, given the seats already held or awaited by the same address and
    through the same school's link for this preview; None when the booking may go ahead."""
    if not 1 <= requested <= PARENT_SEATS_MAX:
        return f"Book between 1 and {PARENT_SEATS_MAX} seats"
    if address_seats + requested > ADDRESS_SEATS_MAX:
        return f"An email address can book at most {ADDRESS_SEATS_MAX} seats for a preview"
    if link_seats + requested > school_link_limit(seats):
        return "Parents at this school have booked all the seats they can for this preview"
    return None


def confirmation_expires(booked_at: datetime) -> datetime:
    """When an unconfirmed parent booking lapses."""
    return booked_at + timedelta(hours=CONFIRMATION_HOURS)


@dataclass(frozen=True)
class WaitingEntry:
    booking_id: int
    seats: int
    joined_at: datetime


def waiting_order(entries: Iterable[WaitingEntry]) -> list[WaitingEntry]:
    """First come, first served: by when the parent confirmed, then by booking."""
    return sorted(entries, key=lambda entry: (entry.joined_at, entry.booking_id))


def move_up(entries: Sequence[WaitingEntry], free_seats: int) -> list[int]:
    """The waiting bookings that move up into `free_seats`, in order. A booking that does not fit keeps its place,
    and later, smaller ones may take the seats it cannot use."""
    moved: list[int] = []
    for entry in waiting_order(entries):
        if entry.seats <= free_seats:
            moved.append(entry.booking_id)
            free_seats -= entry.seats
    return moved


def clean_names(names: Iterable[str]) -> list[str]:
    """Colleague names as typed, one per seat: blank lines dropped, spaces tidied, duplicates kept once."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for name in names:
        tidy = " ".join(name.split())
        if tidy and tidy.casefold() not in seen:
            seen.add(tidy.casefold())
            cleaned.append(tidy)
    return cleaned
