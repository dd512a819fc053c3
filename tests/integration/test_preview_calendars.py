"""Calendar files for previews: the school's staff seats, a parent's booking, and the school's feed, which carries the
previews its staff booked beside its performances."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from icalendar import Calendar

from portal.clock import today
from portal.domain.previews import Audience, PreviewAudience
from portal.models import Role
from portal.services import parent_bookings, previews, staff_seats
from portal.services.calendars import current_token
from portal.services.previews import PreviewDetails
from tests.factories import make_production, make_user


def a_preview():
    details = PreviewDetails(
        make_production(title="Trust Me Preview").id,
        today() + timedelta(days=10),
        time(18, 30),
        "The Mill, Banbury",
        "Step-free",
        20,
        Audience(PreviewAudience.ALL_SCHOOLS),
    )
    return previews.create_preview(make_user(Role.COMPANY), details)


def events(body: bytes) -> list:
    return [component for component in Calendar.from_ical(body).walk("VEVENT")]


def test_staff_and_parents_download_the_preview_and_it_is_in_the_school_feed(app, login_as, fresh_client, session):
    staff = make_user(Role.SCHOOL)
    preview = a_preview()
    staff_seats.book_staff_seats(staff, staff.school, preview, ["Sam Jones"], today())
    client = login_as(staff)
    [event] = events(client.get(f"/school/previews/{preview.id}.ics").data)
    assert str(event["SUMMARY"]) == "Preview: Trust Me Preview (CSE awareness drama)"
    assert str(event["LOCATION"]) == "The Mill, Banbury"

    token = current_token(app.config["SECRET_KEY"], "school", staff.school_id)
    feed = fresh_client().get(f"/feeds/school/{staff.school_id}/{token}.ics")
    assert [str(e["UID"]).split("@")[0] for e in events(feed.data)] == [f"preview-{preview.id}"]

    _booking, booking_token = parent_bookings.book_parent_seats(
        staff.school, preview, "Pat Parent", "pat@example.net", 2, datetime.now(UTC)
    )
    [event] = events(fresh_client().get(f"/parents/booking/{booking_token}.ics").data)
    assert "2 seats, not yet confirmed" in str(event["DESCRIPTION"])
    assert fresh_client().get("/parents/booking/made-up.ics").status_code == 404
