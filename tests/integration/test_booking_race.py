"""Two schools racing for one freed place can never both get it: 20 threads, real transactions, one winner."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

from portal.extensions import db
from portal.models import Performance, PerformanceStatus, Request
from portal.models.seasons import SeasonStatus
from portal.services import performances
from tests.factories import make_request, make_school, make_season

RACERS = 20


def seed(app) -> tuple[int, list[int], int, object, int]:
    """A published season and RACERS schools whose requests all fit one free (cast, day, slot)."""
    with app.app_context():
        season = make_season(status=SeasonStatus.PUBLISHED, cast_names=("Cast A",))
        request_ids = [make_request(make_school(), season, year_groups={9: 60}, days=1).id for _ in range(RACERS)]
        cast_id, slot_id = season.casts[0].id, season.slots[0].id
        day = db.session.get(Request, request_ids[0]).dates[0].day
        db.session.commit()
        return season.id, request_ids, cast_id, day, slot_id


def test_twenty_schools_race_for_one_place_and_exactly_one_wins(committing_app):
    _season_id, request_ids, cast_id, day, slot_id = seed(committing_app)
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def race(request_id: int) -> None:
        with committing_app.app_context():
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
    with committing_app.app_context():
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
