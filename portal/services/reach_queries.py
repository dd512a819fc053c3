"""Reach figures computed by the database: grouped SQL queries with the period in the WHERE clause.

Each query returns at most one row per school and year group (or per month), never one per attendance or lesson,
so the work grows with the rows the database scans, not with what Python receives. They give the same figures as
portal.domain.reach.compute_reach and portal.domain.pipeline.compute_pipeline do from the rows
(benchmarks/reach_consistency.py checks it at national scale): discussed in class is, for each school, season and
year group, the largest count of any one lesson capped by the pupils who attended, dated by the first lesson that
reached it (a window function picks it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from portal.domain.pipeline import Pipeline, Steps
from portal.domain.reach import EVALUATION_COUNTS, Figures, Period, Reach, evaluation_figures
from portal.domain.reach_records import SchoolEntry
from portal.extensions import db
from portal.models import (
    EvaluationReturn,
    FollowUpLesson,
    Performance,
    PerformanceAttendance,
    PerformanceStatus,
    Request,
    RequestStatus,
    RequestYearGroup,
    School,
    Season,
)

DELIVERED = PerformanceStatus.DELIVERED
BOOKED = (PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED)


class month_of(FunctionElement):  # noqa: N801  (an SQL function's name)
    """The "YYYY-MM" of a date column, in each database's own words."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(month_of, "postgresql")
def _month_postgresql(element, compiler, **kw) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def in_period(period: Period, season_id: Any, day: Any) -> list[ColumnElement[bool]]:
    """The period as WHERE conditions on a season column and a date column."""
    conditions: list[ColumnElement[bool]] = []
    if period.season_id is not None:
        conditions.append(season_id == period.season_id)
    if period.start is not None:
        conditions.append(day >= period.start)
    if period.end is not None:
        conditions.append(day <= period.end)
    return conditions


def districts() -> dict[int, str]:
    """Each school's district, to add the per-school groups up by district."""
    return dict(db.session.execute(select(School.id, School.district).order_by(School.id)).all())


def _attendance(period: Period) -> Select:
    """Delivered attendance in the period, with pupils (a year group nobody came from adds nothing)."""
    return (
        select(Performance.school_id, PerformanceAttendance.year_group, Performance.day, PerformanceAttendance.pupils)
        .join(PerformanceAttendance, PerformanceAttendance.performance_id == Performance.id)
        .where(Performance.status == DELIVERED, *in_period(period, Performance.season_id, Performance.day))
    )


def discussed_rows(season_id: int | None = None) -> Select:
    """One row per school, season and year group: the pupils counted as discussed in class and the day they were
    (of one season, when given: each season's count stands alone, so its filter can go inside)."""
    in_season = [Performance.season_id == season_id] if season_id is not None else []
    attendance = PerformanceAttendance
    attended = (
        select(
            Performance.school_id,
            Performance.season_id,
            attendance.year_group,
            func.sum(attendance.pupils).label("pupils"),
        )
        .join(attendance, attendance.performance_id == Performance.id)
        .where(Performance.status == DELIVERED, *in_season)
        .group_by(Performance.school_id, Performance.season_id, attendance.year_group)
        .subquery()
    )
    counted = case((FollowUpLesson.pupils < attended.c.pupils, FollowUpLesson.pupils), else_=attended.c.pupils)
    key = (FollowUpLesson.school_id, Performance.season_id, FollowUpLesson.year_group)
    ranked = (
        select(
            FollowUpLesson.school_id,
            Performance.season_id,
            FollowUpLesson.year_group,
            FollowUpLesson.delivered_on.label("day"),
            counted.label("pupils"),
            func.row_number()
            .over(partition_by=key, order_by=(counted.desc(), FollowUpLesson.delivered_on, FollowUpLesson.id))
            .label("rank"),
        )
        .join(Performance, Performance.id == FollowUpLesson.performance_id)
        .where(*in_season)
        # An outer join, so that SQLite loops over the lessons and looks each key up (an automatic index) rather
        # than searching every school's lessons for each key; a lesson without attendance counts nothing.
        .outerjoin(
            attended,
            and_(
                attended.c.school_id == FollowUpLesson.school_id,
                attended.c.season_id == Performance.season_id,
                attended.c.year_group == FollowUpLesson.year_group,
            ),
        )
        .subquery()
    )
    return select(ranked).where(ranked.c.rank == 1, ranked.c.pupils > 0)


def _grouped(rows: Any, kind: str, *, by_year_group: bool = True, pupils: str = "pupils") -> list[Select]:
    """Rows with school_id, year_group, day and pupils added up per school and year group, and per month."""
    c = rows.c
    count = func.sum(c[pupils])
    tag: Any = literal_column(f"'{kind}'")
    year_group = c.year_group if by_year_group else cast(null(), Integer)
    groups = (c.school_id, c.year_group) if by_year_group else (c.school_id,)
    return [
        select(tag, c.school_id, year_group, cast(null(), String), count).group_by(*groups),
        select(tag, cast(null(), Integer), cast(null(), Integer), month_of(c.day), count).group_by(month_of(c.day)),
    ]


def _requested(period: Period) -> Select:
    """Pupils in live requests per school, of the seasons the period overlaps."""
    query: Any = (
        select(literal_column("'requested'"), Request.school_id, *NOTHING, func.sum(RequestYearGroup.pupils))
        .join(Season, Season.id == Request.season_id)
        .join(RequestYearGroup, RequestYearGroup.request_id == Request.id)
        .where(Request.status == RequestStatus.SUBMITTED)
        .group_by(Request.school_id)
    )
    if period.season_id is not None:
        query = query.where(Request.season_id == period.season_id)
    if period.start is not None:
        query = query.where(Season.ends_on >= period.start)
    if period.end is not None:
        query = query.where(Season.starts_on <= period.end)
    return query


NOTHING = (cast(null(), Integer), cast(null(), String))


def _groups(period: Period, today: date) -> list[tuple]:
    """(kind, school, year group, month, pupils) for every figure of reach and the pipeline, in one statement.

    Seen and discussed come per school and year group and per month; planned (confirmed from today on) per school
    and per month; provisional from today on in all; booked (provisional and confirmed, any day) and requested per
    school. Discussed is a CTE, so the database works it out once for all its groups.
    """
    seen = _attendance(period).subquery()
    discussed = discussed_rows(period.season_id).cte("discussed")
    discussed_in = select(discussed).where(*in_period(period, discussed.c.season_id, discussed.c.day)).subquery()
    booked = select(Performance.school_id, Performance.status, Performance.day, Performance.pupils_planned)
    booked = booked.where(Performance.status.in_(BOOKED), *in_period(period, Performance.season_id, Performance.day))
    planned = booked.where(Performance.day >= today).subquery()
    confirmed = select(planned).where(planned.c.status == PerformanceStatus.CONFIRMED).subquery()
    provisional: Any = select(literal_column("'to_confirm'"), cast(null(), Integer), *NOTHING)
    provisional = provisional.add_columns(func.sum(planned.c.pupils_planned)).where(
        planned.c.status == PerformanceStatus.PROVISIONAL
    )
    booked_rows = booked.subquery()
    by_status = select(
        cast(booked_rows.c.status, String), booked_rows.c.school_id, *NOTHING, func.sum(booked_rows.c.pupils_planned)
    )
    queries = [
        *_grouped(seen, "seen"),
        *_grouped(discussed_in, "discussed"),
        *_grouped(confirmed, "planned", by_year_group=False, pupils="pupils_planned"),
        provisional,
        by_status.group_by(booked_rows.c.status, booked_rows.c.school_id),
        _requested(period),
    ]
    return list(db.session.execute(union_all(*queries)))


FIELDS = {"seen": "seen_drama", "discussed": "discussed_in_class", "planned": "planned"}
STEP_OF = {"seen": "delivered", "discussed": "discussed", "requested": "requested"}


def compute_programme(period: Period, today: date, *, target: int) -> tuple[Reach, Pipeline]:
    """The programme's reach and pipeline in a period, as compute_reach and compute_pipeline give them."""
    reach = Reach(target=target, totals=Figures(), schools_reached=0, schools_total=schools_total())
    pipeline, district_of = Pipeline(), districts()
    for kind, school_id, year_group, month, pupils in _groups(period, today):
        kind, pupils = str(kind), int(pupils or 0)
        if kind == "to_confirm":
            reach.provisional = pupils
        elif month is not None:
            if pupils:  # a group of year groups nobody came from is no entry, as in compute_reach
                _add(reach.by_month.setdefault(month, Figures()), FIELDS[kind], pupils)
        else:
            district = district_of[school_id]
            if kind in FIELDS and pupils:
                _add_figures(reach, FIELDS[kind], pupils, school_id, district, year_group)
            if kind != "planned":
                for steps in (
                    pipeline.totals,
                    pipeline.by_district.setdefault(district, Steps()),
                    pipeline.by_school.setdefault(school_id, Steps()),
                ):
                    _add(steps, STEP_OF.get(kind, kind), pupils)
    reach.schools_reached = sum(1 for figures in reach.by_school.values() if figures.seen_drama)
    for name in ("by_district", "by_school", "by_year_group", "by_month"):
        setattr(reach, name, dict(sorted(getattr(reach, name).items())))
    pipeline.by_district = dict(sorted(pipeline.by_district.items()))
    pipeline.by_school = dict(sorted(pipeline.by_school.items()))
    return reach, pipeline


def _add_figures(reach: Reach, name: str, pupils: int, school_id: int, district: str, year_group: int | None) -> None:
    for figures in (
        reach.totals,
        reach.by_school.setdefault(school_id, Figures()),
        reach.by_district.setdefault(district, Figures()),
    ):
        _add(figures, name, pupils)
    if year_group is not None:
        _add(reach.by_year_group.setdefault(year_group, Figures()), name, pupils)


def _add(target: Figures | Steps, name: str, pupils: int) -> None:
    setattr(target, name, getattr(target, name) + pupils)


def schools_total() -> int:
    """Schools of secondary age in the directory (the directory holds only those)."""
    return db.session.scalar(select(func.count()).select_from(School)) or 0


def compute_schools_not_reached(period: Period) -> list[SchoolEntry]:
    """Schools with no pupil at a delivered performance in the period, highest priority first."""
    reached = (
        select(Performance.school_id)
        .join(PerformanceAttendance)
        .where(
            Performance.status == DELIVERED,
            PerformanceAttendance.pupils > 0,
            *in_period(period, Performance.season_id, Performance.day),
        )
    )
    query = (
        select(School.id, School.urn, School.name, School.district, School.priority)
        .where(School.id.not_in(reached))
        .order_by(School.priority.desc(), School.name, School.id)
    )
    return [SchoolEntry(*row) for row in db.session.execute(query)]


def compute_evaluation_summary(period: Period) -> dict:
    """Questionnaire results overall, per district and per school (by name), from counts added up per school."""
    counts = [func.sum(getattr(EvaluationReturn, name)) for name in EVALUATION_COUNTS]
    query = (
        select(School.name, School.district, func.count(), func.sum(EvaluationReturn.staff_rating), *counts)
        .join(Performance, Performance.id == EvaluationReturn.performance_id)
        .join(School, School.id == Performance.school_id)
        .where(*in_period(period, Performance.season_id, Performance.day))
        .group_by(School.id, School.name, School.district)
        .order_by(School.name, School.id)
    )
    overall = _Totals()
    by_district: dict[str, _Totals] = {}
    by_school: dict[str, _Totals] = {}
    for name, district, returns, rating, *sums in db.session.execute(query):
        for totals in (overall, by_district.setdefault(district, _Totals()), by_school.setdefault(name, _Totals())):
            totals.add(returns, rating, sums)
    return {
        "overall": overall.summary(),
        "by_district": {name: totals.summary() for name, totals in sorted(by_district.items())},
        "by_school": {name: totals.summary() for name, totals in sorted(by_school.items())},
    }


class _Totals:
    def __init__(self) -> None:
        self.returns, self.rating, self.counts = 0, 0, dict.fromkeys(EVALUATION_COUNTS, 0)

    def add(self, returns: int, rating: int, sums: list[int]) -> None:
        self.returns, self.rating = self.returns + returns, self.rating + int(rating)
        for name, value in zip(EVALUATION_COUNTS, sums, strict=True):
            self.counts[name] += int(value)

    def summary(self) -> dict:
        return evaluation_figures(self.counts, self.returns, self.rating)


def compute_cost(period: Period, seen: int) -> dict:
    """The cost of the seasons in scope over the pupils who saw the drama (None where a cost is not set)."""
    query = select(func.count(), func.count(Season.cost_pence), func.sum(Season.cost_pence))
    if period.season_id is not None:
        query = query.where(Season.id == period.season_id)
    seasons, costed, total = db.session.execute(query).one()
    if not seasons or costed < seasons:
        return {"cost_pence": None, "per_pupil_pence": None}
    total = int(total or 0)
    return {"cost_pence": total, "per_pupil_pence": round(total / seen) if seen else None}
