"""The school's home page says, before each of its performances, whether its staff have booked or attended a preview
of that production, and nudges it to book when none has."""

from __future__ import annotations

from datetime import time, timedelta

from portal.domain.previews import Audience, PreviewAudience
from portal.models import PerformanceStatus, Role
from portal.services import previews, staff_seats
from portal.services.preview_readiness import staff_readiness
from portal.services.previews import PreviewDetails
from tests.factories import make_performance, make_request, make_user


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
