"""Where one request's time goes: the page run in-process on the benchmark's database, under cProfile, with every SQL
statement timed. Used by `benchmarks/pages.py --profile N`; also on its own:

    .venv/bin/python benchmarks/page_profile.py --work-dir DIR council:/reach/ company:/company/seasons/3/schedule
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ORIGIN = {"Origin": "http://localhost"}


class SqlTimer:
    """Every statement's count and time, by its first 160 characters, while active."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.by_statement: dict[str, list[float]] = defaultdict(list)
        self.active = False

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info.setdefault("started", []).append(time.perf_counter())

        @event.listens_for(engine, "after_cursor_execute")
        def after(conn, cursor, statement, parameters, context, executemany):
            started = conn.info["started"].pop()
            if self.active:
                self.by_statement[" ".join(statement.split())[:160]].append(time.perf_counter() - started)

    def report(self) -> str:
        total = sum(sum(times) for times in self.by_statement.values())
        count = sum(len(times) for times in self.by_statement.values())
        worst = sorted(self.by_statement.items(), key=lambda item: sum(item[1]), reverse=True)[:4]
        lines = [f"  SQL: {count} statements, {total * 1000:.0f} ms"]
        lines += [f"    {sum(times) * 1000:7.0f} ms x{len(times):<5} {statement}" for statement, times in worst]
        return "\n".join(lines)


def signed_in(app, email: str, password: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    form = {"email": email, "password": password, "csrf_token": CSRF_FIELD.search(page).group(1)}
    client.post("/login", data=form, headers=ORIGIN)
    if client.get("/second-factor").status_code == 200:
        import pyotp

        from portal.services.demo import DEMO_ADMIN_SET_UP_KEY

        page = client.get("/second-factor").get_data(as_text=True)
        code = {"code": pyotp.TOTP(DEMO_ADMIN_SET_UP_KEY).now(), "csrf_token": CSRF_FIELD.search(page).group(1)}
        client.post("/second-factor", data=code, headers=ORIGIN)
    return client


def top_functions(profile: cProfile.Profile, count: int = 12) -> str:
    """The portal's own functions and templates with the most cumulative time."""
    text = io.StringIO()
    stats = pstats.Stats(profile, stream=text)
    stats.sort_stats("cumulative").print_stats(
        r"(portal/|templates/|sqlalchemy/orm/(loading|query)|jinja2/runtime)", 40
    )
    rows = [line for line in text.getvalue().splitlines() if re.match(r"\s*\d", line)]
    return "\n".join("    " + line.strip() for line in rows[:count])


def profile_pages(env: dict[str, str], targets: list[tuple[str, str]]) -> None:
    from benchmarks.pages import LOGINS, PASSWORD
    from portal import create_app
    from portal.config import load_config
    from portal.extensions import db

    app = create_app(load_config(env))
    clients = {}
    with app.app_context():
        timer = SqlTimer(db.engine)
    for role, path in targets:
        if role not in clients:
            clients[role] = signed_in(app, LOGINS[role], PASSWORD)
        clients[role].get(path)  # warm: templates compiled, caches as a running worker has them
        timer.by_statement.clear()
        timer.active, profile = True, cProfile.Profile()
        started = time.perf_counter()
        answer = profile.runcall(clients[role].get, path)
        elapsed = time.perf_counter() - started
        timer.active = False
        print(f"\n{role} {path}: {answer.status_code}, {elapsed * 1000:.0f} ms under the profiler")
        print(timer.report())
        print(top_functions(profile))


def main() -> None:
    from benchmarks.pages import environment

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, required=True, help="the instance benchmarks/pages.py built")
    parser.add_argument("--database-url", help="default: the SQLite database in --work-dir")
    parser.add_argument("pages", nargs="+", help="role:/path")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{args.work_dir / 'portal.db'}"
    env = environment(args.work_dir, 5000, url)
    profile_pages(env, [tuple(page.split(":", 1)) for page in args.pages])


if __name__ == "__main__":
    main()
