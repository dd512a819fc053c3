"""Reach figures kept for reuse: a version that every change to a count bumps, and the figures computed under it.

See portal.services.reach_cache for why the figures are cached under a version rather than kept as summary rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow


class ReachVersion(db.Model):
    """One row, name "reach": bumped in the same transaction as any change to the rows reach is counted from."""

    __tablename__ = "reach_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class ReachFigures(db.Model):
    """Figures of one kind for one period, as JSON, valid while the version (and, for some, the day) is current."""

    __tablename__ = "reach_figures"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    # The day figures that depend on today (planned: from today on) were computed for; None for the others.
    day: Mapped[date | None] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
