"""The training pages: council officers add a course and its sessions, change and cancel them; learners register,
book, join a waiting list, accept and cancel; trainers see their own sessions; nobody sees another's booking."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.clock import today
from portal.domain.training import BookingStatus, SessionStatus
from portal.models import OutboxMessage, Role, TrainingCourse, TrainingSession, User
from portal.services import training_bookings, training_learners
from tests.factories import make_user
from tests.integration.pages import location_path, post_form
from tests.training_factories import make_agency, make_course, make_job_role, make_learner, make_session


def session_form(**overrides) -> dict:
    day = today() + timedelta(days=21)
    data = {
        "day": [str(day.day), str(day.month), str(day.year)],
        "starts_at": "09:30",
        "ends_at": "12:30",
        "capacity": "12",
        "venue_address": "County Hall, New Road, Oxford",
        "access_information": "Step-free entrance",
        "joining_link": "",
        "trainer_id": "0",
    }
    data.update(overrides)
    return data


def test_a_council_officer_adds_a_course_and_a_session_learners_can_book(login_as, session):
    client = login_as(Role.COUNCIL)
    response = post_form(
        client,
        "/training/courses/new",
        {
            "title": "Multi-agency CSE",
            "level": "multi_agency",
            "length_minutes": "360",
            "learning_outcomes": "Share concerns across agencies",
            "audience": "Those who act on concerns",
        },
    )
    course = session.scalar(select(TrainingCourse).where(TrainingCourse.title == "Multi-agency CSE"))
    assert location_path(response) == f"/training/courses/{course.id}"
    trainer = make_user(Role.TRAINER)
    response = post_form(
        client, f"/training/courses/{course.id}/sessions/new", session_form(trainer_id=str(trainer.id))
    )
    training_session = session.scalar(select(TrainingSession).where(TrainingSession.course_id == course.id))
    assert location_path(response) == f"/training/sessions/{training_session.id}"
    assert training_session.trainer_id == trainer.id and training_session.capacity == 12
    assert "Multi-agency CSE" in login_as(make_learner().user).get("/learning/").get_data(as_text=True)


def test_a_session_form_with_neither_venue_nor_link_is_shown_again_with_the_error(login_as, session):
    client = login_as(Role.COUNCIL)
    course = make_course()
    response = post_form(client, f"/training/courses/{course.id}/sessions/new", session_form(venue_address=""))
    assert response.status_code == 200
    assert "Enter the venue" in response.get_data(as_text=True)
    assert session.scalar(select(TrainingSession).where(TrainingSession.course_id == course.id)) is None


def test_a_learner_books_sees_the_joining_link_with_a_place_and_cancels(login_as, session):
    learner = make_learner()
    online = make_session(capacity=1, venue_address="", joining_link="https://meet.example.org/cse-7")
    client = login_as(learner.user)
    response = post_form(client, f"/learning/sessions/{online.id}/book")
    booking = training_bookings.bookings_of(learner)[0]
    assert location_path(response) == f"/learning/bookings/{booking.id}"
    assert "https://meet.example.org/cse-7" in client.get(f"/learning/bookings/{booking.id}").get_data(as_text=True)

    waiting = make_learner()
    other = login_as(waiting.user)
    post_form(other, f"/learning/sessions/{online.id}/book")
    waiting_booking = training_bookings.bookings_of(waiting)[0]
    assert waiting_booking.status == BookingStatus.WAITING
    page = other.get(f"/learning/bookings/{waiting_booking.id}").get_data(as_text=True)
    assert "https://meet.example.org/cse-7" not in page

    post_form(client, f"/learning/bookings/{booking.id}/cancel")
    session.refresh(waiting_booking)
    assert waiting_booking.status == BookingStatus.OFFERED
    post_form(other, f"/learning/bookings/{waiting_booking.id}/accept")
    session.refresh(waiting_booking)
    assert waiting_booking.status == BookingStatus.BOOKED


def test_another_learners_booking_is_not_found(login_as, session):
    theirs = training_bookings.book(make_learner(), make_session(), today_moment())
    client = login_as(make_learner().user)
    assert client.get(f"/learning/bookings/{theirs.id}").status_code == 404
    assert post_form(client, f"/learning/bookings/{theirs.id}/cancel").status_code == 404
    session.refresh(theirs)
    assert theirs.status == BookingStatus.BOOKED


def test_a_trainer_sees_their_own_sessions_only(login_as):
    trainer = make_user(Role.TRAINER)
    mine, other = make_session(trainer=trainer), make_session()
    client = login_as(trainer)
    assert mine.course.title in client.get("/training/").get_data(as_text=True)
    assert client.get(f"/training/sessions/{mine.id}").status_code == 200
    assert client.get(f"/training/sessions/{other.id}").status_code == 404
    assert client.get(f"/training/sessions/{mine.id}/edit").status_code == 403


def test_a_council_officer_cancels_a_session_and_everyone_booked_is_emailed(login_as, session):
    training_session = make_session()
    learner = make_learner()
    training_bookings.book(learner, training_session, today_moment())
    client = login_as(Role.COUNCIL)
    response = post_form(client, f"/training/sessions/{training_session.id}/cancel", {"reason": "The venue flooded"})
    assert location_path(response) == f"/training/courses/{training_session.course_id}"
    session.refresh(training_session)
    assert training_session.status == SessionStatus.CANCELLED
    subjects = session.scalars(select(OutboxMessage.subject).where(OutboxMessage.to_address == learner.user.email))
    assert f"Session cancelled: {training_session.course.title}" in list(subjects)


def test_someone_who_works_with_children_registers_and_confirms_their_address(anonymous, session):
    agency, job_role = make_agency("Police"), make_job_role("Police officer")
    response = post_form(
        anonymous,
        "/learning/register",
        {
            "full_name": "Sam Officer",
            "email": "sam.officer@example.org",
            "organisation": "Thames Valley Police",
            "agency_id": str(agency.id),
            "job_role_id": str(job_role.id),
            "district": "Cherwell",
            "password": "correct horse battery staple 9",
        },
    )
    assert location_path(response) == "/learning/register/sent"
    user = session.scalar(select(User).where(User.email == "sam.officer@example.org"))
    assert user.role == Role.LEARNER and training_learners.learner_of(user).agency_id == agency.id
    assert session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == user.email)) is not None


def test_registration_without_an_agency_shows_the_error(anonymous, session):
    response = post_form(anonymous, "/learning/register", {"full_name": "Sam", "agency_id": "0"})
    assert response.status_code == 200
    assert "Select your agency" in response.get_data(as_text=True)


def test_school_staff_give_their_details_once_then_book(login_as, session):
    staff = make_user(Role.SCHOOL)
    client = login_as(staff)
    assert location_path(client.get("/learning/")) == "/learning/join"
    agency, job_role = make_agency(), make_job_role()
    response = post_form(
        client,
        "/learning/join",
        {"organisation": staff.school.name, "agency_id": agency.id, "job_role_id": job_role.id, "district": "Cherwell"},
    )
    assert location_path(response) == "/learning/"
    training_session = make_session()
    post_form(client, f"/learning/sessions/{training_session.id}/book")
    assert training_bookings.bookings_of(training_learners.learner_of(staff))[0].status == BookingStatus.BOOKED


def today_moment():
    from portal.clock import now

    return now()


def test_a_council_officer_approves_a_learner_from_the_queue(login_as, session):
    from datetime import UTC, datetime

    user = make_user(Role.LEARNER, approved=False, email_verified_at=datetime.now(UTC))
    make_learner(user, organisation="Banbury Taxis")
    client = login_as(Role.COUNCIL)
    assert user.full_name in client.get("/training/learners").get_data(as_text=True)
    assert "Banbury Taxis" in client.get(f"/training/learners/{user.id}").get_data(as_text=True)
    response = post_form(client, f"/training/learners/{user.id}", {"decision": "approve", "reason": ""})
    assert location_path(response) == "/training/learners"
    session.refresh(user)
    assert user.is_approved
    assert client.get(f"/training/learners/{user.id}").status_code == 404  # decided: no longer in the queue


def test_a_council_officer_lists_and_removes_domains_approved_at_once(login_as, session):
    from portal.services import training_lists

    client = login_as(Role.COUNCIL)
    assert location_path(post_form(client, "/training/domains", {"domain": "@Police.UK"})) == "/training/domains"
    domain = training_lists.email_domains()[0]
    assert domain.domain == "police.uk"
    assert post_form(client, "/training/domains", {"domain": "police.uk"}).status_code == 200  # already listed
    post_form(client, f"/training/domains/{domain.id}/remove")
    assert training_lists.listed_domains() == []
