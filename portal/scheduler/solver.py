"""solve(): flow bound and start, greedy repair, CP-SAT improvement, checked output."""

from __future__ import annotations

import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from .checker import check, parse_instance
from .clock import Pace
from .construct import fill, greedy, insert_units
from .model import ALLOCATION_FORMAT, Instance
from .polish import shorten_travel
from .problem import Problem
from .schedule import Schedule
from .unplaced import unplaced

FLOW_FACTOR = 2.0  # the flow solve takes ~1.5 greedy starts (insertion and refill stop at the deadline)
# The greedy start is not cut short before this, whatever the limit: a greedy cut short saves
# little, since the reasons for the many requests it leaves out cost more than finishing it would.
GREEDY_MIN_SECONDS = 2.0
# The travel-aware bound (travel_bound.py) runs inside solve only where it fits: up to this many requests (region
# size converges in 1-8 s; national takes minutes, so the benchmark computes it there), within this share of the
# limit (at most TRAVEL_BOUND_SECONDS), and, in deterministic mode, within TRAVEL_BOUND_ROUNDS rounds on up to
# TRAVEL_BOUND_DETERMINISTIC requests instead of a clock.
TRAVEL_BOUND_REQUESTS = 1500
TRAVEL_BOUND_SHARE = 0.1
TRAVEL_BOUND_SECONDS = 10.0
TRAVEL_BOUND_ROUNDS = 30
TRAVEL_BOUND_DETERMINISTIC = 200
# It converges in ten rounds or more (region: 12 to 19, 0.2 s each). Where that many rounds at the pace of the first
# ones cannot fit in its time it gives up at once and leaves that time to the search (region-max3: a round of its
# three-slot cast days takes 1.2-2.5 s, and its 6 s gave 2 to 4 rounds, never converged, so every run lost them).
TRAVEL_BOUND_MIN_ROUNDS = 10
# Time kept back for the travel polish grows with size: it takes 0.06 s on region shapes (500 requests) and 2.3 s
# on national ones (3,900); a flat 3 s left region searches idle for their last 3 s.
POLISH_SECONDS = 0.25
# Kept back for reasons, the final check and writing the output: a wall-clock figure (0.3 s + 1 ms a request), and
# at least their CPU time stretched by the share of a core the process has lately had (`clock.Pace`). On a whole
# core they take 0.8 s on the national shapes (3,900 requests), 0.06 s on region ones; 0.1 s + 0.5 ms a request
# allows for the process's exit and for slower work beside other processes.
FINISH_SECONDS = 0.3
FINISH_CPU_SECONDS = 0.1
# Loading CP-SAT takes 0.7 s of CPU (1 to 2.5 s of wall-clock time beside other processes): the search only starts
# where that and a few windows fit, or a short limit on a busy machine is overrun by the import alone.
CP_SAT_IMPORT_CPU_SECONDS = 0.7
STOPPED_POLISH_SECONDS = 1.0  # the travel polish after a person stops the search


def _flow_start(prob: Problem, deadline: float) -> tuple[Schedule, int]:
    """Flow start repaired for travel and refilled greedily; also the flow bound."""
    from .flow import solve_flow

    result = solve_flow(prob)
    sched = Schedule(prob)
    insert_units(sched, result.units, deadline)
    fill(sched, deadline=deadline)
    return sched, result.bound


def _start(prob: Problem, deadline: float) -> tuple[Schedule, int | None]:
    """The best start the time allows, and the flow bound if there was time for the flow.

    A greedy allocation comes first (well under a second on the national shape), so a valid
    answer exists early whatever the limit; the flow start, stronger and the source of the
    bound, follows when the greedy's own time says it will fit before the deadline.
    """
    begun = time.monotonic()
    # A partial greedy is still valid, but cut short it leaves many requests out for nothing.
    sched = greedy(prob, max(deadline, begun + GREEDY_MIN_SECONDS))
    now = time.monotonic()
    if now + FLOW_FACTOR * (now - begun) > deadline:
        return sched, None
    flow_sched, bound = _flow_start(prob, deadline)
    return (flow_sched if flow_sched.score() >= sched.score() else sched), bound


def _cheap_bound(prob: Problem) -> int:
    """Weighted pupils if every request got a performance on each of its hall slots (an upper bound)."""
    return sum(
        prob.req_weight[r] * prob.reached(r, min(prob.req_units[r], len(prob.req_cands[r])))
        for r in range(len(prob.requests))
    )


def _reporter(progress: Callable | None, started: float, bound: int | None, travel: int | None) -> Callable:
    """A callback for the search that passes the best allocation's figures on to `progress`."""

    def report(sched: Schedule) -> None:
        if progress is None:
            return
        message: dict[str, Any] = {"seconds": round(time.monotonic() - started, 3), "weighted": sched.score().weighted}
        if bound is not None:
            message["bound"] = bound
        if travel is not None:
            message["travel_bound"] = travel
        progress(message)

    return report


def _travel_bound(prob: Problem, sched: Schedule, limit: float, deterministic: bool) -> int | None:
    """The travel-aware bound on non-pinned weighted pupils, if it is solved within its share of the limit."""
    n = len(prob.requests)
    if n > (TRAVEL_BOUND_DETERMINISTIC if deterministic else TRAVEL_BOUND_REQUESTS):
        return None
    from .travel_bound import travel_bound

    start = [(r, d, s, c) for (c, d, s), r in sched.at.items()]
    if deterministic:
        result = travel_bound(prob, start, seconds=math.inf, rounds=TRAVEL_BOUND_ROUNDS)
    else:
        seconds = min(TRAVEL_BOUND_SECONDS, TRAVEL_BOUND_SHARE * limit)
        result = travel_bound(prob, start, seconds=seconds, min_rounds=TRAVEL_BOUND_MIN_ROUNDS)
    return result.bound if result.converged else None


def build_allocation(
    prob: Problem, sched: Schedule, bound: int | None, started: float, travel_bound: int | None = None
) -> dict[str, Any]:
    """The allocation dict for a schedule, with unplaced reasons and stats."""
    perfs = sched.performances()
    placed: dict[str, int] = defaultdict(int)
    for p in perfs:
        placed[p.request] += p.pupils
    weights = {r.id: r.priority for r in prob.requests}
    stats: dict[str, Any] = {
        "pupils_reached": sum(p.pupils for p in perfs),
        "weighted": sum(p.pupils * weights[p.request] for p in perfs),
        "performances": len(perfs),
        "schools_served": len({prob.inst.request_by_id[p.request].school for p in perfs}),
    }
    if bound is not None:
        stats["bound"] = max(bound, stats["weighted"])
    if travel_bound is not None:
        stats["travel_bound"] = max(travel_bound, stats["weighted"])
    stats["seconds"] = round(time.monotonic() - started, 3)
    return {
        "format": ALLOCATION_FORMAT,
        "performances": [p.to_json() for p in perfs],
        "unplaced": unplaced(sched, placed),
        "stats": stats,
    }


def solve(
    instance: dict | Instance,
    time_limit: float = 10,
    seed: int = 0,
    deterministic: bool = False,
    progress: Callable[[dict[str, Any]], None] | None = None,
    stop: Callable[[], bool] | None = None,
    started: float | None = None,
) -> dict[str, Any]:
    """Allocate performances; always returns a valid allocation dict.

    `progress`, if given, is called with {"seconds", "weighted", "bound"?, "travel_bound"?} after the start and
    after every improvement the search makes (the weighted pupils of the best allocation so far). `stop`, if
    given, is asked between steps of the search: once it answers True the search ends early and the best allocation
    found so far is polished briefly and returned (a person stopping a long run keeps what it has found).
    `started`, a `time.monotonic()` value, is when the limit began (default: on entry; the command line passes its
    process's start, so interpreter start and reading count too); `stats.seconds` counts from it.

    The time kept back for reasons, the final check and output grows when the process has had only part of a core
    lately (`clock.Pace`): with other CPU-bound processes beside it the search and the polish end earlier, so that
    those phases still end within the limit.
    """
    pace = Pace()
    started = time.monotonic() if started is None else started
    inst = instance if isinstance(instance, Instance) else parse_instance(instance)
    limit = max(0.0, float(time_limit))
    prob = Problem(inst)
    deadline = math.inf if deterministic else started + limit
    # Kept back from the search: the travel polish, then reasons, check and output (grow with size).
    polish_time = min(3.0, 0.1 * limit, POLISH_SECONDS + len(prob.requests) / 1000)
    finish_time = min(0.1 * limit, FINISH_SECONDS + len(prob.requests) / 1000)
    finish_cpu = min(0.1 * limit, FINISH_CPU_SECONDS + len(prob.requests) / 2000)

    def finish_by() -> float:
        """When the travel polish must end: the reasons, check and output take their time at the current pace."""
        return deadline - max(finish_time, pace.wall(finish_cpu))

    sched, flow_bound = _start(prob, deadline - finish_time)
    pinned = prob.pinned_score.weighted
    bound = None if flow_bound is None else flow_bound + pinned
    travel = None if flow_bound is None else _travel_bound(prob, sched, limit, deterministic)
    report = _reporter(progress, started, bound, None if travel is None else travel + pinned)
    report(sched)
    fallbacks = [sched.copy(), Schedule(prob)]
    work = 0.0
    loaded = "ortools.sat.python.cp_model" in sys.modules
    loading = 0.0 if loaded else pace.wall(CP_SAT_IMPORT_CPU_SECONDS)
    if deterministic or time.monotonic() + loading < finish_by() - polish_time - 0.2:
        from .improve import improve

        ceiling = _cheap_bound(prob) if flow_bound is None else flow_bound if travel is None else travel
        lns_deadline = deadline - polish_time - finish_time  # on a quiet machine; earlier on a busy one:

        def search_end() -> float:
            return finish_by() - polish_time

        sched, work = improve(
            prob, sched, lns_deadline, seed, deterministic, limit, ceiling, report, stop, end=search_end
        )
    stopped = stop is not None and stop()
    # Stopped by a person: polish for a moment only, so the answer comes at once.
    finish_deadline = finish_by()
    polish_deadline = min(finish_deadline, time.monotonic() + STOPPED_POLISH_SECONDS) if stopped else finish_deadline
    shorten_travel(sched, polish_deadline)
    # Never hand out an invalid allocation: fall back to the start, then to the pinned ones alone.
    for candidate in [sched, *fallbacks]:
        allocation = build_allocation(prob, candidate, bound, started, None if travel is None else travel + pinned)
        if check(inst, allocation).ok:
            break
    # Byte-identical output in deterministic mode: the solver work spent instead of wall-clock time.
    allocation["stats"]["seconds"] = round(work if deterministic else time.monotonic() - started, 3)
    return allocation
