"""Background jobs with Huey: SQLite storage under instance/ by default, Redis when REDIS_URL is set.

Allocation runs go here so a web request never waits for the solver, and a run survives a web worker restart.
Start the consumer with `huey_consumer portal.jobs.huey` (make run does).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from flask import has_app_context
from huey import RedisHuey, SqliteHuey, crontab

from portal.config import INSTANCE


def make_huey():
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        return RedisHuey("cse-tour-portal", url=redis_url)
    instance = Path(os.environ.get("PORTAL_INSTANCE", INSTANCE))
    instance.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("cse-tour-portal", filename=str(instance / "jobs.db"))


huey = make_huey()


@cache
def job_app():
    """The app a job runs in: built once per consumer process, from the same settings as the web app."""
    from portal import create_app

    return create_app()


def perform_allocation_run(run_id: int) -> None:
    """Solve one queued run: marked running (committed, so the page shows it), solved, then saved."""
    from portal.clock import now
    from portal.extensions import db
    from portal.scheduler import solve
    from portal.services import allocations

    started = allocations.begin_run(run_id, now())
    db.session.commit()
    if started is None:
        return
    instance, time_limit = started
    try:
        allocation = solve(instance, time_limit=time_limit)
    except Exception as error:  # the run must end as failed, whatever went wrong, so the season is not stuck
        db.session.rollback()
        allocations.fail_run(run_id, f"{type(error).__name__}: {error}", now())
        db.session.commit()
        raise
    allocations.finish_run(run_id, allocation, now())
    db.session.commit()


@huey.task()
def run_allocation(run_id: int) -> None:
    if has_app_context():  # immediate mode (tests): already inside the app that queued it
        perform_allocation_run(run_id)
        return
    with job_app().app_context():
        perform_allocation_run(run_id)


def configure_jobs(app) -> None:
    """Tests run jobs at once, in-process; everywhere else a consumer process runs them."""
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))


@huey.periodic_task(crontab(minute="5", hour="*"))
def release_unconfirmed() -> None:
    """Every hour: provisional performances not confirmed by their date go back to the pool."""
    from portal.clock import today
    from portal.extensions import db
    from portal.services.performances import release_unconfirmed_performances

    with job_app().app_context():
        release_unconfirmed_performances(today())
        db.session.commit()
