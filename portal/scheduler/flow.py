"""Travel-free min-cost flow: the upper bound on weighted pupils and a strong start.

Network: source -> request (one arc per performance, full audiences first, the remainder
last) -> (school, date, slot) in -> out (capacity 1: one hall) -> (cast, date, slot)
(capacity 1) -> (cast, date) (capacity max_per_day) -> sink, with a hub per (date, slot, production)
between hall slots and cast slots to keep the arc count linear, plus a free source -> sink
bypass so unplaceable demand costs nothing. Without travel the optimum is integral and exact,
except that a school with requests for two productions can route one request to a cast
that only performs the other: the bound stays valid. Which cast gives which performance is
left to the caller (any cast of that hub fits, travel decides).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .problem import Problem


@dataclass
class FlowResult:
    """Bound on weighted pupils of non-pinned performances and the optimal units."""

    bound: int
    units: list[tuple[int, int, int]] = field(default_factory=list)  # (request, date, slot)


class _Net:
    """Arc lists collected in Python, handed to OR-Tools in one call."""

    def __init__(self) -> None:
        self.tails: list[int] = []
        self.heads: list[int] = []
        self.caps: list[int] = []
        self.costs: list[int] = []
        self.nodes: dict[tuple, int] = {"source": 0, "sink": 1}  # type: ignore[dict-item]

    def node(self, key: tuple) -> int:
        n = self.nodes.get(key)
        if n is None:
            n = self.nodes[key] = len(self.nodes)
        return n

    def arc(self, tail: int, head: int, cap: int, cost: int) -> int:
        self.tails.append(tail)
        self.heads.append(head)
        self.caps.append(cap)
        self.costs.append(cost)
        return len(self.tails) - 1


def _scale(prob: Problem) -> tuple[int, int, int]:
    """Cost weights so pupils dominate requests served, which dominate preferred dates."""
    pref_bonus = 1
    served_bonus = 1 + max(prob.req_units, default=0) * pref_bonus
    total_bonus = sum(served_bonus + u * pref_bonus for u in prob.req_units)
    return total_bonus + 1, served_bonus, pref_bonus


def _source_arcs(prob: Problem, net: _Net, r: int, node: int, scale: int, served: int) -> list:
    """Arcs source -> request with decreasing gains; returns (arc, pupils per unit) pairs."""
    k, w, cap = prob.req_units[r], prob.req_weight[r], prob.req_cap[r]
    first, last = prob.gain(r, 0), prob.gain(r, k - 1)
    out = [(net.arc(0, node, 1, -(w * first * scale + served)), first)]
    if k >= 3:
        out.append((net.arc(0, node, k - 2, -(w * cap * scale)), cap))
    if k >= 2:
        out.append((net.arc(0, node, 1, -(w * last * scale)), last))
    return out


def _request_arcs(prob: Problem, net: _Net, scale: int, served: int, pref: int):
    """Source -> request -> hall-slot arcs; returns the arc records and the demand."""
    source_arcs: list[tuple[int, int, int]] = []  # (arc, request, pupils per unit)
    request_arcs: dict[int, tuple[int, int, int, int]] = {}  # arc -> (request, school, d, s)
    hall_prods: dict[tuple[int, int, int], set[str]] = defaultdict(set)
    total = 0
    for r in range(len(prob.requests)):
        if not prob.req_units[r] or not prob.req_cands[r]:
            continue
        rn = net.node(("r", r))
        for arc, pupils in _source_arcs(prob, net, r, rn, scale, served):
            source_arcs.append((arc, r, pupils))
        total += prob.req_units[r]
        school = prob.req_school[r]
        for d, s in prob.req_cands[r]:
            key = (school, d, s)
            if key in prob.pinned_school_slot:
                continue
            arc = net.arc(rn, net.node(("si",) + key), 1, -pref if d in prob.req_pref[r] else 0)
            request_arcs[arc] = (r, school, d, s)
            hall_prods[key].add(prob.req_prod[r])
    return source_arcs, request_arcs, hall_prods, total


def _build(prob: Problem, net: _Net) -> tuple[list, dict, int]:
    """The network; hall slots reach casts through one hub per (date, slot, production)."""
    scale, served, pref = _scale(prob)
    source_arcs, request_arcs, hall_prods, total = _request_arcs(prob, net, scale, served, pref)
    pinned_count: dict[tuple[int, int], int] = {k: len(v) for k, v in prob.pinned_day.items()}
    hubs: set[tuple[int, int, str]] = set()
    for key, prods in hall_prods.items():
        _, d, s = key
        out_node = net.node(("so",) + key)
        net.arc(net.node(("si",) + key), out_node, 1, 0)
        for prod in sorted(prods):
            net.arc(out_node, net.node(("h", d, s, prod)), 1, 0)
            hubs.add((d, s, prod))
    for d, s, prod in sorted(hubs):
        hub = net.node(("h", d, s, prod))
        for c in prob.casts_for(prod, d):
            if (c, d, s) in prob.pinned_cast_slot or pinned_count.get((c, d), 0) >= prob.cast_max[c]:
                continue
            net.arc(hub, net.node(("cs", c, d, s)), 1, 0)
    for key, n in list(net.nodes.items()):
        if key[0] == "cs":
            _, c, d, s = key
            net.arc(n, net.node(("cd", c, d)), 1, 0)
    for key, n in list(net.nodes.items()):
        if key[0] == "cd":
            _, c, d = key
            net.arc(n, 1, prob.cast_max[c] - pinned_count.get((c, d), 0), 0)
    net.arc(0, 1, total, 0)
    return source_arcs, request_arcs, total


def solve_flow(prob: Problem) -> FlowResult:
    """Solve the travel-free flow; return its bound and performances."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    net = _Net()
    source_arcs, request_arcs, total = _build(prob, net)
    if total == 0:
        return FlowResult(0)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.array(net.tails, dtype=np.int32),
        np.array(net.heads, dtype=np.int32),
        np.array(net.caps, dtype=np.int64),
        np.array(net.costs, dtype=np.int64),
    )
    supplies = np.zeros(len(net.nodes), dtype=np.int64)
    supplies[0], supplies[1] = total, -total
    mcf.set_nodes_supplies(np.arange(len(net.nodes), dtype=np.int32), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = mcf.flows(np.arange(len(net.tails), dtype=np.int32))
    bound = sum(int(flows[a]) * prob.req_weight[r] * pupils for a, r, pupils in source_arcs)
    units = [(r, d, s) for arc, (r, _, d, s) in request_arcs.items() if flows[arc]]
    return FlowResult(bound, units)
