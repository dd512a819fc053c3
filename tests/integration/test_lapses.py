"""No performance lapses unseen: the DSL of a school without an account is asked to confirm, the council can confirm
or decline for the school (recorded as such), the council and the company are warned once before the confirm-by
date, and a performance released for want of confirmation says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from portal.clock import now, today
from portal.config import ROOT
from portal.extensions import db
from portal.jobs import perform_allocation_run
from portal.models import AuditEvent, OutboxMessage, Performance, PerformanceStatus, Role
from portal.services import allocations, lapses, notifications, performances, reminders
from tests.factories import make_performance, make_request, make_school, make_season, make_user
from tests.integration.pages import location_path, post_form

PORTAL_URL = "http://127.0.0.1:5000"
AFTER_DEADLINE = today() + timedelta(days=20)


def messages_to(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def subjects_to(address: str) -> list[str]:
    return [message.subject for message in messages_to(address)]


@pytest.fixture
def teams(session):
    return make_user(Role.COUNCIL), make_user(Role.COMPANY)


def council_request(school=None, season=None, **fields):
    """A request the council made for a school where nobody has an account."""
    school = school or make_school()
    dsl = f"dsl.{school.urn}@example.org"
    return make_request(school, season, dsl_email=dsl, dsl_name="Dana Lead", dsl_phone="01632 960 555", **fields)


def lapsing(request_, days_left: int = 2) -> Performance:
    return make_performance(request_, confirm_by=today() + timedelta(days=days_left))


# The DSL is asked


def test_publishing_asks_the_dsl_of_a_school_without_an_account_and_says_how_the_council_can_help(teams):
    council, company = teams
    season = make_season()
    without = council_request(season=season, year_groups={9: 60})
    with_staff = council_request(season=season, year_groups={9: 60})
    staff = make_user(Role.SCHOOL, school=with_staff.school)
    run = allocations.start_run(company, season, AFTER_DEADLINE, time_limit=2)
    perform_allocation_run(run.id)
    allocations.publish_run(company, run, AFTER_DEADLINE + timedelta(days=7), AFTER_DEADLINE)

    (asked,) = messages_to(without.dsl_email)
    assert asked.subject == "Your provisional performances: please confirm them"
    assert asked.body_text.startswith("Dear Dana Lead,")
    assert council.email in asked.body_text and f"{PORTAL_URL}/register" in asked.body_text
    assert "/school/performances" not in asked.body_text  # pages the DSL cannot open without an account
    assert subjects_to(staff.email) == ["Your provisional performances: please confirm them"]
    assert messages_to(with_staff.dsl_email) == []  # the school's staff answer for it


def test_the_confirm_reminder_reaches_the_dsl_of_a_school_without_an_account(session):
    request_ = council_request()
    performance = lapsing(request_, days_left=10)
    reminders.add_confirm_reminders(reminders.working_days_before(performance.confirm_by, 3))
    (reminder,) = messages_to(request_.dsl_email)
    assert reminder.subject.startswith("Reminder: confirm your performances")
    assert "turn them off" not in reminder.body_text  # no account, no preference to change


def test_the_dsls_email_when_released_is_never_their_first(teams):
    request_ = council_request()
    performance = lapsing(request_, days_left=10)
    notifications.allocation_published([performance])
    performances.release_unconfirmed_performances(performance.confirm_by + timedelta(days=1))
    assert subjects_to(request_.dsl_email)[0] == "Your provisional performances: please confirm them"
    assert subjects_to(request_.dsl_email)[-1].startswith("Performance released")


def test_a_schools_release_goes_to_its_staff_not_to_a_dsl_never_asked(session):
    request_ = council_request()
    staff = make_user(Role.SCHOOL, school=request_.school)
    performance = lapsing(request_, days_left=1)
    performances.release_unconfirmed_performances(performance.confirm_by + timedelta(days=1))
    assert subjects_to(staff.email)[-1].startswith("Performance released")
    assert messages_to(request_.dsl_email) == []


# The council confirms or declines for the school


def test_the_council_confirms_for_a_school_and_it_is_recorded_as_done_for_the_school(login_as, teams):
    council, _company = teams
    request_ = council_request()
    performance = lapsing(request_)
    client = login_as(council)
    page = client.get(f"/council/performances/{performance.id}").get_data(as_text=True)
    assert "Confirm for the school" in page and "Decline for the school" in page
    response = post_form(client, f"/council/performances/{performance.id}/confirm")
    assert location_path(response) == f"/council/performances/{performance.id}"
    db.session.refresh(performance)
    assert performance.status == PerformanceStatus.CONFIRMED
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.object_id == performance.id, AuditEvent.object_type == "performance")
    )
    assert (event.action, event.actor_id) == ("performance.confirmed_on_behalf", council.id)
    assert event.actor_role == "council"
    history = client.get(f"/council/performances/{performance.id}").get_data(as_text=True)
    assert "Confirmed by the council for the school" in history
    assert subjects_to(request_.dsl_email)[-1].startswith("Performance confirmed")


def test_the_council_declines_for_a_school_through_a_page_that_asks_first(login_as, teams):
    council, company = teams
    request_ = council_request()
    performance = lapsing(request_)
    client = login_as(council)
    ask = client.get(f"/council/performances/{performance.id}/decline")
    assert ask.status_code == 200 and performance.status == PerformanceStatus.PROVISIONAL
    response = post_form(client, f"/council/performances/{performance.id}/decline", {"reason": "Hall closed for works"})
    assert location_path(response) == f"/council/performances/{performance.id}"
    db.session.refresh(performance)
    assert (performance.status, performance.status_reason) == (PerformanceStatus.DECLINED, "Hall closed for works")
    assert performance.released_at is None
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == performance.id))
    assert "performance.declined_on_behalf" in list(actions)
    (to_company,) = messages_to(company.email)
    assert f"The council has declined, for {request_.school.name}" in to_company.body_text
    assert subjects_to(request_.dsl_email)[-1].startswith("Performance declined for")


def test_the_council_cannot_answer_for_a_performance_past_its_confirm_by_date(login_as, teams):
    council, _company = teams
    performance = lapsing(council_request(), days_left=-1)
    client = login_as(council)
    assert "Confirm for the school" not in client.get(f"/council/performances/{performance.id}").get_data(as_text=True)
    post_form(client, f"/council/performances/{performance.id}/confirm")
    db.session.refresh(performance)
    assert performance.status == PerformanceStatus.PROVISIONAL


def test_school_staff_cannot_use_the_councils_buttons(login_as):
    request_ = council_request()
    performance = lapsing(request_)
    client = login_as(make_user(Role.SCHOOL, school=request_.school))
    assert post_form(client, f"/council/performances/{performance.id}/confirm").status_code == 403
    db.session.refresh(performance)
    assert performance.status == PerformanceStatus.PROVISIONAL


# The council and the company are warned


def test_the_council_and_the_company_are_warned_once_of_performances_about_to_lapse(teams):
    council, company = teams
    soon = lapsing(council_request(), days_left=3)
    later = lapsing(council_request(), days_left=4)
    assert lapses.warn_of_lapsing_performances(today(), now()) == [soon]
    assert lapses.warn_of_lapsing_performances(today(), now()) == []
    assert lapses.warn_of_lapsing_performances(today() + timedelta(days=1), now()) == [later]
    warnings = [m for m in messages_to(council.email) if "about to lapse" in m.subject]
    assert [m.subject for m in warnings] == ["1 performance about to lapse unconfirmed"] * 2
    assert soon.school.name in warnings[0].body_text and later.school.name not in warnings[0].body_text
    # The council can reach the DSL and act for the school; the company is told the council can.
    assert soon.request.dsl_email in warnings[0].body_text
    assert f"{PORTAL_URL}/council/performances/{soon.id}" in warnings[0].body_text
    to_company = [m for m in messages_to(company.email) if "about to lapse" in m.subject]
    assert len(to_company) == 2 and soon.request.dsl_email not in to_company[0].body_text
    assert f"{PORTAL_URL}/company/performances/{soon.id}" in to_company[0].body_text


def test_a_confirmed_performance_is_never_warned_of(teams):
    council, _company = teams
    performance = lapsing(council_request(), days_left=1)
    performance.status = PerformanceStatus.CONFIRMED
    db.session.flush()
    assert lapses.warn_of_lapsing_performances(today(), now()) == []


def test_the_company_and_the_council_see_the_performances_they_were_warned_of(login_as, teams):
    council, company = teams
    warned = lapsing(council_request(), days_left=9)
    lapsing(council_request(), days_left=10)  # not warned yet: too far off
    lapses.warn_of_lapsing_performances(today() + timedelta(days=6), now())
    assert [row.id for row in lapses.performances_about_to_lapse(today())] == [warned.id]
    home = login_as(company).get("/company/").get_data(as_text=True)
    assert 'id="about-to-lapse"' in home and warned.school.name in home


@pytest.mark.parametrize("home", ["/company/", "/council/"])
def test_a_long_list_about_to_lapse_comes_a_page_at_a_time_on_the_home_pages(app, login_as, teams, monkeypatch, home):
    monkeypatch.setitem(app.config, "LIST_PAGE_SIZE", 2)
    schools = [make_school(name=f"Lapwing {n} Academy") for n in range(3)]
    for n, school in enumerate(schools):
        lapsing(council_request(school), days_left=1 + n)  # soonest to lapse first
    council, company = teams
    client = login_as(company if home == "/company/" else council)
    first = client.get(home).get_data(as_text=True)
    assert "Lapwing 0 Academy" in first and "Lapwing 1 Academy" in first and "Lapwing 2 Academy" not in first
    assert "Showing 1 to 2 of 3 performances about to lapse" in first
    assert f'href="{home}?lapsing=2#about-to-lapse"' in first
    second = client.get(f"{home}?lapsing=2").get_data(as_text=True)
    assert "Lapwing 2 Academy" in second and "Lapwing 0 Academy" not in second
    for nonsense in ("abc", "-3", "9" * 30):
        answer = client.get(f"{home}?lapsing={nonsense}")
        assert answer.status_code == 200 and "Lapwing" in answer.get_data(as_text=True)


def test_the_hourly_job_and_the_command_warn_and_release_once(app, monkeypatch, teams):
    council, _company = teams
    performance = lapsing(council_request(), days_left=2)
    runner = app.test_cli_runner()
    assert "Warned of 1 " in runner.invoke(args=["performances", "warn-unconfirmed"]).output
    assert "Warned of 0 " in runner.invoke(args=["performances", "warn-unconfirmed"]).output
    monkeypatch.setenv("PORTAL_FAKE_NOW", f"{performance.confirm_by + timedelta(days=1)}T12:00:00+00:00")
    assert "Released 1 " in runner.invoke(args=["performances", "release-unconfirmed"]).output
    assert "Released 0 " in runner.invoke(args=["performances", "release-unconfirmed"]).output
    db.session.refresh(performance)
    assert performance.released_at is not None


# Released, not declined


def test_a_released_performance_is_shown_as_released_not_declined(login_as):
    request_ = council_request()
    staff = make_user(Role.SCHOOL, school=request_.school)
    performance = lapsing(request_, days_left=1)
    performances.release_unconfirmed_performances(performance.confirm_by + timedelta(days=1))
    assert performance.status_label == "Released (not confirmed in time)"
    client = login_as(staff)
    for page in ("/school/performances", f"/school/performances/{performance.id}"):
        html = client.get(page).get_data(as_text=True)
        assert "Released (not confirmed in time)" in html and ">Declined<" not in html
    council_page = login_as(make_user(Role.COUNCIL)).get(f"/council/performances/{performance.id}")
    assert "Released (not confirmed in time)" in council_page.get_data(as_text=True)


def test_a_schools_own_decline_still_reads_declined(login_as):
    request_ = council_request()
    staff = make_user(Role.SCHOOL, school=request_.school)
    performance = lapsing(request_)
    performances.decline_performance(staff, performance, "Exams")
    assert performance.status_label == "Declined"
    html = login_as(staff).get(f"/school/performances/{performance.id}").get_data(as_text=True)
    assert "Released (not confirmed in time)" not in html


def test_performances_released_before_the_upgrade_are_marked_released_by_it(committing_app):
    """The revision dates releases the hourly job made before it from the audit log."""
    with committing_app.app_context():
        released = lapsing(council_request(), days_left=-2)
        declined = lapsing(council_request(), days_left=-2)
        # A school's own reason that reads like the job's must not make its decline a release.
        performances.decline_performance(None, declined, "not confirmed by the school")
        performances.release_unconfirmed_performances(today())
        ids = (released.id, declined.id)
        db.session.commit()
        db.session.remove()  # no read may hold SQLite's lock while the migration runs
        downgrade(directory=str(ROOT / "migrations"), revision="-1")
        upgrade(directory=str(ROOT / "migrations"))
        rows = db.session.execute(
            text("SELECT id, released_at FROM performances WHERE id IN (:a, :b)"), {"a": ids[0], "b": ids[1]}
        ).all()
        db.session.remove()
    assert {row_id: when is not None for row_id, when in rows} == {ids[0]: True, ids[1]: False}


def test_the_api_tells_a_release_from_a_schools_decline(login_as, teams):
    council, _company = teams
    released = lapsing(council_request(), days_left=1)
    declined = lapsing(council_request(), days_left=5)
    performances.decline_performance(council, declined, "")
    performances.release_unconfirmed_performances(released.confirm_by + timedelta(days=1))
    items = {item["id"]: item for item in login_as(council).get("/api/v1/performances").get_json()["items"]}
    assert (items[released.id]["status"], items[released.id]["released"]) == ("declined", True)
    assert (items[declined.id]["status"], items[declined.id]["released"]) == ("declined", False)
