"""Booking training: first come first served, the waiting list, offers with a deadline, cancellation up to the
cut-off, sessions changed or cancelled with everyone booked told by e-mail, and learners approved by domain."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal.domain.training import CANCELLATION_CUT_OFF_HOURS, OFFER_HOURS, BookingStatus, SessionStatus
from portal.models import ApprovalState, OutboxMessage, Role
from portal.services import recovery, training_bookings, training_courses, training_learners, training_lists
from portal.services.accounts import AccountError
from portal.services.training_courses import SessionDetails, TrainingError
from tests.factories import make_user
from tests.training_factories import make_agency, make_course, make_job_role, make_learner, make_session

NOW = datetime(2026, 11, 30, 10, tzinfo=UTC)


def sent_to(session, address: str) -> list[str]:
    query = select(OutboxMessage.subject).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(session.scalars(query))


def details_of(training_session, **changes) -> SessionDetails:
    fields = {
        "day": training_session.day,
        "starts_at": training_session.starts_at,
        "ends_at": training_session.ends_at,
        "capacity": training_session.capacity,
        "venue_address": training_session.venue_address,
        "access_information": training_session.access_information,
        "joining_link": training_session.joining_link,
    }
    return SessionDetails(**{**fields, **changes})


@pytest.fixture
def full_session(session):
    """A session of two places, both booked, with two people waiting (the first joined first)."""
    training_session = make_session(capacity=2, day=(NOW + timedelta(days=14)).date())
    learners = [make_learner() for _ in range(4)]
    bookings = [
        training_bookings.book(learner, training_session, NOW + timedelta(minutes=n))
        for n, learner in enumerate(learners)
    ]
    return training_session, learners, bookings


def test_places_go_first_come_first_served_then_to_the_waiting_list(session, full_session):
    training_session, learners, bookings = full_session
    assert [booking.status for booking in bookings] == [BookingStatus.BOOKED] * 2 + [BookingStatus.WAITING] * 2
    assert training_session.places_taken == 2
    assert sent_to(session, learners[0].user.email) == [f"Your place: {training_session.course.title}"]
    assert sent_to(session, learners[3].user.email) == [f"On the waiting list: {training_session.course.title}"]


def test_a_learner_cannot_hold_two_places_on_one_course(session):
    course = make_course()
    learner = make_learner()
    training_bookings.book(learner, make_session(course), NOW)
    with pytest.raises(training_bookings.AlreadyBooked):
        training_bookings.book(learner, make_session(course), NOW)
    training_bookings.book(learner, make_session(), NOW)  # another course


def test_a_learner_not_yet_approved_cannot_book(session):
    learner = make_learner(make_user(Role.LEARNER, approved=False))
    with pytest.raises(training_bookings.BookingError, match="approved"):
        training_bookings.book(learner, make_session(), NOW)


def test_a_cancelled_place_is_offered_to_the_first_waiting_who_can_accept_it_before_the_deadline(session, full_session):
    training_session, learners, bookings = full_session
    training_bookings.cancel_booking(learners[0].user, bookings[0], NOW)
    assert bookings[0].status == BookingStatus.CANCELLED
    assert bookings[2].status == BookingStatus.OFFERED and bookings[3].status == BookingStatus.WAITING
    assert bookings[2].offer_expires_at == NOW + timedelta(hours=OFFER_HOURS)
    assert training_session.places_taken == 2  # the offered place is held
    assert f"A place is free: {training_session.course.title}" in sent_to(session, learners[2].user.email)
    with pytest.raises(training_bookings.BookingError):
        training_bookings.accept_offer(learners[2], bookings[2], bookings[2].offer_expires_at)
    training_bookings.accept_offer(learners[2], bookings[2], NOW + timedelta(hours=1))
    assert bookings[2].status == BookingStatus.BOOKED


def test_an_offer_not_accepted_in_time_passes_to_the_next_waiting(session, full_session):
    training_session, learners, bookings = full_session
    training_bookings.cancel_booking(learners[1].user, bookings[1], NOW)
    later = NOW + timedelta(hours=OFFER_HOURS)
    assert training_bookings.lapse_offers(later - timedelta(seconds=1)) == 0
    assert training_bookings.lapse_offers(later) == 1
    assert bookings[2].status == BookingStatus.CANCELLED
    assert bookings[3].status == BookingStatus.OFFERED
    assert training_session.places_taken == 2
    assert f"Offer passed on: {training_session.course.title}" in sent_to(session, learners[2].user.email)


def test_a_booked_place_can_be_cancelled_only_up_to_the_cut_off(session, full_session):
    training_session, learners, bookings = full_session
    starts = datetime.combine(training_session.day, training_session.starts_at, tzinfo=UTC)  # GMT in December
    too_late = starts - timedelta(hours=CANCELLATION_CUT_OFF_HOURS) + timedelta(minutes=1)
    with pytest.raises(training_bookings.BookingError, match="contact"):
        training_bookings.cancel_booking(learners[0].user, bookings[0], too_late)
    council = make_user(Role.COUNCIL)
    training_bookings.cancel_booking(council, bookings[0], too_late, by_learner=False)
    assert bookings[0].status == BookingStatus.CANCELLED
    training_bookings.cancel_booking(learners[3].user, bookings[3], too_late)  # waiting: at any time


def test_a_bigger_session_offers_its_new_places_to_those_waiting(session, full_session):
    training_session, _learners, bookings = full_session
    council = make_user(Role.COUNCIL)
    training_courses.change_session(council, training_session, details_of(training_session, capacity=3), NOW)
    assert [booking.status for booking in bookings[2:]] == [BookingStatus.OFFERED, BookingStatus.WAITING]
    with pytest.raises(TrainingError, match="already taken"):
        training_courses.change_session(council, training_session, details_of(training_session, capacity=2), NOW)


def test_everyone_booked_is_told_when_a_session_moves_and_only_those_with_a_place_get_the_joining_link(
    session, full_session
):
    training_session, learners, _bookings = full_session
    council = make_user(Role.COUNCIL)
    online = details_of(training_session, venue_address="", joining_link="https://meet.example.org/cse-42")
    training_courses.change_session(council, training_session, online, NOW)
    assert training_session.online and training_session.sequence == 1
    subject = f"Changed: {training_session.course.title}"
    messages = {
        learner.user.email: session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.to_address == learner.user.email, OutboxMessage.subject == subject
            )
        )
        for learner in learners
    }
    assert "https://meet.example.org/cse-42" in messages[learners[0].user.email].body_text
    assert "https://meet.example.org/cse-42" not in messages[learners[3].user.email].body_text
    training_courses.change_session(council, training_session, online, NOW)  # nothing changed: nobody told again
    assert len(sent_to(session, learners[0].user.email)) == 2


def test_a_cancelled_session_cancels_every_booking_and_tells_everyone(session, full_session):
    training_session, learners, bookings = full_session
    council = make_user(Role.COUNCIL)
    with pytest.raises(TrainingError):
        training_courses.cancel_session(council, training_session, " ", NOW)
    assert training_courses.cancel_session(council, training_session, "The trainer is ill", NOW) == 4
    assert training_session.status == SessionStatus.CANCELLED and training_session.places_taken == 0
    assert {booking.status for booking in bookings} == {BookingStatus.CANCELLED}
    for learner in learners:
        assert f"Session cancelled: {training_session.course.title}" in sent_to(session, learner.user.email)
    with pytest.raises(training_bookings.BookingError, match="cancelled"):
        training_bookings.book(make_learner(), training_session, NOW)


def test_a_session_needs_a_venue_or_an_https_joining_link_and_its_end_after_its_start(session):
    council, course = make_user(Role.COUNCIL), make_course()
    day = (NOW + timedelta(days=10)).date()
    base = {"day": day, "starts_at": time(9), "ends_at": time(12), "capacity": 10}
    with pytest.raises(TrainingError):
        training_courses.create_session(council, course, SessionDetails(**base))
    with pytest.raises(TrainingError):
        training_courses.create_session(council, course, SessionDetails(**base, joining_link="http://meet.example"))
    with pytest.raises(TrainingError):
        training_courses.create_session(
            council, course, SessionDetails(**{**base, "ends_at": time(9)}, venue_address="Hall")
        )
    created = training_courses.create_session(council, course, SessionDetails(**base, venue_address="County Hall"))
    assert created.places_taken == 0 and created.status == SessionStatus.SCHEDULED


def registration(email: str):
    details = training_learners.LearnerDetails(
        organisation="Thames Valley Police", agency=make_agency(), job_role=make_job_role(), district="Cherwell"
    )
    return training_learners.register_learner(
        email=email, password="a long enough passphrase 42", full_name="Sam Learner", details=details
    )


def test_a_learner_on_a_listed_domain_is_approved_once_their_address_is_confirmed(session):
    training_lists.add_domain(None, "police.uk")
    user = registration("Sam@ThamesValley.Police.uk")
    assert user.role == Role.LEARNER and user.approval_state == ApprovalState.PENDING
    token = recovery._issue(user, recovery.VERIFY, NOW)
    recovery.verify_email(token, NOW)
    assert user.approval_state == ApprovalState.APPROVED
    assert "You can book CSE training" in sent_to(session, user.email)


def test_a_learner_elsewhere_waits_for_a_council_officer(session):
    training_lists.add_domain(None, "police.uk")
    user = registration("sam@example.com")
    assert user in training_learners.pending_learners()
    officer = make_user(Role.COUNCIL)
    with pytest.raises(AccountError, match="confirmed"):
        training_learners.decide_learner(officer, user, approve=True, reason="", now=NOW)
    recovery.verify_email(recovery._issue(user, recovery.VERIFY, NOW), NOW)
    assert user.approval_state == ApprovalState.PENDING
    training_learners.decide_learner(officer, user, approve=True, reason="", now=NOW)
    assert user.approval_state == ApprovalState.APPROVED


def test_registering_an_address_that_has_an_account_creates_nothing_and_tells_its_owner(session):
    owner = make_user(Role.COUNCIL)
    assert registration(owner.email) is None
    assert sent_to(session, owner.email)


def test_school_staff_join_the_training_with_their_account(session):
    staff = make_user(Role.SCHOOL)
    details = training_learners.LearnerDetails("Alder School", make_agency(), make_job_role(), "Cherwell")
    learner = training_learners.join_as_school_staff(staff, details)
    assert training_learners.join_as_school_staff(staff, details) is learner
    assert training_bookings.book(learner, make_session(), NOW).status == BookingStatus.BOOKED


def test_a_booking_is_found_only_for_its_own_learner(session, full_session):
    _training_session, learners, bookings = full_session
    assert training_bookings.booking_of(learners[0], bookings[0].id) is bookings[0]
    assert training_bookings.booking_of(learners[1], bookings[0].id) is None


def test_a_trainer_manages_only_their_own_sessions(session):
    trainer, other = make_user(Role.TRAINER), make_user(Role.TRAINER)
    theirs = make_session(trainer=trainer)
    assert training_courses.session_for(trainer, theirs.id) is theirs
    assert training_courses.session_for(other, theirs.id) is None
    assert training_courses.session_for(make_user(Role.COUNCIL), theirs.id) is theirs
    assert training_courses.session_for(make_user(Role.LEARNER), theirs.id) is None


def test_the_default_lists_are_made_once(session):
    training_lists.ensure_default_lists()
    training_lists.ensure_default_lists()
    names = [agency.name for agency in training_lists.agencies()]
    assert "Taxi and private hire licensing" in names and len(names) == len(set(names))
    with pytest.raises(training_lists.ListError):
        training_lists.add_agency(None, "Police")


def test_flask_training_lapse_offers_withdraws_offers_past_their_deadline_once(app, session, full_session, monkeypatch):
    training_session, learners, bookings = full_session
    training_bookings.cancel_booking(learners[0].user, bookings[0], NOW)
    runner = app.test_cli_runner()
    monkeypatch.setenv("PORTAL_FAKE_NOW", (bookings[2].offer_expires_at + timedelta(minutes=1)).isoformat())
    assert "Withdrew 1 " in runner.invoke(args=["training", "lapse-offers"]).output
    assert "Withdrew 0 " in runner.invoke(args=["training", "lapse-offers"]).output
    session.refresh(bookings[3])
    assert bookings[3].status == BookingStatus.OFFERED


def test_flask_training_default_lists(app, session):
    assert "listed" in app.test_cli_runner().invoke(args=["training", "default-lists"]).output
    assert len(training_lists.job_roles()) == len(training_lists.DEFAULT_JOB_ROLES)


def test_the_place_and_offer_emails_link_to_the_learner_s_booking_page(session, full_session):
    training_session, learners, bookings = full_session

    def last_body(address: str) -> str:
        query = select(OutboxMessage.body_text).where(OutboxMessage.to_address == address)
        return session.scalars(query.order_by(OutboxMessage.id.desc())).first()

    assert f"/learning/bookings/{bookings[0].id}" in last_body(learners[0].user.email)  # give the place up here
    training_bookings.cancel_booking(learners[0].user, bookings[0], NOW)
    assert f"/learning/bookings/{bookings[2].id}" in last_body(learners[2].user.email)  # accept the offer here
