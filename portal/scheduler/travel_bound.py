"""A travel-aware upper bound on weighted pupils: Lagrangian relaxation per cast and day.

The flow bound ignores travel. Here each cast's day keeps its own rules exactly (one performance per slot,
`max_per_day`, and time to drive between consecutive performances, pinned ones included), while the two
constraints that tie cast days together are priced instead of enforced:

- a request's pupils: its k-th performance is worth g(r, k) (full audiences first, weighted by priority) and
  is paid for with the price mu_r of a performance of r given by any cast on any day;
- one hall: a performance at hall slot h pays nu_h, and the hall earns nu_h whether it is used or not.

For any prices mu, nu >= 0,

    L(mu, nu) = sum_r sum_k max(0, g(r, k) - mu_r) + sum_h nu_h + sum_(cast, day) best_day(mu - nu)

is an upper bound on the weighted pupils of the non-pinned performances, where best_day is the most one cast's day
can earn from the prices with its own rules (a longest chain through its slots, one candidate per slot, solved
exactly by dynamic programming). Without the travel rule, the best over prices is the flow bound; with it, L can
only be smaller. The prices come from column generation (Dantzig-Wolfe): a master LP chooses among cast days'
chains found so far (the first ones from a known allocation), its duals are the prices, and pricing every cast day
at them both gives L and finds the chains that would pay. The smallest L is kept; when no chain pays, it equals the
master's value and the relaxation is solved.

Casts with the same productions and `max_per_day` on the same day face the same prices and rules, so their day is
solved once. Travel minutes are rounded down here (the rules round up), so no pair the rules allow is ever
forbidden: the bound stays a bound.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from .problem import Problem

NEG = -1e18
FORCED = 1e12  # what a pinned performance is worth inside its cast's day, so every best chain takes it
# Columns priced per group of alike casts and round: the best, then disjoint next-best ones. More than one made
# the master LP slower to solve than the rounds it saved (national-1: 90 s with 1, not converged in 215 s with 8).
CHAINS_PER_GROUP = 1


@dataclass
class _Day:
    """One date's candidates per slot (in start order), which pairs of slots one cast can chain, and its casts.

    A cast day holding pinned performances gets a _Day of its own whose pinned slots have the pinned
    performance as their only candidate (request -1, forced).
    """

    slots: list[int]
    req: list  # per slot: request index of each candidate (numpy int array; -1 for a pinned one)
    hall: list  # per slot: hall index of each candidate (-1 for a pinned one)
    chain: dict  # (a, b) slot positions, a < b -> bool matrix: candidate i at a, then candidate j at b
    groups: list = field(default_factory=list)  # (number of casts, per slot: mask of candidates they play, room)
    forced: int = 0  # pinned performances in this (single) cast day
    prods: list = field(default_factory=list)  # per slot: production of each candidate
    where: dict = field(default_factory=dict)  # (slot, request) -> (slot position, candidate)


@dataclass
class TravelBound:
    """The best bound found (never above the flow bound), the flow bound, and how the rounds went."""

    bound: int
    flow_bound: int
    rounds: int
    seconds: float
    converged: bool  # no chain would pay at the last prices: the bound is the relaxation's optimum
    history: list[tuple[int, float, float, float]] = field(default_factory=list)  # (round, L, master LP, seconds)


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


def _make_day(prob: Problem, slots: list[int], cands: dict, forced: dict) -> _Day:
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
    return _Day(slots, req, hall, chain, forced=len(forced), prods=prods, where=where)


def _mask(day: _Day, productions: frozenset) -> list:
    import numpy as np

    return [np.array([p in productions for p in prods], dtype=bool) for prods in day.prods]


def _index(prob: Problem) -> tuple[list[_Day], int, list[int], dict]:
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
    days: list[_Day] = []
    block_of: dict[tuple[int, int], tuple[int, int]] = {}
    for d in sorted(per_date):
        cands = per_date[d]
        day = _make_day(prob, list(cands), cands, {})
        same: dict[tuple[frozenset, int], list[int]] = defaultdict(list)
        for c, cast in enumerate(prob.casts):
            if prob.dates[d] not in cast.dates or cast.max_per_day < 1:
                continue
            pinned = prob.pinned_day.get((c, d))
            if pinned:
                own = _make_day(prob, list(cands), cands, {s: (school, prod) for s, school, prod in pinned})
                own.groups = [(1, _mask(own, frozenset(cast.productions)), cast.max_per_day)]
                block_of[(c, d)] = (len(days), 0)
                days.append(own)
            else:
                same[(frozenset(cast.productions), cast.max_per_day)].append(c)
        for g, ((prods, room), casts) in enumerate(same.items()):
            day.groups.append((len(casts), _mask(day, prods), room))
            for c in casts:
                block_of[(c, d)] = (len(days), g)
        days.append(day)
    return days, len(halls), live, block_of


def _best_valid_chain(day: _Day, value: list, mask: list, room: int, units: list[int]):
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
        found = _best_valid_chain(day, value, narrower, room, units)
        if found[0] > best[0]:
            best = found
    return best


def _best_chain(day: _Day, value: list, mask: list, room: int) -> tuple[float, list[tuple[int, int]]]:
    """The most one cast can earn on this day, and its performances as (slot position, candidate) pairs."""
    import numpy as np

    n = len(day.slots)
    vals = [np.where(mask[t] & (value[t] > 0), value[t], NEG) for t in range(n)]
    # f[t][k]: the best chain of k+1 performances ending at each candidate of slot t; back[t][k]: its previous one.
    f = [[None] * room for _ in range(n)]
    back = [[None] * room for _ in range(n)]
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
        for k in range(room):
            if f[t][k] is not None:
                j = int(f[t][k].argmax())
                if f[t][k][j] > best:
                    best, best_at = float(f[t][k][j]), (t, k, j)
    picks = []
    while best_at is not None:
        t, k, j = best_at
        picks.append((t, j))
        best_at = None if k == 0 else (int(back[t][k][0][j]), k - 1, int(back[t][k][1][j]))
    return best - FORCED * day.forced, picks


class _Master:
    """The restricted master LP: chains of cast days as columns, the requests' pieces as y variables.

    max sum g y  subject to, for each request r, its pieces <= its performances in the chosen chains (dual mu_r);
    each hall slot in at most one chosen chain (nu_h); each (day, group) at most its number of casts (rho).
    """

    def __init__(self, prob: Problem, live: list[int], n_halls: int, blocks: list[tuple[int, int, int]]) -> None:
        from ortools.linear_solver import pywraplp

        self.solver = solver = pywraplp.Solver.CreateSolver("GLOP")
        inf = solver.infinity()
        objective = solver.Objective()
        objective.SetMaximization()
        self.request_row = {}
        for r in live:
            row = self.request_row[r] = solver.Constraint(-inf, 0)
            k, w, cap = prob.req_units[r], prob.req_weight[r], prob.req_cap[r]
            pieces = (
                [(1, prob.gain(r, 0))]
                + ([(k - 2, cap)] if k >= 3 else [])
                + ([(1, prob.gain(r, k - 1))] if k >= 2 else [])
            )
            for size, pupils in pieces:
                y = solver.NumVar(0, size, "")
                row.SetCoefficient(y, 1)
                objective.SetCoefficient(y, w * pupils)
        self.hall_row: dict[int, object] = {}
        self.block_row = [solver.Constraint(-inf, count) for _, _, count in blocks]
        self.n_halls = n_halls
        self.columns: set[tuple] = set()

    def add(self, block: int, items: list[tuple[int, int]]) -> bool:
        """Add a chain (its (request, hall) performances) of a block; False if it is there already."""
        key = (block, tuple(sorted(items)))
        if key in self.columns or not items:
            return False
        self.columns.add(key)
        solver = self.solver
        lam = solver.NumVar(0, solver.infinity(), "")
        self.block_row[block].SetCoefficient(lam, 1)
        per_request: dict[int, int] = defaultdict(int)
        for r, h in items:
            per_request[r] += 1
            row = self.hall_row.get(h)
            if row is None:
                row = self.hall_row[h] = solver.Constraint(-solver.infinity(), 1)
            row.SetCoefficient(lam, row.GetCoefficient(lam) + 1)
        for r, n in per_request.items():
            self.request_row[r].SetCoefficient(lam, -n)
        return True

    def solve(self, seconds: float):
        """Solve within `seconds`; return (value, mu by request, nu by hall slot, rho by block).

        Cut short, the duals are still non-negative prices, and any prices give a valid bound.
        """
        import numpy as np

        if math.isfinite(seconds):
            self.solver.SetTimeLimit(max(1, int(seconds * 1000)))
        self.solver.Solve()
        mu = {r: max(0.0, row.dual_value()) for r, row in self.request_row.items()}
        nu = np.zeros(self.n_halls)
        for h, row in self.hall_row.items():
            nu[h] = max(0.0, row.dual_value())
        rho = [max(0.0, row.dual_value()) for row in self.block_row]
        return self.solver.Objective().Value(), mu, nu, rho


def travel_bound(
    prob: Problem,
    start: list[tuple[int, int, int, int]] = (),
    seconds: float = 60.0,
    rounds: int = 200,
) -> TravelBound:
    """The smallest L(mu, nu) found by column generation in the time or rounds allowed.

    The bound is on the weighted pupils of the non-pinned performances. `start` holds known performances
    (request, date, slot, cast), for instance an allocation's: their cast days are the first columns.
    Each round solves the master LP, prices every (day, group) at its duals with the exact dynamic programme
    (which gives L at those prices, a valid bound), and adds the chains that would pay. When no chain pays,
    the master's value is the Lagrangian dual's optimum and equals the last L.
    """
    import numpy as np

    from .flow import solve_flow

    started = time.monotonic()
    flow_bound = solve_flow(prob).bound
    days, n_halls, live, block_of = _index(prob)
    blocks = [(i, g, day.groups[g][0]) for i, day in enumerate(days) for g in range(len(day.groups))]
    block_index = {(i, g): b for b, (i, g, _) in enumerate(blocks)}
    master = _Master(prob, live, n_halls, blocks)
    chains: dict[tuple[int, int], list] = defaultdict(list)
    for r, d, s, c in start:
        chains[(c, d)].append((r, s))
    for (c, d), items in chains.items():
        if (c, d) in block_of:
            i, g = block_of[(c, d)]
            day = days[i]
            picks = [day.where[(s, r)] for r, s in items if (s, r) in day.where]
            master.add(block_index[(i, g)], [(int(day.req[t][j]), int(day.hall[t][j])) for t, j in picks])
    gains = {r: np.array([prob.req_weight[r] * prob.gain(r, k) for k in range(prob.req_units[r])]) for r in live}
    best, history, n, converged = float(flow_bound), [], 0, False
    for n in range(1, rounds + 1):
        lp_value, mu_by_request, nu, rho = master.solve(started + seconds - time.monotonic())
        mu = np.zeros(len(prob.requests))
        for r, value in mu_by_request.items():
            mu[r] = value
        value, priced = _price(days, blocks, live, gains, prob.req_units, mu, nu)
        best = min(best, value)
        history.append((n, value, lp_value, time.monotonic() - started))
        added = 0
        for b, chains in enumerate(priced):
            for earned, items in chains:
                if earned > rho[b] + 1e-6:
                    added += master.add(b, items)
        if not added:
            converged = True
            break
        if time.monotonic() - started > seconds:
            break
    bound = min(flow_bound, math.floor(best + 1e-6))
    return TravelBound(bound, flow_bound, n, time.monotonic() - started, converged, history)


def _price(days: list[_Day], blocks: list, live: list[int], gains: dict, units: list[int], mu, nu):
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
        _, mask, room = day.groups[g]
        earned, picks = _best_valid_chain(day, values[i], mask, room, units)
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
            earned, picks = _best_valid_chain(day, values[i], mask, room, units)
        priced.append(chains)
    return total, priced
