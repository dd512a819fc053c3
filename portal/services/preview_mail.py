"""The e-mails about preview performances: everyone booked hears when a preview changes or is cancelled, and a
parent moved up from the waiting list hears that their seats are held. Each adds to the outbox in the caller's
transaction through portal.services.mail."""

from __future__ import annotations

from sqlalchemy import select

from portal.domain.calendars import clock_label
from portal.domain.previews import ParentBookingState
from portal.domain.wording import long_date
from portal.extensions import db
from portal.links import external_url
from portal.models import ParentBooking, Preview, PreviewStaffSeat
from portal.services.mail import Recipient, school_staff, send, unique

# Parents who still expect to come, or may: told of every change and of a cancellation.
PARENTS_TOLD = (ParentBookingState.AWAITING_CONFIRMATION, ParentBookingState.HELD, ParentBookingState.WAITING)


def when(preview: Preview) -> str:
    """Like "Tuesday 12 January 2027 at 6:30pm"."""
    return f"{long_date(preview.day)} at {clock_label(preview.starts_at)}"


def booked_recipients(preview: Preview) -> list[Recipient]:
    """The staff of every school with seats booked at the preview, and every parent booked or waiting."""
    schools = db.session.scalars(
        select(PreviewStaffSeat.school_id)
        .where(PreviewStaffSeat.preview_id == preview.id)
        .distinct()
        .order_by(PreviewStaffSeat.school_id)
    ).all()
    staff = [recipient for school_id in schools for recipient in school_staff(school_id)]
    parents = db.session.scalars(
        select(ParentBooking)
        .where(ParentBooking.preview_id == preview.id, ParentBooking.state.in_(PARENTS_TOLD))
        .order_by(ParentBooking.id)
    ).all()
    return unique([*staff, *(Recipient(booking.email, booking.parent_name) for booking in parents)])


def send_preview_changed(preview: Preview) -> int:
    subject = f"A preview of {preview.production.title} has changed"
    return send(booked_recipients(preview), "preview_changed", subject, preview=preview, when=when(preview))


def send_preview_cancelled(preview: Preview) -> int:
    subject = f"The preview of {preview.production.title} on {long_date(preview.day)} is cancelled"
    return send(booked_recipients(preview), "preview_cancelled", subject, preview=preview, when=when(preview))


def send_parent_moved_up(booking: ParentBooking) -> int:
    preview = booking.preview
    subject = f"Your seats at the preview of {preview.production.title} are held"
    recipient = Recipient(booking.email, booking.parent_name)
    return send([recipient], "preview_moved_up", subject, preview=preview, when=when(preview), booking=booking)


def send_parent_confirmation(booking: ParentBooking, token: str) -> int:
    """The link that holds a parent's seats once opened, and cancels them later: the only key to the booking."""
    preview = booking.preview
    subject = f"Confirm your seats at the preview of {preview.production.title}"
    recipient = Recipient(booking.email, booking.parent_name)
    link = external_url("public.parent_booking", token=token)
    return send(
        [recipient], "preview_parent_confirm", subject, preview=preview, when=when(preview), booking=booking, link=link
    )
