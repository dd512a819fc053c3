"""The schools directory as the council reads it: searched by name, URN, town or district, sorted by what officers
compare, a page at a time (a national directory holds thousands of schools)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

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


def schools(asked: ListQuery) -> Listing[School]:
    """One page of the directory; the school's name and URN settle ties, so pages never overlap."""
    search, sort = asked.searched_for(), asked.sorted_by(SORTS, "name")
    orders: dict[str, list[Any]] = {
        "name": [],
        "district": [School.district],
        "town": [School.town],
        "pupils": [School.pupils_on_roll.is_(None), School.pupils_on_roll.desc()],
        "priority": [School.priority.desc()],
    }
    rows, pages = page_of(_searched(select(School), search), asked, *orders[sort], School.name, School.urn)
    return Listing(rows, pages, search, sort, SORTS)
