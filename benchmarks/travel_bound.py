"""The travel-aware bound beside the flow bound, for generated instances or an instance file.

    .venv/bin/python benchmarks/travel_bound.py --shapes region,national --seeds 1 [--seconds 300]
    .venv/bin/python benchmarks/travel_bound.py --instance I.json [--allocation A.json]

The bound (portal/scheduler/travel_bound.py) is a Lagrangian relaxation that keeps each cast's day exact, travel
included, solved by column generation; its first columns are the cast days of a known allocation (the one given,
else the solver's flow start). Bounds count weighted pupils, pinned performances included. "converged" means no
cast day could earn more at the last prices: the bound is then the relaxation's optimum, not only a valid bound.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import SHAPES, generate  # noqa: E402

from portal.scheduler import parse_instance  # noqa: E402
from portal.scheduler.problem import Problem  # noqa: E402
from portal.scheduler.travel_bound import TravelBound, travel_bound  # noqa: E402

SECONDS = {"county": 30, "region": 60, "national": 120}
HEADER = "| instance | flow bound | travel bound | travel / flow | rounds | converged | seconds | peak MB |"


def compute(instance: dict, allocation: dict | None, seconds: float) -> tuple[TravelBound, int]:
    """The bound for an instance, started from an allocation's cast days; also the pinned weighted pupils."""
    prob = Problem(parse_instance(instance))
    if allocation is None:
        from portal.scheduler.solver import _flow_start

        sched, _ = _flow_start(prob, float("inf"))
        start = [(r, d, s, c) for (c, d, s), r in sched.at.items()]
    else:
        pinned = {(p.request, p.date, p.slot, p.cast) for p in prob.inst.pinned}
        start = []
        for p in allocation["performances"]:
            if (p["request"], p["date"], p["slot"], p["cast"]) in pinned:
                continue
            r, c = prob.request_index[p["request"]], prob.cast_index[p["cast"]]
            start.append((r, prob.date_index[p["date"]], prob.slot_index[p["slot"]], c))
    return travel_bound(prob, start, seconds=seconds), prob.pinned_score.weighted


def _row(name: str, result: TravelBound, pinned: int) -> str:
    flow, travel = result.flow_bound + pinned, result.bound + pinned
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        f"| {name} | {flow} | {travel} | {travel / flow:.4f} | {result.rounds} | {'yes' if result.converged else 'no'} "
        f"| {result.seconds:.1f} | {peak:.0f} |"
    )


def main() -> int:
    """Print one Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="county,region")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--seconds", type=float, help="time for each bound (default 30/60/120 s by size)")
    parser.add_argument("--instance", help="an instance file instead of generated ones")
    parser.add_argument("--allocation", help="an allocation of that instance to start from")
    args = parser.parse_args()
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    if args.instance:
        instance = json.loads(pathlib.Path(args.instance).read_text())
        allocation = json.loads(pathlib.Path(args.allocation).read_text()) if args.allocation else None
        result, pinned = compute(instance, allocation, args.seconds or SECONDS["national"])
        print(_row(pathlib.Path(args.instance).stem, result, pinned))
        return 0
    for shape in args.shapes.split(","):
        if shape not in SHAPES:
            raise SystemExit(f"unknown shape {shape}")
        for seed in (int(s) for s in args.seeds.split(",")):
            seconds = args.seconds or SECONDS[shape.split("-")[0]]
            result, pinned = compute(generate(shape, seed), None, seconds)
            print(_row(f"{shape}-{seed}", result, pinned), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
