"""A learner's calendar: a file for each booking, a feed of all of them whose address they can renew, and a reminder
e-mail two days before each session they have a place on. The joining link goes only to people with a place."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.domain.training import BookingStatus
from portal.models import OutboxMessage, Role
from portal.services import training_bookings, training_courses
from portal.services.reminders import add_due_reminders, add_training_reminders
from tests.factories import make_user
from tests.integration.pages import post_form
from tests.training_factories import make_learner, make_session

NOW = datetime(2026, 11, 30, 10, tzinfo=UTC)
LINK = "https://meet.example.org/cse-training"
FEED = re.compile(r'href="(http://[^"]+/feeds/learner/\d+/[^"]+\.ics)"')


@pytest.fixture
def online(session):
    """An online session of one place: Ann has it, Bob waits."""
    training_session = make_session(capacity=1, venue_address="", joining_link=LINK, day=date(2026, 12, 14))
    ann, bob = make_learner(), make_learner()
    booked = training_bookings.book(ann, training_session, NOW)
    waiting = training_bookings.book(bob, training_session, NOW + timedelta(minutes=1))
    return training_session, (ann, booked), (bob, waiting)


def events(body: bytes) -> list:
    return list(Calendar.from_ical(body).walk("VEVENT"))


def signed_in(login_as, learner):
    return login_as(learner.user)


def test_a_booking_s_calendar_file_has_the_joining_link_only_with_a_place(online, login_as):
    training_session, (ann, booked), (bob, waiting) = online
    mine = signed_in(login_as, ann).get(f"/learning/bookings/{booked.id}.ics")
    assert mine.status_code == 200 and mine.mimetype == "text/calendar"
    (event,) = events(mine.data)
    assert LINK in str(event["DESCRIPTION"]) and str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART").date() == training_session.day

    theirs = signed_in(login_as, bob).get(f"/learning/bookings/{waiting.id}.ics")
    (event,) = events(theirs.data)
    assert LINK not in theirs.get_data(as_text=True) and str(event["STATUS"]) == "TENTATIVE"


def test_nobody_gets_another_learner_s_calendar_file(online, login_as):
    _, (ann, booked), (bob, _) = online
    assert signed_in(login_as, bob).get(f"/learning/bookings/{booked.id}.ics").status_code == 404


def test_the_learner_s_feed_lists_their_bookings_and_a_new_address_replaces_the_old(online, login_as, anonymous):
    training_session, (ann, booked), _ = online
    browser = signed_in(login_as, ann)
    feed = FEED.search(browser.get("/learning/").get_data(as_text=True)).group(1)
    path = feed.split("//", 1)[1].split("/", 1)[1]
    answer = anonymous.get(f"/{path}")
    assert answer.status_code == 200, (path, answer.status_code)
    (event,) = events(answer.data)
    assert str(event["UID"]).startswith(f"training-booking-{booked.id}@")

    response = post_form(browser, f"/feeds/learner/{ann.id}/reissue", {"next": "/learning/"})
    assert response.status_code == 302
    assert anonymous.get(f"/{path}").status_code == 404
    renewed = FEED.search(browser.get("/learning/").get_data(as_text=True)).group(1)
    assert renewed != feed and anonymous.get("/" + renewed.split("//", 1)[1].split("/", 1)[1]).status_code == 200


def test_a_learner_cannot_renew_another_learner_s_feed(online, login_as):
    _, (ann, _), (bob, _) = online
    response = post_form(signed_in(login_as, bob), f"/feeds/learner/{ann.id}/reissue", {})
    assert response.status_code == 404


def test_a_cancelled_session_shows_cancelled_in_the_feed(online, session):
    from portal.services.training_calendars import learner_feed_ics

    training_session, (ann, _), _ = online
    training_courses.cancel_session(make_user(Role.COUNCIL), training_session, "The trainer is ill", NOW)
    (event,) = events(learner_feed_ics(ann, "portal.example.org"))
    assert str(event["STATUS"]) == "CANCELLED"


def reminders_to(session, address: str) -> list[str]:
    query = select(OutboxMessage.subject).where(
        OutboxMessage.to_address == address, OutboxMessage.subject.like("Reminder%")
    )
    return list(session.scalars(query))


def test_a_learner_with_a_place_is_reminded_two_days_before_once(online, session):
    training_session, (ann, _), (bob, _) = online
    assert add_training_reminders(training_session.day - timedelta(days=3)) == 0
    assert add_due_reminders(training_session.day - timedelta(days=2)) >= 1
    assert add_training_reminders(training_session.day - timedelta(days=1)) == 0  # already reminded
    title = training_session.course.title
    assert reminders_to(session, ann.user.email) == [f"Reminder: {title} in 2 days"]
    assert reminders_to(session, bob.user.email) == []  # waiting: no place to be reminded of


def test_a_missed_run_still_reminds_the_day_before_and_a_moved_session_reminds_again(online, session):
    training_session, (ann, booked), _ = online
    assert add_training_reminders(training_session.day - timedelta(days=1)) == 1
    training_session.day += timedelta(days=7)
    assert add_training_reminders(training_session.day - timedelta(days=2)) == 1
    title = training_session.course.title
    assert reminders_to(session, ann.user.email) == [f"Reminder: {title} tomorrow", f"Reminder: {title} in 2 days"]
    assert booked.status == BookingStatus.BOOKED
