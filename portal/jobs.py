"""Background jobs with Huey: SQLite storage under instance/ by default, Redis when REDIS_URL is set.

Allocation runs go here so a web request never waits for the solver, and a run survives a web worker restart.
Start the consumer with `huey_consumer portal.jobs.huey` (make run does).
"""

from __future__ import annotations

import math
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
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


class RunWatch:
    """The running job's line to the run's page: the best so far written at most once a second (each write is a
    short transaction of its own), and a stop asked for on the page read at most once a second."""

    INTERVAL = 1.0

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.written = self.read = -math.inf
        self.pending: dict | None = None
        self.stopping = False

    def report(self, message: dict) -> None:
        self.pending = message
        if time.monotonic() - self.written >= self.INTERVAL:
            self._write()

    def stop(self) -> bool:
        if not self.stopping and time.monotonic() - self.read >= self.INTERVAL:
            from portal.extensions import db
            from portal.services import allocations

            self.read = time.monotonic()
            if self.pending is not None:
                self._write()
            self.stopping = allocations.stop_requested(self.run_id)
            db.session.commit()  # ends the read, so the job holds no transaction while it searches
        return self.stopping

    def _write(self) -> None:
        from portal.extensions import db
        from portal.services import allocations

        assert self.pending is not None
        allocations.record_progress(self.run_id, self.pending)
        db.session.commit()
        self.written, self.pending = time.monotonic(), None


def perform_allocation_run(run_id: int, deterministic: bool = False) -> None:
    """Solve one queued run: marked running (committed, so the page shows it), solved, then saved.

    Deterministic runs (the demo data) spend a fixed amount of solver work instead of wall-clock time, so every
    installation gets the same allocation."""
    from portal.clock import now
    from portal.extensions import db
    from portal.scheduler import solve
    from portal.services import allocations

    started = allocations.begin_run(run_id, now())
    db.session.commit()
    if started is None:
        return
    instance, time_limit = started
    watch = RunWatch(run_id)
    try:
        allocation = solve(
            instance, time_limit=time_limit, deterministic=deterministic, progress=watch.report, stop=watch.stop
        )
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


def release_lapsed() -> int:
    """Release the performances not confirmed by their date (each freed place offered first to the requests it fits
    best), committed; a second run releases nothing more."""
    from portal.clock import now, today
    from portal.extensions import db
    from portal.services.performances import release_unconfirmed_performances

    released = release_unconfirmed_performances(today(), now())
    db.session.commit()
    return len(released)


@huey.periodic_task(crontab(minute="5", hour="*"))
def release_unconfirmed() -> None:
    """Every hour: provisional performances not confirmed by their date go back to the pool."""
    in_job_app(release_lapsed)


def warn_of_lapses() -> int:
    """Warn the council and the company of performances about to lapse unconfirmed, committed; once each."""
    from portal.clock import now, today
    from portal.extensions import db
    from portal.services.lapses import warn_of_lapsing_performances

    warned = warn_of_lapsing_performances(today(), now())
    db.session.commit()
    return len(warned)


def warm_reach_figures() -> int:
    """Compute the reach figures a change has made stale (all seasons and the seasons not yet over), committed;
    returns the periods looked at."""
    from portal.clock import today
    from portal.database import declare_writes, restore_writes
    from portal.extensions import db
    from portal.services.reach import warm

    # It only reads, and stores what it counted as bookkeeping: on SQLite it computes under a snapshot without the
    # write lock, so writers are not held up for the seconds a national programme's figures take, and each period's
    # figures are committed as soon as they are stored (or left to the next minute if a writer came first).
    declared = declare_writes(False)
    try:
        return warm(today(), after_each=db.session.commit)
    finally:
        restore_writes(declared)


@huey.periodic_task(crontab(minute="*"))
def keep_reach_figures_warm() -> None:
    """Every minute: the dashboard's figures are recomputed here after a change, not on the next officer's view."""
    in_job_app(warm_reach_figures)


@huey.periodic_task(crontab(minute="10", hour="*"))
def warn_unconfirmed() -> None:
    """Every hour: the council and the company hear of performances nearing their confirm-by date unconfirmed."""
    in_job_app(warn_of_lapses)


def lapse_training_offers() -> int:
    """Withdraw the training places offered and not accepted by their deadline, each offered to the next waiting,
    committed; a second run withdraws nothing more."""
    from portal.clock import now
    from portal.extensions import db
    from portal.services.training_bookings import lapse_offers

    lapsed = lapse_offers(now())
    db.session.commit()
    return lapsed


@huey.periodic_task(crontab(minute="15", hour="*"))
def lapse_training() -> None:
    """Every hour: a training place not accepted in time passes to the next person on the waiting list."""
    in_job_app(lapse_training_offers)


def lapse_parent_bookings() -> int:
    """Cancel parents' preview bookings whose confirmation link was not opened in time (they held no seats),
    committed; a second run cancels nothing more."""
    from portal.clock import now
    from portal.extensions import db
    from portal.services.parent_bookings import lapse_unconfirmed

    lapsed = lapse_unconfirmed(now())
    db.session.commit()
    return lapsed


@huey.periodic_task(crontab(minute="25", hour="*"))
def lapse_unconfirmed_parent_bookings() -> None:
    """Every hour: a parent's preview booking never confirmed from its e-mailed link lapses."""
    in_job_app(lapse_parent_bookings)


@dataclass
class Delivery:
    """What one pass over the outbox did."""

    sent: int = 0
    failed: int = 0
    server_down: bool = False


def worker_name() -> str:
    """Who holds a claim: host, process and thread, plus a random part so two passes never share a name."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 100000}:{uuid.uuid4().hex[:8]}"


def deliver_outbox(sender=None, batch_size: int | None = None) -> Delivery:
    """Send every due message: claim a batch (committed), send each, record each result (committed), repeat.

    Stops early when the mail server cannot be reached: the rest keep their place and go on a later pass.
    """
    from flask import current_app

    from portal.clock import now
    from portal.extensions import db
    from portal.mail import MailError, compose, sender_from_config
    from portal.services import outbox

    config = current_app.config
    sender = sender or sender_from_config(config)
    worker, delivery = worker_name(), Delivery()
    while not delivery.server_down:
        claimed = outbox.claim_due(worker, now(), batch_size or outbox.BATCH_SIZE)
        db.session.commit()
        if not claimed:
            break
        for index, message_id in enumerate(claimed):
            message = compose(outbox.envelope(message_id, config["SMTP_SENDER"], config["PORTAL_URL"]))
            db.session.rollback()  # end the read: on SQLite it would hold the write lock while the server talks
            try:
                sender.send(message)
            except MailError as error:
                outbox.record_failure(message_id, worker, now(), str(error))
                delivery.failed += 1
                if error.server_down:
                    delivery.server_down = True
                    outbox.release(claimed[index + 1 :], worker)
                    db.session.commit()
                    break
            else:
                outbox.record_sent(message_id, worker, now())
                delivery.sent += 1
            db.session.commit()
    return delivery


def in_job_app(work) -> None:
    """Run work in the app: the current one in immediate mode (tests), the consumer's own otherwise."""
    if has_app_context():
        work()
        return
    with job_app().app_context():
        work()


@huey.task()
def send_outbox_soon() -> None:
    """Queued by a web request that added a message someone is waiting for (a password reset link)."""
    in_job_app(deliver_outbox)


@huey.periodic_task(crontab(minute="*"))
def send_outbox() -> None:
    """Every minute: send what is due, including retries after a failure."""
    in_job_app(deliver_outbox)


def queue_reminders() -> int:
    """Add the reminders that are due today to the outbox; committed, so running twice adds nothing twice."""
    from portal.clock import today
    from portal.extensions import db
    from portal.services.reminders import add_due_reminders

    added = add_due_reminders(today())
    db.session.commit()
    return added


@huey.periodic_task(crontab(minute="20", hour="*"))
def send_reminders() -> None:
    """Every hour: reminders that have fallen due (each is sent once, whatever the number of runs)."""
    in_job_app(queue_reminders)


def purge_expired_data() -> list[str]:
    """Remove what the retention schedule says has expired, committed; a second run removes nothing more."""
    from portal.clock import now
    from portal.extensions import db
    from portal.services.retention import purge_expired

    report = purge_expired(now())
    db.session.commit()
    return report.lines()


@huey.periodic_task(crontab(minute="40", hour="3"))
def purge_expired_nightly() -> None:
    """Every night at 03:40: the retention schedule the privacy notice publishes."""
    in_job_app(purge_expired_data)
