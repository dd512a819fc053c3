"""The database itself keeps the training rules that races could break: places within the capacity, one live place
per learner per course, a venue or a joining link, and a booking's course its session's."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text, update
from sqlalchemy.exc import IntegrityError

from portal.domain.training import LIVE_STATUSES, BookingStatus
from portal.models import Role, TrainingBooking, TrainingSession
from portal.models.training import LIVE
from portal.services.retention import REMOVED, anonymise_user
from tests.factories import make_user
from tests.training_factories import make_course, make_learner, make_session

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def refused(session, write) -> bool:
    """Whether the database refuses what `write` does (the test's transaction survives either way)."""
    try:
        with session.begin_nested():
            write()
            session.flush()
    except IntegrityError:
        return True
    return False


def book(session, training_session, learner, status=BookingStatus.BOOKED, **fields):
    booking = TrainingBooking(
        session_id=training_session.id, course_id=training_session.course_id, learner=learner, status=status, **fields
    )
    session.add(booking)
    return booking


def test_the_models_spell_the_live_statuses_as_the_rules_do():
    live = ", ".join(f"'{status}'" for status in BookingStatus if status in LIVE_STATUSES)
    assert str(LIVE) == f"status IN ({live})"


def test_places_taken_can_never_pass_the_capacity(session):
    training_session = make_session(capacity=2)
    add_place = update(TrainingSession).where(TrainingSession.id == training_session.id)
    assert not refused(session, lambda: session.execute(add_place.values(places_taken=2)))
    assert refused(session, lambda: session.execute(add_place.values(places_taken=3)))
    assert refused(session, lambda: session.execute(add_place.values(capacity=1)))
    assert refused(session, lambda: session.execute(add_place.values(places_taken=-1)))


def test_a_session_has_a_venue_or_a_joining_link_never_both_nor_neither(session):
    assert refused(session, lambda: make_session(venue_address="", joining_link=""))
    assert refused(session, lambda: make_session(joining_link="https://meet.example.org/cse"))
    assert not refused(session, lambda: make_session(venue_address="", joining_link="https://meet.example.org/cse"))


def test_a_cancelled_session_says_why(session):
    assert refused(session, lambda: make_session(status="cancelled"))
    assert not refused(session, lambda: make_session(status="cancelled", cancel_reason="The trainer is ill"))


def test_a_learner_holds_one_live_place_per_course_at_a_time(session):
    course = make_course()
    first, second = make_session(course), make_session(course)
    learner = make_learner()
    book(session, first, learner)
    session.flush()
    for status in LIVE_STATUSES:
        assert refused(session, lambda status=status: book(session, second, learner, status, offer_expires_at=NOW))
    assert not refused(session, lambda: book(session, second, learner, BookingStatus.CANCELLED))
    assert not refused(session, lambda: book(session, make_session(), learner))  # another course


def test_a_cancelled_or_attended_place_leaves_the_learner_free_to_book_the_course_again(session):
    course = make_course()
    learner = make_learner()
    book(session, make_session(course), learner, BookingStatus.ATTENDED)
    book(session, make_session(course), learner, BookingStatus.CANCELLED)
    assert not refused(session, lambda: book(session, make_session(course), learner))


def test_an_offer_has_a_deadline(session):
    learner = make_learner()
    assert refused(session, lambda: book(session, make_session(), learner, BookingStatus.OFFERED))


def test_a_bookings_course_is_its_sessions(session):
    training_session, other_course = make_session(), make_course()
    learner = make_learner()

    def mismatched():
        session.add(
            TrainingBooking(session_id=training_session.id, course_id=other_course.id, learner=learner, status="booked")
        )

    assert refused(session, mismatched)


def test_trainers_and_learners_have_accounts_of_their_own(session):
    assert make_user(Role.TRAINER).role == Role.TRAINER
    assert make_user(Role.LEARNER).school is None
    assert refused(session, lambda: session.execute(text("UPDATE users SET role = 'visitor'")))


def test_the_partial_unique_index_is_in_the_database(session):
    indexes = {index["name"]: index for index in inspect(session.connection()).get_indexes("training_bookings")}
    assert indexes["uq_training_bookings_live_learner_course"]["unique"]


def test_erasing_a_learner_removes_their_organisation_and_keeps_what_staff_trained_are_counted_by(session):
    learner = make_learner(organisation="Banbury Youth Club", district="Cherwell")
    anonymise_user(learner.user, NOW)
    session.flush()
    session.refresh(learner)
    assert learner.organisation == REMOVED
    assert (learner.district, learner.agency_id is not None) == ("Cherwell", True)
