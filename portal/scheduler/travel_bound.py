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
exactly by dynamic programming in chains.py). Without the travel rule, the best over prices is the flow bound; with
it, L can only be smaller. The first prices are the duals of the travel-free LP (so L starts at or below the flow
bound); then column generation (Dantzig-Wolfe): a master LP chooses among the cast days' chains found so far (the
first ones from a known allocation), its duals are the prices, and pricing every cast day at them both gives L and
finds the chains that would pay. The smallest L is kept; when no chain pays, it equals the master's value and the
relaxation is solved.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .chains import Day, index_days, price
from .problem import Problem

SMOOTHING = 0.5  # weight of the best prices so far in the mixed prices each round also tries


@dataclass
class TravelBound:
    """The best bound found (never above the flow bound), the flow bound, and how the rounds went."""

    bound: int
    flow_bound: int
    rounds: int
    seconds: float
    converged: bool  # no chain would pay at the last prices: the bound is the relaxation's optimum
    history: list[tuple[int, float, float, float]] = field(default_factory=list)  # (round, L, master LP, seconds)


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
        self.hall_row: dict[int, Any] = {}  # pywraplp constraints (the library has no types)
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

        Cut short with a solution, the duals are still non-negative prices, and any prices give a valid bound; cut
        short before any solution (the time ran out), None: there are no prices to read.
        """
        import numpy as np
        from ortools.linear_solver import pywraplp

        if math.isfinite(seconds):
            self.solver.SetTimeLimit(max(1, int(seconds * 1000)))
        if self.solver.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            return None
        mu = {r: max(0.0, row.dual_value()) for r, row in self.request_row.items()}
        nu = np.zeros(self.n_halls)
        for h, row in self.hall_row.items():
            nu[h] = max(0.0, row.dual_value())
        rho = [max(0.0, row.dual_value()) for row in self.block_row]
        return self.solver.Objective().Value(), mu, nu, rho


def _travel_free_prices(prob: Problem, days: list[Day], blocks: list, live: list[int], n_halls: int):
    """Prices from the travel-free LP (the flow bound's relaxation, casts grouped as the blocks are).

    At these prices L is at most the flow bound, so the column generation starts below it instead of far above.
    """
    import numpy as np
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("GLOP")
    inf = solver.infinity()
    objective = solver.Objective()
    objective.SetMaximization()
    request_row = {}
    for r in live:
        row = request_row[r] = solver.Constraint(-inf, 0)
        for size, pupils in _pieces(prob, r):
            y = solver.NumVar(0, size, "")
            row.SetCoefficient(y, 1)
            objective.SetCoefficient(y, prob.req_weight[r] * pupils)
    hall_row = [solver.Constraint(-inf, 1) for _ in range(n_halls)]
    hub_row: dict[tuple[int, int, str], Any] = {}  # pywraplp constraints
    for day in days:
        if day.forced:
            continue  # the date's candidates once, from the day without pinned performances
        for t, s in enumerate(day.slots):
            for j, r in enumerate(day.req[t]):
                x = solver.NumVar(0, inf, "")  # no upper bound of its own: the hall row's price must carry it
                request_row[int(r)].SetCoefficient(x, -1)
                hall_row[int(day.hall[t][j])].SetCoefficient(x, 1)
                key = (day.date, s, str(day.prods[t][j]))
                if key not in hub_row:
                    hub_row[key] = solver.Constraint(-inf, 0)
                hub_row[key].SetCoefficient(x, 1)
    for i, g, count in blocks:
        day = days[i]
        _, _, room, prods = day.groups[g]
        day_row = solver.Constraint(-inf, count * (room - day.forced))
        forced_slots = {day.slots[t] for t in range(len(day.slots)) if len(day.req[t]) == 1 and day.req[t][0] < 0}
        for s in day.slots:
            if s in forced_slots:
                continue
            slot_row = solver.Constraint(-inf, count)
            for prod in prods:
                hub = hub_row.get((day.date, s, prod))
                if hub is None:
                    continue
                w = solver.NumVar(0, inf, "")
                hub.SetCoefficient(w, -1)
                slot_row.SetCoefficient(w, 1)
                day_row.SetCoefficient(w, 1)
    solver.Solve()
    mu = np.zeros(len(prob.requests))
    for r, row in request_row.items():
        mu[r] = max(0.0, row.dual_value())
    nu = np.array([max(0.0, row.dual_value()) for row in hall_row])
    return objective.Value(), mu, nu


def _pieces(prob: Problem, r: int) -> list[tuple[int, int]]:
    """A request's performances as (how many, pupils each): the first, the full middle ones, the last."""
    k, cap = prob.req_units[r], prob.req_cap[r]
    out = [(1, prob.gain(r, 0))] + ([(k - 2, cap)] if k >= 3 else [])
    return out + ([(1, prob.gain(r, k - 1))] if k >= 2 else [])


def travel_bound(
    prob: Problem,
    start: Sequence[tuple[int, int, int, int]] = (),
    seconds: float = 60.0,
    rounds: int = 200,
    min_rounds: int = 0,
) -> TravelBound:
    """The smallest L(mu, nu) found by column generation in the time or rounds allowed.

    The bound is on the weighted pupils of the non-pinned performances. `start` holds known performances
    (request, date, slot, cast), for instance an allocation's: their cast days are the first columns, with the
    best chains at the travel-free LP's prices. Each round solves the master LP and prices every (day, group)
    with the exact dynamic programme twice: at the master's duals (its chains that would pay become columns;
    when none would, the relaxation is solved) and at a mix of those duals with the best prices so far
    (smoothing, which keeps the prices from swinging while the master has few columns). Each pricing gives L at
    its prices, a valid bound; the smallest is kept. With `min_rounds`, the rounds stop (not converged) as soon as
    that many rounds at the pace so far (the first pricing counted as one) would not fit in `seconds`.
    """
    import numpy as np

    from .flow import solve_flow

    started = time.monotonic()
    flow_bound = solve_flow(prob).bound
    days, n_halls, live, block_of = index_days(prob)
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
    _, mu, nu = _travel_free_prices(prob, days, blocks, live, n_halls)
    best, priced = price(days, blocks, live, gains, prob.req_units, mu, nu)
    centre = (best, mu, nu)
    for b, found in enumerate(priced):
        for _, items in found:
            master.add(b, items)
    history, n, converged = [(0, best, 0.0, time.monotonic() - started)], 0, False
    for n in range(1, rounds + 1):
        if min_rounds and (time.monotonic() - started) / n * min_rounds > seconds:
            break
        solved = master.solve(started + seconds - time.monotonic())
        if solved is None:
            break
        lp_value, mu_by_request, nu, rho = solved
        mu = np.zeros(len(prob.requests))
        for r, value in mu_by_request.items():
            mu[r] = value
        value, priced = price(days, blocks, live, gains, prob.req_units, mu, nu)
        mixed_mu, mixed_nu = SMOOTHING * centre[1] + (1 - SMOOTHING) * mu, SMOOTHING * centre[2] + (1 - SMOOTHING) * nu
        mixed, priced_mixed = price(days, blocks, live, gains, prob.req_units, mixed_mu, mixed_nu)
        for found, at_mu, at_nu in ((value, mu, nu), (mixed, mixed_mu, mixed_nu)):
            if found < centre[0]:
                centre = (found, at_mu, at_nu)
        best = min(best, value, mixed)
        history.append((n, min(value, mixed), lp_value, time.monotonic() - started))
        added = 0
        for b, found in enumerate(priced):
            for earned, items in found:
                if earned > rho[b] + 1e-6:
                    added += master.add(b, items)
        if not added:
            converged = True
            break
        for b, found in enumerate(priced_mixed):
            for _, items in found:
                if sum(mu[r] - nu[h] for r, h in items) > rho[b] + 1e-6:
                    master.add(b, items)
        if time.monotonic() - started > seconds:
            break
    bound = min(flow_bound, math.floor(best + 1e-6))
    return TravelBound(bound, flow_bound, n, time.monotonic() - started, converged, history)
