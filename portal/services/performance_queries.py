"""Performances across every school, filtered and paged by id, for the JSON API; the one order performances are
listed in everywhere people read them (day, then start time); and the plain row long lists of them read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from portal.domain.calendars import clock_label
from portal.domain.performances import status_label
from portal.extensions import db
from portal.models import Cast, Performance, PerformanceStatus, School, Slot


def in_time_order(query: Select) -> Select:
    """Performances as people read them: by day, then start time (never the slot's id: a slot added later may start
    earlier, and 1:30pm must not come before 11:00am), then cast and id, so the order is always the same."""
    return query.join(Slot, Slot.id == Performance.slot_id).order_by(
        Performance.day, Slot.starts_at, Performance.cast_id, Performance.id
    )


@dataclass(frozen=True)
class PerformanceRow:
    """A performance as a long list shows it, read as plain columns (PERFORMANCE_ROW): a page of fifty performances
    read as ORM objects with their slot, school and cast cost more than drawing it."""

    id: int
    day: date
    cast_id: int
    cast_name: str
    starts_at: time
    school_name: str
    school_town: str
    school_urn: str
    school_district: str
    pupils_planned: int
    pupils_attended: int | None
    status: PerformanceStatus
    released_at: datetime | None
    confirm_by: date | None = None  # read only by lists that show it (LAPSING_ROW)

    @property
    def slot_label(self) -> str:
        return clock_label(self.starts_at)

    @property
    def status_label(self) -> str:
        return status_label(self.status.value, self.released_at is not None)


# PerformanceRow's columns, in its order, and what they are read from (with_performance_row_joins).
PERFORMANCE_ROW = (
    Performance.id,
    Performance.day,
    Performance.cast_id,
    Cast.name,
    Slot.starts_at,
    School.name,
    School.town,
    School.urn,
    School.district,
    Performance.pupils_planned,
    Performance.pupils_attended,
    Performance.status,
    Performance.released_at,
)
# The lists of performances about to lapse show their confirm-by date too.
LAPSING_ROW = (*PERFORMANCE_ROW, Performance.confirm_by)


def with_performance_row_joins(query: Select) -> Select:
    """The query, joined to the slot, cast and school a PerformanceRow reads."""
    return (
        query.join(Slot, Slot.id == Performance.slot_id)
        .join(Cast, Cast.id == Performance.cast_id)
        .join(School, School.id == Performance.school_id)
    )


@dataclass(frozen=True)
class PerformanceFilter:
    """What to list: None means no limit on that field; dates are inclusive."""

    season_id: int | None = None
    status: PerformanceStatus | None = None
    start: date | None = None
    end: date | None = None


def find_performances(
    filters: PerformanceFilter, *, limit: int, after: int | None = None, offset: int = 0
) -> list[Performance]:
    """Up to `limit` performances in id order, with school, cast and slot loaded: those after the id `after` (keyset
    paging, as fast on the last of 100,000 rows as on the first), or else from `offset` (the API's older page links)."""
    query = (
        select(Performance)
        .options(joinedload(Performance.school), joinedload(Performance.cast), joinedload(Performance.slot))
        .order_by(Performance.id)
        .limit(limit)
    )
    query = query.where(Performance.id > after) if after is not None else query.offset(offset)
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
