"""Booking the council's training: a place, first come first served, or the waiting list of a full session; a freed
place offered to the first waiting, who has until a deadline to accept; cancellation up to the cut-off.

Places are taken and given back through one counter (training_sessions.places_taken) with one conditional UPDATE
(`places_taken < capacity`): on PostgreSQL the second of two racing transactions waits for the first's row lock,
then re-checks the condition against the committed count; on SQLite writers are serialised. The CHECK constraint on
the counter is the backstop, and the partial unique index on live bookings refuses a second place on a course.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.domain.refusals import Refused
from portal.domain.training import (
    BookingStatus,
    SessionStatus,
    Waiting,
    acceptance_refusal,
    booking_refusal,
    cancellation_refusal,
    first_waiting,
    offer_deadline,
)
from portal.extensions import db
from portal.models import Learner, TrainingBooking, TrainingSession, User
from portal.services import audit, training_mail
from portal.services.training_learners import learner_approved
from portal.services.writes import execute_write

HOLDS_A_PLACE = (BookingStatus.BOOKED, BookingStatus.OFFERED)


class BookingError(Refused):
    """A booking the rules refuse; the message is for the learner."""


class AlreadyBooked(BookingError):
    """The learner already holds, waits for or is offered a place on this course."""


def bookings_of(learner: Learner) -> list[TrainingBooking]:
    """A learner's bookings, the soonest session first."""
    query = (
        select(TrainingBooking)
        .join(TrainingSession, TrainingSession.id == TrainingBooking.session_id)
        .where(TrainingBooking.learner_id == learner.id)
        .options(selectinload(TrainingBooking.session).selectinload(TrainingSession.course))
        .order_by(TrainingSession.day, TrainingSession.starts_at, TrainingBooking.id)
    )
    return list(db.session.scalars(query))


def booking_of(learner: Learner, booking_id: int) -> TrainingBooking | None:
    """One of the learner's bookings; None when there is none by that id or it is someone else's."""
    booking = db.session.get(TrainingBooking, booking_id)
    return booking if booking is not None and booking.learner_id == learner.id else None


def live_booking_on(learner: Learner, session: TrainingSession) -> TrainingBooking | None:
    """The learner's live booking on this session (booked, waiting or offered), if any."""
    query = select(TrainingBooking).where(
        TrainingBooking.learner_id == learner.id,
        TrainingBooking.session_id == session.id,
        TrainingBooking.status.in_((BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.OFFERED)),
    )
    return db.session.scalar(query)


def book(learner: Learner, session: TrainingSession, now: datetime) -> TrainingBooking:
    """A place on the session if one is free, else a place on its waiting list; AlreadyBooked for a second place."""
    db.session.refresh(session)
    refusal = booking_refusal(session.facts, learner_approved(learner), now)
    if refusal:
        raise BookingError(refusal)
    try:
        with db.session.begin_nested():
            took = _take_place(session)
            status = BookingStatus.BOOKED if took else BookingStatus.WAITING
            booking = TrainingBooking(
                session_id=session.id, course_id=session.course_id, learner=learner, status=status, created_at=now
            )
            db.session.add(booking)
            db.session.flush()
            db.session.refresh(session)
            if session.status == SessionStatus.CANCELLED:  # cancelled while this booking waited for the row
                raise BookingError("This session has been cancelled")
    except IntegrityError:
        raise AlreadyBooked(
            "You already have a place, a waiting-list place or an offer on this course: cancel it first to choose "
            "another session"
        ) from None
    _record(learner.user, f"training.{status.value}", booking)
    (training_mail.place_booked if took else training_mail.waiting_list_joined)(booking)
    return booking


def cancel_booking(actor: User, booking: TrainingBooking, now: datetime, *, by_learner: bool = True) -> None:
    """Cancel a place, waiting-list place or offer (a learner up to the cut-off; a council officer at any time); a
    place given up is offered to the first waiting."""
    session = booking.session
    db.session.refresh(booking)
    if by_learner:
        refusal = cancellation_refusal(booking.status, session.facts, now)
        if refusal:
            raise BookingError(refusal)
    was = booking.status
    if not move_booking(booking, was, BookingStatus.CANCELLED, now):
        raise BookingError("This booking changed a moment ago: look at it again")
    if was in HOLDS_A_PLACE:
        _give_back_place(session)
    _record(actor, "training.cancelled", booking)
    training_mail.booking_cancelled(booking)
    offer_free_places(session, now)


def accept_offer(learner: Learner, booking: TrainingBooking, now: datetime) -> None:
    """The learner takes the place offered to them, before its deadline."""
    db.session.refresh(booking)
    refusal = acceptance_refusal(booking.status, booking.offer_expires_at, now)
    if refusal:
        raise BookingError(refusal)
    accepted = execute_write(
        update(TrainingBooking)
        .where(
            TrainingBooking.id == booking.id,
            TrainingBooking.status == BookingStatus.OFFERED,
            TrainingBooking.offer_expires_at > now,
        )
        .values(status=BookingStatus.BOOKED, offer_expires_at=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(booking)
    if accepted != 1:
        raise BookingError("The time to accept this place has passed: it has been offered to the next person waiting")
    _record(learner.user, "training.offer_accepted", booking)
    training_mail.place_booked(booking)


def offer_free_places(session: TrainingSession, now: datetime) -> int:
    """Offer each free place of the session to the first on its waiting list, held until the offer deadline; how
    many were offered. Too close to the start, a free place is left for anyone to book instead."""
    offered = 0
    while True:
        db.session.refresh(session)
        deadline = offer_deadline(session.facts, now)
        if session.status == SessionStatus.CANCELLED or session.facts.full or deadline is None:
            return offered
        waiting = db.session.execute(
            select(TrainingBooking.id, TrainingBooking.created_at).where(
                TrainingBooking.session_id == session.id, TrainingBooking.status == BookingStatus.WAITING
            )
        ).all()
        first = first_waiting(Waiting(booking_id, joined_at) for booking_id, joined_at in waiting)
        if first is None:
            return offered
        booking = db.session.get(TrainingBooking, first.booking_id)
        assert booking is not None
        if not _take_place(session):
            return offered
        if not move_booking(booking, BookingStatus.WAITING, BookingStatus.OFFERED, now, offer_expires_at=deadline):
            _give_back_place(session)  # they gave up their waiting-list place a moment ago: try the next
            continue
        _record(None, "training.offered", booking)
        training_mail.place_offered(booking)
        offered += 1


def lapse_offers(now: datetime) -> int:
    """Offers not accepted by their deadline are withdrawn and their places offered to the next waiting; how many."""
    query = (
        select(TrainingBooking)
        .where(TrainingBooking.status == BookingStatus.OFFERED, TrainingBooking.offer_expires_at <= now)
        .order_by(TrainingBooking.offer_expires_at, TrainingBooking.id)
    )
    lapsed = 0
    for booking in db.session.scalars(query).all():
        if not move_booking(booking, BookingStatus.OFFERED, BookingStatus.CANCELLED, now):
            continue
        _give_back_place(booking.session)
        _record(None, "training.offer_lapsed", booking)
        training_mail.offer_lapsed(booking)
        offer_free_places(booking.session, now)
        lapsed += 1
    return lapsed


def _take_place(session: TrainingSession) -> bool:
    """Take one of the session's places if one is free (one conditional UPDATE); whether it did."""
    return (
        execute_write(
            update(TrainingSession)
            .where(
                TrainingSession.id == session.id,
                TrainingSession.status == SessionStatus.SCHEDULED,
                TrainingSession.places_taken < TrainingSession.capacity,
            )
            .values(places_taken=TrainingSession.places_taken + 1)
            .execution_options(synchronize_session=False)
        )
        == 1
    )


def _give_back_place(session: TrainingSession) -> None:
    execute_write(
        update(TrainingSession)
        .where(TrainingSession.id == session.id, TrainingSession.places_taken > 0)
        .values(places_taken=TrainingSession.places_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(session)


def move_booking(booking: TrainingBooking, was: BookingStatus, to: BookingStatus, now: datetime, **values) -> bool:
    """Change the booking's status if it is still `was` (one conditional UPDATE); whether it did."""
    if to == BookingStatus.CANCELLED:
        values.setdefault("cancelled_at", now)
    moved = execute_write(
        update(TrainingBooking)
        .where(TrainingBooking.id == booking.id, TrainingBooking.status == was)
        .values(status=to, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(booking)
    return moved == 1


def _record(actor: User | None, action: str, booking: TrainingBooking) -> None:
    audit.record(
        actor,
        action,
        "training_booking",
        booking.id,
        after={"session_id": booking.session_id, "learner_id": booking.learner_id, "status": booking.status.value},
    )
