"""A long allocation run from the company's pages: its progress while it works, and stopping it early with the best
allocation found kept."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import event, select

from portal.clock import now
from portal.extensions import db
from portal.jobs import perform_allocation_run
from portal.models import AllocationRun, AuditEvent, Role, RunStatus
from portal.services import allocations
from tests.factories import make_request, make_school, make_season, make_user
from tests.integration.pages import location_path, post_form


@pytest.fixture
def season(session, monkeypatch):
    """A season past its request deadline, with three schools' requests."""
    season = make_season()
    for n in range(3):
        make_request(make_school(latitude=52.0 + n / 10, longitude=-1.3), season, year_groups={9: 60})
    moment = datetime.combine(season.request_deadline + timedelta(days=1), time(10), tzinfo=UTC)
    monkeypatch.setenv("PORTAL_FAKE_NOW", moment.isoformat())
    return season


@pytest.fixture
def company(login_as):
    return login_as(Role.COMPANY)


def queued_run(season, time_limit: int = 120) -> AllocationRun:
    actor = make_user(Role.COMPANY)
    run = allocations.start_run(actor, season, season.request_deadline + timedelta(days=1), time_limit=time_limit)
    db.session.flush()
    return run


def running_run(season, progress: dict | None = None) -> AllocationRun:
    run = queued_run(season)
    run.status, run.started_at = RunStatus.RUNNING, now() - timedelta(seconds=20)
    run.progress = progress
    db.session.flush()
    return run


def run_path(run: AllocationRun) -> str:
    return f"/company/seasons/{run.season_id}/allocation/runs/{run.id}"


def test_a_running_run_shows_the_best_so_far_its_share_and_the_time_left(season, company):
    run = running_run(season, {"seconds": 19.5, "weighted": 540, "bound": 600, "travel_bound": 575})
    page = company.get(run_path(run)).get_data(as_text=True)
    assert '<span data-progress="weighted">540</span> weighted pupils' in page
    assert '<span data-progress="share">93.9%</span>' in page  # of the travel-aware bound, the tighter one
    assert '<span data-progress="seconds-left">100</span> seconds at most' in page
    assert "Stop and keep the best so far" in page
    status = company.get(run_path(run) + "/status").get_json()
    assert status == {
        "status": "running",
        "weighted": 540,
        "share_of_bound": 0.939,
        "seconds_left": 100,
        "stopping": False,
    }


def test_the_progress_polled_and_the_list_of_runs_leave_the_run_s_documents_unread(season, company, session):
    """A national run's instance and allocation take tens of milliseconds to decode; the progress, polled once a
    second while the run works, and the season's list of runs need neither."""
    run = running_run(season, {"seconds": 3.0, "weighted": 100, "bound": 600})
    session.expire_all()
    statements = []
    listen = lambda _conn, _cursor, statement, *_args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert company.get(run_path(run) + "/status").get_json()["weighted"] == 100
        assert company.get(f"/company/seasons/{season.id}/allocation").status_code == 200
        polled = list(statements)
        assert company.get(run_path(run)).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    runs = [statement for statement in polled if "FROM allocation_runs" in statement]
    assert runs and not any("allocation_runs.instance" in statement for statement in runs)
    assert any("allocation_runs.instance" in statement for statement in statements[len(polled) :])


def test_stopping_a_running_run_is_asked_once_and_audited(season, company, session):
    run = running_run(season)
    for _ in range(2):
        response = post_form(company, run_path(run) + "/stop", {})
        assert response.status_code == 302 and location_path(response) == run_path(run)
    session.expire_all()
    assert run.stop_requested_at is not None
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "allocation.stop_requested")).all()
    assert len(events) == 1 and events[0].after == {"run": run.id}
    page = company.get(run_path(run)).get_data(as_text=True)
    assert "finishing with the best allocation it has found" in page
    assert "Stop and keep the best so far" not in page
    assert company.get(run_path(run) + "/status").get_json()["stopping"] is True


@pytest.mark.parametrize(
    "status, message",
    [(RunStatus.QUEUED, "This run has not started yet: discard it instead"), (RunStatus.DONE, "already finished")],
)
def test_only_a_running_run_can_be_stopped(season, company, session, status, message):
    run = queued_run(season)
    run.status = status
    session.flush()
    response = post_form(company, run_path(run) + "/stop", {})
    assert response.status_code == 302
    assert message in company.get(location_path(response)).get_data(as_text=True)
    session.expire_all()
    assert run.stop_requested_at is None and run.status == status


def test_a_school_cannot_stop_the_company_s_run(season, login_as, session):
    run = running_run(season)
    school = login_as(Role.SCHOOL)
    response = post_form(school, run_path(run) + "/stop", {})
    assert response.status_code in (403, 404)
    session.expire_all()
    assert run.stop_requested_at is None


def test_the_job_writes_its_progress_and_a_stop_ends_it_with_a_valid_proposal(season, session):
    run = queued_run(season, time_limit=600)
    run.stop_requested_at = now()  # asked as soon as it starts: the search must not take its ten minutes
    session.flush()
    perform_allocation_run(run.id)
    session.expire_all()
    done = session.get(AllocationRun, run.id)
    assert done.status == RunStatus.DONE
    assert done.progress is not None and done.progress["weighted"] >= 0
    assert done.allocation["performances"] and done.allocation["stats"]["seconds"] < 60
    assert done.pupils_reached == sum(p["pupils"] for p in done.allocation["performances"])
