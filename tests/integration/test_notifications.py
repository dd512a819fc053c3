"""Each e-mail is written to the outbox by the change that causes it, to the right people, with the right content."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.clock import today
from portal.extensions import db
from portal.jobs import perform_allocation_run
from portal.models import OutboxMessage, PerformanceStatus, Role
from portal.models.seasons import SeasonStatus
from portal.services import accounts, allocations, notifications, performances, place_search, reminders
from tests.factories import make_performance, make_request, make_school, make_season, make_user

AFTER_DEADLINE = today() + timedelta(days=20)
PORTAL_URL = "http://127.0.0.1:5000"


def messages_to(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def subjects_to(address: str) -> list[str]:
    return [message.subject for message in messages_to(address)]


def only_message(address: str, subject_start: str) -> OutboxMessage:
    found = [m for m in messages_to(address) if m.subject.startswith(subject_start)]
    assert len(found) == 1, f"{address}: {subjects_to(address)}"
    return found[0]


@pytest.fixture
def company(session):
    return make_user(Role.COMPANY)


@pytest.fixture
def booking(session):
    """A school with two approved staff (one without reminders), a pending one, and a provisional performance."""
    school = make_school(name="Hazel Academy")
    staff = make_user(Role.SCHOOL, school=school)
    quiet = make_user(Role.SCHOOL, school=school, wants_reminders=False)
    pending = make_user(Role.SCHOOL, school=school, approved=False)
    season = make_season()
    request_ = make_request(school, season, dsl_email="dsl.hazel@example.org", dsl_name="Dee Hazel")
    performance = make_performance(request_, confirm_by=today() + timedelta(days=10))
    return school, staff, quiet, pending, performance


def test_a_new_school_account_tells_the_council_and_asks_to_confirm_the_address(session, anonymous):
    from tests.integration.pages import post_form

    council = make_user(Role.COUNCIL)
    school = make_school(name="Larch High")
    response = post_form(
        anonymous,
        "/register",
        {
            "school": school.urn,
            "full_name": "Robin Teacher",
            "job_title": "DSL",
            "email": "robin.teacher@example.org",
            "phone": "01632 960 111",
            "password": "lantern orchard velvet 9",
        },
    )
    assert response.status_code == 302
    waiting = only_message(council.email, "New school account to approve: Larch High")
    user = accounts.find_user_by_email("robin.teacher@example.org")
    assert f"{PORTAL_URL}/council/approvals/{user.id}" in waiting.body_text
    assert f'href="{PORTAL_URL}/council/approvals/{user.id}"' in waiting.body_html
    verify = only_message("robin.teacher@example.org", "Confirm your email address")
    assert f"{PORTAL_URL}/verify-email/" in verify.body_text


def test_approval_and_refusal_are_each_sent_to_the_applicant(session):
    council = make_user(Role.COUNCIL)
    approved = make_user(Role.SCHOOL, approved=False, email_verified_at=datetime.now(UTC))
    refused = make_user(Role.SCHOOL, approved=False)
    accounts.decide_approval(council, approved, approve=True)
    accounts.decide_approval(council, refused, approve=False, reason="Not a school in the county")
    assert subjects_to(approved.email) == ["Your account has been approved"]
    refusal = only_message(refused.email, "Your account request")
    assert "Not a school in the county" in refusal.body_text and "Not a school in the county" in refusal.body_html


def test_publishing_tells_each_school_its_provisional_performances_and_confirm_by_date(company):
    season = make_season()
    request_ = make_request(season=season, year_groups={9: 60})
    staff = make_user(Role.SCHOOL, school=request_.school)
    run = allocations.start_run(company, season, AFTER_DEADLINE, time_limit=2)
    perform_allocation_run(run.id)
    confirm_by = AFTER_DEADLINE + timedelta(days=7)
    created = allocations.publish_run(company, run, confirm_by, AFTER_DEADLINE)
    message = only_message(staff.email, "Your provisional performances")
    assert f"{confirm_by:%-d %B %Y}" in message.body_text
    for performance in created:
        assert f"{PORTAL_URL}/school/performances/{performance.id}" in message.body_text


def test_confirming_sends_the_calendar_entry_to_staff_and_the_dsl_but_not_to_unapproved_staff(booking):
    school, staff, quiet, pending, performance = booking
    performances.confirm_performance(staff, performance, today())
    for address in (staff.email, quiet.email, "dsl.hazel@example.org"):  # essential: sent even with reminders off
        message = only_message(address, "Performance confirmed")
        assert message.attachments[0]["filename"] == "performance.ics"
        calendar = Calendar.from_ical(base64.b64decode(message.attachments[0]["data_base64"]))
        assert [str(event["STATUS"]) for event in calendar.events] == ["CONFIRMED"]
        assert f"{PORTAL_URL}/school/performances/{performance.id}" in message.body_html
    assert messages_to(pending.email) == []
    assert only_message("dsl.hazel@example.org", "Performance confirmed").body_text.startswith("Dear Dee Hazel,")


def test_a_school_declining_tells_the_company(booking, company):
    _school, staff, *_rest, performance = booking
    performances.decline_performance(staff, performance, "Exams in the hall")
    message = only_message(company.email, "Hazel Academy declined")
    assert "declined its provisional" in message.body_text and "Exams in the hall" in message.body_text
    assert f"{PORTAL_URL}/company/performances/{performance.id}" in message.body_text


def test_with_a_team_mailbox_set_the_company_is_told_there_instead_of_each_member(app, monkeypatch, booking, company):
    monkeypatch.setitem(app.config, "TEAM_MAILBOXES", {"company": "bookings@theatre.example.org"})
    _school, staff, *_rest, performance = booking
    performances.decline_performance(staff, performance, "Exams in the hall")
    message = only_message("bookings@theatre.example.org", "Hazel Academy declined")
    assert message.body_text.splitlines()[0] == "Hello,"
    assert messages_to(company.email) == []


def test_a_school_cancelling_a_confirmed_performance_tells_the_company_it_was_confirmed(booking, company):
    _school, staff, *_rest, performance = booking
    performances.confirm_performance(staff, performance, today())
    performances.decline_performance(staff, performance, "Closure")
    assert "cancelled its confirmed" in only_message(company.email, "Hazel Academy declined").body_text


def test_an_unconfirmed_performance_released_is_told_to_the_school_once(booking):
    _school, staff, *_rest, performance = booking
    late = performance.confirm_by + timedelta(days=1)
    performances.release_unconfirmed_performances(late)
    performances.release_unconfirmed_performances(late)
    message = only_message(staff.email, "Performance released")
    assert "offered to other schools" in message.body_text


def test_taking_a_freed_place_tells_the_company_and_confirms_to_the_school(company):
    season = make_season(status=SeasonStatus.PUBLISHED)
    request_ = make_request(season=season, year_groups={9: 60})
    staff = make_user(Role.SCHOOL, school=request_.school)
    offer = place_search.offers_for_request(request_, today())[0]
    taken = performances.take_offer(staff, request_, offer.cast, offer.day, offer.slot, today())
    assert only_message(company.email, "Freed place taken").body_text.count(request_.school.name) >= 1
    assert only_message(staff.email, "Performance confirmed").attachments
    assert f"/school/performances/{taken.id}" in only_message(staff.email, "Performance confirmed").body_text


def test_moving_and_cancelling_tell_the_school_with_an_updated_calendar_entry(booking, company):
    _school, staff, _quiet, _pending, performance = booking
    old_when = notifications.when(performance)
    new_slot = performance.season.slots[1]
    performances.move_performance(
        company, performance, performance.cast, performance.day, new_slot, "Cast change", today()
    )
    moved = only_message(staff.email, "Performance moved")
    assert f"from {old_when}" in moved.body_text and "Cast change" in moved.body_text
    performances.cancel_performance(company, performance, "Cast ill")
    cancelled = only_message(staff.email, "Performance cancelled")
    calendar = Calendar.from_ical(base64.b64decode(cancelled.attachments[0]["data_base64"]))
    assert [str(event["STATUS"]) for event in calendar.events] == ["CANCELLED"]
    assert "Cast ill" in cancelled.body_html


def test_header_injection_in_a_school_name_adds_no_header(session, company):
    school = make_school(name="Evil\r\nBcc: x@evil.example")
    request_ = make_request(school)
    performance = make_performance(request_)
    performances.decline_performance(make_user(Role.SCHOOL, school=school), performance, "")
    message = messages_to(company.email)[0]
    assert "\n" not in message.subject and "\r" not in message.subject


def test_escaping_in_the_html_body(booking, company):
    _school, staff, *_rest, performance = booking
    performances.decline_performance(staff, performance, "<script>alert(1)</script>")
    message = only_message(company.email, "Hazel Academy declined")
    assert "<script>" not in message.body_html and "&lt;script&gt;" in message.body_html


# Reminders


def test_the_confirm_reminder_comes_three_working_days_before_and_respects_preferences(booking):
    _school, staff, quiet, _pending, performance = booking
    reminder_day = reminders.working_days_before(performance.confirm_by, 3)
    assert reminders.add_due_reminders(reminder_day - timedelta(days=1)) == 0
    assert reminders.add_due_reminders(reminder_day) == 1
    assert reminders.add_due_reminders(reminder_day) == 0  # idempotent: nothing twice
    message = only_message(staff.email, "Reminder: confirm your performances")
    assert f"{PORTAL_URL}/account" in message.body_text  # where to turn reminders off
    assert messages_to(quiet.email) == []


def test_working_days_skip_weekends_and_bank_holidays():
    from datetime import date

    assert reminders.working_days_before(date(2026, 1, 5), 3) == date(2025, 12, 30)  # Mon: skips 1 Jan and a weekend
    assert reminders.working_days_before(date(2026, 3, 12), 3) == date(2026, 3, 9)


def test_the_week_before_reminder_carries_the_dsl_checklist_once(booking):
    _school, staff, quiet, _pending, performance = booking
    performance.status = PerformanceStatus.CONFIRMED
    db.session.flush()
    week_before = performance.day - timedelta(days=7)
    assert reminders.add_performance_reminders(week_before - timedelta(days=1)) == 0
    assert reminders.add_performance_reminders(week_before) == 2  # the staff member and the DSL
    assert reminders.add_performance_reminders(week_before + timedelta(days=1)) == 0
    message = only_message(staff.email, "In a week")
    for item in notifications.DSL_CHECKLIST:
        assert item in message.body_text and item in message.body_html
    assert messages_to(quiet.email) == []
    assert only_message("dsl.hazel@example.org", "In a week")


def test_after_a_delivered_performance_the_school_gets_the_lesson_pack_link_once(booking):
    _school, staff, _quiet, _pending, performance = booking
    performance.status = PerformanceStatus.DELIVERED
    db.session.flush()
    assert reminders.add_follow_ups(performance.day) == 2
    assert reminders.add_follow_ups(performance.day + timedelta(days=1)) == 0
    message = only_message(staff.email, "After the drama")
    assert f"{PORTAL_URL}/school/performances/{performance.id}" in message.body_text
    assert "record" in message.body_text


def test_flask_reminders_send_twice_sends_nothing_twice(app, booking, monkeypatch):
    _school, staff, *_rest, performance = booking
    reminder_day = reminders.working_days_before(performance.confirm_by, 3)
    monkeypatch.setenv("PORTAL_FAKE_NOW", f"{reminder_day.isoformat()}T12:00:00+00:00")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send"])
    second = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0 and "Added 1 reminder" in first.output
    assert "Added 0 reminder" in second.output
    assert len(messages_to(staff.email)) == 1


def test_every_message_signposts_the_cse_team_from_the_admins_settings(session):
    from portal.services import settings

    settings.set_setting(make_user(Role.ADMIN), "cse_team_phone", "01632 960 999")
    applicant = make_user(Role.SCHOOL, approved=False, email_verified_at=datetime.now(UTC))
    accounts.decide_approval(make_user(Role.COUNCIL), applicant, approve=True)
    message = only_message(applicant.email, "Your account has been approved")
    assert "01632 960 999" in message.body_text and "01632 960 999" in message.body_html
