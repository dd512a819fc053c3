"""Calendar feeds: only a version number is stored; the feed's URL is an HMAC of (kind, owner, version)."""

from __future__ import annotations

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feeds"
    __table_args__ = (UniqueConstraint("kind", "owner_id", name="uq_calendar_feeds_kind_owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "school" or "cast"
    owner_id: Mapped[int] = mapped_column(Integer)
    # Re-issuing a link bumps this, and every older URL stops working.
    version: Mapped[int] = mapped_column(Integer, default=1)
