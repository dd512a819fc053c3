"""Requests and performances across every school, as council officers look them over: one season (or all), found by
school name, URN, town, district or reference, sorted, a page at a time (a national programme has ~100,000
performances), each row's school, season, production, cast and slot loaded with the page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from portal.domain.listings import Listing, ListQuery
from portal.domain.requests import reference_number
from portal.extensions import db
from portal.models import (
    Performance,
    PerformanceStatus,
    Production,
    Request,
    RequestStatus,
    RequestYearGroup,
    School,
    Season,
    Slot,
)
from portal.services.listings import containing, page_of, starting
from portal.services.performance_queries import PERFORMANCE_ROW, PerformanceRow, with_performance_row_joins

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


def _schools_matching(search: str) -> Any:
    """The ids of schools whose name, town or district holds the words typed, or whose URN starts with them: found
    among the few thousand schools first, so the long list is filtered by an indexed school id."""
    return select(School.id).where(
        or_(
            containing(School.name, search),
            containing(School.town, search),
            containing(School.district, search),
            starting(School.urn, search),
        )
    )


def _pupils() -> Any:
    query = select(func.coalesce(func.sum(RequestYearGroup.pupils), 0)).where(RequestYearGroup.request_id == Request.id)
    return query.correlate(Request).scalar_subquery()


@dataclass(frozen=True)
class RequestRow:
    """A request as the council's list shows it, read as plain columns (REQUEST_ROW)."""

    id: int
    school_name: str
    school_town: str
    school_urn: str
    school_district: str
    production_title: str
    season_name: str
    pupils: int
    status: RequestStatus
    created_at: datetime


# RequestRow's columns, in its order, and what they are read from (_with_request_row_joins).
REQUEST_ROW = (
    Request.id,
    School.name,
    School.town,
    School.urn,
    School.district,
    Production.title,
    Season.name,
    _pupils(),
    Request.status,
    Request.created_at,
)


def _with_request_row_joins(query: Select) -> Select:
    return (
        query.join(School, School.id == Request.school_id)
        .join(Production, Production.id == Request.production_id)
        .join(Season, Season.id == Request.season_id)
    )


def requests(asked: ListQuery, season_id: int | None) -> Listing[RequestRow]:
    """One page of the requests of a season (of every season for None), withdrawn ones too."""
    search, sort = asked.searched_for(), asked.sorted_by(REQUEST_SORTS, "newest")
    query = select(Request)
    if search:
        number = reference_number(search)
        by_school = Request.school_id.in_(_schools_matching(search))
        query = query.where(or_(by_school, Request.id == number) if number is not None else by_school)
    if season_id is not None:
        query = query.where(Request.season_id == season_id)
    orders: dict[str, list[Any]] = {
        "newest": [Request.created_at.desc(), Request.id.desc()],
        "oldest": [Request.created_at, Request.id],
        "school": [School.name],
        "district": [School.district, School.name],
        "pupils": [_pupils().desc()],
    }
    joins = (Request.school,) if sort in ("school", "district") else ()
    order = (*orders[sort], Request.id)
    found, pages = page_of(
        query, asked, *order, joins=joins, columns=REQUEST_ROW, columns_joined=_with_request_row_joins
    )
    return Listing([RequestRow(*row) for row in found], pages, search, sort, REQUEST_SORTS)


def latest_touring_season() -> int | None:
    """The id of the latest season (by its first day) that has performances: where the council looks first."""
    has_performances = select(Performance.id).where(Performance.season_id == Season.id).exists()
    query = select(Season.id).where(has_performances).order_by(Season.starts_on.desc(), Season.id.desc()).limit(1)
    return db.session.scalar(query)


def performances(
    asked: ListQuery, season_id: int | None, status: PerformanceStatus | None = None
) -> Listing[PerformanceRow]:
    """One page of the performances of a season (of every season for None), in one status if given."""
    search, sort = asked.searched_for(), asked.sorted_by(PERFORMANCE_SORTS, "soonest")
    query = select(Performance)
    if search:
        query = query.where(Performance.school_id.in_(_schools_matching(search)))
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
    joins = (Performance.slot, Performance.school) if sort in ("school", "district") else (Performance.slot,)
    order = (*orders[sort], Performance.id)
    found, pages = page_of(
        query, asked, *order, joins=joins, columns=PERFORMANCE_ROW, columns_joined=with_performance_row_joins
    )
    return Listing([PerformanceRow(*row) for row in found], pages, search, sort, PERFORMANCE_SORTS)
