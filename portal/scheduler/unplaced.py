"""Reasons, in a tour manager's words, why a request's pupils are not all reached."""

from __future__ import annotations

from typing import Any

from .construct import FreeCasts
from .problem import Problem
from .schedule import Schedule


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


OWN, HALL, BOOKED, FAR, FREE = range(5)  # why a (date, slot) is closed, least blocking last


def hall_owners(sched: Schedule) -> dict[tuple[int, int, int], int]:
    """Which request holds each used (school, date, slot), pinned ones included."""
    prob = sched.prob
    owners = {(prob.req_school[r], d, s): r for (_, d, s), r in sched.at.items()}
    for p in prob.inst.pinned:
        r = prob.request_index[p.request]
        owners[(prob.req_school[r], prob.date_index[p.date], prob.slot_index[p.slot])] = r
    return owners


def _blocker(sched: Schedule, owners: dict, free: FreeCasts, r: int, d: int, s: int) -> int:
    """Why no cast can give request r a performance at (d, s), or FREE."""
    prob = sched.prob
    school, prod = prob.req_school[r], prob.req_prod[r]
    owner = owners.get((school, d, s))
    if owner is not None:
        return OWN if owner == r else HALL
    open_casts = free.free.get((d, s))
    if not open_casts:
        return BOOKED
    best = BOOKED
    for c in prob.casts_for(prod, d):
        if c not in open_casts:
            continue
        items = sched.day.get((c, d), ())
        if all(prob.compatible(s2, sc2, p2, s, school, prod) for s2, sc2, p2 in items):
            return FREE
        best = FAR
    return best


def _per_date(sched: Schedule, owners: dict, free: FreeCasts, r: int, slots: list[int]) -> dict[int, int]:
    """For each of the request's dates with a cast for its production: the least blocking reason."""
    prob = sched.prob
    best: dict[int, int] = {}
    for day in prob.requests[r].dates:
        d = prob.date_index[day]
        if prob.casts_for(prob.req_prod[r], d):
            reason = BOOKED
            for s in slots:
                reason = max(reason, _blocker(sched, owners, free, r, d, s))
                if reason == FREE:
                    break
            best[d] = reason
    return best


def _slot_hint(sched: Schedule, owners: dict, free: FreeCasts, r: int) -> str:
    """Which slot the school does not offer would open up dates."""
    prob = sched.prob
    offered = {prob.slot_index[s] for s in prob.requests[r].slots}
    for s in range(len(prob.slots)):
        if s in offered:
            continue
        opened = sum(1 for v in _per_date(sched, owners, free, r, [s]).values() if v == FREE)
        if opened:
            slot = prob.slots[s]
            days = f"{opened} of its dates"
            return f"; offering the {slot.id} slot ({slot.start // 60:02d}:{slot.start % 60:02d}) would open {days}"
    return ""


def _why_no_more(sched: Schedule, owners: dict, free: FreeCasts, r: int) -> str:
    """Why no further performance of r fits anywhere."""
    prob = sched.prob
    request = prob.requests[r]
    if prob.req_cap[r] <= 0:
        return f"the hall of school {request.school} holds no pupils"
    if not any(request.production in c.productions and c.max_per_day > 0 for c in prob.casts):
        return f"no cast performs {request.production}"
    if not request.slots:
        return "the school offers no slots"
    n_dates = len(request.dates)
    if not prob.req_cands[r]:
        dates = _plural(n_dates, "date")
        return f"no cast that performs {request.production} works on any of the {dates} the school can host"
    best = _per_date(sched, owners, free, r, [prob.slot_index[s] for s in request.slots])
    counts = [sum(1 for v in best.values() if v == k) for k in range(5)]
    booked = counts[BOOKED] + n_dates - len(best)
    hint = _slot_hint(sched, owners, free, r)
    if booked == n_dates:
        if n_dates == 1:
            return f"no cast is free on {request.dates[0]}, the only date the school can host" + hint
        return f"no cast is free on any of the {n_dates} dates the school can host" + hint
    parts = []
    if booked:
        parts.append(f"every cast is fully booked on {booked}")
    if counts[FAR]:
        parts.append(f"the free casts are too far away to arrive in time on {counts[FAR]}")
    if counts[OWN]:
        parts.append(f"its offered slots are already used by its own performances on {counts[OWN]}")
    if counts[HALL]:
        parts.append(f"the hall is already used by another of the school's requests on {counts[HALL]}")
    if counts[FREE]:
        parts.append(f"a cast is still free on {counts[FREE]}, so re-running the scheduler should place it")
    return f"of the {_plural(n_dates, 'date')} the school can host, " + ", ".join(parts) + hint


def unplaced(sched: Schedule, pupils_placed: dict[str, int]) -> list[dict[str, Any]]:
    """One entry for every request with pupils left unreached."""
    prob: Problem = sched.prob
    out = []
    owners = hall_owners(sched)
    free = FreeCasts(sched)
    for r, request in enumerate(prob.requests):
        missing = request.pupils - pupils_placed.get(request.id, 0)
        if missing <= 0:
            continue
        reason = _why_no_more(sched, owners, free, r)
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
