"""Reasons, in a tour manager's words, why a request's pupils are not all reached."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .problem import Problem
from .schedule import Schedule


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _blocker(sched: Schedule, r: int, d: int, s: int, c: int) -> int:
    """0 = school's hall taken, 1 = cast fully booked, 2 = cast too far away, 3 = free."""
    prob = sched.prob
    if (prob.req_school[r], d, s) in sched.school_busy:
        return 0
    items = sched.day.get((c, d), ())
    if not sched.cast_free(c, d, s) or len(items) >= prob.cast_max[c]:
        return 1
    prod, school = prob.req_prod[r], prob.req_school[r]
    if all(prob.compatible(s2, sc2, p2, s, school, prod) for s2, sc2, p2 in items):
        return 3
    return 2


def _why_no_more(sched: Schedule, r: int) -> str:
    """Why no further performance of r fits anywhere."""
    prob = sched.prob
    request = prob.requests[r]
    if prob.req_cap[r] <= 0:
        return f"the hall of school {request.school} holds no pupils"
    if not any(request.production in c.productions for c in prob.casts):
        return f"no cast performs {request.production}"
    n_dates = len(request.dates)
    if not prob.req_cands[r]:
        return (
            f"no cast that performs {request.production} works on any of the "
            f"{_plural(n_dates, 'date')} the school can host"
        )
    best: dict[int, int] = defaultdict(int)  # per date: the least blocking reason
    for d, s in prob.req_cands[r]:
        for c in prob.casts_for(request.production, d):
            best[d] = max(best[d], _blocker(sched, r, d, s, c))
    counts = [sum(1 for v in best.values() if v == k) for k in range(4)]
    if counts[3]:
        return "a slot is still free; run the scheduler again to place it"
    no_cast = n_dates - len(best)
    if counts[1] + no_cast == n_dates:
        if n_dates == 1:
            return f"no cast is free on {request.dates[0]}, the only date the school can host"
        return f"no cast is free on any of the {n_dates} dates the school can host"
    parts = []
    if counts[1] + no_cast:
        parts.append(f"every cast is fully booked on {counts[1] + no_cast}")
    if counts[2]:
        parts.append(f"the free casts are too far away to arrive in time on {counts[2]}")
    if counts[0]:
        parts.append(f"the school's hall is already in use at the offered slots on {counts[0]}")
    return f"of the {_plural(n_dates, 'date')} the school can host, " + "; ".join(parts)


def unplaced(sched: Schedule, pupils_placed: dict[str, int]) -> list[dict[str, Any]]:
    """One entry for every request with pupils left unreached."""
    prob: Problem = sched.prob
    out = []
    for r, request in enumerate(prob.requests):
        missing = request.pupils - pupils_placed.get(request.id, 0)
        if missing <= 0:
            continue
        reason = _why_no_more(sched, r)
        placed = prob.req_pinned_count[r] + sched.count[r]
        cap = prob.req_cap[r]
        if placed and cap > 0:
            needed = prob.req_pinned_count[r] + prob.req_units[r]
            hall = prob.schools[prob.req_school[r]].hall_capacity
            what = f"hall holds {hall}" if hall == cap else f"a performance holds {cap}"
            reason = (
                f"{what} but the cohort is {request.pupils}: {_plural(needed, 'performance')} needed, "
                f"{placed} placed; {reason}"
            )
        out.append({"request": request.id, "pupils": missing, "reason": reason})
    return out
