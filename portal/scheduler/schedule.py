"""A mutable allocation with constant-time feasibility tests and score for one more performance."""

from __future__ import annotations

from collections import defaultdict

from .model import Performance
from .objective import Score
from .problem import Problem


class Schedule:
    """Non-pinned performances (r, d, s, c) on top of the pinned ones, and the whole allocation's score.

    The score's components are kept up to date by place() and remove(), so score() costs nothing.
    """

    def __init__(self, prob: Problem) -> None:
        self.prob = prob
        self.at: dict[tuple[int, int, int], int] = {}  # (cast, date, slot) -> request
        # The same performances by date, and each request's (cast, date, slot): a window reads only its dates and
        # requests instead of every performance (some 10,000 on national shapes, thousands of windows a run).
        self.on_date: dict[int, dict[tuple[int, int, int], int]] = defaultdict(dict)
        self.of: list[dict[tuple[int, int, int], None]] = [{} for _ in prob.requests]
        self.day: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
        self.day_m: dict[tuple[int, int], int] = {}  # travel of each cast's day, pinned performances included
        for key, items in prob.pinned_day.items():
            self.day[key] = list(items)
            self.day_m[key] = prob.day_travel(items)
        self.school_busy: set[tuple[int, int, int]] = set(prob.pinned_school_slot)
        self.count = [0] * len(prob.requests)
        self.pref_count = [0] * len(prob.requests)  # performances on one of the request's preferred dates
        self._weighted = self._served = self._preferred = 0  # beyond what the pinned performances give
        self._travel = sum(self.day_m.values())

    def copy(self) -> Schedule:
        """An independent copy."""
        other = Schedule.__new__(Schedule)
        other.prob = self.prob
        other.at = dict(self.at)
        other.on_date = defaultdict(dict, {d: dict(v) for d, v in self.on_date.items()})
        other.of = [dict(v) for v in self.of]
        other.day = defaultdict(list, {k: list(v) for k, v in self.day.items()})
        other.day_m = dict(self.day_m)
        other.school_busy = set(self.school_busy)
        other.count = list(self.count)
        other.pref_count = list(self.pref_count)
        other._weighted, other._served, other._preferred = self._weighted, self._served, self._preferred
        other._travel = self._travel
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

    def gains_preferred(self, r: int, d: int) -> bool:
        """Would a performance of r on date d serve it on a preferred date for the first time?"""
        prob = self.prob
        return d in prob.req_pref[r] and not self.pref_count[r] and not prob.req_pinned_pref[r]

    def _count(self, r: int, d: int, step: int) -> None:
        """Change request r's performance count by step (+1 or -1) and the score with it."""
        prob = self.prob
        n = self.count[r]
        self.count[r] = n + step
        self._weighted += prob.req_weight[r] * (prob.reached(r, n + step) - prob.reached(r, n))
        if not prob.req_pinned_count[r] and (n == 0 or n + step == 0):
            self._served += step
        if d in prob.req_pref[r]:
            k = self.pref_count[r]
            self.pref_count[r] = k + step
            if not prob.req_pinned_pref[r] and (k == 0 or k + step == 0):
                self._preferred += step

    def _retravel(self, c: int, d: int) -> None:
        items = self.day[(c, d)]
        metres = self.prob.day_travel(items)
        self._travel += metres - self.day_m.get((c, d), 0)
        self.day_m[(c, d)] = metres

    def place(self, r: int, d: int, s: int, c: int) -> None:
        """Add a performance (the caller has checked can_place)."""
        school = self.prob.req_school[r]
        self.at[(c, d, s)] = r
        self.on_date[d][(c, d, s)] = r
        self.of[r][(c, d, s)] = None
        self.day[(c, d)].append((s, school, self.prob.req_prod[r]))
        self.school_busy.add((school, d, s))
        self._count(r, d, 1)
        self._retravel(c, d)

    def remove(self, c: int, d: int, s: int) -> int:
        """Drop the non-pinned performance of cast c at (d, s); return its request."""
        r = self.at.pop((c, d, s))
        del self.on_date[d][(c, d, s)]
        del self.of[r][(c, d, s)]
        school = self.prob.req_school[r]
        self.day[(c, d)].remove((s, school, self.prob.req_prod[r]))
        self.school_busy.discard((school, d, s))
        self._count(r, d, -1)
        self._retravel(c, d)
        return r

    def weighted(self) -> int:
        """Priority-weighted pupils of the non-pinned performances."""
        return self._weighted

    def score(self) -> Score:
        """The whole allocation's score (pinned performances included), as the checker would give it."""
        pinned = self.prob.pinned_score
        return Score(
            pinned.weighted + self._weighted,
            pinned.requests_served + self._served,
            pinned.preferred_served + self._preferred,
            self._travel,
        )

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
