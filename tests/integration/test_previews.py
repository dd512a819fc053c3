"""Preview performances: the company sets them up for some schools, school staff book seats for named colleagues,
parents book through their school's link and hold seats once they confirm, a full preview has a waiting list that
moves up when seats are freed, and everyone booked hears of a change or a cancellation."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal.domain.previews import ADDRESS_SEATS_MAX, Audience, ParentBookingState, PreviewAudience
from portal.extensions import db
from portal.models import OutboxMessage, Preview, PreviewStaffSeat, Role
from portal.services import parent_bookings, previews, staff_seats
from portal.services.preview_seats import PreviewError, PreviewFull
from portal.services.previews import PreviewDetails
from tests.factories import make_production, make_school, make_user

TODAY = date(2027, 1, 4)
NOW = datetime(2027, 1, 4, 10, tzinfo=UTC)
DAY = date(2027, 1, 12)


def details(seats: int = 10, audience: Audience | None = None, **overrides) -> PreviewDetails:
    fields = {
        "production_id": make_production().id,
        "day": DAY,
        "starts_at": time(18, 30),
        "venue_address": "The Mill Arts Centre, Spiceball Park Road, Banbury",
        "access_information": "Step-free entrance from the car park",
        "seats": seats,
        "audience": audience or Audience(PreviewAudience.ALL_SCHOOLS),
    }
    fields.update(overrides)
    return PreviewDetails(**fields)


def messages_to(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


@pytest.fixture
def company(session):
    return make_user(Role.COMPANY)


def book_parent(school, preview, email: str, seats: int = 2, name: str = "Pat Parent"):
    booking, token = parent_bookings.book_parent_seats(school, preview, name, email, seats, NOW)
    return booking, token


def test_a_preview_for_a_district_is_offered_to_its_schools_only(company):
    inside, outside = make_school(district="Cherwell"), make_school(district="West Oxfordshire")
    preview = previews.create_preview(company, details(audience=Audience(PreviewAudience.DISTRICT, "Cherwell")))
    assert previews.previews_for_school(inside, TODAY) == [preview]
    assert previews.previews_for_school(outside, TODAY) == []
    assert previews.preview_for_school(outside, preview.id) is None


def test_a_preview_for_a_list_of_schools_is_offered_to_those_schools(company):
    listed, other = make_school(), make_school()
    audience = Audience(PreviewAudience.SCHOOLS, school_ids=frozenset({listed.id}))
    preview = previews.create_preview(company, details(audience=audience))
    assert previews.preview_for_school(listed, preview.id) is preview
    assert previews.preview_for_school(other, preview.id) is None


def test_staff_book_seats_for_named_colleagues_all_or_none(company):
    school = make_school()
    staff = make_user(Role.SCHOOL, school=school)
    preview = previews.create_preview(company, details(seats=3))
    staff_seats.book_staff_seats(staff, school, preview, ["Sam Jones", "Ali Khan"], TODAY)
    assert preview.seats_taken == 2
    with pytest.raises(PreviewFull):
        staff_seats.book_staff_seats(staff, school, preview, ["Jo Bloggs", "Lee Smith"], TODAY)
    assert preview.seats_taken == 2
    assert [seat.colleague_name for seat in staff_seats.staff_seats(preview, school)] == ["Ali Khan", "Sam Jones"]


def test_staff_change_or_cancel_a_seat_up_to_the_day_and_not_after(company):
    school = make_school()
    staff = make_user(Role.SCHOOL, school=school)
    preview = previews.create_preview(company, details(seats=3))
    [seat_id] = staff_seats.book_staff_seats(staff, school, preview, ["Sam Jones"], TODAY)
    seat = staff_seats.staff_seat_for(school, seat_id)
    staff_seats.rename_staff_seat(staff, seat, "Ali Khan", DAY)
    assert seat.colleague_name == "Ali Khan"
    with pytest.raises(PreviewError):
        staff_seats.cancel_staff_seat(staff, seat, DAY + timedelta(days=1))
    staff_seats.cancel_staff_seat(staff, seat, DAY)
    assert preview.seats_taken == 0
    assert db.session.get(PreviewStaffSeat, seat_id) is None


def test_a_school_cannot_reach_another_schools_staff_seat(company):
    school, other = make_school(), make_school()
    preview = previews.create_preview(company, details())
    [seat_id] = staff_seats.book_staff_seats(make_user(Role.SCHOOL, school=school), school, preview, ["Sam"], TODAY)
    assert staff_seats.staff_seat_for(other, seat_id) is None


def test_a_parents_seats_are_held_only_once_the_confirmation_link_is_opened(company):
    school = make_school()
    preview = previews.create_preview(company, details(seats=10))
    booking, token = book_parent(school, preview, "Pat@Example.net")
    assert booking.state == ParentBookingState.AWAITING_CONFIRMATION and preview.seats_taken == 0
    assert booking.email == "pat@example.net" and token not in booking.token_hash
    found = parent_bookings.booking_for_token(token)
    assert parent_bookings.confirm_booking(found, NOW + timedelta(hours=1)) == ParentBookingState.HELD
    assert preview.seats_taken == 2
    assert parent_bookings.confirm_booking(found, NOW + timedelta(hours=2)) == ParentBookingState.HELD
    assert preview.seats_taken == 2


def test_an_unconfirmed_booking_lapses_and_its_link_expires(company):
    preview = previews.create_preview(company, details())
    booking, _token = book_parent(make_school(), preview, "late@example.net")
    with pytest.raises(PreviewError):
        parent_bookings.confirm_booking(booking, NOW + timedelta(hours=49))
    assert parent_bookings.lapse_unconfirmed(NOW + timedelta(hours=49)) == 1
    db.session.refresh(booking)
    assert booking.state == ParentBookingState.CANCELLED


def test_one_address_and_one_school_link_cannot_take_every_seat(company):
    school = make_school()
    preview = previews.create_preview(company, details(seats=10))
    book_parent(school, preview, "pat@example.net", seats=ADDRESS_SEATS_MAX)
    with pytest.raises(PreviewError, match="email address"):
        book_parent(school, preview, "PAT@example.net", seats=1)
    book_parent(school, preview, "sam@example.net", seats=1)
    with pytest.raises(PreviewError, match="Parents at this school"):
        book_parent(school, preview, "lee@example.net", seats=1)
    book_parent(make_school(), preview, "lee@example.net", seats=1)  # another school's parents still can


def test_a_full_preview_puts_parents_on_a_waiting_list_that_moves_up_when_seats_are_freed(company):
    school = make_school()
    staff = make_user(Role.SCHOOL, school=school)
    preview = previews.create_preview(company, details(seats=4))
    [seat_id] = staff_seats.book_staff_seats(staff, school, preview, ["Sam Jones"], TODAY)
    first, _ = book_parent(school, preview, "first@example.net", seats=3)
    second, _ = book_parent(make_school(), preview, "second@example.net", seats=1)
    third, _ = book_parent(make_school(), preview, "third@example.net", seats=2)
    parent_bookings.confirm_booking(first, NOW)
    assert parent_bookings.confirm_booking(third, NOW + timedelta(minutes=1)) == ParentBookingState.WAITING
    assert parent_bookings.confirm_booking(second, NOW + timedelta(minutes=2)) == ParentBookingState.WAITING
    assert preview.seats_taken == 4

    staff_seats.cancel_staff_seat(staff, staff_seats.staff_seat_for(school, seat_id), TODAY)
    # One seat free: the third (two seats, first in line) keeps its place, the second (one seat) moves up.
    assert (second.state, third.state) == (ParentBookingState.HELD, ParentBookingState.WAITING)
    assert [m.subject for m in messages_to("second@example.net")][-1].endswith("are held")

    parent_bookings.cancel_booking(first, NOW + timedelta(days=1))
    assert third.state == ParentBookingState.HELD and preview.seats_taken == 3
    assert messages_to("third@example.net")


def test_everyone_booked_hears_of_a_change_and_of_a_cancellation(company):
    school = make_school()
    staff = make_user(Role.SCHOOL, school=school, email="dsl@alder.example.org")
    preview = previews.create_preview(company, details(seats=10))
    staff_seats.book_staff_seats(staff, school, preview, ["Sam Jones"], TODAY)
    booking, _ = book_parent(school, preview, "pat@example.net")
    parent_bookings.confirm_booking(booking, NOW)
    cancelled, _ = book_parent(school, preview, "gone@example.net")
    parent_bookings.cancel_booking(cancelled, NOW)

    previews.change_preview(company, preview, details(seats=12, starts_at=time(19, 0)))
    previews.cancel_preview(company, preview, "The venue has flooded")

    for address in ("dsl@alder.example.org", "pat@example.net"):
        subjects = [message.subject for message in messages_to(address)]
        assert any("has changed" in subject for subject in subjects)
        assert any(subject.endswith("is cancelled") for subject in subjects)
        assert "The venue has flooded" in messages_to(address)[-1].body_text
    # A parent who cancelled had only the confirmation link: nothing about the change or the cancellation.
    subjects = [message.subject for message in messages_to("gone@example.net")]
    assert len(subjects) == 1 and subjects[0].startswith("Confirm your seats at the preview of")
    with pytest.raises(PreviewError):
        parent_bookings.book_parent_seats(school, preview, "Pat", "new@example.net", 1, NOW)


def test_a_preview_cannot_shrink_below_the_seats_booked(company):
    school = make_school()
    preview = previews.create_preview(company, details(seats=5))
    staff_seats.book_staff_seats(make_user(Role.SCHOOL, school=school), school, preview, ["A", "B", "C"], TODAY)
    with pytest.raises(PreviewError, match="3 seats are booked"):
        previews.change_preview(company, preview, details(seats=2))
    assert db.session.get(Preview, preview.id).seats == 5


def test_a_replaced_link_is_refused_and_only_its_hash_is_kept(session):
    school = make_school()
    old = parent_bookings.rotate_link(school, NOW)
    assert parent_bookings.school_for_link(old) is school
    new = parent_bookings.rotate_link(school, NOW + timedelta(days=1))
    assert parent_bookings.school_for_link(old) is None
    assert parent_bookings.school_for_link(new) is school
    assert parent_bookings.current_link(school).token_hash != new
