"""Races for training places are settled by the database: twenty learners racing for five places get exactly five,
the rest a waiting-list place each, and one learner booking two sessions of a course at once gets one."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.domain.training import BookingStatus
from portal.extensions import db
from portal.models import Learner, TrainingBooking, TrainingSession
from portal.services import training_bookings
from tests.training_factories import make_course, make_learner, make_session

RACERS = 20
PLACES = 5
NOW = datetime(2026, 11, 30, 10, tzinfo=UTC)


def race(app, calls: list) -> list[str]:
    """Run each (learner_id, session_id) booking in its own thread and transaction, released together."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []
    lock = threading.Lock()

    def one(learner_id: int, session_id: int) -> None:
        with app.app_context():
            learner = db.session.get(Learner, learner_id)
            training_session = db.session.get(TrainingSession, session_id)
            # End the read transaction: on SQLite it holds the write lock (BEGIN IMMEDIATE) and would stall the rest.
            db.session.rollback()
            barrier.wait()
            try:
                outcome = training_bookings.book(learner, training_session, NOW).status.value
                db.session.commit()
            except (training_bookings.AlreadyBooked, OperationalError):
                db.session.rollback()
                outcome = "refused"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=one, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_twenty_learners_race_for_five_places_and_exactly_five_get_one(committing_app):
    with committing_app.app_context():
        session_id = make_session(capacity=PLACES, day=(NOW + timedelta(days=20)).date()).id
        learner_ids = [make_learner().id for _ in range(RACERS)]
        db.session.commit()

    outcomes = race(committing_app, [(learner_id, session_id) for learner_id in learner_ids])

    assert outcomes == ["booked"] * PLACES + ["waiting"] * (RACERS - PLACES)
    with committing_app.app_context():
        booked = db.session.scalar(
            select(func.count())
            .select_from(TrainingBooking)
            .where(TrainingBooking.session_id == session_id, TrainingBooking.status == BookingStatus.BOOKED)
        )
        assert booked == PLACES == db.session.get(TrainingSession, session_id).places_taken


def test_one_learner_booking_many_sessions_of_a_course_at_once_gets_one_place(committing_app):
    with committing_app.app_context():
        course = make_course()
        day = (NOW + timedelta(days=20)).date()
        session_ids = [make_session(course, day=day + timedelta(days=n)).id for n in range(8)]
        learner_id = make_learner().id
        db.session.commit()

    outcomes = race(committing_app, [(learner_id, session_id) for session_id in session_ids])

    assert outcomes == ["booked"] + ["refused"] * 7
    with committing_app.app_context():
        taken = db.session.scalar(
            select(func.sum(TrainingSession.places_taken)).where(TrainingSession.id.in_(session_ids))
        )
        assert taken == 1
