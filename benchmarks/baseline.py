"""First-come-first-served baseline: requests in order, each takes its earliest feasible slots.

python benchmarks/baseline.py INSTANCE.json -o ALLOCATION.json
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from portal.scheduler import parse_instance  # noqa: E402
from portal.scheduler.problem import Problem  # noqa: E402
from portal.scheduler.schedule import Schedule  # noqa: E402
from portal.scheduler.solver import build_allocation  # noqa: E402


def first_come_first_served(instance: dict) -> dict:
    """Allocate each request in list order to its earliest feasible (date, slot, cast)."""
    started = time.monotonic()
    prob = Problem(parse_instance(instance))
    sched = Schedule(prob)
    for r in range(len(prob.requests)):
        prod = prob.req_prod[r]
        for d, s in prob.req_cands[r]:  # sorted by date, then slot start
            if sched.count[r] >= prob.req_units[r]:
                break
            for c in prob.casts_for(prod, d):
                if sched.can_place(r, d, s, c):
                    sched.place(r, d, s, c)
                    break
    return build_allocation(prob, sched, None, started)


def main() -> int:
    """Write the baseline allocation of one instance."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    allocation = first_come_first_served(json.loads(pathlib.Path(args.instance).read_text()))
    text = json.dumps(allocation, indent=1)
    if args.output == "-":
        sys.stdout.write(text + "\n")
    else:
        pathlib.Path(args.output).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
