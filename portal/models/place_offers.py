"""Freed places offered first to the waiting requests they fit best, and held for them for a while."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.performances import Performance
from portal.models.requests import Request


class PlaceOffer(db.Model):
    """One request offered a freed (cast, day, slot) place: until held_until only the requests offered it may take
    it; after that any school whose request it fits may."""

    __tablename__ = "place_offers"
    __table_args__ = (
        UniqueConstraint("freed_performance_id", "request_id", name="uq_place_offers_freed_performance_request"),
        Index("ix_place_offers_place", "cast_id", "day", "slot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="RESTRICT"), index=True)
    cast_id: Mapped[int] = mapped_column(ForeignKey("casts.id", ondelete="RESTRICT"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="RESTRICT"))
    day: Mapped[date] = mapped_column(Date)
    # The performance whose decline or release freed the place; its school is never offered it back.
    freed_performance_id: Mapped[int] = mapped_column(ForeignKey("performances.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"), index=True)
    held_until: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    freed_performance: Mapped[Performance] = relationship()
    request: Mapped[Request] = relationship()
