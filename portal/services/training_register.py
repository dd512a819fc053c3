"""A training session's register: who has a place, and marking who attended.

Marking a booking attended moves it from booked to attended with one conditional UPDATE and, in the same transaction,
records the person's training completion (what the reach figures count and the certificate verifies). Marking it
not attended moves it back and deletes the completion, so its certificate no longer verifies. Both statuses hold a
place (domain PLACE_STATUSES), so the session's places taken do not change. The conditional UPDATE makes two
saves of the same ticks at once write one completion: the second finds the booking already moved. Attendance is not
taken back from someone who has booked another session of the course since (one live place per course).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.domain.refusals import Refused
from portal.domain.training import LIVE_STATUSES, BookingStatus
from portal.domain.training_register import AttendanceChanges, attendance_changes, attendance_refusal
from portal.extensions import db
from portal.models import Learner, TrainingBooking, TrainingCompletion, TrainingSession, User
from portal.services import audit
from portal.services.training_bookings import move_booking
from portal.services.writes import execute_write

# The people on a register: those with a place on the day (an offer still open then has lapsed or been accepted).
ON_REGISTER = (BookingStatus.BOOKED, BookingStatus.ATTENDED)


class RegisterError(Refused):
    """A change to a register the rules refuse; the message is for the trainer or officer."""


def register_of(session: TrainingSession) -> list[TrainingBooking]:
    """The people with a place on the session, by name, with their learner records and accounts."""
    query = (
        select(TrainingBooking)
        .join(Learner, Learner.id == TrainingBooking.learner_id)
        .join(User, User.id == Learner.user_id)
        .where(TrainingBooking.session_id == session.id, TrainingBooking.status.in_(ON_REGISTER))
        .options(selectinload(TrainingBooking.learner).selectinload(Learner.user))
        .order_by(User.full_name, TrainingBooking.id)
    )
    return list(db.session.scalars(query))


def save_attendance(
    actor: User, session: TrainingSession, ticked: Iterable[int], now: datetime, today: date
) -> AttendanceChanges:
    """Make the register match the ticks: the ticked people attended, the others with a place did not."""
    refusal = attendance_refusal(session.status, session.day, today)
    if refusal:
        raise RegisterError(refusal)
    register = {booking.id: booking for booking in register_of(session)}
    changes = attendance_changes(
        {booking.id: booking.status == BookingStatus.ATTENDED for booking in register.values()}, ticked
    )
    for booking_id in sorted(changes.attended):
        mark_attended(actor, register[booking_id], now)
    for booking_id in sorted(changes.not_attended):
        mark_not_attended(actor, register[booking_id], now)
    return changes


def mark_attended(actor: User | None, booking: TrainingBooking, now: datetime) -> TrainingCompletion | None:
    """A booked place attended, with its completion and certificate code; None if it was not booked (any more)."""
    if not move_booking(booking, BookingStatus.BOOKED, BookingStatus.ATTENDED, now, attended_at=now):
        return None
    learner, course = booking.learner, booking.session.course
    completion = TrainingCompletion(
        email=learner.user.email.strip().lower(),
        name=learner.user.full_name,
        organisation=learner.organisation,
        agency_id=learner.agency_id,
        job_role_id=learner.job_role_id,
        district=learner.district,
        level=course.level,
        completed_on=booking.session.day,
        booking_id=booking.id,
        certificate_code=secrets.token_urlsafe(24),
    )
    db.session.add(completion)
    db.session.flush()
    _record(actor, "training.attended", booking, completion.id)
    return completion


def mark_not_attended(actor: User | None, booking: TrainingBooking, now: datetime) -> bool:
    """An attended booking back to booked, its completion (and so its certificate) removed; whether it changed.

    A booked place is live, and a learner holds one live place per course: one who has booked another session of the
    course since cannot be put back (the partial unique index would refuse it too, whoever books at the same time)."""
    refusal = RegisterError(
        f"{booking.learner.user.full_name} has booked another session of this course since: their attendance here "
        "cannot be taken back unless they give that place up first"
    )
    if _holds_another_place(booking):
        raise refusal
    try:
        with db.session.begin_nested():
            moved = move_booking(booking, BookingStatus.ATTENDED, BookingStatus.BOOKED, now, attended_at=None)
    except IntegrityError:
        raise refusal from None
    if not moved:
        return False
    execute_write(
        delete(TrainingCompletion)
        .where(TrainingCompletion.booking_id == booking.id)
        .execution_options(synchronize_session="fetch")
    )
    _record(actor, "training.attendance_removed", booking, None)
    return True


def _holds_another_place(booking: TrainingBooking) -> bool:
    query = select(TrainingBooking.id).where(
        TrainingBooking.learner_id == booking.learner_id,
        TrainingBooking.course_id == booking.course_id,
        TrainingBooking.id != booking.id,
        TrainingBooking.status.in_(LIVE_STATUSES),
    )
    return db.session.scalar(query.limit(1)) is not None


def _record(actor: User | None, action: str, booking: TrainingBooking, completion_id: int | None) -> None:
    audit.record(
        actor,
        action,
        "training_booking",
        booking.id,
        after={
            "session_id": booking.session_id,
            "learner_id": booking.learner_id,
            "status": booking.status.value,
            "completion_id": completion_id,
        },
    )
