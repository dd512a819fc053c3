"""Which neighbourhood (window) the large-neighbourhood search re-solves next.

A window names some casts, some dates and, optionally, the requests it may move: it frees the performances of
those casts on those dates (of those requests only, when named) and keeps the rest of each cast's day fixed.
Five kinds, each with its own size in placement variables (adapted as the search goes: as small as still gains),
each given a share of the search's work in proportion to what it has gained lately per unit of work:

- dates: the dates a request still short of performances could use, grown by dates where the requests now
  playing there could move to, with as many casts as the budget allows (on national shapes, one cast);
- near: the same short request's dates with every cast working them, but only the requests of the schools
  nearest to it. Casts do not travel between days, so a cast day is a chain of nearby schools; re-pairing those
  chains among all casts of a day is what lets a short request in, and no date window of one cast can do that;
- day: one date, every cast working it, every request (only on tours with casts allowed three a day);
- room: a cast day with room for another performance (on casts allowed three a day, mostly their middle slot), its
  date and one date where requests that could play on it now play, every cast working them, every request. A third
  performance needs a school within a short drive of the day's other two on that very date; it is rarely a short
  request's, so a served request must change its date (and cast) to make way, and a short one take its old place;
- random: one random date, grown the same way, for requests that are served but could be served better.

On tours with casts allowed three a day the search starts with a sweep of day windows, date by date (first the
dates of cast days with room, then every date, while a round gains): the start leaves many of those casts' days
with two performances, since it picks the day's chains one performance at a time, and re-solving one date with
every cast and request at once re-chains its performances (a school that offers the middle slot, one a short drive
from the morning and the afternoon ones) in a fifth of a second on region shapes. The other kinds then move
requests between dates.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass

from .problem import Problem
from .schedule import Schedule

TARGET_VARS = 3000
# How often each kind is picked: at first these shares; once each kind has run, in proportion to the weighted
# pupils it has gained per unit of solver work lately (a moving average), but never less than FLOOR.
SHARES = {"near": 0.56, "dates": 0.24, "random": 0.2, "room": 0.3, "pair": 0.3, "day": 0.3}
FLOOR = 0.1
RECENT = 0.2  # weight of the newest window in the moving average
NEAR_DATES = 3  # at most this many of the short request's dates in a near window
NEAR_SCHOOLS = 12  # room windows: the schools nearest the cast day whose requests' dates join the window
NEAR_VARS = 1500  # first size of a near window (variables, estimated before travel and halls thin them out)
# Window sizes adapt: a window proved optimal without a gain grows the next one of its kind (the neighbourhood
# was too small to find anything), one cut short by its time limit shrinks it, within these factors of the start.
# One that gained shrinks the next a little too (GAIN_SHRINK): while small windows still gain, a window's gain
# hardly depends on its size but its time grows faster than its size (national-mixed-1: 130 to 250 weighted pupils a
# window whatever the size, 7,000 a second at 150 to 250 variables, 330 a second at 750 and more), so the search
# keeps its windows as small as still gains and grows them only once they stop. Not day windows: they must hold
# every cast of their date.
GROW, SHRINK, GAIN_SHRINK, SMALLEST, LARGEST = 1.1, 0.85, 0.9, 0.25, 4.0
SWEEP_ROUNDS = 2  # rounds of day windows over the dates before the other kinds (see Neighbourhoods._next_sweep)
SWEEP_SHARE = 0.5  # the most of the search's time (or work) the sweep may take
SWEEP_PROBE = 5  # day windows timed before the sweep judges whether its round fits in that share


@dataclass
class Window:
    """The casts and dates one neighbourhood frees, and the only requests it moves (None: all)."""

    casts: list[int]
    dates: list[int]
    requests: frozenset[int] | None = None
    kind: str = "dates"


class Neighbourhoods:
    """Picks windows for one problem; remembers each centre school's nearest schools."""

    def __init__(self, prob: Problem, rng: random.Random, budget: float = math.inf) -> None:
        self.prob = prob
        self.rng = rng
        self.by_date = by_date(prob)
        self.dens = [len(items) for items in self.by_date]
        self.size = {k: float(NEAR_VARS if k in ("near", "room") else TARGET_VARS) for k in SHARES}
        self.rate: dict[str, float | None] = dict.fromkeys(SHARES)
        self.cost: dict[str, float | None] = dict.fromkeys(SHARES)  # recent work a window (moving average)
        self._start = dict(self.size)
        import numpy as np

        self._lat = np.radians([s.lat for s in prob.schools])
        self._lon = np.radians([s.lon for s in prob.schools])
        self._cos_lat = np.cos(self._lat)
        self._live = [r for r in range(len(prob.requests)) if prob.req_units[r] and prob.req_cands[r]]
        self._school_requests: list[list[int]] = [[] for _ in prob.schools]
        for r in range(len(prob.requests)):
            if prob.req_units[r] and prob.req_cands[r]:
                self._school_requests[prob.req_school[r]].append(r)
        self._roomy = [c for c, cast in enumerate(prob.casts) if cast.max_per_day > 2]
        self._cast_dates = [sorted(prob.date_index[day] for day in cast.dates) for cast in prob.casts]
        self._date_casts = [[c for c, cast in enumerate(prob.casts) if day in cast.dates] for day in prob.dates]
        self._date_requests = [sorted({r for r, _ in items}) for items in self.by_date]
        self._sweep: list[int] = []  # dates left in this round of the sweep, the next last
        self._rounds = 0
        self._round_gain = 0
        self._solved: dict[int, tuple] = {}  # date -> what its day window saw when last proved optimal
        self._sweep_left = SWEEP_SHARE * budget  # seconds (or work) the sweep may still take
        self._swept, self._sweep_took = 0, 0.0  # day windows of the sweep so far, and what they took
        self._sweeping = False  # the window being solved is the sweep's
        self._round_done = False  # the sweep has finished its first round
        self._day_kinds = True  # day and pair windows join the other kinds (not when the sweep proved too slow)

    def pick(self, sched: Schedule) -> Window:
        """The next window: around a request still short of performances, or a random date."""
        prob, rng = self.prob, self.rng
        count, units = sched.count, prob.req_units
        short = [r for r in self._live if count[r] < units[r]]
        spare = self._spare_days(sched)
        swept = self._next_sweep(sched, spare)
        if swept is not None:
            return self._day_window(swept)
        kind = self._kind(bool(spare)) if short else "random"
        if kind == "near":
            return self._near_window(sched, rng.choice(short))
        if kind == "room":
            return self._room_window(sched, rng.choice(spare))
        if kind == "pair":
            return self._pair_window(sched, rng.choice(spare))
        if kind == "day":
            return self._day_window(rng.choice(spare)[1] if spare else rng.randrange(len(prob.dates)))
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

    def _next_sweep(self, sched: Schedule, spare: list[tuple[int, int]]) -> int | None:
        """The next date of the sweep, or None once it is over.

        Only while some cast day has room at the first pick: a round over the dates of those cast days, then
        rounds over every date while the last one gained (at most SWEEP_ROUNDS), skipping a date whose day window
        was proved optimal and whose requests and performances have not changed since. It stops at a date whose
        casts do not all fit in one window (national shapes, where a round of day windows would take minutes), or
        once the rest of its round, at the pace of its windows so far, would take it beyond SWEEP_SHARE of the
        search's time; then the search runs as if the sweep, day and pair windows did not exist (unless a first
        round was done).
        """
        if not self._rounds and not spare:
            self._rounds = SWEEP_ROUNDS
        if self._sweep and self._swept >= SWEEP_PROBE:
            pace = self._sweep_took / self._swept
            if pace * len(self._sweep) > self._sweep_left:  # the round would not fit: no sweep, no day windows
                self._rounds, self._sweep = SWEEP_ROUNDS, []
                self._day_kinds = self._day_kinds and self._round_done
        while True:
            if not self._sweep:
                if self._rounds >= SWEEP_ROUNDS or (self._rounds and self._round_gain <= 0):
                    return None
                self._round_done = self._rounds > 0
                self._rounds += 1
                self._round_gain = 0
                room: dict[int, int] = defaultdict(int)  # cast days with room on each date
                for _, d in spare:
                    room[d] += 1
                dates = room if self._rounds == 1 else range(len(self.prob.dates))
                self._sweep = sorted(dates, key=lambda d: (room.get(d, 0), -d))  # most room first, then by date
                continue
            d = self._sweep.pop()
            if len(self._date_casts[d]) * max(1, self.dens[d]) > self.size["day"]:  # not every cast fits one window
                self._rounds, self._sweep = SWEEP_ROUNDS, []
                self._day_kinds = self._day_kinds and self._round_done
                return None
            if self._solved.get(d) != self._seen(sched, d):
                self._sweeping = True
                return d

    def _seen(self, sched: Schedule, d: int) -> tuple:
        """What a day window on date d depends on: its requests' counts and its cast days."""
        counts = tuple(sched.count[r] for r in self._date_requests[d])
        return counts, tuple(tuple(sorted(sched.day.get((c, d), ()))) for c in self._date_casts[d])

    def _kind(self, spare: bool) -> str:
        """Which kind of window next: each kind's share of the work in proportion to what it has gained lately per unit.

        Room, pair and day windows only while some cast day on a cast allowed three a day has room for one more.
        """
        kinds = [
            k for k in SHARES if (spare or k != "room") and (spare and self._day_kinds or k not in ("pair", "day"))
        ]
        rates = {k: rate for k in kinds if (rate := self.rate[k]) is not None}
        if len(rates) < len(kinds):
            weights = [SHARES[k] for k in kinds]
        else:
            total = sum(rates.values()) or 1.0
            # Shares of the search's work, not of the picks: a kind whose windows take ten times the work is picked
            # a tenth as often for the same share (small near and room windows then get most of the time).
            weights = [max(FLOOR, rates[k] / total) / (self.cost[k] or 0.01) for k in kinds]
        return self.rng.choices(kinds, weights=weights)[0]

    def feedback(
        self, win: Window, optimal: bool, gain: int, work: float, sched: Schedule | None = None, took: float = 0.0
    ) -> None:
        """Learn from one window: its kind's recent gain per unit of work, and the size of the next one.

        A window proved optimal without a gain grows the next of its kind; one cut short by its limit shrinks it, and
        one that gained shrinks it a little (GAIN_SHRINK).
        A day window proved optimal on every cast of its date marks the date done until something there changes;
        `took` is what the window cost (seconds, or work in deterministic mode), counted against the sweep's share.
        """
        if win.kind == "day":
            self._round_gain += gain
            if self._sweeping:
                self._sweep_left -= took
                self._swept += 1
                self._sweep_took += took
                self._sweeping = False
            d = win.dates[0]
            if optimal and sched is not None and len(win.casts) == len(self._date_casts[d]):
                self._solved[d] = self._seen(sched, d)
        rate = gain / max(work, 0.01)
        old = self.rate[win.kind]
        self.rate[win.kind] = rate if old is None else (1 - RECENT) * old + RECENT * rate
        work = max(work, 0.01)
        old = self.cost[win.kind]
        self.cost[win.kind] = work if old is None else (1 - RECENT) * old + RECENT * work
        size, start = self.size[win.kind], self._start[win.kind]
        if not optimal:
            size *= SHRINK
        elif gain <= 0:
            size *= GROW
        elif win.kind != "day":
            size *= GAIN_SHRINK
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
        movers = sorted({r for d in dates for r in sched.on_date.get(d, {}).values()})
        rng.shuffle(movers)
        budget = self.size[kind] / 2
        for r in movers:
            if sum(self.dens[d] for d in dates) >= budget:
                break
            options = sorted({d for d, _ in prob.req_cands[r]} - dates)
            if options:
                dates.add(rng.choice(options))

    def _spare_days(self, sched: Schedule) -> list[tuple[int, int]]:
        """Cast days with room for one more performance, on casts allowed more than two a day."""
        prob = self.prob
        return [
            (c, d)
            for c in self._roomy
            for d in self._cast_dates[c]
            if len(sched.day.get((c, d), ())) < prob.cast_max[c]
        ]

    def _room_window(self, sched: Schedule, cast_day: tuple[int, int]) -> Window:
        """A cast day with room, the dates where the requests nearest it now play, those requests only."""
        prob, rng = self.prob, self.rng
        c, d = cast_day
        items = sched.day.get((c, d))
        centre = rng.choice(items)[1] if items else rng.randrange(len(prob.schools))
        nearby = [
            q
            for school in self._nearest(centre)[:NEAR_SCHOOLS]
            for q in self._school_requests[school]
            if any(day == d for day, _ in prob.req_cands[q])
        ]
        on = {q: {day for _, day, _ in sched.of[q]} for q in nearby}
        dates = {d}
        for q in nearby:
            playing = sorted(on[q] - dates)
            if playing and len(dates) < NEAR_DATES:
                dates.add(rng.choice(playing))
        return self._gather(sched, centre, sorted(dates), "room")

    def _pair_window(self, sched: Schedule, cast_day: tuple[int, int]) -> Window:
        """A cast day with room, its date and one date where requests that could play there now play, every request.

        The other date is drawn in proportion to how many performances those requests give on it; the casts are
        the one with room and as many others working either date as the size allows.
        """
        prob, rng = self.prob, self.rng
        c, d = cast_day
        prods = prob.casts[c].productions
        could = {r for r in self._date_requests[d] if prob.req_prod[r] in prods}
        where: dict[int, int] = defaultdict(int)
        for r in could:  # counts: the order does not matter
            for _, day, _ in sched.of[r]:
                if day != d:
                    where[day] += 1
        dates = [d]
        if where:
            days = sorted(where)
            dates.append(rng.choices(days, weights=[where[day] for day in days])[0])
        dates.sort()
        others = sorted({c2 for day in dates for c2 in self._date_casts[day]} - {c})
        casts = self._cast_subset(others, dates, "pair")
        return Window(sorted({c, *casts}), dates, kind="pair")

    def _day_window(self, d: int) -> Window:
        """One date, every cast working it (as many as the size allows), every request."""
        prob = self.prob
        casts = [c for c, cast in enumerate(prob.casts) if prob.dates[d] in cast.dates]
        return Window(self._cast_subset(casts, [d], "day"), [d], kind="day")

    def _near_window(self, sched: Schedule, r: int) -> Window:
        """Some of r's dates, every cast working them, the requests of the schools nearest r's school."""
        days = sorted({d for d, _ in self.prob.req_cands[r]})
        self.rng.shuffle(days)
        return self._gather(sched, self.prob.req_school[r], sorted(days[:NEAR_DATES]), "near")

    def _gather(self, sched: Schedule, centre: int, dates: list[int], kind: str) -> Window:
        """Every cast working `dates`, the requests of the schools nearest `centre` up to the kind's size.

        Only requests that can change count toward the size: those still short, and those playing on the dates.
        """
        prob = self.prob
        on = set(dates)
        playing = {q for d in dates for q in sched.on_date.get(d, {}).values()}
        casts = sorted({c for c, cast in enumerate(prob.casts) if any(prob.dates[d] in cast.dates for d in dates)})
        per_slot = {d: sum(1 for c in casts if prob.dates[d] in prob.casts[c].dates) for d in dates}
        chosen: set[int] = set()
        size = 0
        for school in self._nearest(centre):
            for q in self._school_requests[school]:
                if q not in playing and sched.count[q] >= prob.req_units[q]:
                    continue
                extra = sum(per_slot[d] for d, _ in prob.req_cands[q] if d in on)
                if extra and size + extra > self.size[kind] and chosen:
                    return Window(casts, dates, frozenset(chosen), kind)
                size += extra
                chosen.add(q)
        return Window(casts, dates, frozenset(chosen), kind)

    def _nearest(self, centre: int) -> list[int]:
        """Every school by distance from `centre`, the centre first."""
        import numpy as np

        lat, lon = self._lat, self._lon
        half = (
            np.sin((lat - lat[centre]) / 2) ** 2
            + self._cos_lat * self._cos_lat[centre] * np.sin((lon - lon[centre]) / 2) ** 2
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
