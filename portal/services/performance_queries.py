"""Performances across every school, filtered and paged, for the JSON API; and the one order performances are
listed in everywhere (day, then start time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import Performance, PerformanceStatus, Slot


def in_time_order(query: Select) -> Select:
    """Performances as people read them: by day, then start time (never the slot's id: a slot added later may start
    earlier, and 1:30pm must not come before 11:00am), then cast and id, so the order is always the same."""
    return query.join(Slot, Slot.id == Performance.slot_id).order_by(
        Performance.day, Slot.starts_at, Performance.cast_id, Performance.id
    )


@dataclass(frozen=True)
class PerformanceFilter:
    """What to list: None means no limit on that field; dates are inclusive."""

    season_id: int | None = None
    status: PerformanceStatus | None = None
    start: date | None = None
    end: date | None = None


def find_performances(filters: PerformanceFilter, *, offset: int, limit: int) -> list[Performance]:
    """One page of performances in a stable order (day, start time, cast, id), with school, cast and slot loaded."""
    query = (
        in_time_order(select(Performance))
        .options(joinedload(Performance.school), joinedload(Performance.cast), joinedload(Performance.slot))
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


def get_performance(performance_id: int) -> Performance | None:
    return db.session.get(Performance, performance_id)
