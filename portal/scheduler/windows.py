"""Which neighbourhood (window) the large-neighbourhood search re-solves next.

A window names some casts, some dates and, optionally, the requests it may move: it frees the performances of
those casts on those dates (of those requests only, when named) and keeps the rest of each cast's day fixed.
Three kinds, each with its own size in placement variables (adapted as the search goes), picked in proportion to
what each has gained lately:

- dates: the dates a request still short of performances could use, grown by dates where the requests now
  playing there could move to, with as many casts as the budget allows (on national shapes, one cast);
- near: the same short request's dates with every cast working them, but only the requests of the schools
  nearest to it. Casts do not travel between days, so a cast day is a chain of nearby schools; re-pairing those
  chains among all casts of a day is what lets a short request in, and no date window of one cast can do that;
- random: one random date, grown the same way, for requests that are served but could be served better.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .problem import Problem
from .schedule import Schedule

TARGET_VARS = 3000
# How often each kind is picked: at first these shares; once each kind has run, in proportion to the weighted
# pupils it has gained per unit of solver work lately (a moving average), but never less than FLOOR.
SHARES = {"near": 0.56, "dates": 0.24, "random": 0.2}
FLOOR = 0.1
RECENT = 0.2  # weight of the newest window in the moving average
NEAR_DATES = 3  # at most this many of the short request's dates in a near window
NEAR_VARS = 1500  # first size of a near window (variables, estimated before travel and halls thin them out)
# Window sizes adapt: a window proved optimal without a gain grows the next one of its kind (the neighbourhood
# was too small to find anything), one cut short by its time limit shrinks it, within these factors of the start.
GROW, SHRINK, SMALLEST, LARGEST = 1.1, 0.85, 0.25, 4.0


@dataclass
class Window:
    """The casts and dates one neighbourhood frees, and the only requests it moves (None: all)."""

    casts: list[int]
    dates: list[int]
    requests: frozenset[int] | None = None
    kind: str = "dates"


class Neighbourhoods:
    """Picks windows for one problem; remembers each centre school's nearest schools."""

    def __init__(self, prob: Problem, rng: random.Random) -> None:
        self.prob = prob
        self.rng = rng
        self.by_date = by_date(prob)
        self.dens = [len(items) for items in self.by_date]
        self.size = {"dates": float(TARGET_VARS), "random": float(TARGET_VARS), "near": float(NEAR_VARS)}
        self.rate: dict[str, float | None] = dict.fromkeys(SHARES)
        self._start = dict(self.size)
        self._lat = [math.radians(s.lat) for s in prob.schools]
        self._lon = [math.radians(s.lon) for s in prob.schools]
        self._school_requests: list[list[int]] = [[] for _ in prob.schools]
        for r in range(len(prob.requests)):
            if prob.req_units[r] and prob.req_cands[r]:
                self._school_requests[prob.req_school[r]].append(r)

    def pick(self, sched: Schedule) -> Window:
        """The next window: around a request still short of performances, or a random date."""
        prob, rng = self.prob, self.rng
        short = [r for r in range(len(prob.requests)) if sched.count[r] < prob.req_units[r] and prob.req_cands[r]]
        kind = self._kind() if short else "random"
        if kind == "near":
            return self._near_window(sched, rng.choice(short))
        if kind == "dates":
            r = rng.choice(short)
            days = sorted({d for d, _ in prob.req_cands[r]})
            rng.shuffle(days)
            dates: set[int] = set(days[: rng.randint(1, len(days))])
            casts = sorted({c for d in dates for c in prob.casts_for(prob.req_prod[r], d)})
        else:
            dates = {rng.randrange(len(prob.dates))}
            casts = list(range(len(prob.casts)))
        self._grow_dates(sched, dates, kind)
        ordered = sorted(dates)
        return Window(self._cast_subset(casts, ordered, kind), ordered, kind=kind)

    def _kind(self) -> str:
        """Which kind of window next, in proportion to what each has gained lately per unit of work."""
        kinds = list(SHARES)
        rates = {k: rate for k in kinds if (rate := self.rate[k]) is not None}
        if len(rates) < len(kinds):
            weights = [SHARES[k] for k in kinds]
        else:
            total = sum(rates.values()) or 1.0
            weights = [max(FLOOR, rates[k] / total) for k in kinds]
        return self.rng.choices(kinds, weights=weights)[0]

    def feedback(self, win: Window, optimal: bool, gain: int, work: float) -> None:
        """Learn from one window: its kind's recent gain per unit of work, and the size of the next one.

        A window proved optimal without a gain grows the next of its kind; one cut short by its limit shrinks it.
        """
        rate = gain / max(work, 0.01)
        old = self.rate[win.kind]
        self.rate[win.kind] = rate if old is None else (1 - RECENT) * old + RECENT * rate
        size, start = self.size[win.kind], self._start[win.kind]
        if not optimal:
            size *= SHRINK
        elif gain <= 0:
            size *= GROW
        self.size[win.kind] = min(LARGEST * start, max(SMALLEST * start, size))

    def _cast_subset(self, casts: list[int], dates: list[int], kind: str) -> list[int]:
        """As many of `casts` (random ones first) as the variable budget allows on these dates."""
        per_cast = max(1, sum(self.dens[d] for d in dates))
        n_casts = max(1, min(len(casts), int(self.size[kind]) // per_cast))
        self.rng.shuffle(casts)
        return sorted(casts[:n_casts])

    def _grow_dates(self, sched: Schedule, dates: set[int], kind: str) -> None:
        """Add dates where the requests now playing on `dates` could move to."""
        prob, rng = self.prob, self.rng
        movers = sorted({r for (_, d, _), r in sched.at.items() if d in dates})
        rng.shuffle(movers)
        budget = self.size[kind] / 2
        for r in movers:
            if sum(self.dens[d] for d in dates) >= budget:
                break
            options = sorted({d for d, _ in prob.req_cands[r]} - dates)
            if options:
                dates.add(rng.choice(options))

    def _near_window(self, sched: Schedule, r: int) -> Window:
        """Some of r's dates, every cast working them, the requests of the schools nearest r's school.

        Only requests that can change count toward the size: those still short, and those playing on the dates.
        """
        prob, rng = self.prob, self.rng
        days = sorted({d for d, _ in prob.req_cands[r]})
        rng.shuffle(days)
        dates = sorted(days[:NEAR_DATES])
        on = set(dates)
        playing = {q for (_, d, _), q in sched.at.items() if d in on}
        casts = sorted({c for c, cast in enumerate(prob.casts) if any(prob.dates[d] in cast.dates for d in dates)})
        per_slot = {d: sum(1 for c in casts if prob.dates[d] in prob.casts[c].dates) for d in dates}
        chosen: set[int] = set()
        size = 0
        for school in self._nearest(prob.req_school[r]):
            for q in self._school_requests[school]:
                if q not in playing and sched.count[q] >= prob.req_units[q]:
                    continue
                extra = sum(per_slot[d] for d, _ in prob.req_cands[q] if d in on)
                if extra and size + extra > self.size["near"] and chosen:
                    return Window(casts, dates, frozenset(chosen), "near")
                size += extra
                chosen.add(q)
        return Window(casts, dates, frozenset(chosen), "near")

    def _nearest(self, centre: int) -> list[int]:
        """Every school by distance from `centre`, the centre first."""
        import numpy as np

        lat, lon = np.array(self._lat), np.array(self._lon)
        half = (
            np.sin((lat - lat[centre]) / 2) ** 2
            + np.cos(lat) * np.cos(lat[centre]) * np.sin((lon - lon[centre]) / 2) ** 2
        )
        return np.argsort(half, kind="stable").tolist()  # haversine's inner term grows with the distance


def by_date(prob: Problem) -> list[list[tuple[int, int]]]:
    """Candidate (request, slot) pairs per date."""
    table: list[list[tuple[int, int]]] = [[] for _ in prob.dates]
    for r, cands in enumerate(prob.req_cands):
        if prob.req_units[r]:
            for d, s in cands:
                table[d].append((r, s))
    return table
