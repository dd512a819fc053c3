"""JSON API, read-only: reach figures (pupils, and staff trained) for the council and performances across schools."""

from __future__ import annotations

from flask import url_for

from portal.clock import today
from portal.domain.pipeline import STEPS, Pipeline
from portal.domain.reach import Figures, Period, Reach
from portal.domain.training_reach import TrainedCounts, TrainingReach
from portal.models import Performance, PerformanceStatus, Role
from portal.services import reach as reach_service
from portal.services import training_reach as training_service
from portal.services.performance_queries import PerformanceFilter, find_performances
from portal.web.api import params
from portal.web.api.auth import roles_required
from portal.web.api.blueprint import bp
from portal.web.api.openapi import openapi_document

PAGE_SIZE = 100
YEAR_GROUPS = range(7, 14)


@bp.get("/openapi.json")
def openapi():
    return openapi_document()


def figures(row: Figures, *, planned: bool = True) -> dict:
    answer = {"seen_drama": row.seen_drama, "discussed_in_class": row.discussed_in_class}
    if planned:
        answer["planned"] = row.planned
    return answer


def pipeline_body(pipeline: Pipeline) -> dict:
    """Pupils at each step from request to discussion, in all and by district."""
    return {
        **dict(zip(STEPS, pipeline.totals.values(), strict=True)),
        "by_district": [
            {"district": name, **dict(zip(STEPS, steps.values(), strict=True))}
            for name, steps in pipeline.by_district.items()
        ],
    }


def reach_body(reach: Reach, pipeline: Pipeline) -> dict:
    """Totals and breakdowns: counts of pupils and schools only, never a person's name or contact."""
    by_year = {year: reach.by_year_group.get(year, Figures()) for year in YEAR_GROUPS}
    return {
        "target": reach.target,
        **figures(reach.totals),
        "provisional": reach.provisional,
        "schools_reached": reach.schools_reached,
        "schools_total": reach.schools_total,
        "pipeline": pipeline_body(pipeline),
        "by_district": [{"district": name, **figures(row)} for name, row in reach.by_district.items()],
        # Planned performances are not split by year group, so there is no planned figure here.
        "by_year_group": [{"year_group": year, **figures(row, planned=False)} for year, row in by_year.items()],
        "by_month": [{"month": month, **figures(row)} for month, row in reach.by_month.items()],
    }


@bp.get("/reach")
@roles_required(Role.COUNCIL, Role.ADMIN)
def reach():
    season_id = params.season_id()
    start, end = params.date_range()
    period = Period(season_id, start, end)
    return reach_body(*reach_service.programme(period, today()))


def trained(counts: TrainedCounts) -> dict:
    """People trained at each level and in all (a person trained at both levels counts once at each)."""
    return {**{level.value: people for level, people in counts.by_level.items()}, "staff_trained": counts.total}


def training_reach_body(reach: TrainingReach) -> dict:
    """Totals and breakdowns of staff trained: counts only, never a name."""
    breakdowns = {"by_agency": ("agency", reach.by_agency), "by_role": ("job_role", reach.by_role)}
    breakdowns |= {"by_district": ("district", reach.by_district), "by_month": ("month", reach.by_month)}
    return {
        "target": reach.target,
        **trained(reach.totals),
        **{
            key: [{name: group, **trained(row)} for group, row in rows.items()]
            for key, (name, rows) in breakdowns.items()
        },
    }


@bp.get("/training-reach")
@roles_required(Role.COUNCIL, Role.ADMIN)
def training_reach():
    start, end = training_service.training_period(params.season_id(), *params.date_range())
    return training_reach_body(training_service.training_reach(start, end))


def performance_item(performance: Performance) -> dict:
    school = performance.school
    delivered = performance.status == PerformanceStatus.DELIVERED
    return {
        "id": performance.id,
        "season": performance.season_id,
        "school": {"urn": school.urn, "name": school.name, "district": school.district},
        "date": performance.day.isoformat(),
        "slot": performance.slot.code,
        "starts_at": performance.slot.starts_at.strftime("%H:%M"),
        "cast": performance.cast.name,
        "status": performance.status.value,
        "released": performance.released_at is not None,
        "pupils_planned": performance.pupils_planned,
        "pupils_attended": performance.pupils_attended if delivered else None,
    }


@bp.get("/performances")
@roles_required(Role.COMPANY, Role.COUNCIL, Role.ADMIN)
def performances():
    start, end = params.date_range()
    filters = PerformanceFilter(params.season_id(), params.status(), start, end)
    after, page = params.after(), params.page()
    # One row more than a page tells whether there is a next page without counting; the next page starts after the
    # last id shown, so a client walking to the end never makes the database skip rows (old page= links still work).
    rows = find_performances(filters, after=after, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1)
    following = None
    if len(rows) > PAGE_SIZE:
        last = rows[PAGE_SIZE - 1].id
        following = url_for("api.performances", _external=True, **_filter_args(filters), after=last)
    return {"items": [performance_item(row) for row in rows[:PAGE_SIZE]], "next": following}


def _filter_args(filters: PerformanceFilter) -> dict:
    values = {
        "season": filters.season_id,
        "status": filters.status.value if filters.status else None,
        "from": filters.start.isoformat() if filters.start else None,
        "to": filters.end.isoformat() if filters.end else None,
    }
    return {name: value for name, value in values.items() if value is not None}
