"""The anytime curve: the best allocation's ratio to the bounds at 10, 30, 60, 120, 300 and 600 s of one run.

    .venv/bin/python benchmarks/anytime.py --shapes national,national-mixed --seeds 1 [--time-limit 600]

Each instance is solved by the CLI in a child process with `--progress` (one JSON line on standard error each
time the search improves); the weighted pupils at a checkpoint are those of the last line before it. One run
with the longest limit gives every checkpoint; a run with a shorter limit keeps back less time for its final
polish and output, so its result can differ a little from the curve's value at that time. The travel-aware
bound is computed afterwards from the final allocation (benchmarks/travel_bound.py). With --busy N, N CPU-bound
processes spin beside each solve, as in run_scheduler.py (run under `nice` they share its niceness); the table then
adds each burner's share of a core.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from generate import SHAPES, generate  # noqa: E402
from run_scheduler import Burners  # noqa: E402
from travel_bound import SECONDS as TRAVEL_SECONDS  # noqa: E402
from travel_bound import compute as compute_travel_bound  # noqa: E402

from portal.scheduler import check  # noqa: E402

CHECKPOINTS = (10, 30, 60, 120, 300, 600)


def _run(instance_path: pathlib.Path, out_path: pathlib.Path, limit: float, seed: int, busy: int = 0):
    """Solve in a child beside `busy` burners; return (progress lines, wall seconds, peak MB, burner share)."""
    cmd = [sys.executable, "-m", "portal.scheduler", "solve", str(instance_path), "-o", str(out_path), "--progress"]
    cmd += ["--time-limit", str(limit), "--seed", str(seed)]
    with tempfile.TemporaryFile("w+") as err:
        with Burners(busy) as burners:
            started = time.monotonic()
            proc = subprocess.Popen(cmd, cwd=ROOT, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.monotonic() - started
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"solve failed on {instance_path}")
        err.seek(0)
        lines = [json.loads(line) for line in err if line.startswith("{")]
    return lines, seconds, usage.ru_maxrss / 1024, burners.share


def _at(lines: list[dict], t: float) -> int | None:
    """Weighted pupils of the best allocation at t seconds (None before the first)."""
    best = None
    for line in lines:
        if line["seconds"] <= t:
            best = line["weighted"]
    return best


def main() -> int:
    """Print one Markdown table: ratio to the flow bound at each checkpoint, then to the travel-aware bound."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="national")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--time-limit", type=float, default=600)
    parser.add_argument("--keep", help="directory to keep instances and allocations in")
    parser.add_argument("--busy", type=int, default=0, help="CPU-bound processes to run beside each solve (default 0)")
    args = parser.parse_args()
    points = [t for t in CHECKPOINTS if t <= args.time_limit]
    head = " | ".join(f"{t} s" for t in points)
    extra = " burner CPU share |" if args.busy else ""
    print(f"| instance | bound | {head} | final | travel bound | final / travel | seconds | peak MB |{extra}")
    print("|---|---|" + "---|" * len(points) + "---|---|---|---|---|" + ("---|" if args.busy else ""))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for shape in args.shapes.split(","):
            if shape not in SHAPES:
                raise SystemExit(f"unknown shape {shape}")
            for seed in (int(s) for s in args.seeds.split(",")):
                instance = generate(shape, seed)
                inst_path = workdir / f"{shape}-{seed}.instance.json"
                inst_path.write_text(json.dumps(instance))
                out_path = workdir / f"{shape}-{seed}.anytime.allocation.json"
                lines, seconds, peak, share = _run(inst_path, out_path, args.time_limit, seed, args.busy)
                allocation = json.loads(out_path.read_text())
                result = check(instance, allocation)
                if not result.ok:
                    raise SystemExit(f"{shape}-{seed}: invalid allocation: {result.breaches[0]}")
                bound = allocation["stats"]["bound"]
                found, pinned = compute_travel_bound(instance, allocation, TRAVEL_SECONDS[shape.split("-")[0]])
                travel = found.bound + pinned
                cells = []
                for t in points:
                    value = _at(lines, t)
                    cells.append("-" if value is None else f"{value / bound:.4f}")
                print(
                    f"| {shape}-{seed} | {bound} | {' | '.join(cells)} | {result.weighted / bound:.4f} "
                    f"| {travel}{'' if found.converged else '~'} | {result.weighted / travel:.4f} "
                    f"| {seconds:.0f} | {peak:.0f} |" + ("" if share is None else f" {share:.2f} |"),
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
