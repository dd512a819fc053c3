"""What each idea buys: weighted pupils over the flow bound after each stage of the solver.

    .venv/bin/python benchmarks/ablation.py [--shapes county,region,national] [--seed 1] [--lns 20]

Stages: greedy insertion from scratch; the travel-free flow optimum with the flow's cast
choice kept (travel clashes dropped); the flow's performances with a travel-aware cast
choice; plus greedy refill; then CP-SAT large-neighbourhood search for --lns seconds.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import generate  # noqa: E402

from portal.scheduler import parse_instance  # noqa: E402
from portal.scheduler.construct import fill, greedy, insert_units  # noqa: E402
from portal.scheduler.flow import solve_flow  # noqa: E402
from portal.scheduler.improve import improve  # noqa: E402
from portal.scheduler.problem import Problem  # noqa: E402
from portal.scheduler.schedule import Schedule  # noqa: E402


def _first_cast(sched: Schedule, units: list[tuple[int, int, int]]) -> None:
    """Insert flow units with the first cast that is free, ignoring where it already is."""
    prob = sched.prob
    for r, d, s in units:
        for c in prob.casts_for(prob.req_prod[r], d):
            if sched.cast_free(c, d, s) and len(sched.day.get((c, d), ())) < prob.cast_max[c]:
                if sched.can_place(r, d, s, c):
                    sched.place(r, d, s, c)
                break


def _stages(shape: str, seed: int, lns: float) -> list[tuple[str, float, float]]:
    prob = Problem(parse_instance(generate(shape, seed)))
    out = []
    t = time.monotonic()
    g = greedy(prob)
    out.append(("greedy from scratch", g.weighted(), time.monotonic() - t))
    t = time.monotonic()
    flow = solve_flow(prob)
    out.append(("flow bound (travel-free optimum)", flow.bound, time.monotonic() - t))
    naive = Schedule(prob)
    _first_cast(naive, flow.units)
    out.append(("flow, first free cast, clashes dropped", naive.weighted(), 0.0))
    t = time.monotonic()
    sched = Schedule(prob)
    insert_units(sched, flow.units)
    out.append(("flow, travel-aware cast choice", sched.weighted(), time.monotonic() - t))
    t = time.monotonic()
    fill(sched)
    out.append(("... + greedy refill (the start)", sched.weighted(), time.monotonic() - t))
    t = time.monotonic()
    improve(prob, sched, time.monotonic() + lns, 0, False, lns, flow.bound)
    out.append((f"... + CP-SAT LNS {lns:.0f} s", sched.weighted(), time.monotonic() - t))
    return [(name, value / flow.bound, secs) for name, value, secs in out]


def main() -> int:
    """Print one table per shape."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="county,region,national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lns", type=float, default=20.0)
    args = parser.parse_args()
    print("| instance | stage | ratio to bound | seconds |")
    print("|---|---|---|---|")
    for shape in args.shapes.split(","):
        for name, ratio, secs in _stages(shape, args.seed, args.lns):
            print(f"| {shape}-{args.seed} | {name} | {ratio:.4f} | {secs:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
