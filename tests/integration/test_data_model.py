"""The database itself refuses double bookings and out-of-range values; migrations match the models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from portal.config import ROOT
from portal.extensions import db
from portal.models import PerformanceStatus
from tests.factories import make_performance, make_request, make_school, make_season


@pytest.fixture
def booked(session):
    """One season, two schools with requests, and school A's performance by cast A in the first slot of day one."""
    season = make_season()
    request_a, request_b = make_request(make_school(), season), make_request(make_school(), season)
    performance = make_performance(request_a)
    return season, request_a, request_b, performance


def refused(session, make) -> bool:
    """Whether the database refuses the row `make` writes (the test's transaction survives either way)."""
    try:
        with session.begin_nested():
            make()
    except IntegrityError:
        return True
    return False


def test_a_cast_cannot_be_booked_twice_in_one_slot(session, booked):
    season, _request_a, request_b, _performance = booked
    assert refused(session, lambda: make_performance(request_b, cast=season.casts[0]))


def test_a_school_cannot_host_two_performances_in_one_slot(session, booked):
    season, request_a, _request_b, _performance = booked
    assert refused(session, lambda: make_performance(request_a, cast=season.casts[1]))


def test_two_casts_can_perform_at_two_schools_at_the_same_time(session, booked):
    season, _request_a, request_b, _performance = booked
    assert not refused(session, lambda: make_performance(request_b, cast=season.casts[1]))


def test_the_same_cast_and_school_can_use_another_slot(session, booked):
    season, request_a, _request_b, _performance = booked
    assert not refused(session, lambda: make_performance(request_a, slot=season.slots[1]))


@pytest.mark.parametrize("status", [PerformanceStatus.DECLINED, PerformanceStatus.CANCELLED])
def test_declined_and_cancelled_performances_free_their_slot(session, booked, status):
    season, request_a, request_b, performance = booked
    performance.status = status
    session.flush()
    assert not refused(session, lambda: make_performance(request_b, cast=season.casts[0]))
    assert not refused(session, lambda: make_performance(request_a, cast=season.casts[1]))


@pytest.mark.parametrize("status", [PerformanceStatus.CONFIRMED, PerformanceStatus.DELIVERED])
def test_confirmed_and_delivered_performances_hold_their_slot(session, booked, status):
    season, _request_a, request_b, performance = booked
    performance.status = status
    session.flush()
    assert refused(session, lambda: make_performance(request_b, cast=season.casts[0]))


def test_a_raw_sql_insert_is_refused_as_well(session, booked):
    season, _request_a, request_b, performance = booked
    values = dict(
        season_id=season.id,
        request_id=request_b.id,
        school_id=request_b.school_id,
        cast_id=performance.cast_id,
        slot_id=performance.slot_id,
        day=performance.day,
        status="provisional",
    )
    statement = text(
        "INSERT INTO performances (season_id, request_id, school_id, cast_id, slot_id, day, status, pupils_planned,"
        " status_reason, sequence, created_at, updated_at) VALUES (:season_id, :request_id, :school_id, :cast_id,"
        " :slot_id, :day, :status, 30, '', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    assert refused(session, lambda: session.execute(statement, values))
    assert not refused(session, lambda: session.execute(statement, values | {"slot_id": season.slots[1].id}))


def test_both_partial_unique_indexes_exist_after_migrating(session):
    indexes = {index["name"]: index for index in inspect(session.connection()).get_indexes("performances")}
    for name, columns in (
        ("uq_performances_active_cast_slot", ["cast_id", "day", "slot_id"]),
        ("uq_performances_active_school_slot", ["school_id", "day", "slot_id"]),
    ):
        assert name in indexes
        assert indexes[name]["unique"]
        assert indexes[name]["column_names"] == columns


def test_a_performance_must_belong_to_its_requests_school(session, booked):
    season, request_a, request_b, _performance = booked
    assert refused(session, lambda: make_performance(request_a, school_id=request_b.school_id, cast=season.casts[1]))


@pytest.mark.parametrize("priority, ok", [(0, False), (1, True), (3, True), (4, False), (-1, False)])
def test_school_priority_must_be_between_one_and_three(session, priority, ok):
    assert refused(session, lambda: make_school(priority=priority)) is not ok


@pytest.mark.parametrize("staff, ok", [(0, False), (-3, False), (1, True)])
def test_a_request_needs_at_least_one_member_of_staff_in_the_hall(session, staff, ok):
    season = make_season()
    assert refused(session, lambda: make_request(make_school(), season, staff_in_hall=staff)) is not ok


def test_pupil_counts_are_bounded_by_the_database(session):
    season = make_season()
    assert refused(session, lambda: make_request(make_school(), season, year_groups={9: 0}))
    assert refused(session, lambda: make_request(make_school(), season, year_groups={6: 30}))
    assert refused(session, lambda: make_request(make_school(), season, year_groups={9: 1001}))


def test_the_migrations_have_one_head():
    heads = ScriptDirectory(str(ROOT / "migrations")).get_heads()
    assert len(heads) == 1, heads


def test_the_migrated_database_matches_the_models(session):
    context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
    assert compare_metadata(context, db.metadata) == []


def test_sqlite_connections_get_the_durability_pragmas(session, backend):
    if backend != "sqlite":
        pytest.skip("SQLite pragmas")
    connection = session.connection()
    assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_no_production_code_calls_create_all_or_drop_all():
    calls = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(Path(ROOT / "portal").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\b(create_all|drop_all)\s*\(", line)
    ]
    assert calls == [], "the schema comes from migrations only"
