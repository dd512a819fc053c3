"""Fast constructive allocation: greedy insertion of the performances still wanted.

The insertion keeps an index of the casts that can still take a performance at each
(date, slot) (slot free, day not full), so that once the casts are booked up the search for a
place costs almost nothing: a greedy start on the national shape takes well under a second.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable

from .problem import Problem
from .schedule import Schedule

EMPTY_DAY_KM = 40.0  # cost of opening an idle cast-day, so close-by days are filled first
CHECK_EVERY = 32  # requests between two looks at the clock


def request_order(prob: Problem) -> list[int]:
    """Requests by priority, then fewest options (hardest first), then id order."""
    return sorted(
        range(len(prob.requests)),
        key=lambda r: (-prob.req_weight[r], len(prob.req_cands[r]), r),
    )


class FreeCasts:
    """For each (date, slot), the casts with that slot free and room left that day."""

    def __init__(self, sched: Schedule) -> None:
        prob = sched.prob
        self.sched = sched
        self.free: dict[tuple[int, int], set[int]] = defaultdict(set)
        for c, cast in enumerate(prob.casts):
            for day in cast.dates:
                d = prob.date_index[day]
                if len(sched.day.get((c, d), ())) >= prob.cast_max[c]:
                    continue
                for s in range(len(prob.slots)):
                    if sched.cast_free(c, d, s):
                        self.free[(d, s)].add(c)

    def best(self, r: int, d: int, s: int) -> tuple[float, int] | None:
        """The cheapest cast for one more performance of r at (d, s) with its cost, or None."""
        free = self.free.get((d, s))
        if not free:
            return None
        sched = self.sched
        prob = sched.prob
        school, prod = prob.req_school[r], prob.req_prod[r]
        if (school, d, s) in sched.school_busy:
            return None
        compatible = prob.compatible
        best: tuple[float, int] | None = None
        for c in prob.casts_for(prod, d):
            if c not in free:
                continue
            items = sched.day.get((c, d))
            if items:
                if not all(compatible(s2, sc2, p2, s, school, prod) for s2, sc2, p2 in items):
                    continue
                cost = min(prob.km(school, sc) for _, sc, _ in items)
            else:
                cost = EMPTY_DAY_KM
            if best is None or cost < best[0]:
                best = (cost, c)
        return best

    def place(self, r: int, d: int, s: int, c: int) -> None:
        """Place the performance in the schedule and update the index."""
        sched = self.sched
        sched.place(r, d, s, c)
        self.free[(d, s)].discard(c)
        if len(sched.day[(c, d)]) >= sched.prob.cast_max[c]:
            for s2 in range(len(sched.prob.slots)):
                self.free[(d, s2)].discard(c)


def _fill_request(free: FreeCasts, r: int) -> int:
    """Add performances to r until it has all it wants or nothing fits; return how many.

    Each performance goes where the objective gains most: a first preferred date if one is
    open (criterion 3 before travel), then the cast day nearest to it. After a placement only
    that date's options are priced again: nothing on the request's other dates has changed.
    """
    sched = free.sched
    prob = sched.prob
    options: dict[tuple[int, int], tuple[float, int]] = {}  # (d, s) -> (cost, cast), in candidate order
    for d, s in prob.req_cands[r]:
        found = free.best(r, d, s)
        if found is not None:
            options[(d, s)] = found
    added = 0
    while options and sched.count[r] < prob.req_units[r]:
        (d, s), (_, c) = min(options.items(), key=lambda item: (not sched.gains_preferred(r, item[0][0]), item[1][0]))
        free.place(r, d, s, c)
        added += 1
        for key in [key for key in options if key[0] == d]:
            found = free.best(r, *key)
            if found is None:
                del options[key]
            else:
                options[key] = found
    return added


def fill(sched: Schedule, order: Iterable[int] | None = None, deadline: float = math.inf) -> int:
    """Greedily add performances to requests in `order` until the deadline; return how many were added."""
    prob = sched.prob
    free = FreeCasts(sched)
    added = 0
    for i, r in enumerate(request_order(prob) if order is None else order):
        if i % CHECK_EVERY == 0 and time.monotonic() > deadline:
            break
        if sched.count[r] < prob.req_units[r]:
            added += _fill_request(free, r)
    return added


def insert_units(
    sched: Schedule, units: list[tuple[int, int, int]], deadline: float = math.inf
) -> list[tuple[int, int, int]]:
    """Place (request, date, slot) performances with the best-fitting cast; return the rejected."""
    prob = sched.prob
    free = FreeCasts(sched)
    rejected = []
    # Most valuable first, so travel clashes drop the cheaper performance.
    ranked = sorted(units, key=lambda u: (-prob.req_weight[u[0]] * prob.gain(u[0], 0), u))
    for i, (r, d, s) in enumerate(ranked):
        if i % CHECK_EVERY == 0 and time.monotonic() > deadline:
            rejected.extend(ranked[i:])
            break
        found = free.best(r, d, s) if sched.count[r] < prob.req_units[r] else None
        if found is None:
            rejected.append((r, d, s))
        else:
            free.place(r, d, s, found[1])
    return rejected


def greedy(prob: Problem, deadline: float = math.inf) -> Schedule:
    """A valid allocation built greedily from scratch."""
    sched = Schedule(prob)
    fill(sched, deadline=deadline)
    return sched
