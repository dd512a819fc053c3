"""CPU per page: each page of a `benchmarks/pages.py` run, requested in-process as its role, timed by the process's
own CPU clock. Other load on the machine moves this far less than a rate at 8 connections does, and a page's rate
follows it: a page at twice the bare page's CPU answers about half as many requests a second.

    .venv/bin/python benchmarks/page_cpu.py --work-dir DIR --pages results.json [--output cpu.json]

DIR is the instance `benchmarks/pages.py --work-dir DIR` built and results.json its `--output`. Prints the pages,
costliest first, with their CPU and its ratio to the bare page's (bare CPU / page CPU: at least 0.5 is within twice),
the bare page timed again right after each page, as pages.py does with rates.
Calendar feed addresses hold a token made with the server's secret, which a new process does not share: they answer
404 here and are left out.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = ("anonymous", "/login")
REPEATS, ROUNDS, WARM = 15, 3, 3


def cpu_ms(client, path: str) -> tuple[float, int, int]:
    """The least CPU of ROUNDS rounds of REPEATS requests, per request; the status and size of the last answer."""
    for _ in range(WARM):
        client.get(path).close()
    best = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(REPEATS):
            answer = client.get(path)
            status, size = answer.status_code, len(answer.data)
            answer.close()  # a streamed answer keeps its request's context until closed
        best.append((time.process_time() - started) / REPEATS * 1000)
    return min(best), status, size


def main() -> None:
    from benchmarks.page_profile import signed_in
    from benchmarks.pages import LOGINS, PASSWORD, environment
    from portal import create_app
    from portal.config import load_config

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, required=True, help="the instance benchmarks/pages.py built")
    parser.add_argument("--pages", type=Path, required=True, help="the JSON benchmarks/pages.py --output wrote")
    parser.add_argument("--output", type=Path, help="write every page's CPU here as JSON")
    args = parser.parse_args()
    env = environment(args.work_dir, 5000, f"sqlite:///{args.work_dir / 'portal.db'}")
    app = create_app(load_config(env))
    clients: dict[str, object] = {"anonymous": app.test_client()}
    measured: dict[tuple[str, str], tuple[float, float, int]] = {}  # page -> its CPU, the bare page's beside, size
    for page in json.loads(args.pages.read_text()):
        key = (page["role"], page["path"])
        if key in measured or key == BARE:
            continue
        if page["role"] not in clients:
            clients[page["role"]] = signed_in(app, LOGINS[page["role"]], PASSWORD)
        ms, status, size = cpu_ms(clients[page["role"]], page["path"])
        if status == 200:
            measured[key] = (ms, cpu_ms(clients["anonymous"], BARE[1])[0], size)
    ratios = {key: bare / ms for key, (ms, bare, _) in measured.items()}
    for key, (ms, bare, size) in sorted(measured.items(), key=lambda item: -item[1][0]):
        print(f"{ms:7.2f} ms  bare {bare:5.2f} ms  {ratios[key]:.2f}  {size // 1024:4d} KB  {key[0]}:{key[1]}")
    within = sum(ratio >= 0.5 for ratio in ratios.values())
    bare_median = statistics.median(bare for _, bare, _ in measured.values())
    print(
        f"bare page {bare_median:.2f} ms (median); {within} of {len(measured)} pages within twice its CPU; "
        f"median ratio {statistics.median(ratios.values()):.2f}"
    )
    if args.output:
        rows = [
            {"role": role, "path": path, "cpu_ms": ms, "bare_cpu_ms": bare, "size": size}
            for (role, path), (ms, bare, size) in measured.items()
        ]
        args.output.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
