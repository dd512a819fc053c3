"""The reach tables that list schools (figures by school, the pipeline by school, schools not reached), a page at a
time: their rows come from the cached figures (one per school at most, a few thousand nationally), so they are
sorted and cut into pages here rather than by a query; the search has already chosen the schools, in SQL."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from portal.domain.listings import Listing, ListQuery
from portal.domain.pagination import Pages
from portal.domain.pipeline import STEPS, Steps
from portal.domain.reach import Figures


@dataclass(frozen=True)
class ListedSchool:
    """A school as the reach lists show and search it: no contact details."""

    id: int
    urn: str
    name: str
    district: str
    town: str
    priority: int


@dataclass(frozen=True)
class SchoolFigures:
    school: ListedSchool
    figures: Figures


@dataclass(frozen=True)
class SchoolSteps:
    school: ListedSchool
    steps: Steps


# The rows sorted are (school, figures) pairs of plain values, the school a tuple of ListedSchool's fields in order
# (as the database gives them): a page's dataclasses are made for its rows only, not for every school.
Pair = tuple[tuple, Any]
Row = TypeVar("Row")
ID, URN, NAME, DISTRICT, TOWN, PRIORITY = range(6)

FIGURE_SORTS = {
    "seen": "Most pupils seen the drama first",
    "discussed": "Most pupils discussed in class first",
    "planned": "Most pupils planned first",
    "name": "School name (A to Z)",
    "district": "District (A to Z)",
}
PIPELINE_SORTS = {
    **{step: f"Most pupils {step} first" for step in STEPS},
    "name": "School name (A to Z)",
    "district": "District (A to Z)",
}
NOT_REACHED_SORTS = {
    "priority": "Highest priority first",
    "name": "School name (A to Z)",
    "district": "District (A to Z)",
    "town": "Town (A to Z)",
}


def _by_name(school: tuple) -> tuple:
    # The URN and the id settle ties (two schools may share a name), so pages never overlap.
    return (school[NAME].casefold(), school[URN], school[ID])


SCHOOL_KEYS: dict[str, Callable[[Pair], tuple]] = {
    "name": lambda pair: _by_name(pair[0]),
    "district": lambda pair: (pair[0][DISTRICT].casefold(), *_by_name(pair[0])),
    "town": lambda pair: (pair[0][TOWN].casefold(), *_by_name(pair[0])),
    "priority": lambda pair: (-pair[0][PRIORITY], *_by_name(pair[0])),
}


def _most(attribute: str) -> Callable[[Pair], tuple]:
    return lambda pair: (-getattr(pair[1], attribute), *_by_name(pair[0]))


FIGURE_KEYS = SCHOOL_KEYS | {
    "seen": _most("seen_drama"),
    "discussed": _most("discussed_in_class"),
    "planned": _most("planned"),
}
PIPELINE_KEYS = SCHOOL_KEYS | {step: _most(step) for step in STEPS}


def page_rows(
    pairs: Sequence[Pair],
    asked: ListQuery,
    sorts: Mapping[str, str],
    keys: Mapping[str, Callable[[Pair], tuple]],
    default: str,
    make: Callable[[ListedSchool, Any], Row],
) -> Listing[Row]:
    """The page asked for of the (school, figures) pairs, in the sort asked for (the default for an unknown one), each
    made into a row by `make`; a page past the end is the last one."""
    sort = asked.sorted_by(sorts, default)
    pages = Pages(asked.page, asked.size, len(pairs))
    ordered = sorted(pairs, key=keys[sort])[pages.offset : pages.offset + pages.size]
    rows = [make(ListedSchool(*school), figures) for school, figures in ordered]
    return Listing(rows, pages, asked.searched_for(), sort, sorts)


# The tables by district (figures, the pipeline, questionnaire results): a row per district (over a hundred
# nationally), found by the district's name and sorted by it or by a figure, most first.
DISTRICT_FIGURE_SORTS = {
    "name": "District (A to Z)",
    "seen": "Most pupils seen the drama first",
    "discussed": "Most pupils discussed in class first",
    "planned": "Most pupils planned first",
}
DISTRICT_PIPELINE_SORTS = {"name": "District (A to Z)", **{step: f"Most pupils {step} first" for step in STEPS}}
DISTRICT_EVALUATION_SORTS = {"name": "District (A to Z)", "respondents": "Most pupils answered first"}
FIGURE_ATTRIBUTES = {"seen": "seen_drama", "discussed": "discussed_in_class", "planned": "planned"}


def figure_value(figures: Figures, sort: str) -> int:
    return getattr(figures, FIGURE_ATTRIBUTES[sort])


def steps_value(steps: Steps, sort: str) -> int:
    return getattr(steps, sort)


def evaluation_value(summary: Mapping[str, Any], sort: str) -> int:
    return summary[sort] or 0


def page_districts(
    by_district: Mapping[str, Row],
    asked: ListQuery,
    sorts: Mapping[str, str],
    value: Callable[[Row, str], int],
) -> Listing[tuple[str, Row]]:
    """The page asked for of (district, figures) pairs: districts whose name holds the words typed, by name or by the
    figure `value(figures, sort)` gives, most first (the name settles ties); a page past the end is the last one."""
    search, sort = asked.searched_for(), asked.sorted_by(sorts, "name")
    wanted = search.casefold()
    pairs = [(name, figures) for name, figures in by_district.items() if wanted in name.casefold()]

    def by_name(pair: tuple[str, Row]) -> tuple:
        return (pair[0].casefold(), pair[0])

    key = by_name if sort == "name" else lambda pair: (-value(pair[1], sort), *by_name(pair))
    pages = Pages(asked.page, asked.size, len(pairs))
    return Listing(sorted(pairs, key=key)[pages.offset : pages.offset + pages.size], pages, search, sort, sorts)
