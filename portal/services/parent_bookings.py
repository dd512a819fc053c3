"""Parents' seats at previews, without an account: each school's link (stored hashed, replaceable), bookings held
only once the parent opens the e-mailed confirmation link, cancellation through that link, and the waiting list."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select, update

from portal.domain.previews import (
    CANCELLABLE_STATES,
    SEATED_STATES,
    ParentBookingState,
    WaitingEntry,
    can_change_booking,
    confirmation_expires,
    move_up,
    parent_seats_problem,
)
from portal.extensions import db
from portal.models import ParentBooking, ParentLink, Preview, School
from portal.services import preview_mail
from portal.services.preview_seats import PreviewError, PreviewFull, give_back_seats, take_seats
from portal.services.recovery import hash_token
from portal.services.writes import execute_write

# Seats counted against the limits per address and per school link: every booking not cancelled.
COUNTED = (
    ParentBookingState.AWAITING_CONFIRMATION,
    ParentBookingState.HELD,
    ParentBookingState.WAITING,
    ParentBookingState.ATTENDED,
)


def rotate_link(school: School, now: datetime) -> str:
    """Give the school a new link for its parents, refusing the old one from now on; the new token, shown once."""
    execute_write(
        update(ParentLink)
        .where(ParentLink.school_id == school.id, ParentLink.replaced_at.is_(None))
        .values(replaced_at=now)
        .execution_options(synchronize_session=False)
    )
    token = secrets.token_urlsafe(24)
    db.session.add(ParentLink(school_id=school.id, token_hash=hash_token(token), created_at=now))
    db.session.flush()
    return token


def current_link(school: School) -> ParentLink | None:
    return db.session.scalar(
        select(ParentLink).where(ParentLink.school_id == school.id, ParentLink.replaced_at.is_(None))
    )


def school_for_link(token: str) -> School | None:
    """The school whose current link this is, or None (unknown or replaced)."""
    link = db.session.scalar(
        select(ParentLink).where(ParentLink.token_hash == hash_token(token), ParentLink.replaced_at.is_(None))
    )
    return link.school if link is not None else None


def _seats_booked(preview: Preview, *conditions) -> int:
    query = select(func.coalesce(func.sum(ParentBooking.seats), 0)).where(
        ParentBooking.preview_id == preview.id, ParentBooking.state.in_(COUNTED), *conditions
    )
    return int(db.session.scalar(query) or 0)


def book_parent_seats(
    school: School, preview: Preview, name: str, email: str, seats: int, now: datetime
) -> tuple[ParentBooking, str]:
    """Record a parent's booking and e-mail the link that confirms it; the booking and the link's token."""
    if preview.cancelled or not can_change_booking(preview.day, now.date()):
        raise PreviewError("This preview is no longer taking bookings")
    address = email.strip().lower()
    problem = parent_seats_problem(
        seats,
        _seats_booked(preview, ParentBooking.email == address),
        _seats_booked(preview, ParentBooking.school_id == school.id),
        preview.seats,
    )
    if problem:
        raise PreviewError(problem)
    token = secrets.token_urlsafe(24)
    booking = ParentBooking(
        preview_id=preview.id,
        school_id=school.id,
        parent_name=" ".join(name.split()),
        email=address,
        seats=seats,
        state=ParentBookingState.AWAITING_CONFIRMATION,
        token_hash=hash_token(token),
        created_at=now,
        confirm_by=confirmation_expires(now),
    )
    db.session.add(booking)
    db.session.flush()
    preview_mail.send_parent_confirmation(booking, token)
    return booking, token


def booking_for_token(token: str) -> ParentBooking | None:
    """The booking an e-mailed link is for, or None."""
    return db.session.scalar(select(ParentBooking).where(ParentBooking.token_hash == hash_token(token)))


def confirm_booking(booking: ParentBooking, now: datetime) -> ParentBookingState:
    """The parent opened the confirmation link: the seats are held, or, the preview being full, the booking joins
    the waiting list. Opening the link again changes nothing."""
    if booking.state != ParentBookingState.AWAITING_CONFIRMATION:
        return booking.state
    if now > booking.confirm_by or booking.preview.cancelled:
        raise PreviewError("This link has expired: book again from your school's link")
    booking.confirmed_at = booking.joined_at = now
    try:
        with db.session.begin_nested():
            take_seats(booking.preview, booking.seats)
        booking.state = ParentBookingState.HELD
    except PreviewFull:
        booking.state = ParentBookingState.WAITING
    db.session.flush()
    return booking.state


def cancel_booking(booking: ParentBooking, now: datetime) -> None:
    """The parent cancels through the e-mailed link; held seats go back and the waiting list moves up."""
    if booking.state not in CANCELLABLE_STATES:
        raise PreviewError("This booking cannot be cancelled")
    if not can_change_booking(booking.preview.day, now.date()):
        raise PreviewError("This preview has taken place")
    held = booking.state in SEATED_STATES
    booking.state = ParentBookingState.CANCELLED
    booking.cancelled_at = now
    db.session.flush()
    if held:
        give_back_seats(booking.preview, booking.seats)
        move_up_waiting_list(booking.preview)


def waiting_list(preview: Preview) -> list[ParentBooking]:
    query = select(ParentBooking).where(
        ParentBooking.preview_id == preview.id, ParentBooking.state == ParentBookingState.WAITING
    )
    return list(db.session.scalars(query.order_by(ParentBooking.joined_at, ParentBooking.id)))


def move_up_waiting_list(preview: Preview) -> list[ParentBooking]:
    """Give freed seats to the waiting list, first come first served; each parent moved up is told."""
    if preview.cancelled:
        return []
    waiting = {booking.id: booking for booking in waiting_list(preview)}
    entries = [WaitingEntry(b.id, b.seats, b.joined_at or b.created_at) for b in waiting.values()]
    moved = []
    for booking_id in move_up(entries, preview.seats_left):
        booking = waiting[booking_id]
        take_seats(preview, booking.seats)
        booking.state = ParentBookingState.HELD
        moved.append(booking)
        preview_mail.send_parent_moved_up(booking)
    db.session.flush()
    return moved


def parent_bookings(preview: Preview, school: School | None = None) -> list[ParentBooking]:
    """A preview's bookings (one school's, when given) that hold or held seats, by school and name."""
    query = select(ParentBooking).where(ParentBooking.preview_id == preview.id, ParentBooking.state.in_(SEATED_STATES))
    if school is not None:
        query = query.where(ParentBooking.school_id == school.id)
    query = query.join(School, School.id == ParentBooking.school_id)
    return list(db.session.scalars(query.order_by(School.name, ParentBooking.parent_name, ParentBooking.id)))


def booking_in(preview: Preview, booking_id: int | None) -> ParentBooking | None:
    """One of a preview's parent bookings, or None."""
    booking = db.session.get(ParentBooking, booking_id) if booking_id is not None else None
    return booking if booking is not None and booking.preview_id == preview.id else None


def mark_parent_attended(booking: ParentBooking, attended: bool) -> None:
    """The company marks whether a parent came (the seats stay taken either way)."""
    if booking.state not in SEATED_STATES:
        raise PreviewError("Only held bookings can be marked")
    booking.state = ParentBookingState.ATTENDED if attended else ParentBookingState.HELD
    db.session.flush()


def lapse_unconfirmed(now: datetime) -> int:
    """Cancel bookings whose confirmation link was never opened in time (they held no seats)."""
    return execute_write(
        update(ParentBooking)
        .where(ParentBooking.state == ParentBookingState.AWAITING_CONFIRMATION, ParentBooking.confirm_by < now)
        .values(state=ParentBookingState.CANCELLED, cancelled_at=now)
        .execution_options(synchronize_session=False)
    )
