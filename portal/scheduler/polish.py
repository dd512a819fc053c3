"""Last criterion, travel: swap performances between casts on the same date and slot.

Which cast gives a performance changes nothing in pupils, requests served or preferred
dates (the first three criteria), so a swap is made only when it shortens the two casts'
daily drives as the objective counts them (`Problem.day_travel`).
"""

from __future__ import annotations

import time
from collections import defaultdict

from .schedule import Schedule


def _fits(prob, c: int, others: list[tuple[int, int, str]], new: tuple[int, int, str] | None) -> bool:
    """Could cast c give `new` beside `others` on one day?"""
    if new is None:
        return True
    if new[2] not in prob.casts[c].productions or len(others) + 1 > prob.cast_max[c]:
        return False
    return all(prob.compatible(s2, sc2, p2, *new) for s2, sc2, p2 in others)


def _try_swap(sched: Schedule, d: int, s: int, c1: int, c2: int) -> bool:
    """Exchange the (d, s) performances of two casts if that shortens their drives."""
    prob = sched.prob
    r1, r2 = sched.at.get((c1, d, s)), sched.at.get((c2, d, s))
    if r1 is None and r2 is None:
        return False
    if (c1, d, s) in prob.pinned_cast_slot or (c2, d, s) in prob.pinned_cast_slot:
        return False
    day1, day2 = sched.day.get((c1, d), []), sched.day.get((c2, d), [])
    e1 = next((t for t in day1 if t[0] == s), None)
    e2 = next((t for t in day2 if t[0] == s), None)
    rest1 = [t for t in day1 if t[0] != s]
    rest2 = [t for t in day2 if t[0] != s]
    if not (_fits(prob, c1, rest1, e2) and _fits(prob, c2, rest2, e1)):
        return False
    new1 = rest1 + ([e2] if e2 else [])
    new2 = rest2 + ([e1] if e1 else [])
    if prob.day_travel(new1) + prob.day_travel(new2) >= prob.day_travel(day1) + prob.day_travel(day2):
        return False
    for c, r in ((c1, r1), (c2, r2)):
        if r is not None:
            sched.remove(c, d, s)
    for c, r in ((c2, r1), (c1, r2)):
        if r is not None:
            sched.place(r, d, s, c)
    return True


def shorten_travel(sched: Schedule, deadline: float) -> int:
    """Pairwise cast swaps per date and slot until none helps or time runs out; returns swaps made."""
    prob = sched.prob
    busy_days: dict[int, set[int]] = defaultdict(set)
    for c, d, _ in sched.at:
        busy_days[d].add(c)
    swaps = 0
    cast_dates = [set(c.dates) for c in prob.casts]
    for d in sorted(busy_days):
        if time.monotonic() > deadline:
            break
        casts = sorted({c for c in range(len(prob.casts)) if prob.dates[d] in cast_dates[c]})
        improved = True
        while improved:
            improved = False
            for s in range(len(prob.slots)):
                for i, c1 in enumerate(casts):
                    for c2 in casts[i + 1 :]:
                        if _try_swap(sched, d, s, c1, c2):
                            swaps += 1
                            improved = True
    return swaps
