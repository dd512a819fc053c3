"""A school's preview pages: its staff book seats for named colleagues at the previews it is invited to, change or
cancel them, and never see or touch another school's seats or a preview not for them."""

from __future__ import annotations

from datetime import time, timedelta

from portal.clock import today
from portal.domain.previews import Audience, PreviewAudience
from portal.extensions import db
from portal.models import PreviewStaffSeat, Role
from portal.services import previews, staff_seats
from portal.services.previews import PreviewDetails
from tests.factories import make_production, make_school, make_user
from tests.integration.pages import location_path, post_form


def a_preview(seats: int = 10, audience: Audience | None = None):
    details = PreviewDetails(
        make_production().id,
        today() + timedelta(days=10),
        time(18, 30),
        "The Mill, Banbury",
        "Step-free entrance",
        seats,
        audience or Audience(PreviewAudience.ALL_SCHOOLS),
    )
    return previews.create_preview(make_user(Role.COMPANY), details)


def test_staff_book_seats_for_colleagues_by_name(login_as, session):
    staff = make_user(Role.SCHOOL)
    client = login_as(staff)
    preview = a_preview(seats=10)
    assert "None of your staff has booked a preview yet" in client.get("/school/previews/").get_data(as_text=True)
    response = post_form(client, f"/school/previews/{preview.id}", {"names": "Sam Jones\nAli Khan\n\n"})
    assert location_path(response) == f"/school/previews/{preview.id}"
    db.session.refresh(preview)
    names = [seat.colleague_name for seat in staff_seats.staff_seats(preview, staff.school)]
    assert names == ["Ali Khan", "Sam Jones"] and preview.seats_taken == 2
    page = client.get(f"/school/previews/{preview.id}").get_data(as_text=True)
    assert "Sam Jones" in page and "Ali Khan" in page


def test_asking_for_more_seats_than_are_left_books_none_and_says_why(login_as, session):
    staff = make_user(Role.SCHOOL)
    client = login_as(staff)
    preview = a_preview(seats=1)
    response = post_form(client, f"/school/previews/{preview.id}", {"names": "Sam Jones\nAli Khan"})
    assert response.status_code == 200
    assert "There are not enough seats left at this preview" in response.get_data(as_text=True)
    assert staff_seats.staff_seats(preview, staff.school) == []


def test_staff_change_and_cancel_a_colleagues_seat(login_as, session):
    staff = make_user(Role.SCHOOL)
    client = login_as(staff)
    preview = a_preview()
    [seat_id] = staff_seats.book_staff_seats(staff, staff.school, preview, ["Sam Jones"], today())
    response = post_form(client, f"/school/previews/seats/{seat_id}", {"name": "Jo Bloggs"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(PreviewStaffSeat, seat_id).colleague_name == "Jo Bloggs"
    assert post_form(client, f"/school/previews/seats/{seat_id}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(PreviewStaffSeat, seat_id) is None
    assert preview.seats_taken == 0


def test_another_schools_seat_and_a_preview_not_for_the_school_are_not_found(login_as, session):
    staff = make_user(Role.SCHOOL)
    client = login_as(staff)
    other = make_school()
    preview = a_preview()
    [seat_id] = staff_seats.book_staff_seats(make_user(Role.SCHOOL, school=other), other, preview, ["Sam"], today())
    assert client.get(f"/school/previews/seats/{seat_id}").status_code == 404
    assert post_form(client, f"/school/previews/seats/{seat_id}/cancel").status_code == 404
    assert post_form(client, f"/school/previews/seats/{seat_id}", {"name": "Mine now"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(PreviewStaffSeat, seat_id).colleague_name == "Sam"
    elsewhere = a_preview(audience=Audience(PreviewAudience.SCHOOLS, school_ids=frozenset({other.id})))
    assert client.get(f"/school/previews/{elsewhere.id}").status_code == 404
    assert post_form(client, f"/school/previews/{elsewhere.id}", {"names": "Sam"}).status_code == 404
