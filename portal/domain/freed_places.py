"""Who a freed place is offered to first, and for how long.

A place freed by a decline or a release goes first to the few waiting requests it fits best, by the scheduler's own
objective (portal/scheduler/objective.py): the most priority-weighted pupils it places (priority x pupils still to
place, up to one audience), then a request with no performance yet, then one of its preferred dates, then the least
extra travel for the cast. They hold it for a while (HOLD_HOURS by default); after that any school may book it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# How many waiting requests a freed place is offered to first (one per school).
OFFERED_FIRST_TO = 3
DEFAULT_HOLD_HOURS = 48


@dataclass(frozen=True)
class Candidate:
    """A waiting request a freed place fits, and what placing it there adds to the scheduler's objective."""

    request_id: int
    school_id: int
    gain: tuple[int, int, int, int]  # objective.Score.key() of the difference: larger is better

    @property
    def weighted_pupils(self) -> int:
        return self.gain[0]


def best_candidates(
    candidates: Iterable[Candidate], freed_by_school_id: int, limit: int = OFFERED_FIRST_TO
) -> list[Candidate]:
    """The requests the place fits best, best first: one per school, never the school that gave the place up; ties
    go to the request made first."""
    chosen: list[Candidate] = []
    schools = {freed_by_school_id}
    for candidate in sorted(candidates, key=lambda c: (tuple(-part for part in c.gain), c.request_id)):
        if candidate.school_id in schools:
            continue
        chosen.append(candidate)
        schools.add(candidate.school_id)
        if len(chosen) == limit:
            break
    return chosen


def hold_ends(freed_at: datetime, hours: int) -> datetime:
    """Until when the chosen requests alone may take a place freed at freed_at."""
    return freed_at + timedelta(hours=max(0, hours))
