"""How soon the solver has a valid allocation: the phases of its start, timed in-process.

    .venv/bin/python benchmarks/start_time.py [--shapes county,region,national] [--seed 1] [--limit 1]

For each instance: building the indexed problem, the greedy start (the first valid allocation),
the travel-free flow (build and solve, the bound), the flow start (flow performances inserted
with travel-aware casts, then a greedy refill), and a whole solve() with --limit seconds.
Wall-clock seconds, with CPU seconds of this process in brackets (the machine is shared: wall
time depends on what else runs, CPU time much less).
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

from portal.scheduler import (  # noqa: E402
    check,
    parse_instance,  # noqa: E402
    solve,
)
from portal.scheduler.construct import fill, greedy, insert_units  # noqa: E402
from portal.scheduler.flow import solve_flow  # noqa: E402
from portal.scheduler.problem import Problem  # noqa: E402
from portal.scheduler.schedule import Schedule  # noqa: E402


class _Clock:
    """Wall and CPU seconds since the last lap."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.monotonic(), time.process_time()

    def lap(self) -> str:
        wall, cpu = time.monotonic(), time.process_time()
        text = f"{wall - self.wall:.2f} ({cpu - self.cpu:.2f})"
        self.wall, self.cpu = wall, cpu
        return text


def _row(shape: str, seed: int, limit: float) -> str:
    import ortools.graph.python.min_cost_flow  # noqa: F401  (import time is not the flow's)

    instance = generate(shape, seed)
    inst = parse_instance(instance)
    clock = _Clock()
    prob = Problem(inst)
    t_problem = clock.lap()
    start = greedy(prob)
    t_greedy = clock.lap()
    flow = solve_flow(prob)
    t_flow = clock.lap()
    sched = Schedule(prob)
    insert_units(sched, flow.units)
    fill(sched)
    t_insert = clock.lap()
    allocation = solve(inst, time_limit=limit)
    t_solve = clock.lap()
    assert check(inst, allocation).ok
    result = allocation["stats"]["weighted"] / flow.bound
    return (
        f"| {shape}-{seed} | {t_problem} | {t_greedy} | {start.weighted() / flow.bound:.4f} | {t_flow} "
        f"| {t_insert} | {sched.weighted() / flow.bound:.4f} | {t_solve} | {result:.4f} |"
    )


def main() -> int:
    """Print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="county,region,national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=1.0)
    args = parser.parse_args()
    print(
        "| instance | problem s | greedy start s | greedy / bound | flow s | flow start s | flow start / bound "
        f"| solve({args.limit:g} s) s | result / bound |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for shape in args.shapes.split(","):
        print(_row(shape, args.seed, args.limit), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
