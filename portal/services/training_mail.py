"""The e-mails about the council's CSE training: one function per message, each adding to the outbox in the caller's
transaction through portal.services.mail. A joining link goes only to people with a place."""

from __future__ import annotations

from collections.abc import Iterable

from portal.domain.performances import moment_label
from portal.domain.training import LEVEL_LABELS, BookingStatus, session_when
from portal.links import external_url
from portal.models import TrainingBooking, TrainingSession, User
from portal.services.mail import Recipient, send, to_person, unique


def when(session: TrainingSession) -> str:
    return session_when(session.day, session.starts_at, session.ends_at)


def _learners(bookings: Iterable[TrainingBooking]) -> list[Recipient]:
    return unique(Recipient(booking.learner.user.email, booking.learner.user.full_name) for booking in bookings)


def _page_of(booking: TrainingBooking) -> str:
    """The learner's page of this booking: where they accept an offer or give up their place."""
    return external_url("learning.booking_detail", booking_id=booking.id)


def _send(bookings: Iterable[TrainingBooking], name: str, subject: str, session: TrainingSession, **context) -> int:
    return send(
        _learners(bookings),
        name,
        subject,
        session=session,
        course=session.course,
        level=LEVEL_LABELS[session.course.level],
        when=when(session),
        **{"show_link": False, **context},
    )


def place_booked(booking: TrainingBooking) -> int:
    """To a learner with a place (booked, or an offer accepted): when and where, or how to join online."""
    session = booking.session
    subject = f"Your place: {session.course.title}"
    return _send([booking], "training_booked", subject, session, show_link=True, link=_page_of(booking))


def session_reminder(booking: TrainingBooking, days_ahead: int) -> int:
    """To a learner with a place, a few days before: once per booking and session day (a moved session reminds
    again)."""
    session = booking.session
    soon = "tomorrow" if days_ahead == 1 else f"in {days_ahead} days"
    return _send(
        [booking],
        "training_reminder",
        f"Reminder: {session.course.title} {soon}",
        session,
        show_link=True,
        link=_page_of(booking),
        soon=soon,
        dedupe=f"training-reminder:{booking.id}:{session.day.isoformat()}",
    )


def waiting_list_joined(booking: TrainingBooking) -> int:
    session = booking.session
    return _send([booking], "training_waiting", f"On the waiting list: {session.course.title}", session)


def place_offered(booking: TrainingBooking) -> int:
    """To the first on the waiting list: a place is theirs if they accept it by the deadline."""
    session = booking.session
    assert booking.offer_expires_at is not None
    deadline = moment_label(booking.offer_expires_at)
    subject = f"A place is free: {session.course.title}"
    return _send([booking], "training_offered", subject, session, deadline=deadline, link=_page_of(booking))


def offer_lapsed(booking: TrainingBooking) -> int:
    session = booking.session
    return _send([booking], "training_offer_lapsed", f"Offer passed on: {session.course.title}", session)


def booking_cancelled(booking: TrainingBooking) -> int:
    """To a learner whose place (or waiting-list place) was cancelled, by them or for them."""
    session = booking.session
    return _send([booking], "training_booking_cancelled", f"Cancelled: {session.course.title}", session)


def session_changed(bookings: list[TrainingBooking], session: TrainingSession, before: str) -> int:
    """To everyone booked, offered a place or waiting: the session's new time or place (`before` is when it was);
    the joining link only to those with a place."""
    subject = f"Changed: {session.course.title}"
    sent = 0
    for has_place in (True, False):
        chosen = [booking for booking in bookings if (booking.status == BookingStatus.BOOKED) == has_place]
        sent += _send(chosen, "training_session_changed", subject, session, before=before, show_link=has_place)
    return sent


def session_cancelled(bookings: list[TrainingBooking], session: TrainingSession) -> int:
    return _send(bookings, "training_session_cancelled", f"Session cancelled: {session.course.title}", session)


def learner_approved(user: User) -> int:
    """To a learner: they can now book the council's training."""
    return send(to_person(user), "training_learner_approved", "You can book CSE training")


def learner_refused(user: User) -> int:
    return send(to_person(user), "training_learner_refused", "Your CSE training account", user=user)
