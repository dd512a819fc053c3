"""A mutable allocation with constant-time feasibility tests for one more performance."""

from __future__ import annotations

from collections import defaultdict

from .model import Performance
from .problem import Problem


class Schedule:
    """Non-pinned performances (r, d, s, c) on top of the pinned ones."""

    def __init__(self, prob: Problem) -> None:
        self.prob = prob
        self.at: dict[tuple[int, int, int], int] = {}  # (cast, date, slot) -> request
        self.day: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
        for key, items in prob.pinned_day.items():
            self.day[key] = list(items)
        self.school_busy: set[tuple[int, int, int]] = set(prob.pinned_school_slot)
        self.count = [0] * len(prob.requests)

    def copy(self) -> Schedule:
        """An independent copy."""
        other = Schedule.__new__(Schedule)
        other.prob = self.prob
        other.at = dict(self.at)
        other.day = defaultdict(list, {k: list(v) for k, v in self.day.items()})
        other.school_busy = set(self.school_busy)
        other.count = list(self.count)
        return other

    def cast_free(self, c: int, d: int, s: int) -> bool:
        """Cast has nothing (pinned or placed) at this date and slot."""
        return (c, d, s) not in self.at and (c, d, s) not in self.prob.pinned_cast_slot

    def can_place(self, r: int, d: int, s: int, c: int) -> bool:
        """One more performance for r at (d, s) by cast c keeps every hard rule."""
        prob = self.prob
        if self.count[r] >= prob.req_units[r]:
            return False
        school = prob.req_school[r]
        if (school, d, s) in self.school_busy or not self.cast_free(c, d, s):
            return False
        items = self.day.get((c, d), ())
        if len(items) >= prob.cast_max[c]:
            return False
        prod = prob.req_prod[r]
        return all(prob.compatible(s2, sc2, p2, s, school, prod) for s2, sc2, p2 in items)

    def place(self, r: int, d: int, s: int, c: int) -> None:
        """Add a performance (the caller has checked can_place)."""
        school = self.prob.req_school[r]
        self.at[(c, d, s)] = r
        self.day[(c, d)].append((s, school, self.prob.req_prod[r]))
        self.school_busy.add((school, d, s))
        self.count[r] += 1

    def remove(self, c: int, d: int, s: int) -> int:
        """Drop the non-pinned performance of cast c at (d, s); return its request."""
        r = self.at.pop((c, d, s))
        school = self.prob.req_school[r]
        self.day[(c, d)].remove((s, school, self.prob.req_prod[r]))
        self.school_busy.discard((school, d, s))
        self.count[r] -= 1
        return r

    def weighted(self) -> int:
        """Priority-weighted pupils of the non-pinned performances."""
        prob = self.prob
        return sum(prob.req_weight[r] * prob.reached(r, n) for r, n in enumerate(self.count) if n)

    def score(self) -> tuple[int, int, int]:
        """Weighted pupils, requests served, requests served on a preferred date (non-pinned part)."""
        prob = self.prob
        served = {r for r, n in enumerate(self.count) if n}
        pref = {r for (_, d, _), r in self.at.items() if d in prob.req_pref[r]}
        return (self.weighted(), len(served), len(pref))

    def performances(self) -> list[Performance]:
        """Pinned performances followed by placed ones with pupils split full-first."""
        prob = self.prob
        by_request: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for (c, d, s), r in self.at.items():
            by_request[r].append((d, s, c))
        out = list(prob.inst.pinned)
        for r in sorted(by_request):
            left = prob.req_left[r]
            for d, s, c in sorted(by_request[r]):
                pupils = min(prob.req_cap[r], left)
                left -= pupils
                out.append(Performance(prob.requests[r].id, prob.dates[d], prob.slots[s].id, prob.casts[c].id, pupils))
        return out
