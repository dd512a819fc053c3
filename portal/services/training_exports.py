"""The staff-trained tables as CSV rows: counts per level and in all, never a name (served with the reach exports)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from portal.domain.reach import Period
from portal.domain.training_reach import LEVELS, TrainedCounts, TrainingReach
from portal.services.training_reach import training_period, training_reach

Table = tuple[list[str], Iterator[list]]
COUNTS = [*(level.value for level in LEVELS), "staff_trained"]


def _counts(row: TrainedCounts) -> list[int]:
    return [*(row.by_level[level] for level in LEVELS), row.total]


def _figures(period: Period) -> TrainingReach:
    return training_reach(*training_period(period.season_id, period.start, period.end))


def _table(column: str, rows: Callable[[TrainingReach], dict[str, TrainedCounts]]) -> Callable[[Period, date], Table]:
    def export(period: Period, today: date) -> Table:
        return [column, *COUNTS], ([name, *_counts(counts)] for name, counts in rows(_figures(period)).items())

    return export


def totals(period: Period, today: date) -> Table:
    figures = _figures(period)
    return ["target", *COUNTS], iter([[figures.target, *_counts(figures.totals)]])


TRAINING_EXPORTS: dict[str, Callable[[Period, date], Table]] = {
    "training-totals": totals,
    "training-agencies": _table("agency", lambda figures: figures.by_agency),
    "training-job-roles": _table("job_role", lambda figures: figures.by_role),
    "training-districts": _table("district", lambda figures: figures.by_district),
    "training-months": _table("month", lambda figures: figures.by_month),
}
