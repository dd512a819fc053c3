"""One cast's day as a chain of performances: the candidates of each date, who can follow whom, the best chain.

A chain is what one cast gives on one day: at most one performance per slot, at most `max_per_day`, each
consecutive pair far enough apart in time for the drive (rule 6). Casts with the same productions and
`max_per_day` on the same date face the same candidates, so they share a Day and form one group; a cast day that
holds pinned performances gets a Day of its own, with each pinned performance as the only (forced) candidate of
its slot. travel_bound.py prices chains; the best one at given prices comes from a dynamic programme over slots.
Travel minutes are rounded down here (the rules round up), so no pair the rules allow is ever forbidden.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .problem import Problem

NEG = -1e18
FORCED = 1e12  # what a pinned performance is worth inside its cast's day, so every best chain takes it
# Columns priced per group of alike casts and round: the best, then disjoint next-best ones. More than one made
# the master LP slower to solve than the rounds it saved (national-1: 90 s with 1, not converged in 215 s with 8).
CHAINS_PER_GROUP = 1


@dataclass
class Day:
    """One date's candidates per slot (in start order), which pairs of slots one cast can chain, and its casts.

    A cast day holding pinned performances gets a Day of its own whose pinned slots have the pinned
    performance as their only candidate (request -1, forced).
    """

    slots: list[int]
    req: list  # per slot: request index of each candidate (numpy int array; -1 for a pinned one)
    hall: list  # per slot: hall index of each candidate (-1 for a pinned one)
    chain: dict  # (a, b) slot positions, a < b -> bool matrix: candidate i at a, then candidate j at b
    groups: list = field(default_factory=list)  # (casts, per slot: mask of candidates they play, room, productions)
    forced: int = 0  # pinned performances in this (single) cast day
    prods: list = field(default_factory=list)  # per slot: production of each candidate
    where: dict = field(default_factory=dict)  # (slot, request) -> (slot position, candidate)
    date: int = -1


def _minutes_lenient(prob: Problem, school_a, school_b):
    """Travel minutes between arrays of schools, rounded down (never more than the rules' minutes)."""
    import numpy as np

    lat = np.radians(np.array([s.lat for s in prob.schools]))
    lon = np.radians(np.array([s.lon for s in prob.schools]))
    p1, p2 = lat[school_a][:, None], lat[school_b][None, :]
    dl = lon[school_b][None, :] - lon[school_a][:, None]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    t = prob.inst.travel
    return np.floor(km * t.road_factor / t.speed_kmh * 60 - 1e-6)


def _chain_matrix(prob: Problem, sa: int, schools_a, prods_a, sb: int, schools_b):
    """Can one cast give candidate i at slot sa and then candidate j at slot sb (nothing between)?"""
    import numpy as np

    span = prob.slot_start[sb] - prob.slot_start[sa]
    dur = np.array([prob.duration[p] for p in prods_a], dtype=float).reshape(-1, 1)
    free = span - dur  # minutes between the end of the first and the start of the second
    same = schools_a[:, None] == schools_b[None, :]
    drive = free - prob.inst.travel.changeover_minutes
    near = (drive >= 0) & (_minutes_lenient(prob, schools_a, schools_b) <= drive)
    return (span > 0) & (free >= 0) & (same | near)


def _make_day(prob: Problem, d: int, slots: list[int], cands: dict, forced: dict) -> Day:
    """A day from its candidates {slot: (requests, halls)} and pinned performances {slot: (school, production)}."""
    import numpy as np

    slots = sorted(set(slots) | set(forced), key=lambda s: prob.slot_start[s])
    req, hall, schools, prods = [], [], [], []
    for s in slots:
        if s in forced:
            req.append(np.array([-1]))
            hall.append(np.array([-1]))
            schools.append(np.array([forced[s][0]]))
            prods.append(np.array([forced[s][1]]))
        else:
            rs, hs = cands.get(s, ([], []))
            req.append(np.array(rs, dtype=int))
            hall.append(np.array(hs, dtype=int))
            schools.append(np.array([prob.req_school[r] for r in rs], dtype=int))
            prods.append(np.array([prob.req_prod[r] for r in rs], dtype=object))
    chain = {}
    for a in range(len(slots)):
        for b in range(a + 1, len(slots)):
            chain[(a, b)] = _chain_matrix(prob, slots[a], schools[a], prods[a], slots[b], schools[b])
    where = {(s, int(r)): (t, j) for t, s in enumerate(slots) for j, r in enumerate(req[t]) if r >= 0}
    return Day(slots, req, hall, chain, forced=len(forced), prods=prods, where=where, date=d)


def _mask(day: Day, productions: frozenset) -> list:
    import numpy as np

    return [np.array([p in productions for p in prods], dtype=bool) for prods in day.prods]


def index_days(prob: Problem) -> tuple[list[Day], int, list[int], dict]:
    """The days (one per date, plus one per cast day with pinned performances), the number of hall slots,
    the live requests, and for each cast day the (day, group) its cast belongs to."""
    halls: dict[tuple[int, int, int], int] = {}
    per_date: dict[int, dict[int, tuple[list, list]]] = defaultdict(lambda: defaultdict(lambda: ([], [])))
    live = [r for r in range(len(prob.requests)) if prob.req_units[r] and prob.req_cands[r]]
    for r in live:
        school = prob.req_school[r]
        for d, s in prob.req_cands[r]:
            if (school, d, s) not in prob.pinned_school_slot:
                rs, hs = per_date[d][s]
                rs.append(r)
                hs.append(halls.setdefault((school, d, s), len(halls)))
    days: list[Day] = []
    block_of: dict[tuple[int, int], tuple[int, int]] = {}
    for d in sorted(per_date):
        cands = per_date[d]
        day = _make_day(prob, d, list(cands), cands, {})
        same: dict[tuple[frozenset, int], list[int]] = defaultdict(list)
        for c, cast in enumerate(prob.casts):
            if prob.dates[d] not in cast.dates or cast.max_per_day < 1:
                continue
            pinned = prob.pinned_day.get((c, d))
            if pinned:
                own = _make_day(prob, d, list(cands), cands, {s: (school, prod) for s, school, prod in pinned})
                prods = frozenset(cast.productions)
                own.groups = [(1, _mask(own, prods), cast.max_per_day, prods)]
                block_of[(c, d)] = (len(days), 0)
                days.append(own)
            else:
                same[(frozenset(cast.productions), cast.max_per_day)].append(c)
        for g, ((prods, room), casts) in enumerate(same.items()):
            day.groups.append((len(casts), _mask(day, prods), room, prods))
            for c in casts:
                block_of[(c, d)] = (len(days), g)
        days.append(day)
    return days, len(halls), live, block_of


def best_valid_chain(day: Day, value: list, mask: list, room: int, units: list[int]):
    """The best chain that gives no request more performances than it still wants (a cast day never does).

    The chain DP alone may take one request twice (AM and PM in its hall, no travel) when it wants one more
    performance only; then the best valid chain leaves out one of those, so each is tried left out in turn.
    """
    earned, picks = _best_chain(day, value, mask, room)
    seen: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for t, j in picks:
        r = int(day.req[t][j])
        if r >= 0:
            seen[r].append((t, j))
    over = next((places for r, places in seen.items() if len(places) > units[r]), None)
    if over is None:
        return earned, picks
    best: tuple[float, list] = (-math.inf, [])
    for t, j in over:
        narrower = list(mask)
        narrower[t] = mask[t].copy()
        narrower[t][j] = False
        found = best_valid_chain(day, value, narrower, room, units)
        if found[0] > best[0]:
            best = found
    return best


def _best_chain(day: Day, value: list, mask: list, room: int) -> tuple[float, list[tuple[int, int]]]:
    """The most one cast can earn on this day, and its performances as (slot position, candidate) pairs."""
    import numpy as np

    n = len(day.slots)
    vals = [np.where(mask[t] & (value[t] > 0), value[t], NEG) for t in range(n)]
    # f[t][k]: the best chain of k+1 performances ending at each candidate of slot t; back[t][k]: its previous one.
    f: list[list[np.ndarray | None]] = [[None] * room for _ in range(n)]
    back: list[list[tuple[np.ndarray, np.ndarray] | None]] = [[None] * room for _ in range(n)]
    best, best_at = 0.0, None
    for t in range(n):
        if not len(vals[t]):
            continue
        f[t][0] = vals[t]
        for k in range(1, room):
            acc = np.full(len(vals[t]), NEG)
            src_slot = np.full(len(vals[t]), -1)
            src_cand = np.full(len(vals[t]), -1)
            for a in range(t):
                prev = f[a][k - 1]
                if prev is None or prev.max() <= NEG / 2:
                    continue
                m = np.where(day.chain[(a, t)], prev[:, None], NEG)
                i = m.argmax(axis=0)
                got = m[i, np.arange(m.shape[1])]
                better = got > acc
                acc = np.where(better, got, acc)
                src_slot[better] = a
                src_cand[better] = i[better]
            f[t][k] = np.where(acc > NEG / 2, acc + vals[t], NEG)
            back[t][k] = (src_slot, src_cand)
        for k, ends in enumerate(f[t]):
            if ends is not None:
                j = int(ends.argmax())
                if ends[j] > best:
                    best, best_at = float(ends[j]), (t, k, j)
    picks = []
    while best_at is not None:
        t, k, j = best_at
        picks.append((t, j))
        src = back[t][k]  # set for every chain of two or more, None for a chain's first performance (k == 0)
        best_at = None if src is None else (int(src[0][j]), k - 1, int(src[1][j]))
    return best - FORCED * day.forced, picks


def price(days: list[Day], blocks: list, live: list[int], gains: dict, units: list[int], mu, nu):
    """L(mu, nu) and, for every block, what its best chain earns and its (request, hall) performances."""
    import numpy as np

    total = float(nu.sum())
    for r in live:
        total += float(np.maximum(0.0, gains[r] - mu[r]).sum())
    values: dict[int, list] = {}
    priced = []
    for i, g, count in blocks:
        day = days[i]
        if i not in values:
            values[i] = [
                np.where(day.req[t] >= 0, mu[day.req[t]] - nu[day.hall[t]], FORCED) for t in range(len(day.slots))
            ]
        _, mask, room, _ = day.groups[g]
        earned, picks = best_valid_chain(day, values[i], mask, room, units)
        total += count * earned
        chains = []
        # The group's other casts: the best chains that share no hall slot with the ones before (columns only).
        for _ in range(min(count, CHAINS_PER_GROUP)):
            items = [(int(day.req[t][j]), int(day.hall[t][j])) for t, j in picks if day.req[t][j] >= 0]
            if not items:
                break
            chains.append((earned, items))
            used = {h for _, h in items}
            mask = [m & ~np.isin(day.hall[t], list(used)) for t, m in enumerate(mask)]
            earned, picks = best_valid_chain(day, values[i], mask, room, units)
        priced.append(chains)
    return total, priced
