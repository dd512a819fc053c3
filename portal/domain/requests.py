"""Rules of a school's request: what makes one complete, when it can still change, how many shows it needs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

PUPILS_PER_STAFF = 30
YEAR_GROUPS = tuple(range(7, 14))


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
