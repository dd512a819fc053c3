"""Benchmark the tour scheduler against the first-come-first-served baseline and the flow bound.

    .venv/bin/python benchmarks/run_scheduler.py [--shapes county,region,national] [--seeds 1,2]
    .venv/bin/python benchmarks/run_scheduler.py --shapes new --seeds 1,2,3   # the touring patterns of issue 11
    nice -n 10 .venv/bin/python benchmarks/run_scheduler.py --shapes national --busy 2   # two burners beside it

Each instance is generated (benchmarks/generate.py), solved by the CLI in a child process
(so the seconds and peak memory are those of the whole process, ortools import included),
checked, and compared with the baseline. Prints one Markdown table. When the limit left the
solver no time for its flow bound (national with --time-limit 1), the bound is computed here
and marked with *. The travel-aware bound (benchmarks/travel_bound.py) is computed here too,
after the solve, from the allocation's cast days; ~ marks one that did not converge in its time
(still a valid bound).

With --busy N, N CPU-bound processes (each a pure-Python loop) spin beside every solve: started
just before it and killed just after, from this process, so they share its niceness (run the
script under `nice` and they compete with the solver on equal terms). The table then adds the
limit and the share of a core each burner had during the solve (issue 11: the limit holds for
the whole process on a busy machine too).
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

from baseline import first_come_first_served  # noqa: E402
from generate import SHAPES, generate  # noqa: E402
from travel_bound import SECONDS as TRAVEL_SECONDS  # noqa: E402
from travel_bound import compute as compute_travel_bound  # noqa: E402

from portal.scheduler import check, parse_instance  # noqa: E402
from portal.scheduler.flow import solve_flow  # noqa: E402
from portal.scheduler.problem import Problem  # noqa: E402

LIMITS = {"county": 10, "region": 60, "national": 120}  # by size: region-narrow has region's limit
FIRST_THREE = ["county", "region", "national"]


def _limit(shape: str) -> float:
    return LIMITS[shape.split("-")[0]]


def _shapes(text: str) -> list[str]:
    """Shape names from --shapes: a comma-separated list, or 'new' (the touring patterns) or 'all'."""
    if text == "all":
        return list(SHAPES)
    if text == "new":
        return [name for name in SHAPES if name not in FIRST_THREE]
    names = text.split(",")
    unknown = [name for name in names if name not in SHAPES]
    if unknown:
        raise SystemExit(f"unknown shape {unknown[0]}; the shapes are {', '.join(SHAPES)}")
    return names


HEADER = (
    "| instance | baseline reach | our reach | weighted | flow bound | travel bound | ratio to flow bound "
    "| ratio to travel bound | ratio to baseline | seconds | peak MB |"
)


BURNER = "while True: pass"
BURNER_WARMUP = 0.3  # seconds the burners spin before the solve starts


class Burners:
    """N CPU-bound child processes spinning while the block runs; `share` is each one's CPU per wall second.

    Children inherit this process's niceness, so under `nice -n 10` they compete with the solver as equals.
    """

    def __init__(self, count: int):
        self.count = count
        self.procs: list[subprocess.Popen] = []
        self.share: float | None = None
        self._started = 0.0

    def __enter__(self) -> Burners:
        self.procs = [subprocess.Popen([sys.executable, "-c", BURNER]) for _ in range(self.count)]
        if self.procs:
            time.sleep(BURNER_WARMUP)
        self._started = time.monotonic()
        return self

    def __exit__(self, *exc) -> None:
        wall = time.monotonic() - self._started + (BURNER_WARMUP if self.procs else 0.0)
        cpu = 0.0
        for proc in self.procs:
            proc.kill()
        for proc in self.procs:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu += usage.ru_utime + usage.ru_stime
        if self.procs:
            self.share = cpu / len(self.procs) / wall


def _solve(
    instance_path: pathlib.Path, out_path: pathlib.Path, limit: float, seed: int, busy: int = 0
) -> tuple[float, float, float | None]:
    """Run the CLI beside `busy` burners; return (wall seconds, peak resident MB) of that process and each
    burner's share of a core (None without burners)."""
    cmd = [sys.executable, "-m", "portal.scheduler", "solve", str(instance_path), "-o", str(out_path)]
    cmd += ["--time-limit", str(limit), "--seed", str(seed)]
    with Burners(busy) as burners:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"solve failed on {instance_path} with exit code {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024, burners.share


def _flow_bound(instance: dict) -> int:
    """The solver's travel-free flow bound on weighted pupils, pinned performances included."""
    inst = parse_instance(instance)
    pinned = sum(p.pupils * inst.request_by_id[p.request].priority for p in inst.pinned)
    return solve_flow(Problem(inst)).bound + pinned


def _row(
    shape: str, seed: int, limit: float, workdir: pathlib.Path, travel_seconds: float | None, busy: int = 0
) -> str:
    instance = generate(shape, seed)
    inst_path = workdir / f"{shape}-{seed}.instance.json"
    inst_path.write_text(json.dumps(instance))
    base = first_come_first_served(instance)
    out_path = workdir / f"{shape}-{seed}.allocation.json"
    seconds, peak, share = _solve(inst_path, out_path, limit, seed, busy)
    allocation = json.loads(out_path.read_text())
    result = check(instance, allocation)
    if not result.ok:
        raise SystemExit(f"{shape}-{seed}: invalid allocation: {result.breaches[0]}")
    bound, mark = allocation["stats"].get("bound"), ""
    if bound is None:  # no time for the flow within the limit: compute its bound here, marked *
        bound, mark = _flow_bound(instance), "*"
    base_weighted = base["stats"]["weighted"]
    travel, travel_text, travel_ratio = None, "-", "-"
    if travel_seconds is None:
        travel_seconds = TRAVEL_SECONDS[shape.split("-")[0]]
    if travel_seconds > 0:
        found, pinned = compute_travel_bound(instance, allocation, travel_seconds)
        travel = found.bound + pinned
        travel_text = f"{travel}{'' if found.converged else '~'}"
        travel_ratio = f"{result.weighted / travel:.4f}"
    busy_cells = "" if share is None else f" {limit:g} | {share:.2f} |"
    return (
        f"| {shape}-{seed} | {base['stats']['pupils_reached']} | {result.pupils_reached} | {result.weighted} "
        f"| {bound}{mark} | {travel_text} | {result.weighted / bound:.4f} | {travel_ratio} "
        f"| {result.weighted / base_weighted:.3f} | {seconds:.1f} | {peak:.0f} |{busy_cells}"
    )


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", default="county,region,national", help="names, or 'new' or 'all'")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--time-limit", type=float, help="override the per-shape limits (10/60/120 s)")
    parser.add_argument("--keep", help="directory to keep instances and allocations in")
    parser.add_argument(
        "--travel-seconds", type=float, help="time for the travel-aware bound (default 30/60/120 s by size; 0: none)"
    )
    parser.add_argument("--busy", type=int, default=0, help="CPU-bound processes to run beside each solve (default 0)")
    args = parser.parse_args()
    header = HEADER + (" limit | burner CPU share |" if args.busy else "")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(args.keep or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        print(header)
        print("|" + "---|" * header.count(" | ") + "---|")
        for shape in _shapes(args.shapes):
            for seed in (int(s) for s in args.seeds.split(",")):
                limit = args.time_limit or _limit(shape)
                print(_row(shape, seed, limit, workdir, args.travel_seconds, args.busy), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
