"""Parents book preview seats through the link their school shares, without an account: the seats are held only
once they confirm from the e-mailed link, which also cancels them; a replaced school link and a made-up booking link
are not found."""

from __future__ import annotations

import re
from datetime import time, timedelta

from sqlalchemy import select

from portal.access_log import redact
from portal.clock import today
from portal.domain.previews import Audience, ParentBookingState, PreviewAudience
from portal.extensions import db
from portal.models import OutboxMessage, ParentBooking, Role
from portal.services import previews
from portal.services.previews import PreviewDetails
from tests.factories import make_production, make_user
from tests.integration.pages import location_path, post_form

LINK = re.compile(r'href="https?://[^/"]+(/parents/book/[^"]+)"')
BOOKING_LINK = re.compile(r"https?://\S+?(/parents/booking/[A-Za-z0-9_-]+)")


def a_preview(seats: int = 10):
    details = PreviewDetails(
        make_production().id,
        today() + timedelta(days=10),
        time(18, 30),
        "The Mill, Banbury",
        "",
        seats,
        Audience(PreviewAudience.ALL_SCHOOLS),
    )
    return previews.create_preview(make_user(Role.COMPANY), details)


def school_link(client) -> str:
    page = post_form(client, "/school/previews/parents-link").get_data(as_text=True)
    return LINK.search(page).group(1)


def test_a_parent_books_confirms_and_cancels_through_the_emailed_link(login_as, fresh_client, session):
    staff = make_user(Role.SCHOOL)
    path = school_link(login_as(staff))
    preview = a_preview()
    parent = fresh_client()
    page = parent.get(path).get_data(as_text=True)
    assert preview.production.title in page and staff.school.name in page
    data = {"preview_id": str(preview.id), "parent_name": "Pat Parent", "email": "pat@example.net", "seats": "2"}
    response = post_form(parent, path, data)
    assert location_path(response) == "/parents/sent"
    booking = db.session.scalars(select(ParentBooking).where(ParentBooking.email == "pat@example.net")).one()
    assert booking.state == ParentBookingState.AWAITING_CONFIRMATION and preview.seats_taken == 0

    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "pat@example.net")).one()
    booking_path = BOOKING_LINK.search(message.body_text).group(1)
    assert "Confirm my seats" in parent.get(booking_path).get_data(as_text=True)
    assert post_form(parent, f"{booking_path}/confirm").status_code == 302
    db.session.refresh(booking)
    assert booking.state == ParentBookingState.HELD
    assert post_form(parent, f"{booking_path}/cancel").status_code == 302
    db.session.refresh(booking)
    assert booking.state == ParentBookingState.CANCELLED
    db.session.refresh(preview)
    assert preview.seats_taken == 0


def test_a_replaced_school_link_and_a_made_up_booking_link_are_not_found(login_as, fresh_client, session):
    client = login_as(make_user(Role.SCHOOL))
    old = school_link(client)
    new = school_link(client)
    parent = fresh_client()
    assert parent.get(old).status_code == 404
    assert parent.get(new).status_code == 200
    assert parent.get("/parents/booking/made-up-token").status_code == 404
    assert post_form(parent, "/parents/booking/made-up-token/confirm").status_code == 404


def test_a_booking_form_with_problems_says_what_to_fix_and_books_nothing(login_as, fresh_client, session):
    path = school_link(login_as(make_user(Role.SCHOOL)))
    preview = a_preview()
    parent = fresh_client()
    response = post_form(
        parent, path, {"preview_id": str(preview.id), "parent_name": "", "email": "nope", "seats": "9"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter your name" in page and "Enter an email address in the correct format" in page
    assert db.session.scalars(select(ParentBooking)).all() == []


def test_the_public_booking_page_shows_nothing_about_other_bookings(login_as, fresh_client, session):
    path = school_link(login_as(make_user(Role.SCHOOL)))
    preview = a_preview()
    parent = fresh_client()
    data = {"preview_id": str(preview.id), "parent_name": "Other Parent", "email": "other@example.net", "seats": "1"}
    post_form(parent, path, data)
    page = fresh_client().get(path).get_data(as_text=True)
    assert "Other Parent" not in page and "other@example.net" not in page


def test_parent_links_are_redacted_from_logs():
    assert redact("GET /parents/book/abcDEF_12-3 HTTP/1.1") == "GET /parents/book/[redacted] HTTP/1.1"
    assert redact("POST /parents/booking/abc/confirm") == "POST /parents/booking/[redacted]/confirm"


def test_one_client_cannot_book_again_and_again(login_as, fresh_client, session):
    path = school_link(login_as(make_user(Role.SCHOOL)))
    parent = fresh_client()
    answers = []
    for number in range(12):
        preview = a_preview(seats=40)
        data = {"preview_id": str(preview.id), "parent_name": "Pat", "email": f"p{number}@example.net", "seats": "1"}
        answers.append(post_form(parent, path, data).status_code)
    assert answers[:10] == [302] * 10 and answers[10:] == [429, 429]


def test_one_address_gets_at_most_three_confirmation_emails_an_hour(login_as, fresh_client, session):
    path = school_link(login_as(make_user(Role.SCHOOL)))
    answers = []
    for _ in range(4):
        preview = a_preview(seats=40)
        data = {"preview_id": str(preview.id), "parent_name": "Pat", "email": "pat@example.net", "seats": "1"}
        answers.append(post_form(fresh_client(), path, data).status_code)
    assert answers == [302, 302, 302, 429]
