"""The objective, in one place: which of two valid allocations is better (the format spec, lexicographic).

1. more pupils reached, each weighted by its request's priority;
2. more requests with at least one performance;
3. more requests with at least one performance on one of their preferred dates;
4. less travel: road km between consecutive performances of a cast on one day at different schools.

Every part of the solver compares allocations with `Score` (the checker, the schedule, the start, the search and
the travel polish) and weighs its linear models with `lexicographic_weights` (the flow and the CP-SAT windows), so
no two parts can disagree about the order. Travel is counted in whole metres per leg, so that sums are exact and
two allocations with the same drives compare equal whatever order they were added up in.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .geo import haversine_km

if TYPE_CHECKING:
    from .model import Instance, Performance


@functools.total_ordering
@dataclass(frozen=True)
class Score:
    """The four objective components of an allocation; comparisons follow the lexicographic order."""

    weighted: int = 0
    requests_served: int = 0
    preferred_served: int = 0
    travel_m: int = 0  # road metres, less is better

    @property
    def travel_km(self) -> float:
        """Road km, as the spec states criterion 4."""
        return self.travel_m / 1000

    def key(self) -> tuple[int, int, int, int]:
        """The order as a tuple: larger is better."""
        return (self.weighted, self.requests_served, self.preferred_served, -self.travel_m)

    def placement(self) -> tuple[int, int, int]:
        """The three criteria that depend on which performances happen, not on which cast gives them."""
        return (self.weighted, self.requests_served, self.preferred_served)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Score):
            return NotImplemented
        return self.key() < other.key()


def lexicographic_weights(maxima: Sequence[int]) -> list[int]:
    """Integer weights, most important level first, so that one unit more of a level outweighs any change below.

    `maxima[i]` is the largest total level i can reach (its terms are non-negative integers). The last level
    gets weight 1; each level above it one more than the most the levels below can add up to.
    """
    weights = [1] * len(maxima)
    below = 0
    for i in range(len(maxima) - 1, -1, -1):
        weights[i] = below + 1
        below += weights[i] * max(0, maxima[i])
    return weights


def leg_metres(km: float, road_factor: float) -> int:
    """Criterion 4 for one drive between two schools: great-circle km x road factor, in whole metres."""
    return round(km * road_factor * 1000)


def route_metres(stops: Iterable, leg: Callable) -> int:
    """Travel of one cast's day: `stops` are its schools in start order, `leg(a, b)` the metres between two."""
    total, previous = 0, None
    for school in stops:
        if previous is not None and school != previous:
            total += leg(previous, school)
        previous = school
    return total


def score_performances(inst: Instance, perfs: Sequence[Performance]) -> Score:
    """The score of these performances (all references known) for the instance."""
    weighted = 0
    served, preferred = set(), set()
    days: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for i, p in enumerate(perfs):
        request = inst.request_by_id[p.request]
        weighted += p.pupils * request.priority
        served.add(p.request)
        if p.date in request.preferred_dates:
            preferred.add(p.request)
        days[(p.cast, p.date)].append((inst.slot_by_id[p.slot].start, i, request.school))
    factor = inst.travel.road_factor

    def leg(a: str, b: str) -> int:
        sa, sb = inst.school_by_id[a], inst.school_by_id[b]
        return leg_metres(haversine_km(sa.lat, sa.lon, sb.lat, sb.lon), factor)

    travel = sum(route_metres((school for _, _, school in sorted(items)), leg) for items in days.values())
    return Score(weighted, len(served), len(preferred), travel)
