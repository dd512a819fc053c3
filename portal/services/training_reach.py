"""Staff trained, counted by the database: each person's first completion at each level, grouped per breakdown.

The window function picks, for each (level, e-mail), the earliest completion; the period then filters those first
completions, so a person trained before the period and again within it is not counted in it (portal.domain.
training_reach says why). Five small grouped queries over the completions table; no names leave it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select

from portal.domain.training_reach import (
    TrainedCounts,
    TrainingReach,
    breakdown,
    months_in_order,
    period_within_season,
)
from portal.extensions import db
from portal.models import Season, TrainingAgency, TrainingCompletion, TrainingJobRole
from portal.services import settings
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


def _grouped(start: date | None, end: date | None, group) -> list[tuple]:
    """(level, group value, people) for first completions in the period."""
    first = _first_completions().subquery()
    conditions = [first.c.nth == 1]
    if start is not None:
        conditions.append(first.c.completed_on >= start)
    if end is not None:
        conditions.append(first.c.completed_on <= end)
    value = group(first)
    query = select(first.c.level, value, func.count()).where(*conditions).group_by(first.c.level, value)
    return [tuple(row) for row in db.session.execute(query.order_by(first.c.level, value)).all()]


def _named(rows: list[tuple], names: dict[int, str]) -> list[tuple]:
    return [(level, names[key], people) for level, key, people in rows]


def training_period(season_id: int | None, start: date | None, end: date | None) -> tuple[date | None, date | None]:
    """The dates the training figures cover for the reach page's period (a season stands for its own dates)."""
    season = db.session.get(Season, season_id) if season_id is not None else None
    return period_within_season(start, end, (season.starts_on, season.ends_on) if season else None)


def training_reach(start: date | None = None, end: date | None = None) -> TrainingReach:
    """Staff trained in the period (first completions from `start` to `end`, inclusive; None: no limit)."""
    agencies = dict(db.session.execute(select(TrainingAgency.id, TrainingAgency.name)).all())
    roles = dict(db.session.execute(select(TrainingJobRole.id, TrainingJobRole.name)).all())
    listed_agencies = db.session.scalars(select(TrainingAgency.name).where(TrainingAgency.active)).all()
    listed_roles = db.session.scalars(select(TrainingJobRole.name).where(TrainingJobRole.active)).all()

    totals = TrainedCounts()
    for level, _, people in _grouped(start, end, lambda first: first.c.level):
        totals.add(level, people)
    return TrainingReach(
        target=settings.training_target(),
        totals=totals,
        by_agency=breakdown(_named(_grouped(start, end, lambda f: f.c.agency_id), agencies), listed_agencies),
        by_role=breakdown(_named(_grouped(start, end, lambda f: f.c.job_role_id), roles), listed_roles),
        by_district=breakdown(_grouped(start, end, lambda f: f.c.district)),
        by_month=months_in_order(_grouped(start, end, lambda f: month_of(f.c.completed_on))),
    )
