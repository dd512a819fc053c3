"""Journeys 2 to 4 through the web pages: allocate, publish, confirm, calendars, delivery."""

from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from portal.models import CalendarFeed, PerformanceStatus, Role, RunStatus
from portal.services import allocations
from tests.factories import make_request, make_school, make_season, make_user
from tests.integration.pages import location_path, post_form


@pytest.fixture
def after_deadline(monkeypatch):
    """Move the portal's clock to the day after a season's deadline."""

    def move(season, days: int = 1):
        moment = datetime.combine(season.request_deadline + timedelta(days=days), time(10), tzinfo=UTC)
        monkeypatch.setenv("PORTAL_FAKE_NOW", moment.isoformat())

    return move


@pytest.fixture
def tour(session, login_as, after_deadline):
    """A season past its deadline with two schools' requests, and signed-in company and school staff."""
    season = make_season()
    school_a, school_b = make_school(), make_school(latitude=52.1, longitude=-1.3)
    request_a = make_request(school_a, season, year_groups={9: 60})
    make_request(school_b, season, year_groups={9: 60})
    after_deadline(season)
    company = login_as(Role.COMPANY)
    staff_a = login_as(make_user(Role.SCHOOL, school=school_a))
    staff_b = login_as(make_user(Role.SCHOOL, school=school_b))
    return season, request_a, company, staff_a, staff_b


def publish(season, company):
    response = post_form(company, f"/company/seasons/{season.id}/allocation/runs", {})
    assert response.status_code == 302
    run_path = location_path(response)
    page = company.get(run_path)
    assert page.status_code == 200
    assert "pupils reached" in page.get_data(as_text=True)
    confirm_by = season.request_deadline + timedelta(days=10)
    response = post_form(
        company,
        run_path + "/publish",
        {"confirm_by": [str(confirm_by.day), str(confirm_by.month), str(confirm_by.year)]},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return allocations.season_runs(season)[0]


def test_the_company_runs_the_scheduler_and_publishes_provisional_performances(tour):
    season, request_a, company, staff_a, _ = tour
    run = publish(season, company)
    assert reloaded(run).status == RunStatus.PUBLISHED
    page = staff_a.get("/school/performances").get_data(as_text=True)
    assert "Provisional" in page
    assert "/feeds/school/" in page


def test_a_school_confirms_and_its_calendar_file_says_confirmed(tour):
    season, request_a, company, staff_a, _ = tour
    publish(season, company)
    (performance,) = [p for p in season_performances(season) if p.school_id == request_a.school_id]
    response = post_form(staff_a, f"/school/performances/{performance.id}/confirm", {})
    assert response.status_code == 302
    assert reloaded(performance).status == PerformanceStatus.CONFIRMED
    ics = staff_a.get(f"/performances/{performance.id}.ics")
    assert ics.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\n" in ics.data
    (event,) = Calendar.from_ical(ics.data).events
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]).startswith(f"performance-{performance.id}@")
    assert event.start.tzinfo is not None
    assert b"BEGIN:VTIMEZONE" in ics.data


def test_another_school_cannot_see_or_confirm_the_performance(tour):
    season, request_a, company, _, staff_b = tour
    publish(season, company)
    (performance,) = [p for p in season_performances(season) if p.school_id == request_a.school_id]
    assert staff_b.get(f"/school/performances/{performance.id}").status_code == 404
    assert staff_b.get(f"/performances/{performance.id}.ics").status_code == 404
    assert post_form(staff_b, f"/school/performances/{performance.id}/confirm", {}).status_code == 404
    assert reloaded(performance).status == PerformanceStatus.PROVISIONAL


def test_a_feed_url_works_until_it_is_reissued(tour):
    season, request_a, company, staff_a, _ = tour
    publish(season, company)
    page = staff_a.get("/school/performances")
    assert page.headers["Referrer-Policy"] == "same-origin"
    url = next(part for part in page.get_data(as_text=True).split('"') if "/feeds/school/" in part)
    path = location_path(type("R", (), {"headers": {"Location": url}})())
    feed = staff_a.get(path)
    assert feed.status_code == 200
    events = Calendar.from_ical(feed.data).events
    assert [str(e["STATUS"]) for e in events] == ["TENTATIVE"]
    assert staff_a.get(path).data == feed.data  # stable UIDs: calendar apps update, never duplicate
    post_form(staff_a, f"/feeds/school/{request_a.school_id}/reissue", {"next": "/school/performances"})
    assert staff_a.get(path).status_code == 404
    assert staff_a.get(path.replace(path.split("/")[-1], "0" * 64 + ".ics")).status_code == 404


def test_a_second_run_is_refused_while_one_is_running(tour, session):
    season, _request, company, _, _ = tour
    user = make_user(Role.COMPANY)
    allocations.start_run(user, season, season.request_deadline + timedelta(days=1))
    response = post_form(company, f"/company/seasons/{season.id}/allocation/runs", {})
    assert response.status_code == 302
    page = company.get(location_path(response)).get_data(as_text=True)
    assert "already running" in page
    assert len(allocations.season_runs(season)) == 1


def test_the_company_records_delivery_from_the_performance_page(tour, after_deadline, login_as):
    season, request_a, company, staff_a, _ = tour
    publish(season, company)
    (performance,) = [p for p in season_performances(season) if p.school_id == request_a.school_id]
    post_form(staff_a, f"/school/performances/{performance.id}/confirm", {})
    after_deadline(season, days=(performance.day - season.request_deadline).days)
    company = login_as(Role.COMPANY)  # weeks later: the earlier session has long timed out
    response = post_form(
        company,
        f"/company/performances/{performance.id}/deliver",
        {"year_9": "52", "support_requests": "3"},
    )
    assert response.status_code == 302
    performance = reloaded(performance)
    assert performance.status == PerformanceStatus.DELIVERED
    assert performance.pupils_attended == 52
    assert performance.support_requests == 3
    history = company.get(f"/company/performances/{performance.id}").get_data(as_text=True)
    assert "Recorded as delivered" in history


def test_the_day_sheet_lists_the_school_and_its_dsl(tour):
    season, request_a, company, _, _ = tour
    publish(season, company)
    (performance,) = [p for p in season_performances(season) if p.school_id == request_a.school_id]
    sheet = company.get(f"/company/seasons/{season.id}/casts/{performance.cast_id}/days/{performance.day.isoformat()}")
    body = sheet.get_data(as_text=True)
    assert sheet.status_code == 200
    assert performance.school.name in body
    assert request_a.dsl_name in body
    assert "Arrive by" in body


def season_performances(season):
    from portal.services.schedules import season_performances as found

    return found(season)


def reloaded(row):
    """The row as the database has it now (requests ran in their own sessions)."""
    from portal.extensions import db

    db.session.refresh(row)
    return row


def test_the_company_subscribes_each_cast_s_feed_from_a_page_of_its_own(tour, session):
    season, _request, company, _, _ = tour
    publish(season, company)
    schedule = company.get(f"/company/seasons/{season.id}/schedule").get_data(as_text=True)
    assert f'href="/company/seasons/{season.id}/feeds"' in schedule and "/feeds/cast/" not in schedule
    page = company.get(f"/company/seasons/{season.id}/feeds").get_data(as_text=True)
    cast = season.casts[0]
    url = next(part for part in page.split('"') if f"/feeds/cast/{cast.id}/" in part)
    path = location_path(type("R", (), {"headers": {"Location": url}})())
    assert session.scalar(select(func.count()).select_from(CalendarFeed)) == 0  # showing an address writes nothing
    assert company.get(path).status_code == 200
    next_page = f"/company/seasons/{season.id}/feeds"
    assert location_path(post_form(company, f"/feeds/cast/{cast.id}/reissue", {"next": next_page})) == next_page
    assert company.get(path).status_code == 404
    renewed = company.get(next_page).get_data(as_text=True)
    assert url not in renewed and f"/feeds/cast/{cast.id}/" in renewed
