"""A season's requests as the theatre company looks them over before it runs the scheduler: searched, sorted and a
page at a time (a national programme has thousands), with what the scheduler reads of each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select

from portal.domain.listings import Listing, search_text, sort_key
from portal.domain.pagination import Pages
from portal.domain.requests import reference_number
from portal.extensions import db
from portal.models import (
    Performance,
    Production,
    Request,
    RequestDate,
    RequestStatus,
    RequestYearGroup,
    School,
    Season,
    Slot,
)

PAGE_SIZE = 50
# How each sort orders the list; the school's name and the request's number then settle ties, so pages never overlap.
SORTS = {
    "school": "School name (A to Z)",
    "town": "Town (A to Z)",
    "pupils": "Most pupils first",
    "dates": "Fewest dates offered first",
    "priority": "Highest priority first",
    "newest": "Newest first",
    "oldest": "Oldest first",
}
DEFAULT_SORT = "school"


@dataclass(frozen=True)
class SeasonRequestRow:
    """A request as the company's list of a season shows it, read as plain columns: a page of fifty requests read as
    ORM objects with their school, production and year groups cost more than drawing it."""

    id: int
    school_name: str
    school_town: str
    school_urn: str
    school_priority: int
    production_title: str
    status: RequestStatus
    created_at: datetime
    pupils: int
    dates_offered: int
    preferred_dates: int
    year_groups: tuple[int, ...] = ()


def _pupils():
    query = select(func.coalesce(func.sum(RequestYearGroup.pupils), 0)).where(RequestYearGroup.request_id == Request.id)
    return query.correlate(Request).scalar_subquery()


def _dates(preferred_only: bool = False):
    query = select(func.count()).select_from(RequestDate).where(RequestDate.request_id == Request.id)
    if preferred_only:
        query = query.where(RequestDate.preferred.is_(True))
    return query.correlate(Request).scalar_subquery()


def _searched(query: Select, search: str) -> Select:
    """School name or town containing the words typed, a URN, or a request's reference (REQ-00042)."""
    term = search.lower()
    if not term:
        return query
    matches = [
        func.lower(School.name).contains(term, autoescape=True),
        func.lower(School.town).contains(term, autoescape=True),
        School.urn == term.upper(),
    ]
    number = reference_number(term)
    if number is not None:
        matches.append(Request.id == number)
    return query.where(or_(*matches))


def season_requests(
    season: Season, search: str = "", sort: str = DEFAULT_SORT, page: int = 1
) -> Listing[SeasonRequestRow]:
    """One page of the season's requests (withdrawn ones too, marked as such), matching the search, in order."""
    search, sort = search_text(search), sort_key(sort, SORTS, DEFAULT_SORT)
    pupils, dates, preferred = _pupils(), _dates(), _dates(preferred_only=True)
    # Without a search, the season's requests are counted from their own index, without the join to their schools.
    in_season = select(Request.id).where(Request.season_id == season.id)
    matching = _searched(in_season.join(Request.school), search) if search else in_season
    total = db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    pages = Pages(page, PAGE_SIZE, total)
    orders = {
        "school": [],
        "town": [School.town],
        "pupils": [pupils.desc()],
        "dates": [dates],
        "priority": [School.priority.desc()],
        "newest": [Request.created_at.desc()],
        "oldest": [Request.created_at],
    }
    # Labelled with SeasonRequestRow's field names.
    columns = (
        Request.id,
        School.name.label("school_name"),
        School.town.label("school_town"),
        School.urn.label("school_urn"),
        School.priority.label("school_priority"),
        Production.title.label("production_title"),
        Request.status,
        Request.created_at,
        pupils.label("pupils"),
        dates.label("dates_offered"),
        preferred.label("preferred_dates"),
    )
    # The page's ids first, then its columns: SQLite works out every selected column of every request of the season
    # before it sorts them, and the pupils and dates are a subquery each.
    page_ids = (
        _searched(select(Request.id).join(Request.school), search)
        .where(Request.season_id == season.id)
        .order_by(*orders[sort], School.name, Request.id)
        .limit(pages.size)
        .offset(pages.offset)
    )
    ids = list(db.session.scalars(page_ids))
    query = select(*columns).join(Request.school).join(Production, Production.id == Request.production_id)
    by_id = {row.id: row for row in db.session.execute(query.where(Request.id.in_(ids)))}
    found = [by_id[id_] for id_ in ids]
    years = _year_groups([row[0] for row in found])
    rows = [SeasonRequestRow(**row._asdict(), year_groups=years.get(row.id, ())) for row in found]
    return Listing(rows, pages, search, sort, SORTS)


def _year_groups(request_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """Each request's year groups, in order, read in one statement."""
    groups: dict[int, list[int]] = defaultdict(list)
    query = select(RequestYearGroup.request_id, RequestYearGroup.year_group).where(
        RequestYearGroup.request_id.in_(request_ids)
    )
    for request_id, year_group in db.session.execute(query.order_by(RequestYearGroup.year_group)):
        groups[request_id].append(year_group)
    return {request_id: tuple(years) for request_id, years in groups.items()}


def request_performances(request_: Request) -> list[Performance]:
    """The performances placed for a request, in the order they happen."""
    query = (
        select(Performance)
        .join(Slot, Performance.slot_id == Slot.id)
        .where(Performance.request_id == request_.id)
        .order_by(Performance.day, Slot.starts_at, Performance.id)
    )
    return list(db.session.scalars(query))
