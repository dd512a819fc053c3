"""The company's changes are bounded: no move into the past, and a delivery record within what the request asked
for and one audience may hold, unless a real exception is explained (and audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.clock import today
from portal.extensions import db
from portal.models import AuditEvent, Performance, PerformanceStatus, Role
from portal.models.seasons import SeasonStatus
from tests.factories import make_performance, make_request, make_season
from tests.integration.pages import post_form

# The request below: 3 staff in the hall (90 pupils), a 150-seat hall and a production for 120: 90 at most.
AUDIENCE_CAP = 90


@pytest.fixture
def company(login_as):
    return login_as(Role.COMPANY)


@pytest.fixture
def request_(session):
    """A published season that began two weeks ago, and a request for years 8 and 9 on its first 15 days."""
    monday_two_weeks_ago = today() - timedelta(days=today().weekday() + 14)
    season = make_season(
        status=SeasonStatus.PUBLISHED,
        starts_on=monday_two_weeks_ago,
        request_deadline=monday_two_weeks_ago - timedelta(days=7),
    )
    return make_request(season=season, year_groups={8: 60, 9: 60}, days=15, staff_in_hall=3)


def confirmed(request_, day) -> Performance:
    return make_performance(request_, day=day, status=PerformanceStatus.CONFIRMED, pupils_planned=AUDIENCE_CAP)


def reloaded(performance: Performance) -> Performance:
    db.session.expire_all()
    return db.session.get(Performance, performance.id)


def move(client, performance: Performance, day):
    data = {
        "cast": str(performance.cast_id),
        "day": [str(day.day), str(day.month), str(day.year)],
        "slot": str(performance.slot_id),
        "reason": "Cast ill",
    }
    return post_form(client, f"/company/performances/{performance.id}/move", data)


def deliver(client, performance: Performance, counts: dict[int, int], reason: str = ""):
    data = {f"year_{year}": str(pupils) for year, pupils in counts.items()}
    data.update(support_requests="0", over_limits_reason=reason)
    return post_form(client, f"/company/performances/{performance.id}/deliver", data)


def test_a_performance_cannot_be_moved_to_a_date_that_has_passed(company, request_):
    days = [d.day for d in request_.dates]
    performance = confirmed(request_, next(day for day in days if day > today()))
    past_day = days[1]  # the school's hall is free, the cast works: only its being past is wrong
    response = move(company, performance, past_day)
    assert response.status_code == 400
    assert "The new date must be today or later" in response.get_data(as_text=True)
    assert reloaded(performance).day > today()


def test_a_performance_can_be_moved_to_a_later_date(company, request_):
    days = [d.day for d in request_.dates if d.day > today()]
    performance = confirmed(request_, days[0])
    assert move(company, performance, days[1]).status_code == 302
    assert reloaded(performance).day == days[1]


def test_attendance_up_to_the_audience_cap_in_the_year_groups_asked_for_is_recorded(company, request_):
    performance = confirmed(request_, request_.dates[0].day)
    assert deliver(company, performance, {8: 50, 9: AUDIENCE_CAP - 50}).status_code == 302
    performance = reloaded(performance)
    assert (performance.status, performance.pupils_attended) == (PerformanceStatus.DELIVERED, AUDIENCE_CAP)


@pytest.mark.parametrize(
    ("counts", "why"),
    [
        ({9: 1000}, f"1000 pupils is more than one performance here may hold ({AUDIENCE_CAP})"),
        ({8: 50, 9: AUDIENCE_CAP - 49}, f"{AUDIENCE_CAP + 1} pupils is more than one performance here may hold"),
        ({9: 30, 11: 30}, "The school did not ask for Year 11 (it asked for Year 8 and Year 9)"),
    ],
)
def test_attendance_beyond_the_limits_is_refused_and_asks_for_a_reason(company, request_, counts, why):
    performance = confirmed(request_, request_.dates[0].day)
    response = deliver(company, performance, counts)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert why in page
    assert "give the reason in ‘Reason for going over the limits’" in page
    assert 'name="over_limits_reason"' in page  # the field appears with the message
    performance = reloaded(performance)
    assert (performance.status, performance.pupils_attended) == (PerformanceStatus.CONFIRMED, None)


def test_a_real_exception_is_recorded_with_its_reason_in_the_audit_log(company, request_):
    performance = confirmed(request_, request_.dates[0].day)
    reason = "Year 11 joined on the day; the balcony was opened"
    assert deliver(company, performance, {9: 80, 11: 60}, reason).status_code == 302
    performance = reloaded(performance)
    assert (performance.status, performance.pupils_attended) == (PerformanceStatus.DELIVERED, 140)
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.object_type == "performance", AuditEvent.object_id == performance.id)
    )
    assert event.action == "performance.delivered_over_limits"
    assert event.after["over_limits_reason"] == reason and event.after["pupils_attended"] == 140
    assert "did not ask for Year 11" in event.detail
    assert company.user.id == event.actor_id
    page = company.get(f"/company/performances/{performance.id}").get_data(as_text=True)
    assert "Recorded as delivered, over the limits" in page and reason in page
