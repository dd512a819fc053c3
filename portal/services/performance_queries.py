"""Performances across every school, filtered and paged, for the JSON API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Performance, PerformanceStatus, Slot


@dataclass(frozen=True)
class PerformanceFilter:
    """What to list: None means no limit on that field; dates are inclusive."""

    season_id: int | None = None
    status: PerformanceStatus | None = None
    start: date | None = None
    end: date | None = None


def find_performances(filters: PerformanceFilter, *, offset: int, limit: int) -> list[Performance]:
    """One page of performances in a stable order (day, slot time, id), with school, cast and slot loaded."""
    query = (
        select(Performance)
        .join(Slot, Slot.id == Performance.slot_id)
        .options(joinedload(Performance.school), joinedload(Performance.cast), joinedload(Performance.slot))
        .order_by(Performance.day, Slot.starts_at, Performance.id)
        .offset(offset)
        .limit(limit)
    )
    if filters.season_id is not None:
        query = query.where(Performance.season_id == filters.season_id)
    if filters.status is not None:
        query = query.where(Performance.status == filters.status)
    if filters.start is not None:
        query = query.where(Performance.day >= filters.start)
    if filters.end is not None:
        query = query.where(Performance.day <= filters.end)
    return list(db.session.scalars(query).unique())
