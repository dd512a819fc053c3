"""Calendar files for CSE training: one for each booking, and each learner's own feed of every booking they hold.

An event's UID is the booking's, so a changed session (its `sequence` is bumped on every change) updates the event
in calendar apps and a cancelled place or session shows as cancelled. The joining link of an online session goes
only into the events of people with a place, as in the e-mails.
"""

from __future__ import annotations

from datetime import datetime

from portal.clock import LONDON
from portal.domain.ics import CalendarEvent, calendar_bytes
from portal.domain.training import LEVEL_LABELS, BookingStatus, SessionStatus
from portal.extensions import db
from portal.models import Learner, TrainingBooking
from portal.services.training_bookings import bookings_of

FEED_KIND = "learner"
NO_LINK_YET = "Online: the joining link is sent to people with a place."
# In a learner's calendar: a place, an offered place still to accept, or a place on the waiting list.
IN_CALENDAR = {
    BookingStatus.BOOKED: "CONFIRMED",
    BookingStatus.ATTENDED: "CONFIRMED",
    BookingStatus.OFFERED: "TENTATIVE",
    BookingStatus.WAITING: "TENTATIVE",
    BookingStatus.CANCELLED: "CANCELLED",
}
NOTES = {
    BookingStatus.BOOKED: "You have a place.",
    BookingStatus.ATTENDED: "You attended.",
    BookingStatus.OFFERED: "A place is offered to you: accept it on the portal by the deadline.",
    BookingStatus.WAITING: "You are on the waiting list: no place yet.",
    BookingStatus.CANCELLED: "Your place was cancelled.",
}


def booking_event(booking: TrainingBooking, host: str) -> CalendarEvent:
    session = booking.session
    has_place = booking.status in (BookingStatus.BOOKED, BookingStatus.ATTENDED)
    cancelled = session.status == SessionStatus.CANCELLED
    lines = [NOTES[booking.status], f"{session.course.title} ({LEVEL_LABELS[session.course.level]})"]
    if session.online:
        lines.append(f"Join with this link: {session.joining_link}" if has_place else NO_LINK_YET)
    elif session.access_information:
        lines.append(f"Access: {session.access_information}")
    if cancelled:
        lines.append(f"Session cancelled: {session.cancel_reason}")
    changed = max(booking.updated_at, session.updated_at)
    return CalendarEvent(
        uid=f"training-booking-{booking.id}@{host}",
        stamp=changed,
        start=datetime.combine(session.day, session.starts_at, tzinfo=LONDON),
        end=datetime.combine(session.day, session.ends_at, tzinfo=LONDON),
        summary=f"CSE training: {session.course.title}",
        location="Online" if session.online else session.venue_address,
        description="\n".join(lines),
        status="CANCELLED" if cancelled else IN_CALENDAR[booking.status],
        # A change to the session or to the booking (offered, booked, cancelled) saves its updated_at: the later
        # one's minute, counted from 2026, only ever grows, so calendar apps take each change.
        sequence=max(0, int(changed.timestamp() - 1_767_225_600) // 60),
    )


def booking_ics(booking: TrainingBooking, host: str) -> bytes:
    return calendar_bytes([booking_event(booking, host)], "CSE training", f"training-booking-{booking.id}@{host}")


def learner_feed_ics(learner: Learner, host: str) -> bytes:
    """Every booking the learner has, past and to come, cancelled ones shown as cancelled."""
    events = [booking_event(booking, host) for booking in bookings_of(learner)]
    return calendar_bytes(events, "Your CSE training", f"learner-{learner.id}@{host}")


def learner_feed(learner_id: int, host: str) -> bytes | None:
    """The feed of a learner by id (None when there is no such learner: the feed's address is then not found)."""
    learner = db.session.get(Learner, learner_id)
    return learner_feed_ics(learner, host) if learner is not None else None
