"""An allocation run at national size through the portal's own job, watched and stopped from a second connection
as the run's page does: how often the best so far reaches the database, and how soon a stop ends the job.

    .venv/bin/python benchmarks/pages.py --work-dir DIR --no-crawl --also school:/   # builds the national data set
    .venv/bin/python benchmarks/stop_run.py --work-dir DIR --time-limit 300 --stop-after 45
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work-dir", type=Path, required=True, help="the instance benchmarks/pages.py built")
    parser.add_argument("--season", default="", help="season name (default: the latest)")
    parser.add_argument("--time-limit", type=int, default=300)
    parser.add_argument("--stop-after", type=float, default=45.0, help="seconds before the stop is asked for")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import select

    from benchmarks.pages import environment
    from portal import create_app
    from portal.clock import now
    from portal.config import load_config
    from portal.extensions import db
    from portal.jobs import perform_allocation_run
    from portal.models import AllocationRun, RunStatus, Season
    from portal.services.instances import build_instance

    url = f"sqlite:///{args.work_dir.resolve() / 'portal.db'}"
    app = create_app(load_config(environment(args.work_dir, 5999, url)))
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
        query = select(Season).order_by(Season.starts_on.desc())
        if args.season:
            query = query.where(Season.name == args.season)
        season = db.session.scalars(query).first()
        instance = build_instance(season, None)
        print(f"{season.name}: {len(instance['requests'])} requests, {len(instance['casts'])} casts", flush=True)
        run = AllocationRun(season=season, instance=instance, time_limit_seconds=args.time_limit)
        db.session.add(run)
        db.session.commit()
        run_id = run.id

    started = time.monotonic()
    asked_at: list[float] = []

    def watch() -> None:
        with app.app_context():
            while True:
                time.sleep(2)
                seen = db.session.get(AllocationRun, run_id)
                print(f"{time.monotonic() - started:6.1f} s  {seen.status.value:8}  {seen.progress}", flush=True)
                if seen.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
                    db.session.commit()
                    return
                if time.monotonic() - started >= args.stop_after and seen.stop_requested_at is None:
                    seen.stop_requested_at = now()
                    asked_at.append(time.monotonic())
                    print("stop asked for", flush=True)
                db.session.commit()

    watcher = threading.Thread(target=watch)
    watcher.start()
    with app.app_context():
        perform_allocation_run(run_id)
        ended = time.monotonic()
        done = db.session.get(AllocationRun, run_id)
        after = f", {ended - asked_at[0]:.1f} s after the stop was asked for" if asked_at else ""
        print(f"job ended at {ended - started:.1f} s{after}: {done.status.value}, {done.allocation['stats']}")
    watcher.join()


if __name__ == "__main__":
    main()
