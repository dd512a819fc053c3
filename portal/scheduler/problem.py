"""Integer-indexed view of an instance that the solver works on."""

from __future__ import annotations

from collections import defaultdict

from .geo import haversine_km, travel_minutes
from .model import Instance
from .objective import Score, leg_metres, route_metres, score_performances


class Problem:
    """Dates, slots, casts, schools and requests as indices, with candidates and travel."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.slots = sorted(inst.slots, key=lambda s: (s.start, s.id))
        self.slot_index = {s.id: i for i, s in enumerate(self.slots)}
        self.slot_start = [s.start for s in self.slots]
        days = {d for c in inst.casts for d in c.dates} | {d for r in inst.requests for d in r.dates}
        self.dates = sorted(days)
        self.date_index = {d: i for i, d in enumerate(self.dates)}
        self.casts = inst.casts
        self.cast_index = {c.id: i for i, c in enumerate(inst.casts)}
        self.cast_max = [c.max_per_day for c in inst.casts]
        self.schools = inst.schools
        self.school_index = {s.id: i for i, s in enumerate(inst.schools)}
        self.requests = inst.requests
        self.request_index = {r.id: i for i, r in enumerate(inst.requests)}
        self.duration = {p.id: p.duration_minutes for p in inst.productions}
        self._casts_for: dict[tuple[str, int], tuple[int, ...]] = self._build_casts_for()
        self._minutes: dict[tuple[int, int], int] = {}
        self._km: dict[tuple[int, int], float] = {}
        self._leg_m: dict[tuple[int, int], int] = {}
        self._gap: dict[tuple[int, str, int], int] = {}  # minutes between the end of one show and the next start
        self._index_requests()
        self._index_pinned()

    def _build_casts_for(self) -> dict[tuple[str, int], tuple[int, ...]]:
        """Casts that perform a production on a date, in cast order."""
        table: dict[tuple[str, int], list[int]] = defaultdict(list)
        for ci, cast in enumerate(self.casts):
            if cast.max_per_day < 1:
                continue
            for prod in cast.productions:
                for day in cast.dates:
                    table[(prod, self.date_index[day])].append(ci)
        return {k: tuple(v) for k, v in table.items()}

    def _index_requests(self) -> None:
        inst = self.inst
        pinned_pupils: dict[str, int] = defaultdict(int)
        for p in inst.pinned:
            pinned_pupils[p.request] += p.pupils
        self.req_school = [self.school_index[r.school] for r in self.requests]
        self.req_prod = [r.production for r in self.requests]
        self.req_weight = [r.priority for r in self.requests]
        self.req_cap = [inst.capacity(r) for r in self.requests]
        self.req_left = [max(0, r.pupils - pinned_pupils[r.id]) for r in self.requests]
        self.req_units = [
            -(-left // cap) if cap > 0 else 0 for left, cap in zip(self.req_left, self.req_cap, strict=True)
        ]
        self.req_pinned_count = [0] * len(self.requests)
        for p in inst.pinned:
            self.req_pinned_count[self.request_index[p.request]] += 1
        self.req_pref = [frozenset(self.date_index[d] for d in r.preferred_dates) for r in self.requests]
        self.req_pinned_pref = [False] * len(self.requests)  # a pinned performance is on a preferred date
        for p in inst.pinned:
            ri = self.request_index[p.request]
            self.req_pinned_pref[ri] |= self.date_index[p.date] in self.req_pref[ri]
        self.req_cands: list[list[tuple[int, int]]] = []
        for r in self.requests:
            days = sorted(self.date_index[d] for d in r.dates)
            slots = sorted(self.slot_index[s] for s in r.slots)
            self.req_cands.append([(d, s) for d in days if (r.production, d) in self._casts_for for s in slots])

    def _index_pinned(self) -> None:
        """Cast and school slots the pinned performances already hold."""
        self.pinned_cast_slot: set[tuple[int, int, int]] = set()
        self.pinned_school_slot: set[tuple[int, int, int]] = set()
        self.pinned_day: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
        for p in self.inst.pinned:
            r = self.request_index[p.request]
            c, d, s = self.cast_index[p.cast], self.date_index[p.date], self.slot_index[p.slot]
            self.pinned_cast_slot.add((c, d, s))
            self.pinned_school_slot.add((self.req_school[r], d, s))
            self.pinned_day[(c, d)].append((s, self.req_school[r], self.req_prod[r]))
        # Pupils, requests and preferred dates of the pinned performances (their travel is the schedule's).
        whole = score_performances(self.inst, self.inst.pinned)
        self.pinned_score = Score(whole.weighted, whole.requests_served, whole.preferred_served)

    def casts_for(self, production: str, day: int) -> tuple[int, ...]:
        """Casts performing `production` that work on `day`."""
        return self._casts_for.get((production, day), ())

    def km(self, a: int, b: int) -> float:
        """Great-circle km between two schools (cached)."""
        key = (a, b) if a < b else (b, a)
        value = self._km.get(key)
        if value is None:
            sa, sb = self.schools[a], self.schools[b]
            value = self._km[key] = haversine_km(sa.lat, sa.lon, sb.lat, sb.lon)
        return value

    def leg_m(self, a: int, b: int) -> int:
        """Road metres between two schools, as the objective counts them (cached)."""
        key = (a, b) if a < b else (b, a)
        value = self._leg_m.get(key)
        if value is None:
            value = self._leg_m[key] = leg_metres(self.km(a, b), self.inst.travel.road_factor)
        return value

    def day_travel(self, items: list[tuple[int, int, str]]) -> int:
        """Road metres of one cast's day, given its (slot, school, production) performances in any order."""
        if len(items) < 2:
            return 0
        ordered = sorted(items, key=lambda item: self.slot_start[item[0]])
        return route_metres((school for _, school, _ in ordered), self.leg_m)

    def minutes(self, a: int, b: int) -> int:
        """Travel minutes between two schools (cached)."""
        key = (a, b) if a < b else (b, a)
        value = self._minutes.get(key)
        if value is None:
            t = self.inst.travel
            value = self._minutes[key] = travel_minutes(self.km(a, b), t.road_factor, t.speed_kmh)
        return value

    def compatible(self, s1: int, school1: int, prod1: str, s2: int, school2: int, prod2: str) -> bool:
        """Can one cast give both performances on one day (either order by start)?"""
        if self.slot_start[s1] > self.slot_start[s2]:
            s1, school1, prod1, s2, school2 = s2, school2, prod2, s1, school1
        gap = self._gap.get((s1, prod1, s2))
        if gap is None:
            start1, start2 = self.slot_start[s1], self.slot_start[s2]
            gap = start2 - start1 - self.duration[prod1] if start1 != start2 else -1
            self._gap[(s1, prod1, s2)] = gap
        if gap < 0:
            return False
        if school1 == school2:
            return True
        gap -= self.inst.travel.changeover_minutes
        return gap >= 0 and self.minutes(school1, school2) <= gap

    def gain(self, r: int, k: int) -> int:
        """Pupils the k-th (0-based) non-pinned performance of request r adds."""
        if k >= self.req_units[r]:
            return 0
        return min(self.req_cap[r], self.req_left[r] - k * self.req_cap[r])

    def reached(self, r: int, n: int) -> int:
        """Pupils of request r that n non-pinned performances reach."""
        return min(self.req_left[r], n * self.req_cap[r]) if n > 0 else 0
