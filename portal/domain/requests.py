"""Rules of a school's request: what makes one complete, when it can still change, how many shows it needs."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from portal.domain.calendars import week_start

PUPILS_PER_STAFF = 30
YEAR_GROUPS = tuple(range(7, 14))
REFERENCE_PREFIX = "REQ-"


@dataclass(frozen=True)
class RequestDraft:
    """What a school asks for, as plain values from a form."""

    production_id: int | None
    year_groups: dict[int, int]
    dates: frozenset[date]
    preferred_dates: frozenset[date]
    slot_ids: frozenset[int]
    staff_in_hall: int
    dsl_name: str = ""
    dsl_email: str = ""
    dsl_phone: str = ""
    access_notes: str = ""


def can_change_request(deadline: date, today: date) -> bool:
    """Schools can submit, edit and withdraw up to and including the deadline day."""
    return today <= deadline


def request_problems(
    draft: RequestDraft, *, open_days: set[date], slot_ids: set[int], production_ids: set[int]
) -> dict[str, str]:
    """Field name -> message for every rule the draft breaks; empty when it can be saved."""
    problems: dict[str, str] = {}
    if draft.production_id not in production_ids:
        problems["production"] = "Select the production you want"
    if not draft.year_groups or not any(draft.year_groups.values()):
        problems["year_groups"] = "Enter the number of pupils for at least one year group"
    elif any(year not in YEAR_GROUPS for year in draft.year_groups):
        problems["year_groups"] = "Year groups must be from year 7 to year 13"
    if not draft.dates:
        problems["dates"] = "Select at least one date when your hall is free"
    elif not draft.dates <= open_days:
        problems["dates"] = "Select dates from the list: the company does not perform on the others"
    if not draft.preferred_dates <= draft.dates:
        problems["preferred_dates"] = "Preferred dates must also be dates when your hall is free"
    if not draft.slot_ids:
        problems["slots"] = "Select at least one time of day when your hall is free"
    elif not draft.slot_ids <= slot_ids:
        problems["slots"] = "Select times from the list"
    if draft.staff_in_hall < 1:
        problems["staff_in_hall"] = "At least one member of staff must be in the hall"
    return problems


def audience_cap(hall_capacity: int | None, staff_in_hall: int, production_cap: int) -> int:
    """The most pupils one performance at this school may hold: hall, staff (30 pupils each) and production."""
    caps = [production_cap, staff_in_hall * PUPILS_PER_STAFF]
    if hall_capacity:
        caps.append(hall_capacity)
    return max(1, min(caps))


def performances_needed(pupils: int, cap: int) -> int:
    """How many performances it takes to reach every pupil of a cohort."""
    return math.ceil(pupils / cap) if pupils > 0 else 0


def chosen_days(weeks: Iterable[date], days: Iterable[date]) -> frozenset[date]:
    """The days a school offers on the week-by-week form: the days left ticked within the weeks it ticked."""
    mondays = set(weeks)
    return frozenset(day for day in days if week_start(day) in mondays)


def request_reference(request_id: int) -> str:
    """The reference a school quotes about its request, from its number: REQ-00042."""
    return f"{REFERENCE_PREFIX}{request_id:05d}"


def reference_number(text: str) -> int | None:
    """The request number in a reference as someone types it ("REQ-00042", "req 42"), or None."""
    cleaned = text.strip().upper()
    if not cleaned.startswith(REFERENCE_PREFIX[:-1]):
        return None
    digits = cleaned[len(REFERENCE_PREFIX) - 1 :].lstrip(" -")
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= 9 else None
