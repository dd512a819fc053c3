"""Requests and performances across every school, as council officers look them over: one season (or all), found by
school name, URN, town, district or reference, sorted, a page at a time (a national programme has ~100,000
performances), each row's school, season, production, cast and slot loaded with the page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.domain.listings import Listing, ListQuery
from portal.domain.requests import reference_number
from portal.models import Performance, PerformanceStatus, Request, RequestYearGroup, School, Slot
from portal.services.listings import containing, page_of, starting

REQUEST_SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "school": "School name (A to Z)",
    "district": "District (A to Z)",
    "pupils": "Most pupils first",
}
PERFORMANCE_SORTS = {
    "soonest": "Earliest date first",
    "latest": "Latest date first",
    "school": "School name (A to Z)",
    "district": "District (A to Z)",
    "pupils": "Most pupils planned first",
}


def _school_searched(query: Select, search: str, *more: Any) -> Select:
    """A school's name, town or district containing the words typed, or its URN's first digits."""
    if not search:
        return query
    return query.where(
        or_(
            containing(School.name, search),
            containing(School.town, search),
            containing(School.district, search),
            starting(School.urn, search),
            *more,
        )
    )


def _pupils() -> Any:
    query = select(func.coalesce(func.sum(RequestYearGroup.pupils), 0)).where(RequestYearGroup.request_id == Request.id)
    return query.correlate(Request).scalar_subquery()


def requests(asked: ListQuery, season_id: int | None) -> Listing[Request]:
    """One page of the requests of a season (of every season for None), withdrawn ones too."""
    search, sort = asked.searched_for(), asked.sorted_by(REQUEST_SORTS, "newest")
    number = reference_number(search) if search else None
    query = _school_searched(
        select(Request).join(Request.school), search, *([Request.id == number] if number is not None else [])
    )
    if season_id is not None:
        query = query.where(Request.season_id == season_id)
    orders: dict[str, list[Any]] = {
        "newest": [Request.created_at.desc(), Request.id.desc()],
        "oldest": [Request.created_at, Request.id],
        "school": [School.name],
        "district": [School.district, School.name],
        "pupils": [_pupils().desc()],
    }
    loads = (
        contains_eager(Request.school),
        joinedload(Request.season),
        joinedload(Request.production),
        selectinload(Request.year_groups),
    )
    rows, pages = page_of(query, asked, *orders[sort], Request.id, options=loads)
    return Listing(rows, pages, search, sort, REQUEST_SORTS)


def performances(
    asked: ListQuery, season_id: int | None, status: PerformanceStatus | None = None
) -> Listing[Performance]:
    """One page of the performances of a season (of every season for None), in one status if given."""
    search, sort = asked.searched_for(), asked.sorted_by(PERFORMANCE_SORTS, "soonest")
    query = _school_searched(select(Performance).join(Performance.school).join(Performance.slot), search)
    if season_id is not None:
        query = query.where(Performance.season_id == season_id)
    if status is not None:
        query = query.where(Performance.status == status)
    orders: dict[str, list[Any]] = {
        "soonest": [Performance.day, Slot.starts_at],
        "latest": [Performance.day.desc(), Slot.starts_at.desc()],
        "school": [School.name, Performance.day, Slot.starts_at],
        "district": [School.district, School.name, Performance.day, Slot.starts_at],
        "pupils": [Performance.pupils_planned.desc(), Performance.day, Slot.starts_at],
    }
    loads = (
        contains_eager(Performance.school),
        contains_eager(Performance.slot),
        joinedload(Performance.cast),
        joinedload(Performance.season),
    )
    rows, pages = page_of(query, asked, *orders[sort], Performance.id, options=loads)
    return Listing(rows, pages, search, sort, PERFORMANCE_SORTS)
