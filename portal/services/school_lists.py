"""The schools directory as the council reads it: searched by name, URN, town or district, sorted by what officers
compare, a page at a time (a national directory holds thousands of schools)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, or_, select

from portal.domain.listings import Listing, ListQuery
from portal.models import School
from portal.services.listings import containing, page_of, starting

SORTS = {
    "name": "School name (A to Z)",
    "district": "District (A to Z)",
    "town": "Town (A to Z)",
    "pupils": "Most pupils on roll first",
    "priority": "Highest priority first",
}


def _searched(query: Select, search: str) -> Select:
    if not search:
        return query
    return query.where(
        or_(
            containing(School.name, search),
            containing(School.town, search),
            containing(School.district, search),
            starting(School.urn, search),
            starting(School.postcode, search),
        )
    )


# What a directory row shows, read as plain columns (row.name, row.urn...): a page of fifty School objects cost more
# to load than to draw.
ROW_COLUMNS = (
    School.id,
    School.name,
    School.urn,
    School.town,
    School.district,
    School.pupils_on_roll,
    School.priority,
)


def schools(asked: ListQuery) -> Listing[Row]:
    """One page of the directory, each school a row of ROW_COLUMNS; the school's name and URN settle ties, so pages
    never overlap."""
    search, sort = asked.searched_for(), asked.sorted_by(SORTS, "name")
    orders: dict[str, list[Any]] = {
        "name": [],
        "district": [School.district],
        "town": [School.town],
        "pupils": [School.pupils_on_roll.is_(None), School.pupils_on_roll.desc()],
        "priority": [School.priority.desc()],
    }
    order = (*orders[sort], School.name, School.urn)
    rows, pages = page_of(_searched(select(School), search), asked, *order, columns=ROW_COLUMNS)
    return Listing(rows, pages, search, sort, SORTS)
