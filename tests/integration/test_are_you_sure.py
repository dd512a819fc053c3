"""Steps the company cannot take back ask first, on a page that says who will be told; a delivery record can be
corrected, audited, with reach following (issue 15, item 9)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal.clock import today
from portal.domain.reach import Period
from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage, PerformanceStatus, Role, RunStatus
from portal.models.seasons import SeasonStatus
from portal.services import allocations, performances
from portal.services import reach as reach_service
from tests.factories import make_performance, make_request, make_school, make_season, make_user
from tests.integration.pages import location_path, post_form


def subjects_to(address: str) -> list[str]:
    query = select(OutboxMessage.subject).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def company(login_as):
    return login_as(make_user(Role.COMPANY, full_name="Alex Morgan"))


@pytest.fixture
def booked(session):
    """A provisional performance at Hazel Academy, whose one member of staff and DSL are e-mailed about it."""
    school = make_school(name="Hazel Academy")
    staff = make_user(Role.SCHOOL, school=school, full_name="Sam Patel")
    request_ = make_request(school, make_season(), dsl_name="Priya Shah", dsl_email="p.shah@hazel.example.org")
    return staff, make_performance(request_)


# Opening a season


def test_opening_a_season_asks_first_and_says_nobody_is_emailed(session, company):
    season = make_season(status=SeasonStatus.DRAFT)
    make_user(Role.SCHOOL, school=make_school())  # one school with an approved account sees the season
    page = company.get(f"/company/seasons/{season.id}/open")
    assert page.status_code == 200
    body = text_of(page)
    assert f"Are you sure you want to open {season.name} for requests?" in body
    assert "Nobody is emailed" in body and "staff at the 1 school with an approved account" in body
    assert season.status == SeasonStatus.DRAFT  # asking changes nothing
    season_page = text_of(company.get(f"/company/seasons/{season.id}"))
    assert f'href="/company/seasons/{season.id}/open"' in season_page  # the button leads to the question

    response = post_form(company, f"/company/seasons/{season.id}/open")
    assert location_path(response) == f"/company/seasons/{season.id}"
    db.session.expire_all()
    assert season.status == SeasonStatus.OPEN


def test_an_open_season_is_not_asked_about_again(session, company):
    season = make_season()
    response = company.get(f"/company/seasons/{season.id}/open")
    assert location_path(response) == f"/company/seasons/{season.id}"


# Publishing an allocation


@pytest.fixture
def proposal(session, login_as, monkeypatch):
    """A finished run for a season past its deadline: requests from Ash School (with staff) and Yew School (none);
    the company signs in once the clock has moved there."""
    season = make_season()
    ash, yew = make_school(name="Ash School"), make_school(name="Yew School", latitude=52.1, longitude=-1.3)
    staff = make_user(Role.SCHOOL, school=ash, full_name="Robin Ash")
    make_request(ash, season, year_groups={9: 60})
    make_request(yew, season, year_groups={9: 60})
    moment = datetime.combine(season.request_deadline + timedelta(days=1), time(10), tzinfo=UTC)
    monkeypatch.setenv("PORTAL_FAKE_NOW", moment.isoformat())
    company = login_as(make_user(Role.COMPANY, full_name="Alex Morgan"))
    response = post_form(company, f"/company/seasons/{season.id}/allocation/runs", {})
    run = allocations.season_runs(season)[0]
    assert location_path(response).endswith(f"/runs/{run.id}") and run.status == RunStatus.DONE
    return season, run, staff, company


def test_publishing_asks_first_naming_each_school_and_who_there_is_emailed(proposal):
    season, run, staff, company = proposal
    run_page = text_of(company.get(f"/company/seasons/{season.id}/allocation/runs/{run.id}"))
    assert f'href="/company/seasons/{season.id}/allocation/runs/{run.id}/publish"' in run_page
    page = company.get(f"/company/seasons/{season.id}/allocation/runs/{run.id}/publish")
    assert page.status_code == 200
    body = text_of(page)
    assert "Are you sure you want to publish this allocation to schools?" in body
    ash_row = body[body.index("Ash School") : body.index("</tr>", body.index("Ash School"))]
    assert "Robin Ash" in ash_row
    yew_row = body[body.index("Yew School") : body.index("</tr>", body.index("Yew School"))]
    # Nobody at Yew School has an account: the DSL named on its request is asked to confirm instead.
    assert "Dee Ess-Ell" in yew_row
    assert "nobody to email" not in body
    assert run.status == RunStatus.DONE and subjects_to(staff.email) == []  # asking sends nothing


def test_publishing_from_the_question_page_publishes_and_tells_the_schools(proposal):
    season, run, staff, company = proposal
    confirm_by = today() + timedelta(days=10)
    response = post_form(
        company,
        f"/company/seasons/{season.id}/allocation/runs/{run.id}/publish",
        {"confirm_by": [str(confirm_by.day), str(confirm_by.month), str(confirm_by.year)]},
    )
    assert location_path(response) == f"/company/seasons/{season.id}/schedule"
    db.session.expire_all()
    assert run.status == RunStatus.PUBLISHED
    assert subjects_to(staff.email) == ["Your provisional performances: please confirm them"]


def test_publishing_without_a_confirm_by_date_asks_again_with_the_error(proposal):
    season, run, _staff, company = proposal
    response = post_form(company, f"/company/seasons/{season.id}/allocation/runs/{run.id}/publish", {})
    assert response.status_code == 400
    assert "Enter the schools must confirm by" in text_of(response)
    db.session.expire_all()
    assert run.status == RunStatus.DONE


# Cancelling a performance


def test_cancelling_a_performance_asks_first_and_names_who_is_emailed(booked, company):
    staff, performance = booked
    detail = text_of(company.get(f"/company/performances/{performance.id}"))
    assert f'href="/company/performances/{performance.id}/cancel"' in detail
    page = company.get(f"/company/performances/{performance.id}/cancel")
    assert page.status_code == 200
    body = text_of(page)
    assert "Are you sure you want to cancel the performance at Hazel Academy on" in body
    assert "We will email Sam Patel and Priya Shah" in body
    assert performance.status == PerformanceStatus.PROVISIONAL

    refused = post_form(company, f"/company/performances/{performance.id}/cancel", {"reason": ""})
    assert refused.status_code == 400 and "Enter the reason for cancelling" in text_of(refused)
    db.session.expire_all()
    assert performance.status == PerformanceStatus.PROVISIONAL

    done = post_form(company, f"/company/performances/{performance.id}/cancel", {"reason": "The cast is ill"})
    assert location_path(done) == f"/company/performances/{performance.id}"
    db.session.expire_all()
    assert performance.status == PerformanceStatus.CANCELLED
    assert any(subject.startswith("Performance cancelled") for subject in subjects_to(staff.email))
    assert any(subject.startswith("Performance cancelled") for subject in subjects_to("p.shah@hazel.example.org"))


def test_a_performance_no_longer_open_is_not_asked_about(booked, company):
    _staff, performance = booked
    performance.status = PerformanceStatus.DECLINED
    db.session.flush()
    response = company.get(f"/company/performances/{performance.id}/cancel")
    assert location_path(response) == f"/company/performances/{performance.id}"


# Cancelling a cast's day


def test_cancelling_a_casts_day_asks_first_listing_each_performance_and_who_is_told(booked, company):
    staff, performance = booked
    season = performance.season
    other_school = make_school(name="Larch High")
    other = make_performance(
        make_request(other_school, season, dsl_name="Lee Larch", dsl_email="lee@larch.example.org"),
        slot=season.slots[1],
        status=PerformanceStatus.CONFIRMED,
    )
    path = f"/company/seasons/{season.id}/casts/{performance.cast_id}/days/{performance.day.isoformat()}/cancel"
    sheet = text_of(company.get(path.removesuffix("/cancel")))
    assert f'href="{path}"' in sheet
    body = text_of(company.get(path))
    assert "Are you sure you want to cancel Cast A’s 2 performances on" in body
    assert body.index("Hazel Academy") < body.index("Larch High")  # in time order
    assert "Sam Patel and Priya Shah" in body and "Lee Larch" in body

    refused = post_form(company, path, {"reason": ""})
    assert refused.status_code == 400 and "Enter the reason for cancelling" in text_of(refused)
    db.session.expire_all()
    assert performance.status == PerformanceStatus.PROVISIONAL

    done = post_form(company, path, {"reason": "Two of the cast are ill"})
    assert location_path(done) == path.removesuffix("/cancel")
    db.session.expire_all()
    assert {performance.status, other.status} == {PerformanceStatus.CANCELLED}
    assert any(subject.startswith("Performance cancelled") for subject in subjects_to("lee@larch.example.org"))


def test_a_day_with_nothing_to_cancel_goes_back_to_its_day_sheet(booked, company):
    _staff, performance = booked
    path = f"/company/seasons/{performance.season_id}/casts/{performance.season.casts[1].id}/days/"
    response = company.get(path + performance.day.isoformat() + "/cancel")
    assert location_path(response) == path + performance.day.isoformat()


# Correcting a delivery record


@pytest.fixture
def delivered(session):
    """A performance delivered last week to years 8 and 9 (50 and 40 pupils), recorded by the company."""
    season = make_season(status=SeasonStatus.PUBLISHED, starts_on=today() - timedelta(days=today().weekday() + 7))
    request_ = make_request(make_school(name="Pine School"), season, year_groups={8: 60, 9: 60}, days=2)
    performance = make_performance(request_, status=PerformanceStatus.CONFIRMED, pupils_planned=90)
    performances.record_delivery(make_user(Role.COMPANY), performance, {8: 50, 9: 40}, 2, today())
    return performance


def seen_drama() -> int:
    return reach_service.programme_reach(Period(None, None, None), today()).totals.seen_drama


def test_the_company_corrects_a_delivery_record_audited_and_reach_follows(delivered, company):
    before = seen_drama()
    detail = text_of(company.get(f"/company/performances/{delivered.id}"))
    assert f'href="/company/performances/{delivered.id}/delivery"' in detail
    form = text_of(company.get(f"/company/performances/{delivered.id}/delivery"))
    assert 'name="year_8"' in form and 'value="50"' in form and 'value="40"' in form  # the record as it stands

    response = post_form(
        company,
        f"/company/performances/{delivered.id}/delivery",
        {"year_8": "48", "year_9": "40", "support_requests": "3", "correction_reason": "The register said 48"},
    )
    assert location_path(response) == f"/company/performances/{delivered.id}"
    db.session.expire_all()
    assert delivered.pupils_attended == 88 and delivered.support_requests == 3
    assert {row.year_group: row.pupils for row in delivered.attendance} == {8: 48, 9: 40}
    assert seen_drama() == before - 2

    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "performance.delivery_corrected"))
    assert event.before["attendance"] == {"8": 50, "9": 40} and event.after["attendance"] == {"8": 48, "9": 40}
    assert event.after["correction_reason"] == "The register said 48"
    history = text_of(company.get(f"/company/performances/{delivered.id}"))
    history = history[history.index("Changes to this record") :]
    assert "Delivery record corrected" in history and "Alex Morgan (theatre company)" in history
    assert "Pupils who attended: Year 8: 50 pupils, Year 9: 40 pupils → Year 8: 48 pupils, Year 9: 40 pupils" in history
    assert "Reason for the correction: The register said 48" in history
    assert "{" not in history


def test_a_correction_needs_a_reason_and_keeps_within_the_limits(delivered, company):
    path = f"/company/performances/{delivered.id}/delivery"
    no_reason = post_form(company, path, {"year_8": "48", "year_9": "40", "support_requests": "2"})
    assert no_reason.status_code == 400 and "Enter why you are correcting the record" in text_of(no_reason)
    too_many = post_form(
        company, path, {"year_8": "500", "year_9": "40", "support_requests": "2", "correction_reason": "Typo"}
    )
    assert too_many.status_code == 400 and "Reason for going over the limits" in text_of(too_many)
    db.session.expire_all()
    assert delivered.pupils_attended == 90


def test_only_a_delivered_record_can_be_corrected(booked, company):
    _staff, performance = booked
    response = company.get(f"/company/performances/{performance.id}/delivery")
    assert location_path(response) == f"/company/performances/{performance.id}"
    with pytest.raises(performances.PerformanceError):
        from portal.services.deliveries import correct_delivery

        correct_delivery(make_user(Role.COMPANY), performance, {9: 10}, 0, "Typo")
