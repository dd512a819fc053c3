"""Staff trained, counted by the database: each person's first completion at each level, grouped per breakdown.

The window function picks, for each (level, e-mail), the earliest completion; the period then filters those first
completions, so a person trained before the period and again within it is not counted in it (portal.domain.
training_reach says why). One grouped query over the completions table, whose groups the breakdowns add up; no names
leave it. The figures are kept under the reach version (portal.services.reach_cache).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select

from portal.domain.reach import Period
from portal.domain.training_reach import (
    LEVELS,
    TrainedCounts,
    TrainingReach,
    breakdown,
    months_in_order,
    period_within_season,
)
from portal.extensions import db
from portal.models import Season, TrainingAgency, TrainingCompletion, TrainingJobRole
from portal.services import reach_cache, settings
from portal.services.reach_queries import month_of


def _first_completions() -> Select:
    """Each person's first completion at each level: level, agency, job role, district, day."""
    order = func.row_number().over(
        partition_by=(TrainingCompletion.level, TrainingCompletion.email),
        order_by=(TrainingCompletion.completed_on, TrainingCompletion.id),
    )
    return select(
        TrainingCompletion.level,
        TrainingCompletion.agency_id,
        TrainingCompletion.job_role_id,
        TrainingCompletion.district,
        TrainingCompletion.completed_on,
        order.label("nth"),
    )


def _groups(start: date | None, end: date | None) -> list[tuple]:
    """(level, agency id, job role id, district, month, people) for first completions in the period: one pass of the
    window over the completions, grouped by everything a breakdown splits by (the breakdowns add these groups up)."""
    first = _first_completions().subquery()
    conditions = [first.c.nth == 1]
    if start is not None:
        conditions.append(first.c.completed_on >= start)
    if end is not None:
        conditions.append(first.c.completed_on <= end)
    month = month_of(first.c.completed_on)
    columns = (first.c.level, first.c.agency_id, first.c.job_role_id, first.c.district, month)
    query = select(*columns, func.count()).where(*conditions).group_by(*columns).order_by(*columns)
    return [tuple(row) for row in db.session.execute(query).all()]


def training_period(season_id: int | None, start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """The dates the training figures cover for the reach page's period (a season stands for its own dates)."""
    season = db.session.get(Season, season_id) if season_id is not None else None
    return period_within_season(start, end, (season.starts_on, season.ends_on) if season else None)


def training_reach(start: date | None = None, end: date | None = None) -> TrainingReach:
    """Staff trained in the period (first completions from `start` to `end`, inclusive; None: no limit), kept under
    the reach figures' version (portal.services.reach_cache), which every write to a completion, the agencies and job
    roles, or the target moves on: each grouped query runs a window over every completion, seconds for a national
    programme's hundred thousand, so the dashboard must not run them on every view."""
    return reach_cache.cached("training", Period(None, start, end), lambda: compute_training_reach(start, end), CODEC)


def _encode(reach: TrainingReach) -> dict:
    def table(rows: dict[str, TrainedCounts]) -> list:
        return [[name, *(counts.by_level[level] for level in LEVELS)] for name, counts in rows.items()]

    breakdowns = {"by_agency": reach.by_agency, "by_role": reach.by_role}
    breakdowns |= {"by_district": reach.by_district, "by_month": reach.by_month}
    return {"target": reach.target, "totals": table({"": reach.totals})[0][1:]} | {
        key: table(rows) for key, rows in breakdowns.items()
    }


def _decode(body: dict) -> TrainingReach:
    def counts(values: list[int]) -> TrainedCounts:
        return TrainedCounts(dict(zip(LEVELS, values, strict=True)))

    def table(rows: list) -> dict[str, TrainedCounts]:
        return {row[0]: counts(row[1:]) for row in rows}

    return TrainingReach(
        target=body["target"],
        totals=counts(body["totals"]),
        by_agency=table(body["by_agency"]),
        by_role=table(body["by_role"]),
        by_district=table(body["by_district"]),
        by_month=table(body["by_month"]),
    )


CODEC = (_encode, _decode)


def compute_training_reach(start: date | None = None, end: date | None = None) -> TrainingReach:
    """The figures from the completions themselves."""
    agencies = dict(db.session.execute(select(TrainingAgency.id, TrainingAgency.name)).all())
    roles = dict(db.session.execute(select(TrainingJobRole.id, TrainingJobRole.name)).all())
    listed_agencies = db.session.scalars(select(TrainingAgency.name).where(TrainingAgency.active)).all()
    listed_roles = db.session.scalars(select(TrainingJobRole.name).where(TrainingJobRole.active)).all()

    groups = _groups(start, end)
    totals = TrainedCounts()
    for level, *_, people in groups:
        totals.add(level, people)
    return TrainingReach(
        target=settings.training_target(),
        totals=totals,
        by_agency=breakdown(((g[0], agencies[g[1]], g[5]) for g in groups), listed_agencies),
        by_role=breakdown(((g[0], roles[g[2]], g[5]) for g in groups), listed_roles),
        by_district=breakdown((g[0], g[3], g[5]) for g in groups),
        by_month=months_in_order((g[0], g[4], g[5]) for g in groups),
    )
