"""Performances: one show at one school in one slot on one day by one cast."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.performances import BOOKED_STATUSES, PerformanceStatus, status_label
from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.requests import Request
from portal.models.schools import School
from portal.models.seasons import Cast, Season, Slot
from portal.models.users import enum_column

# Declined and cancelled performances free their slot; every other status holds it (domain ACTIVE_STATUSES).
ACTIVE = text("status NOT IN ('declined', 'cancelled')")


class Performance(db.Model):
    __tablename__ = "performances"
    __table_args__ = (
        CheckConstraint("pupils_planned >= 1", name="pupils_planned_positive"),
        CheckConstraint("pupils_attended IS NULL OR pupils_attended >= 0", name="pupils_attended_not_negative"),
        CheckConstraint("support_requests IS NULL OR support_requests >= 0", name="support_requests_not_negative"),
        ForeignKeyConstraint(
            ["request_id", "school_id"],
            ["requests.id", "requests.school_id"],
            name="fk_performances_request_school",
            ondelete="RESTRICT",
        ),
        # A cast cannot be in two places at once; a school has one hall.
        Index(
            "uq_performances_active_cast_slot",
            "cast_id",
            "day",
            "slot_id",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
        # Reach: a season's or a period's performances, and those from today on in a state (planned, booked).
        Index("ix_performances_season_id_day", "season_id", "day"),
        Index("ix_performances_status_day", "status", "day"),
        # Provisional performances about to lapse, by the day they must be confirmed by (every home page's next steps).
        Index("ix_performances_status_confirm_by", "status", "confirm_by"),
        # The council's list of every season's performances in date and time order (and its reverse): the index
        # gives the days in order with each one's slot, so only a day's few performances are sorted by start time.
        Index("ix_performances_day_slot_id_id", "day", "slot_id", "id"),
        # A school's performances by day, and every performance in school order: walked school by school (by name,
        # from the schools' own index), a deep page of a list sorted by school is read without sorting every row.
        Index("ix_performances_school_id_day", "school_id", "day"),
        Index(
            "uq_performances_active_school_slot",
            "school_id",
            "day",
            "slot_id",
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="RESTRICT"), index=True)
    request_id: Mapped[int] = mapped_column(index=True)
    # The request's school (the composite foreign key above keeps them equal), kept here so the database
    # itself can refuse a double-booked hall.
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    cast_id: Mapped[int] = mapped_column(ForeignKey("casts.id", ondelete="RESTRICT"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="RESTRICT"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[PerformanceStatus] = mapped_column(
        enum_column(PerformanceStatus, "performance_status"), default=PerformanceStatus.PROVISIONAL
    )
    pupils_planned: Mapped[int] = mapped_column(Integer)
    pupils_attended: Mapped[int | None] = mapped_column(Integer)
    support_requests: Mapped[int | None] = mapped_column(Integer)
    confirm_by: Mapped[date | None] = mapped_column(Date)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # Bumped whenever the performance moves, so calendar apps update the event instead of duplicating it.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # When it went back to the pool because nobody confirmed it by its date (its status is then declined): shown as
    # "Released (not confirmed in time)", never as a school's decline.
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the council and the company were warned that it was about to lapse unconfirmed: one warning each.
    lapse_warned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    season: Mapped[Season] = relationship()
    request: Mapped[Request] = relationship()
    attendance: Mapped[list[PerformanceAttendance]] = relationship(
        order_by="PerformanceAttendance.year_group", cascade="all, delete-orphan"
    )
    # Read-only: school_id is written with the request's school, which the composite foreign key enforces.
    school: Mapped[School] = relationship(viewonly=True)
    cast: Mapped[Cast] = relationship()
    slot: Mapped[Slot] = relationship()

    @property
    def is_booked(self) -> bool:
        """Still to come: it can be confirmed, moved or cancelled (domain BOOKED_STATUSES)."""
        return self.status in BOOKED_STATUSES

    @property
    def status_label(self) -> str:
        """Its status in words: "Released (not confirmed in time)" rather than "Declined" when nobody confirmed it."""
        return status_label(self.status.value, self.released_at is not None)


class PerformanceAttendance(db.Model):
    """How many pupils of one year group attended a delivered performance. A count, never a list of pupils."""

    __tablename__ = "performance_attendance"
    __table_args__ = (
        CheckConstraint("year_group BETWEEN 7 AND 13", name="year_group_range"),
        CheckConstraint("pupils BETWEEN 0 AND 1000", name="pupils_range"),
    )

    performance_id: Mapped[int] = mapped_column(ForeignKey("performances.id", ondelete="CASCADE"), primary_key=True)
    year_group: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupils: Mapped[int] = mapped_column(Integer)
