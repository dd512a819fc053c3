"""Two schools racing for one freed place can never both get it: 20 threads, real transactions, one winner."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from portal import create_app
from portal.config import ROOT, normalise_database_url
from portal.extensions import db
from portal.models import Performance, PerformanceStatus, Request
from portal.models.seasons import SeasonStatus
from portal.services import performances
from tests.conftest import make_test_config
from tests.factories import make_request, make_school, make_season

RACERS = 20


def race_databases():
    yield "sqlite"
    if os.environ.get("TEST_DATABASE_URL"):
        yield "postgresql"


@pytest.fixture(params=list(race_databases()))
def race_app(request, tmp_path):
    """An app on a database of its own, because racing transactions must really commit."""
    if request.param == "postgresql":
        base = normalise_database_url(os.environ["TEST_DATABASE_URL"])
        name = f"race_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'race.db'}"
    app = create_app(make_test_config(tmp_path, url))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(app) -> tuple[int, list[int], int, object, int]:
    """A published season and RACERS schools whose requests all fit one free (cast, day, slot)."""
    with app.app_context():
        season = make_season(status=SeasonStatus.PUBLISHED, cast_names=("Cast A",))
        request_ids = [make_request(make_school(), season, year_groups={9: 60}, days=1).id for _ in range(RACERS)]
        cast_id, slot_id = season.casts[0].id, season.slots[0].id
        day = db.session.get(Request, request_ids[0]).dates[0].day
        db.session.commit()
        return season.id, request_ids, cast_id, day, slot_id


def test_twenty_schools_race_for_one_place_and_exactly_one_wins(race_app):
    _season_id, request_ids, cast_id, day, slot_id = seed(race_app)
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def race(request_id: int) -> None:
        with race_app.app_context():
            request_ = db.session.get(Request, request_id)
            cast = request_.season.casts[0]
            slot = next(s for s in request_.season.slots if s.id == slot_id)
            # End the read transaction: on SQLite it holds the write lock (BEGIN IMMEDIATE) and would stall the rest.
            db.session.rollback()
            barrier.wait()
            try:
                performances.take_offer(None, request_, cast, day, slot, day - timedelta(days=7))
                db.session.commit()
                outcome = "won"
            except (performances.SlotTaken, IntegrityError, OperationalError):
                db.session.rollback()
                outcome = "refused"
            except performances.PerformanceError as error:
                db.session.rollback()
                outcome = f"error: {error}"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=race, args=(request_id,)) for request_id in request_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["refused"] * (RACERS - 1) + ["won"]
    with race_app.app_context():
        active = db.session.scalar(
            select(func.count())
            .select_from(Performance)
            .where(
                Performance.cast_id == cast_id,
                Performance.day == day,
                Performance.slot_id == slot_id,
                Performance.status.notin_([PerformanceStatus.DECLINED, PerformanceStatus.CANCELLED]),
            )
        )
        assert active == 1
