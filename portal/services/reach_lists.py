"""The reach tables that list schools or districts, a page at a time, searched by school name, URN, town or district.

Paged through the cached figures rather than by paged SQL: sorting by pupils seen or discussed needs every school's
figures, which only the grouped queries give (seconds at national scale, so they are cached); the cached figures hold
one entry per school at most, so sorting them and cutting a page is a few milliseconds. The search picks the schools
in SQL (a bounded, escaped LIKE), with the town, which the cached figures do not hold.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from portal.domain.listings import Listing, ListQuery
from portal.domain.pipeline import Steps
from portal.domain.reach import Figures, Period
from portal.domain.reach_lists import (
    DISTRICT_EVALUATION_SORTS,
    DISTRICT_FIGURE_SORTS,
    DISTRICT_PIPELINE_SORTS,
    FIGURE_KEYS,
    FIGURE_SORTS,
    NOT_REACHED_SORTS,
    PIPELINE_KEYS,
    PIPELINE_SORTS,
    SCHOOL_KEYS,
    ListedSchool,
    SchoolFigures,
    SchoolSteps,
    evaluation_value,
    figure_value,
    page_districts,
    page_rows,
    steps_value,
)
from portal.extensions import db
from portal.models import School
from portal.services import reach
from portal.services.listings import containing, starting


def directory(search: str = "") -> dict[int, tuple]:
    """The schools matching the search (every school for none), by id, as plain tuples (id, urn, name, district,
    town, priority): name, town or district containing the words typed, or a URN starting with them."""
    query = select(School.id, School.urn, School.name, School.district, School.town, School.priority)
    if search:
        matches = (
            containing(School.name, search),
            containing(School.town, search),
            containing(School.district, search),
        )
        query = query.where(or_(*matches, starting(School.urn, search)))
    # Plain rows through the session's connection: no ORM loading for a few thousand tuples.
    return {row[0]: tuple(row) for row in db.session.connection().execute(query.order_by(School.id))}


def school_figures(period: Period, today: date, asked: ListQuery) -> Listing[SchoolFigures]:
    """Schools with pupils seen, discussed or planned in the period, with those figures."""
    schools = directory(asked.searched_for())
    by_school = reach.programme_reach(period, today).by_school
    pairs = [(schools[id_], figures) for id_, figures in by_school.items() if id_ in schools]
    return page_rows(pairs, asked, FIGURE_SORTS, FIGURE_KEYS, "seen", SchoolFigures)


def school_pipeline(period: Period, today: date, asked: ListQuery) -> Listing[SchoolSteps]:
    """Schools with pupils requested, booked, delivered or discussed in the period, step by step."""
    schools = directory(asked.searched_for())
    by_school = reach.programme_pipeline(period, today).by_school
    pairs = [(schools[id_], steps) for id_, steps in by_school.items() if id_ in schools]
    return page_rows(pairs, asked, PIPELINE_SORTS, PIPELINE_KEYS, "requested", SchoolSteps)


def not_reached(period: Period, asked: ListQuery) -> Listing[ListedSchool]:
    """Schools with no pupil at a delivered performance in the period, highest priority first unless asked."""
    schools = directory(asked.searched_for())
    pairs = [(schools[entry.id], None) for entry in reach.schools_not_reached(period) if entry.id in schools]
    return page_rows(pairs, asked, NOT_REACHED_SORTS, SCHOOL_KEYS, "priority", lambda school, _: school)


def district_figures(period: Period, today: date, asked: ListQuery) -> Listing[tuple[str, Figures]]:
    """Pupils seen, discussed and planned in the period, by district."""
    by_district = reach.programme_reach(period, today).by_district
    return page_districts(by_district, asked, DISTRICT_FIGURE_SORTS, figure_value)


def district_pipeline(period: Period, today: date, asked: ListQuery) -> Listing[tuple[str, Steps]]:
    """Pupils at each step from request to discussion in the period, by district."""
    by_district = reach.programme_pipeline(period, today).by_district
    return page_districts(by_district, asked, DISTRICT_PIPELINE_SORTS, steps_value)


def district_evaluation(period: Period, asked: ListQuery) -> Listing[tuple[str, dict]]:
    """Questionnaire results in the period, by district."""
    by_district = reach.evaluation_summary(period)["by_district"]
    return page_districts(by_district, asked, DISTRICT_EVALUATION_SORTS, evaluation_value)
