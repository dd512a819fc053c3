"""Requests: a school's ask for a production in a season, with its year groups, dates and slots."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.schools import School
from portal.models.seasons import Production, Season, Slot
from portal.models.users import User, enum_column


class RequestStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Request(db.Model):
    __tablename__ = "requests"
    __table_args__ = (
        CheckConstraint("staff_in_hall >= 1", name="staff_in_hall_at_least_one"),
        # Lets performances reference (request, school) together, so a performance's school is its request's.
        UniqueConstraint("id", "school_id", name="uq_requests_id_school_id"),
        # One live request per school, production and season; a withdrawn one may be followed by a new one.
        Index(
            "uq_requests_live_school_production",
            "season_id",
            "school_id",
            "production_id",
            unique=True,
            sqlite_where=text("status <> 'withdrawn'"),
            postgresql_where=text("status <> 'withdrawn'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="RESTRICT"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="RESTRICT"))
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, "request_status"), default=RequestStatus.SUBMITTED
    )
    staff_in_hall: Mapped[int] = mapped_column(Integer)
    dsl_name: Mapped[str] = mapped_column(String(200))
    dsl_email: Mapped[str] = mapped_column(String(254))
    dsl_phone: Mapped[str] = mapped_column(String(40))
    access_notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # True when a council officer made or last changed the request for the school.
    made_on_behalf: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the purge job removed the DSL's details and the access notes, two years after the season ended.
    contacts_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    season: Mapped[Season] = relationship()
    school: Mapped[School] = relationship()
    production: Mapped[Production] = relationship()
    created_by: Mapped[User | None] = relationship()
    year_groups: Mapped[list[RequestYearGroup]] = relationship(
        order_by="RequestYearGroup.year_group", cascade="all, delete-orphan"
    )
    dates: Mapped[list[RequestDate]] = relationship(order_by="RequestDate.day", cascade="all, delete-orphan")
    slots: Mapped[list[RequestSlot]] = relationship(cascade="all, delete-orphan")

    @property
    def pupils(self) -> int:
        return sum(group.pupils for group in self.year_groups)

    def changeable_on(self, today: date) -> bool:
        """Whether the school (or the council for it) can still change or withdraw it: live, before the deadline."""
        return self.status == RequestStatus.SUBMITTED and self.season.takes_requests_on(today)


class RequestYearGroup(db.Model):
    """How many pupils of one year group the school wants to see the drama. A count, never a list of pupils."""

    __tablename__ = "request_year_groups"
    __table_args__ = (
        CheckConstraint("year_group BETWEEN 7 AND 13", name="year_group_range"),
        CheckConstraint("pupils BETWEEN 1 AND 1000", name="pupils_range"),
    )

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    year_group: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupils: Mapped[int] = mapped_column(Integer)


class RequestDate(db.Model):
    """A day the school's hall is free; preferred days are soft wishes."""

    __tablename__ = "request_dates"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    preferred: Mapped[bool] = mapped_column(default=False)


class RequestSlot(db.Model):
    """A daily slot the school can host, on any of its days."""

    __tablename__ = "request_slots"

    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="RESTRICT"), primary_key=True)

    slot: Mapped[Slot] = relationship()
