"""Fast constructive allocation: greedy insertion of the performances still wanted."""

from __future__ import annotations

from collections.abc import Iterable

from .problem import Problem
from .schedule import Schedule

EMPTY_DAY_KM = 40.0  # cost of opening an idle cast-day, so close-by days are filled first


def request_order(prob: Problem) -> list[int]:
    """Requests by priority, then fewest options (hardest first), then id order."""
    return sorted(
        range(len(prob.requests)),
        key=lambda r: (-prob.req_weight[r], len(prob.req_cands[r]), r),
    )


def insertion_cost(sched: Schedule, r: int, d: int, s: int, c: int) -> float:
    """Extra km-like cost of this placement: travel to the cast's other shows that day."""
    prob = sched.prob
    items = sched.day.get((c, d))
    if not items:
        cost = EMPTY_DAY_KM
    else:
        school = prob.req_school[r]
        cost = min(prob.km(school, sc) for _, sc, _ in items)
    if d in prob.req_pref[r]:
        cost -= 1000.0  # preferred dates count before travel in the objective
    return cost


def best_option(sched: Schedule, r: int) -> tuple[int, int, int] | None:
    """The cheapest feasible (date, slot, cast) for one more performance of r."""
    prob = sched.prob
    prod = prob.req_prod[r]
    best, best_cost = None, float("inf")
    for d, s in prob.req_cands[r]:
        for c in prob.casts_for(prod, d):
            if sched.can_place(r, d, s, c):
                cost = insertion_cost(sched, r, d, s, c)
                if cost < best_cost:
                    best, best_cost = (d, s, c), cost
    return best


def fill(sched: Schedule, order: Iterable[int] | None = None) -> int:
    """Greedily add performances to requests in `order`; return how many were added."""
    added = 0
    for r in request_order(sched.prob) if order is None else order:
        while sched.count[r] < sched.prob.req_units[r]:
            option = best_option(sched, r)
            if option is None:
                break
            sched.place(r, *option)
            added += 1
    return added


def insert_units(sched: Schedule, units: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Place (request, date, slot) performances with the best-fitting cast; return the rejected."""
    prob = sched.prob
    rejected = []
    # Most valuable first, so travel clashes drop the cheaper performance.
    ranked = sorted(units, key=lambda u: (-prob.req_weight[u[0]] * prob.gain(u[0], 0), u))
    for r, d, s in ranked:
        fits = [c for c in prob.casts_for(prob.req_prod[r], d) if sched.can_place(r, d, s, c)]
        if fits:
            sched.place(r, d, s, min(fits, key=lambda c: (insertion_cost(sched, r, d, s, c), c)))
        else:
            rejected.append((r, d, s))
    return rejected


def greedy(prob: Problem) -> Schedule:
    """A valid allocation built greedily from scratch."""
    sched = Schedule(prob)
    fill(sched)
    return sched
