"""Seasons and what the theatre company offers in them: productions, daily slots, casts and their days."""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.calendars import clock_label
from portal.domain.requests import can_change_request
from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.users import enum_column


class SeasonStatus(enum.StrEnum):
    DRAFT = "draft"  # being set up by the company; schools cannot see it
    OPEN = "open"  # schools can request until the deadline
    PUBLISHED = "published"  # an allocation has been published


season_productions = Table(
    "season_productions",
    db.metadata,
    Column("season_id", ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True),
    Column("production_id", ForeignKey("productions.id", ondelete="RESTRICT"), primary_key=True),
)

cast_productions = Table(
    "cast_productions",
    db.metadata,
    Column("cast_id", ForeignKey("casts.id", ondelete="CASCADE"), primary_key=True),
    Column("production_id", ForeignKey("productions.id", ondelete="RESTRICT"), primary_key=True),
)


class Production(db.Model):
    __tablename__ = "productions"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 10 AND 240", name="duration_range"),
        CheckConstraint("audience_cap BETWEEN 1 AND 1000", name="audience_cap_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    audience_cap: Mapped[int] = mapped_column(Integer)


class Season(db.Model):
    __tablename__ = "seasons"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("request_deadline <= ends_on", name="deadline_within_season"),
        CheckConstraint("speed_kmh > 0 AND road_factor >= 1 AND changeover_minutes >= 0", name="travel_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # Schools can submit, edit and withdraw requests up to and including this day.
    request_deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[SeasonStatus] = mapped_column(enum_column(SeasonStatus, "season_status"), default=SeasonStatus.DRAFT)
    speed_kmh: Mapped[float] = mapped_column(Float, default=40.0)
    road_factor: Mapped[float] = mapped_column(Float, default=1.3)
    changeover_minutes: Mapped[int] = mapped_column(Integer, default=45)
    # What the council pays for the season, in pence (for the cost per pupil reached).
    cost_pence: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    productions: Mapped[list[Production]] = relationship(secondary=season_productions, order_by="Production.title")
    slots: Mapped[list[Slot]] = relationship(back_populates="season", order_by="Slot.starts_at")
    casts: Mapped[list[Cast]] = relationship(back_populates="season", order_by="Cast.name")
    # A day taken off the list is deleted (its season_id is part of its key, so it cannot be orphaned).
    blackout_days: Mapped[list[BlackoutDay]] = relationship(order_by="BlackoutDay.day", cascade="all, delete-orphan")

    def takes_requests_on(self, today: date) -> bool:
        """Whether schools can still submit, change and withdraw requests (domain.requests.can_change_request)."""
        return can_change_request(self.request_deadline, today)


class Slot(db.Model):
    """A daily performance start time, the same every day of the season."""

    __tablename__ = "slots"
    __table_args__ = (
        UniqueConstraint("season_id", "code", name="uq_slots_season_code"),
        UniqueConstraint("season_id", "starts_at", name="uq_slots_season_starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[time] = mapped_column(Time)

    season: Mapped[Season] = relationship(back_populates="slots")

    @property
    def label(self) -> str:
        return clock_label(self.starts_at)


class Cast(db.Model):
    __tablename__ = "casts"
    __table_args__ = (
        UniqueConstraint("season_id", "name", name="uq_casts_season_name"),
        CheckConstraint("max_per_day BETWEEN 1 AND 3", name="max_per_day_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    max_per_day: Mapped[int] = mapped_column(Integer, default=2)

    season: Mapped[Season] = relationship(back_populates="casts")
    productions: Mapped[list[Production]] = relationship(secondary=cast_productions, order_by="Production.title")
    dates: Mapped[list[CastDate]] = relationship(order_by="CastDate.day", cascade="all, delete-orphan")


class CastDate(db.Model):
    """A day a cast can perform."""

    __tablename__ = "cast_dates"

    cast_id: Mapped[int] = mapped_column(ForeignKey("casts.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class BlackoutDay(db.Model):
    """A day within the season when nobody performs (an INSET day, a company rest day)."""

    __tablename__ = "blackout_days"

    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
