"""The school's home page says, before each of its performances, whether its staff have booked or attended a preview
of that production, and nudges it to book when none has."""

from __future__ import annotations

from datetime import time, timedelta

from portal.domain.previews import Audience, PreviewAudience
from portal.models import PerformanceStatus, Role
from portal.services import previews, staff_seats
from portal.services.preview_readiness import staff_readiness
from portal.services.previews import PreviewDetails
from tests.factories import make_performance, make_production, make_request, make_user


def test_each_performance_shows_its_staff_preview_seats_and_nudges_when_none(login_as, session):
    staff = make_user(Role.SCHOOL)
    request_ = make_request(staff.school, created_by=staff)
    performance = make_performance(request_, status=PerformanceStatus.CONFIRMED)
    client = login_as(staff)
    page = client.get("/school/").get_data(as_text=True)
    assert "none of your staff has booked a preview yet" in page

    details = PreviewDetails(
        request_.production_id,
        performance.day - timedelta(days=7),
        time(18, 30),
        "The Mill, Banbury",
        "",
        20,
        Audience(PreviewAudience.ALL_SCHOOLS),
    )
    preview = previews.create_preview(make_user(Role.COMPANY), details)
    [seat_id] = staff_seats.book_staff_seats(staff, staff.school, preview, ["Sam Jones"], preview.day)
    [item] = staff_readiness(staff.school, performance.day - timedelta(days=30))
    assert (item.performance_id, item.booked, item.attended) == (performance.id, 1, 0)
    staff_seats.mark_staff_attended(make_user(Role.COMPANY), staff_seats.staff_seat_for(staff.school, seat_id), True)
    [item] = staff_readiness(staff.school, performance.day - timedelta(days=30))
    assert item.attended == 1


def test_each_performance_counts_only_seats_at_previews_of_its_production_by_its_day(session):
    staff = make_user(Role.SCHOOL)
    early_request = make_request(staff.school, created_by=staff)
    early = make_performance(early_request, status=PerformanceStatus.CONFIRMED)
    later = make_performance(early_request, status=PerformanceStatus.PROVISIONAL, day=early.day + timedelta(days=21))
    other_request = make_request(staff.school, created_by=staff, production=make_production())
    other = make_performance(other_request, status=PerformanceStatus.CONFIRMED, day=early.day + timedelta(days=14))
    company = make_user(Role.COMPANY)

    def preview_on(production_id, day):
        audience = Audience(PreviewAudience.ALL_SCHOOLS)
        details = PreviewDetails(production_id, day, time(18, 30), "The Mill, Banbury", "", 20, audience)
        return previews.create_preview(company, details)

    between = preview_on(early_request.production_id, early.day + timedelta(days=7))  # after the first, before the last
    staff_seats.book_staff_seats(staff, staff.school, between, ["Sam Jones", "Ali Khan"], between.day)
    before_all = preview_on(early_request.production_id, early.day - timedelta(days=7))
    [seat_id] = staff_seats.book_staff_seats(staff, staff.school, before_all, ["Jo Reed"], before_all.day)
    staff_seats.mark_staff_attended(company, staff_seats.staff_seat_for(staff.school, seat_id), True)

    found = staff_readiness(staff.school, early.day - timedelta(days=30))
    assert [(item.performance_id, item.booked, item.attended) for item in found] == [
        (early.id, 1, 1),
        (other.id, 0, 0),
        (later.id, 3, 1),
    ]
    assert [item.production_title for item in found][1] == other_request.production.title
    assert len(staff_readiness(staff.school, early.day - timedelta(days=30), limit=2)) == 2
