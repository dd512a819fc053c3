"""The council's CSE training: the lists it keeps, courses, sessions, learners and their bookings."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.training import BookingStatus, CourseLevel, SessionFacts, SessionStatus
from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.users import User, enum_column

# A learner holds or waits for a place (domain LIVE_STATUSES): one such booking per learner per course.
LIVE = text("status IN ('booked', 'waiting', 'offered')")


class TrainingAgency(db.Model):
    """An agency from the council's list (schools, police, health...): every learner chooses one."""

    __tablename__ = "training_agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class TrainingJobRole(db.Model):
    """A job role from the council's list (teacher, police officer, social worker...)."""

    __tablename__ = "training_job_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)


class TrainingEmailDomain(db.Model):
    """An e-mail domain the council lists as its agencies' own: learners with an address on it are approved at once."""

    __tablename__ = "training_email_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TrainingCourse(db.Model):
    __tablename__ = "training_courses"
    __table_args__ = (CheckConstraint("length_minutes BETWEEN 15 AND 2880", name="length_minutes_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[CourseLevel] = mapped_column(enum_column(CourseLevel, "course_level"))
    length_minutes: Mapped[int] = mapped_column(Integer)
    learning_outcomes: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TrainingSession(db.Model):
    """One sitting of a course: at a venue, or online with a joining link shown only to people with a place."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity BETWEEN 1 AND 500", name="capacity_range"),
        # The database keeps the places within the capacity, so two people can never take the last place at once.
        CheckConstraint("places_taken >= 0 AND places_taken <= capacity", name="places_within_capacity"),
        # A venue or a joining link, never both and never neither.
        CheckConstraint("(venue_address = '') <> (joining_link = '')", name="venue_or_online"),
        CheckConstraint("status <> 'cancelled' OR cancel_reason <> ''", name="cancellation_has_reason"),
        # For the bookings' composite foreign key, which keeps a booking's course its session's.
        UniqueConstraint("id", "course_id", name="uq_training_sessions_id_course"),
        Index("ix_training_sessions_day_starts_at", "day", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id", ondelete="RESTRICT"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    day: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    capacity: Mapped[int] = mapped_column(Integer)
    # Places booked, offered or attended: changed only by the services, in the same statement that checks the room.
    places_taken: Mapped[int] = mapped_column(Integer, default=0)
    venue_address: Mapped[str] = mapped_column(Text, default="")
    access_information: Mapped[str] = mapped_column(Text, default="")
    joining_link: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "training_session_status"), default=SessionStatus.SCHEDULED
    )
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # Bumped on every change, so calendar apps update the event instead of duplicating it.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[TrainingCourse] = relationship()
    trainer: Mapped[User | None] = relationship()

    @property
    def online(self) -> bool:
        return self.joining_link != ""

    @property
    def facts(self) -> SessionFacts:
        """What the booking rules need to know about it."""
        return SessionFacts(self.status, self.day, self.starts_at, self.capacity, self.places_taken)


class Learner(db.Model):
    """Someone who works with children and books the council's training: a learner account, or a school's staff
    account that books without registering again. Name and e-mail live on the account; this is the rest."""

    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("training_agencies.id", ondelete="RESTRICT"), index=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("training_job_roles.id", ondelete="RESTRICT"), index=True)
    district: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    agency: Mapped[TrainingAgency] = relationship()
    job_role: Mapped[TrainingJobRole] = relationship()


class TrainingBooking(db.Model):
    """A learner's place, waiting-list place or offered place on a session, and what became of it."""

    __tablename__ = "training_bookings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["session_id", "course_id"],
            ["training_sessions.id", "training_sessions.course_id"],
            name="fk_training_bookings_session_course",
            ondelete="RESTRICT",
        ),
        CheckConstraint("status <> 'offered' OR offer_expires_at IS NOT NULL", name="offer_has_deadline"),
        # One place (or waiting-list place, or offer) per learner per course at a time, whoever books at once.
        Index(
            "uq_training_bookings_live_learner_course",
            "learner_id",
            "course_id",
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        ),
        # A session's list in status and joining order: the waiting list's first, the register.
        Index("ix_training_bookings_session_status", "session_id", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column()
    # The session's course (the composite foreign key keeps them equal), so the database can refuse a second place.
    course_id: Mapped[int] = mapped_column(ForeignKey("training_courses.id", ondelete="RESTRICT"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus, "training_booking_status"))
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[TrainingSession] = relationship(viewonly=True)
    learner: Mapped[Learner] = relationship()


class TrainingCompletion(db.Model):
    """One person completing training at one level on one day: a session they attended, or the council's e-learning
    course imported from the learning system's export.

    Reach counts these rows (each person once per level, at their first completion), so the register writes and removes
    the row in the same transaction as the attendance mark. Agency, job role and district are copied at completion:
    the figures report where people worked when they were trained, not where they have moved since.
    """

    __tablename__ = "training_completions"
    __table_args__ = (
        CheckConstraint("(booking_id IS NULL) <> (source_reference IS NULL)", name="one_source"),
        # Each person's first completion at a level: the reach figures' window runs over this order.
        Index("ix_training_completions_level_email_day", "level", "email", "completed_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The person, by work e-mail in lower case: the same person in the register and in the e-learning export.
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    agency_id: Mapped[int] = mapped_column(ForeignKey("training_agencies.id", ondelete="RESTRICT"), index=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("training_job_roles.id", ondelete="RESTRICT"), index=True)
    district: Mapped[str] = mapped_column(String(100))
    level: Mapped[CourseLevel] = mapped_column(enum_column(CourseLevel, "course_level"))
    completed_on: Mapped[date] = mapped_column(Date)
    # A session attended (its certificate can be verified by code), or an e-learning record (the learning system's id).
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("training_bookings.id", ondelete="CASCADE"), unique=True)
    certificate_code: Mapped[str | None] = mapped_column(String(43), unique=True)
    source_reference: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[TrainingAgency] = relationship()
    job_role: Mapped[TrainingJobRole] = relationship()
    booking: Mapped[TrainingBooking | None] = relationship()
