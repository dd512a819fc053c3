"""Python function calls per page: each page requested in-process as its role, counted by cProfile. Unlike CPU time
or a rate at 8 connections, the count does not move with other load on the machine, so two versions of the portal
can be compared on a busy one; a page's CPU follows it roughly.

    .venv/bin/python benchmarks/page_calls.py --work-dir DIR role:/path ...
    .venv/bin/python benchmarks/page_calls.py --work-dir DIR --pages results.json

DIR is the instance `benchmarks/pages.py --work-dir DIR` built; results.json its `--output` (every page it measured).
Prints each page's calls per request, the bare page's (anonymous /login) first.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE = "anonymous:/login"
WARM, COUNTED = 5, 20


def calls_per_request(client, path: str) -> float:
    for _ in range(WARM):
        client.get(path).close()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(COUNTED):
        client.get(path).close()  # a streamed answer keeps its request's context until closed
    profile.disable()
    return pstats.Stats(profile).total_calls / COUNTED


def main() -> None:
    from benchmarks.page_profile import signed_in
    from benchmarks.pages import LOGINS, PASSWORD, environment
    from portal import create_app
    from portal.config import load_config

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, required=True, help="the instance benchmarks/pages.py built")
    parser.add_argument("--pages", type=Path, help="the JSON benchmarks/pages.py --output wrote")
    parser.add_argument("page", nargs="*", help="role:/path")
    args = parser.parse_args()
    pages = list(args.page)
    if args.pages:
        measured = json.loads(args.pages.read_text())
        # The administrator is left out: signing in again within 30 s reuses a second-factor code, which is refused.
        pages += [f"{page['role']}:{page['path']}" for page in measured if page["role"] != "admin"]
    pages = [BARE, *dict.fromkeys(page for page in pages if page != BARE)]
    env = environment(args.work_dir, 5000, f"sqlite:///{args.work_dir / 'portal.db'}")
    app = create_app(load_config(env))
    clients: dict[str, object] = {"anonymous": app.test_client()}
    for page in pages:
        role, path = page.split(":", 1)
        if role not in clients:
            clients[role] = signed_in(app, LOGINS[role], PASSWORD)
        print(f"{calls_per_request(clients[role], path):9.0f}  {page}", flush=True)


if __name__ == "__main__":
    main()
