"""The pipeline: pupils at each step from request to discussion, by district and by school.

Requested: pupils in live requests. Provisional and confirmed: pupils planned at performances in those states (a
released or declined performance drops out). Delivered: pupils who attended (seen the drama). Discussed: pupils in
follow-up lessons, counted as for reach. Where a step holds far fewer pupils than the one before, pupils are leaking
out of the programme: a request never placed, performances left unconfirmed, lessons not taught.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.domain.performances import BOOKED_STATUSES
from portal.domain.reach import Attendance, Lesson, Period, discussed_counts

STEPS = ("requested", "provisional", "confirmed", "delivered", "discussed")


@dataclass(frozen=True)
class Requested:
    """A live request: the pupils it asks for, in a season that runs from starts_on to ends_on."""

    school_id: int
    district: str
    season_id: int
    starts_on: date
    ends_on: date
    pupils: int


@dataclass(frozen=True)
class Booked:
    """A provisional or confirmed performance and the pupils it plans for."""

    school_id: int
    district: str
    season_id: int
    day: date
    status: str  # provisional or confirmed
    pupils: int


@dataclass
class Steps:
    requested: int = 0
    provisional: int = 0
    confirmed: int = 0
    delivered: int = 0
    discussed: int = 0

    def values(self) -> list[int]:
        return [getattr(self, step) for step in STEPS]


@dataclass
class Pipeline:
    totals: Steps = field(default_factory=Steps)
    by_district: dict[str, Steps] = field(default_factory=dict)
    by_school: dict[int, Steps] = field(default_factory=dict)


def _overlaps(period: Period, season_id: int, starts_on: date, ends_on: date) -> bool:
    """Whether a season's request falls in the period: the same season, and a season running within its dates."""
    return (
        (period.season_id is None or season_id == period.season_id)
        and (period.start is None or ends_on >= period.start)
        and (period.end is None or starts_on <= period.end)
    )


def _add(pipeline: Pipeline, district: str, school_id: int, step: str, pupils: int) -> None:
    for steps in (
        pipeline.totals,
        pipeline.by_district.setdefault(district, Steps()),
        pipeline.by_school.setdefault(school_id, Steps()),
    ):
        setattr(steps, step, getattr(steps, step) + pupils)


def compute_pipeline(
    requested: list[Requested],
    booked: list[Booked],
    attendance: list[Attendance],
    lessons: list[Lesson],
    period: Period = Period(),
) -> Pipeline:
    """Pupils at each step of the pipeline in a period, by district and by school (sorted by their keys)."""
    pipeline = Pipeline()
    for request in requested:
        if _overlaps(period, request.season_id, request.starts_on, request.ends_on):
            _add(pipeline, request.district, request.school_id, "requested", request.pupils)
    for performance in booked:
        if performance.status in BOOKED_STATUSES and period.covers(performance.season_id, performance.day):
            _add(pipeline, performance.district, performance.school_id, performance.status, performance.pupils)
    for seen in attendance:
        if period.covers(seen.season_id, seen.day):
            _add(pipeline, seen.district, seen.school_id, "delivered", seen.pupils)
    for lesson in discussed_counts(attendance, lessons):
        if period.covers(lesson.season_id, lesson.day):
            _add(pipeline, lesson.district, lesson.school_id, "discussed", lesson.pupils)
    pipeline.by_district = dict(sorted(pipeline.by_district.items()))
    pipeline.by_school = dict(sorted(pipeline.by_school.items()))
    return pipeline
