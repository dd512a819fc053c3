"""The company's preview pages: set up a preview (errors beside their fields), change it, cancel it with everyone
booked told, and on the day open the list of who is booked by school (names only) and mark who came."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from portal.clock import today
from portal.domain.previews import Audience, ParentBookingState, PreviewAudience, PreviewStatus
from portal.extensions import db
from portal.models import OutboxMessage, Preview, Role
from portal.services import parent_bookings, previews, staff_seats
from portal.services.previews import PreviewDetails
from tests.factories import make_production, make_school, make_user
from tests.integration.pages import location_path, post_form


def form_data(production_id: int, **overrides) -> dict:
    day = today() + timedelta(days=14)
    data = {
        "production_id": str(production_id),
        "day": [str(day.day), str(day.month), str(day.year)],
        "starts_at": "18:30",
        "venue_address": "The Mill Arts Centre, Banbury",
        "access_information": "Step-free entrance",
        "seats": "60",
        "audience": "all_schools",
        "district": "",
        "school_urns": "",
    }
    data.update(overrides)
    return data


def a_preview(day, seats: int = 20) -> Preview:
    details = PreviewDetails(
        make_production().id, day, time(18, 30), "Banbury", "", seats, Audience(PreviewAudience.ALL_SCHOOLS)
    )
    return previews.create_preview(make_user(Role.COMPANY), details)


def test_the_company_sets_up_a_preview_for_a_list_of_schools(login_as, session):
    client = login_as("company")
    production, school = make_production(), make_school(urn="912345")
    response = post_form(
        client, "/company/previews/new", form_data(production.id, audience="schools", school_urns="912345")
    )
    assert response.status_code == 302
    preview = db.session.scalars(select(Preview).where(Preview.production_id == production.id)).one()
    assert location_path(response) == f"/company/previews/{preview.id}"
    assert [s.id for s in preview.schools] == [school.id] and preview.seats == 60
    assert client.get("/company/previews/").status_code == 200


def test_a_preview_form_with_problems_says_what_to_fix(login_as, session):
    client = login_as("company")
    production = make_production()
    response = post_form(
        client, "/company/previews/new", form_data(production.id, audience="schools", school_urns="000001")
    )
    assert response.status_code == 200
    assert "No school has the URN 000001" in response.get_data(as_text=True)
    response = post_form(client, "/company/previews/new", form_data(production.id, venue_address="", seats="0"))
    page = response.get_data(as_text=True)
    assert "Enter the venue’s address" in page.replace("&rsquo;", "’") and "Seats must be between 1 and 2000" in page
    assert db.session.scalars(select(Preview).where(Preview.production_id == production.id)).all() == []


def test_cancelling_a_preview_tells_everyone_booked(login_as, session):
    client = login_as("company")
    preview = a_preview(today() + timedelta(days=7))
    school = make_school()
    staff_seats.book_staff_seats(make_user(Role.SCHOOL, school=school), school, preview, ["Sam Jones"], today())
    assert post_form(client, f"/company/previews/{preview.id}/cancel", {"reason": ""}).status_code == 200
    response = post_form(client, f"/company/previews/{preview.id}/cancel", {"reason": "The venue has flooded"})
    db.session.refresh(preview)
    assert response.status_code == 302 and preview.status == PreviewStatus.CANCELLED
    sent = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("is cancelled"))).all()
    assert sent and all("The venue has flooded" in message.body_text for message in sent)


def test_on_the_day_the_list_shows_names_by_school_and_attendance_is_marked(login_as, session):
    client = login_as("company")
    preview = a_preview(today())
    school = make_school(name="Alder School")
    [seat_id] = staff_seats.book_staff_seats(
        make_user(Role.SCHOOL, school=school), school, preview, ["Sam Jones"], today()
    )
    booking, _token = parent_bookings.book_parent_seats(
        school, preview, "Pat Parent", "pat@example.net", 2, preview.created_at
    )
    parent_bookings.confirm_booking(booking, preview.created_at)
    page = client.get(f"/company/previews/{preview.id}").get_data(as_text=True)
    assert "Sam Jones" in page and "Pat Parent" in page and "Alder School" in page
    assert "pat@example.net" not in page

    for kind, record_id in (("staff", seat_id), ("parent", booking.id)):
        response = post_form(
            client,
            f"/company/previews/{preview.id}/attendance",
            {"kind": kind, "record_id": str(record_id), "attended": "yes"},
        )
        assert response.status_code == 302
    db.session.expire_all()
    assert staff_seats.staff_seat_in(preview, seat_id).attended
    assert booking.state == ParentBookingState.ATTENDED


def test_attendance_cannot_be_marked_on_another_previews_booking(login_as, session):
    client = login_as("company")
    preview, other = a_preview(today()), a_preview(today())
    school = make_school()
    [seat_id] = staff_seats.book_staff_seats(make_user(Role.SCHOOL, school=school), school, other, ["Sam"], today())
    response = post_form(
        client,
        f"/company/previews/{preview.id}/attendance",
        {"kind": "staff", "record_id": str(seat_id), "attended": "yes"},
    )
    assert response.status_code == 404
    assert not staff_seats.staff_seat_in(other, seat_id).attended
