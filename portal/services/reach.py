"""Reach figures for the dashboard, its exports, the API and the council's to-do list.

Computed by grouped SQL (portal.services.reach_queries) and cached under the reach version
(portal.services.reach_cache): a repeated view of unchanged figures is one indexed look-up and a JSON decode.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Select, select

from portal.domain.pipeline import Pipeline
from portal.domain.reach import Period, Reach
from portal.domain.reach_records import (
    SchoolEntry,
    pipeline_from_json,
    pipeline_to_json,
    reach_from_json,
    reach_to_json,
    schools_from_json,
    schools_to_json,
)
from portal.extensions import db
from portal.models import School, Season
from portal.services import reach_cache, reach_queries
from portal.services.settings import reach_target
from portal.services.training_reach import training_reach

PROGRAMME = (
    lambda figures: {"reach": reach_to_json(figures[0]), "pipeline": pipeline_to_json(figures[1])},
    lambda value: (reach_from_json(value["reach"]), pipeline_from_json(value["pipeline"])),
)
PLAIN = (lambda value: value, lambda value: value)
SCHOOLS = (schools_to_json, schools_from_json)


def programme(period: Period, today: date) -> tuple[Reach, Pipeline]:
    """Reach (against the target) and the pipeline in a period."""

    def compute() -> tuple[Reach, Pipeline]:
        return reach_queries.compute_programme(period, today, target=reach_target())

    return reach_cache.cached("programme", period, compute, PROGRAMME, today)


def programme_reach(period: Period, today: date) -> Reach:
    return programme(period, today)[0]


def programme_pipeline(period: Period, today: date) -> Pipeline:
    """Pupils requested, provisional, confirmed, delivered and discussed, by district and by school."""
    return programme(period, today)[1]


def schools_not_reached(period: Period) -> list[SchoolEntry]:
    """Schools with no delivered performance in the period, highest priority first."""
    return reach_cache.cached("not-reached", period, lambda: reach_queries.compute_schools_not_reached(period), SCHOOLS)


def evaluation_summary(period: Period) -> dict:
    """Questionnaire results overall, per district and per school."""
    return reach_cache.cached("evaluation", period, lambda: reach_queries.compute_evaluation_summary(period), PLAIN)


def cost_per_pupil(period: Period, seen: int) -> dict:
    """The cost of the seasons in scope over the pupils who saw the drama (None where a cost is not set)."""
    return reach_queries.compute_cost(period, seen)


def school_names() -> dict[int, SchoolEntry]:
    """Every school by id, as the reach tables name them (no contact details)."""
    query = select(School.id, School.urn, School.name, School.district, School.priority).order_by(School.id)
    return {row.id: SchoolEntry(*row) for row in db.session.execute(query)}


def rebuild(today: date) -> int:
    """Drop every cached figure and compute the figures of all seasons and of each season again; flushes only."""
    reach_cache.clear()
    return _compute(select(Season.id), today)


def warm(today: date, after_each: Callable[[], None]) -> int:
    """Compute, where a change has made them stale, the figures the council opens first: all seasons, and each
    season not yet over (a past season's are computed when asked for); returns the periods looked at.

    Run every minute by the job consumer, so that after a write the dashboard is computed there rather than on the
    next officer's view (a national programme's figures take seconds); unchanged figures cost a look-up each.
    `after_each` ends each period's transaction (the job commits), so no lock is held from one to the next."""
    return _compute(select(Season.id).where(Season.ends_on >= today), today, after_each)


def _compute(seasons: Select, today: date, after_each: Callable[[], None] | None = None) -> int:
    """The figures of all seasons and of each season the query selects (computed where not current); `after_each`
    (a flush unless given) follows each period."""
    after_each = after_each or db.session.flush
    season_ids = db.session.scalars(seasons.order_by(Season.id)).all()
    periods = [Period()] + [Period(season_id=season_id) for season_id in season_ids]
    for period in periods:
        programme(period, today)
        schools_not_reached(period)
        evaluation_summary(period)
        after_each()
    training_reach()  # staff trained over the whole programme, as the dashboard first shows it
    after_each()
    return len(periods)
