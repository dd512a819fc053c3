"""Courses and their sessions: set up, changed and cancelled by council officers (trainers run them), with everyone
booked told of a change by e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.domain.refusals import Refused
from portal.domain.training import (
    LIVE_STATUSES,
    PLACE_STATUSES,
    BookingStatus,
    CourseLevel,
    SessionStatus,
    session_change_refusal,
    session_when,
)
from portal.extensions import db
from portal.models import Learner, Role, TrainingBooking, TrainingCourse, TrainingSession, User
from portal.services import audit, training_mail
from portal.services.writes import execute_write

COURSE_FIELDS = ("title", "level", "length_minutes", "learning_outcomes", "audience")
SESSION_FIELDS = (
    "course_id", "trainer_id", "day", "starts_at", "ends_at", "capacity", "places_taken", "venue_address",
    "access_information", "joining_link", "status", "cancel_reason",
)  # fmt: skip
# What learners are told about when it changes: when and where.
TOLD_FIELDS = ("day", "starts_at", "ends_at", "venue_address", "access_information", "joining_link")


class TrainingError(Refused):
    """A change to the training that the rules refuse; the message is for the person making it."""


@dataclass(frozen=True)
class CourseDetails:
    title: str
    level: CourseLevel
    length_minutes: int
    learning_outcomes: str
    audience: str


@dataclass(frozen=True)
class SessionDetails:
    day: date
    starts_at: time
    ends_at: time
    capacity: int
    venue_address: str = ""
    access_information: str = ""
    joining_link: str = ""
    trainer: User | None = None


# Courses


def courses() -> list[TrainingCourse]:
    return list(db.session.scalars(select(TrainingCourse).order_by(TrainingCourse.title, TrainingCourse.id)))


def get_course(course_id: int) -> TrainingCourse | None:
    return db.session.get(TrainingCourse, course_id)


def _completed(course: TrainingCourse) -> bool:
    attended = select(TrainingBooking.id).where(
        TrainingBooking.course_id == course.id, TrainingBooking.status == BookingStatus.ATTENDED
    )
    return db.session.scalar(attended.limit(1)) is not None


def create_course(actor: User, details: CourseDetails) -> TrainingCourse:
    course = TrainingCourse(**vars(details))
    db.session.add(course)
    db.session.flush()
    audit.record(
        actor, "training.course_created", "training_course", course.id, after=audit.snapshot(course, COURSE_FIELDS)
    )
    return course


def change_course(actor: User, course: TrainingCourse, details: CourseDetails) -> None:
    """Change a course's description; its level only while nobody has completed it (completions keep their level, so
    the staff-trained figures would no longer match the course)."""
    if details.level != course.level and _completed(course):
        raise TrainingError("level", "People have completed this course, so its level cannot change: add a new course")
    before = audit.snapshot(course, COURSE_FIELDS)
    for name, value in vars(details).items():
        setattr(course, name, value)
    db.session.flush()
    audit.record(
        actor, "training.course_changed", "training_course", course.id, before=before,
        after=audit.snapshot(course, COURSE_FIELDS),
    )  # fmt: skip


# Sessions


def trainers() -> list[User]:
    """Active trainer accounts, by name: those a session can be given to."""
    query = select(User).where(User.role == Role.TRAINER, User.active.is_(True)).order_by(User.full_name, User.id)
    return list(db.session.scalars(query))


def sessions_of(course: TrainingCourse) -> list[TrainingSession]:
    query = select(TrainingSession).where(TrainingSession.course_id == course.id)
    return list(db.session.scalars(query.order_by(TrainingSession.day, TrainingSession.starts_at, TrainingSession.id)))


def upcoming_sessions(today: date) -> list[TrainingSession]:
    """Scheduled sessions from today on, soonest first, with their courses: what a learner can book."""
    query = (
        select(TrainingSession)
        .where(TrainingSession.status == SessionStatus.SCHEDULED, TrainingSession.day >= today)
        .options(selectinload(TrainingSession.course))
        .order_by(TrainingSession.day, TrainingSession.starts_at, TrainingSession.id)
    )
    return list(db.session.scalars(query))


def get_session(session_id: int) -> TrainingSession | None:
    return db.session.get(TrainingSession, session_id)


def session_for(user: User, session_id: int) -> TrainingSession | None:
    """A session as the user may manage it: any for council officers, a trainer's own only; None otherwise."""
    session = db.session.get(TrainingSession, session_id)
    if session is None or user.role == Role.COUNCIL:
        return session
    return session if user.role == Role.TRAINER and session.trainer_id == user.id else None


def trainer_sessions(trainer: User) -> list[TrainingSession]:
    query = select(TrainingSession).where(TrainingSession.trainer_id == trainer.id)
    return list(db.session.scalars(query.order_by(TrainingSession.day, TrainingSession.starts_at, TrainingSession.id)))


def bookings_on(session: TrainingSession, statuses=LIVE_STATUSES | {BookingStatus.ATTENDED}) -> list[TrainingBooking]:
    """A session's bookings in these statuses, in the order they were made (the waiting list's order)."""
    query = (
        select(TrainingBooking)
        .where(TrainingBooking.session_id == session.id, TrainingBooking.status.in_(statuses))
        .options(selectinload(TrainingBooking.learner).selectinload(Learner.user))
        .order_by(TrainingBooking.created_at, TrainingBooking.id)
    )
    return list(db.session.scalars(query))


def create_session(actor: User, course: TrainingCourse, details: SessionDetails) -> TrainingSession:
    _check(details, places_taken=0)
    session = TrainingSession(course=course, **_columns(details))
    db.session.add(session)
    db.session.flush()
    audit.record(
        actor, "training.session_created", "training_session", session.id,
        after=audit.snapshot(session, SESSION_FIELDS),
    )  # fmt: skip
    return session


def change_session(actor: User, session: TrainingSession, details: SessionDetails, now: datetime) -> None:
    """Change a session; everyone booked, offered a place or waiting is told of a new time or place, and places a
    bigger capacity frees are offered to those waiting."""
    from portal.services import training_bookings  # they offer places; this module is imported by them

    if session.status == SessionStatus.CANCELLED:
        raise TrainingError("This session has been cancelled: it can no longer be changed")
    db.session.refresh(session)  # the places taken as they are now
    _check(details, places_taken=session.places_taken)
    before = audit.snapshot(session, SESSION_FIELDS)
    was = session_when(session.day, session.starts_at, session.ends_at)
    columns = _columns(details)
    told = any(getattr(session, name) != columns[name] for name in TOLD_FIELDS)
    for name, value in columns.items():
        setattr(session, name, value)
    if told:
        session.sequence += 1
    db.session.flush()
    audit.record(
        actor, "training.session_changed", "training_session", session.id, before=before,
        after=audit.snapshot(session, SESSION_FIELDS),
    )  # fmt: skip
    if told:
        training_mail.session_changed(bookings_on(session, LIVE_STATUSES), session, was)
    training_bookings.offer_free_places(session, now)


def cancel_session(actor: User, session: TrainingSession, reason: str, now: datetime) -> int:
    """Cancel a session and every booking on it, telling each person booked, offered a place or waiting; how many."""
    if session.status == SessionStatus.CANCELLED:
        raise TrainingError("This session has already been cancelled")
    if not reason.strip():
        raise TrainingError("reason", "Enter the reason for cancelling the session: everyone booked will read it")
    before = audit.snapshot(session, SESSION_FIELDS)
    live = bookings_on(session, LIVE_STATUSES)
    execute_write(
        update(TrainingBooking)
        .where(TrainingBooking.session_id == session.id, TrainingBooking.status.in_(LIVE_STATUSES))
        .values(status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    session.status, session.cancel_reason = SessionStatus.CANCELLED, reason.strip()
    session.places_taken = len(bookings_on(session, PLACE_STATUSES))
    session.sequence += 1
    db.session.flush()
    for booking in live:
        db.session.refresh(booking)
    audit.record(
        actor, "training.session_cancelled", "training_session", session.id, before=before,
        after=audit.snapshot(session, SESSION_FIELDS),
    )  # fmt: skip
    training_mail.session_cancelled(live, session)
    return len(live)


def _columns(details: SessionDetails) -> dict:
    online = bool(details.joining_link.strip())
    return {
        "day": details.day,
        "starts_at": details.starts_at,
        "ends_at": details.ends_at,
        "capacity": details.capacity,
        "venue_address": "" if online else details.venue_address.strip(),
        "access_information": "" if online else details.access_information.strip(),
        "joining_link": details.joining_link.strip(),
        "trainer_id": details.trainer.id if details.trainer else None,
    }


def _check(details: SessionDetails, places_taken: int) -> None:
    refusal = session_change_refusal(details.capacity, places_taken, details.starts_at, details.ends_at)
    if refusal:
        raise TrainingError(refusal)
    if bool(details.venue_address.strip()) == bool(details.joining_link.strip()):
        raise TrainingError("venue_address", "Enter the venue's address, or a joining link for an online session")
    if details.joining_link.strip() and not details.joining_link.strip().startswith("https://"):
        raise TrainingError("joining_link", "Enter a joining link starting with https://")
