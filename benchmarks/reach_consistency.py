"""Reach at national scale: the figures the database computes (grouped SQL) against a straightforward recomputation
in Python from every attendance, lesson, booking, request and questionnaire row, for many periods. Not in `make test`.

    .venv/bin/python benchmarks/reach_consistency.py                       # builds the national data set (SQLite)
    .venv/bin/python benchmarks/reach_consistency.py --postgresql          # bench_national (TEST_DATABASE_URL's)
    .venv/bin/python benchmarks/reach_consistency.py --work-dir DIR --reuse   # a data set built before (pages.py's)

The recomputation is the portal's rule as portal/domain/reach.py and portal/domain/pipeline.py state it, fed with
the rows as plain queries load them; the SQL figures are what the dashboard, its exports and /api/v1/reach serve
(computed afresh here, not read from the cache). Every figure of every breakdown must agree to the pupil.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import DEFAULT_POSTGRESQL, build, environment, free_port  # noqa: E402


def load_rows(today: date):
    """Every row the figures come from, as the domain's dataclasses."""
    from sqlalchemy import func, select

    from portal.domain.pipeline import Booked, Requested
    from portal.domain.reach import Attendance, Evaluation, Lesson, Planned
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

    p, a, s = Performance, PerformanceAttendance, School
    booked_states = [PerformanceStatus.CONFIRMED, PerformanceStatus.PROVISIONAL]
    attendance = db.session.execute(
        select(p.school_id, s.district, p.season_id, p.day, a.year_group, a.pupils)
        .join(a, a.performance_id == p.id)
        .join(s, s.id == p.school_id)
        .where(p.status == PerformanceStatus.DELIVERED)
        .order_by(p.day, p.id, a.year_group)
    )
    lessons = db.session.execute(
        select(FollowUpLesson.school_id, s.district, p.season_id, FollowUpLesson.delivered_on)
        .add_columns(FollowUpLesson.year_group, FollowUpLesson.pupils)
        .join(p, p.id == FollowUpLesson.performance_id)
        .join(s, s.id == FollowUpLesson.school_id)
        .order_by(FollowUpLesson.delivered_on, FollowUpLesson.id)
    )
    booked = db.session.execute(
        select(p.school_id, s.district, p.season_id, p.day, p.status, p.pupils_planned)
        .join(s, s.id == p.school_id)
        .where(p.status.in_(booked_states))
        .order_by(p.day, p.id)
    ).all()
    requested = db.session.execute(
        select(Request.school_id, s.district, Request.season_id, Season.starts_on, Season.ends_on)
        .add_columns(func.sum(RequestYearGroup.pupils))
        .join(s, s.id == Request.school_id)
        .join(Season, Season.id == Request.season_id)
        .join(RequestYearGroup, RequestYearGroup.request_id == Request.id)
        .where(Request.status == RequestStatus.SUBMITTED)
        .group_by(Request.id, Request.school_id, s.district, Request.season_id, Season.starts_on, Season.ends_on)
        .order_by(Request.id)
    )
    evaluations = db.session.execute(
        select(s.id, s.district, EvaluationReturn.respondents, EvaluationReturn.confident_before)
        .add_columns(EvaluationReturn.confident_after, EvaluationReturn.know_help_before)
        .add_columns(EvaluationReturn.know_help_after, EvaluationReturn.staff_rating, s.name, p.season_id, p.day)
        .join(p, p.id == EvaluationReturn.performance_id)
        .join(s, s.id == p.school_id)
        .order_by(s.name, p.day, EvaluationReturn.id)
    )
    return {
        "attendance": [Attendance(*row) for row in attendance],
        "lessons": [Lesson(*row) for row in lessons],
        "planned": [
            Planned(school, district, season, day, pupils, status == PerformanceStatus.CONFIRMED)
            for school, district, season, day, status, pupils in booked
            if day >= today
        ],
        "booked": [Booked(row[0], row[1], row[2], row[3], row[4].value, row[5]) for row in booked],
        "requested": [Requested(*row) for row in requested],
        "evaluations": [(Evaluation(*row[:8]), row[8], row[9], row[10]) for row in evaluations],
        "schools": db.session.execute(
            select(s.id, s.urn, s.name, s.district, s.priority).order_by(s.priority.desc(), s.name, s.id)
        ).all(),
        "seasons": db.session.execute(select(Season.id, Season.cost_pence).order_by(Season.id)).all(),
    }


def recompute(rows: dict, period, today: date, target: int) -> dict:
    """The figures from the rows, in Python, as the portal's rules state them."""
    from portal.domain.pipeline import compute_pipeline
    from portal.domain.reach import compute_reach, summarise_evaluations
    from portal.domain.reach_records import SchoolEntry

    reach = compute_reach(
        rows["attendance"],
        rows["lessons"],
        rows["planned"],
        target=target,
        schools_total=len(rows["schools"]),
        period=period,
    )
    reached = {row.school_id for row in rows["attendance"] if period.covers(row.season_id, row.day) and row.pupils}
    returns = [(ev, name) for ev, name, season, day in rows["evaluations"] if period.covers(season, day)]
    by_district: dict[str, list] = {}
    by_school: dict[str, list] = {}
    for evaluation, name in returns:
        by_district.setdefault(evaluation.district, []).append(evaluation)
        by_school.setdefault(name, []).append(evaluation)
    costs = [cost for season, cost in rows["seasons"] if period.season_id in (None, season)]
    seen = reach.totals.seen_drama
    cost = {"cost_pence": None, "per_pupil_pence": None}
    if costs and None not in costs:
        cost = {"cost_pence": sum(costs), "per_pupil_pence": round(sum(costs) / seen) if seen else None}
    return {
        "reach": reach,
        "pipeline": compute_pipeline(rows["requested"], rows["booked"], rows["attendance"], rows["lessons"], period),
        "not_reached": [SchoolEntry(*school) for school in rows["schools"] if school[0] not in reached],
        "evaluation": {
            "overall": summarise_evaluations([evaluation for evaluation, _ in returns]),
            "by_district": {name: summarise_evaluations(group) for name, group in sorted(by_district.items())},
            "by_school": {name: summarise_evaluations(group) for name, group in sorted(by_school.items())},
        },
        "cost": cost,
    }


def periods(seasons: list[tuple[int, date, date]], today: date) -> list:
    """All seasons, each season, a term's dates, a month across two seasons, a season with dates, the future."""
    from portal.domain.reach import Period

    chosen = [Period()] + [Period(season_id=season) for season, _, _ in seasons]
    first, last = seasons[0], seasons[-1]
    chosen += [
        Period(start=first[1], end=first[1] + timedelta(days=90)),
        Period(
            start=seasons[len(seasons) // 2][2] - timedelta(days=20),
            end=seasons[len(seasons) // 2][2] + timedelta(days=20),
        ),
        Period(season_id=last[0], start=last[1] + timedelta(days=30)),
        Period(start=today),
        Period(end=today - timedelta(days=365)),
    ]
    return chosen


def differences(name: str, ours, theirs) -> list[str]:
    if ours == theirs:
        return []
    if isinstance(ours, dict) and isinstance(theirs, dict):
        found = [f"{name}: only in SQL: {sorted(set(ours) - set(theirs))[:5]}"] if set(ours) - set(theirs) else []
        found += [f"{name}: only in Python: {sorted(set(theirs) - set(ours))[:5]}"] if set(theirs) - set(ours) else []
        for key in ours.keys() & theirs.keys():
            found += differences(f"{name}[{key!r}]", ours[key], theirs[key])
        if not found and list(ours) != list(theirs):
            found.append(f"{name}: the same entries in another order")
        return found
    if hasattr(ours, "__dataclass_fields__") and type(ours) is type(theirs):
        return [
            line
            for field in ours.__dataclass_fields__
            for line in differences(f"{name}.{field}", getattr(ours, field), getattr(theirs, field))
        ]
    return [f"{name}: SQL {ours!r}, Python {theirs!r}"]


def compare(today: date) -> int:
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Season
    from portal.services import reach_queries as sql
    from portal.services.settings import reach_target

    started = time.perf_counter()
    rows = load_rows(today)
    print(
        f"loaded {len(rows['attendance']):,} attendance, {len(rows['lessons']):,} lesson, {len(rows['booked']):,}"
        f" booked, {len(rows['requested']):,} request and {len(rows['evaluations']):,} questionnaire rows"
        f" in {time.perf_counter() - started:.1f} s"
    )
    seasons = db.session.execute(select(Season.id, Season.starts_on, Season.ends_on).order_by(Season.starts_on)).all()
    target, failures = reach_target(), 0
    columns = "period,seen,discussed,planned,provisional,schools reached,not reached,SQL ms,Python ms,agree"
    print("| " + " | ".join(columns.split(",")) + " |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for period in periods(seasons, today):
        started = time.perf_counter()
        reach, pipeline = sql.compute_programme(period, today, target=target)
        ours = {
            "reach": reach,
            "pipeline": pipeline,
            "not_reached": sql.compute_schools_not_reached(period),
            "evaluation": sql.compute_evaluation_summary(period),
            "cost": sql.compute_cost(period, reach.totals.seen_drama),
        }
        sql_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        theirs = recompute(rows, period, today, target)
        python_ms = (time.perf_counter() - started) * 1000
        found = [line for part in ours for line in differences(part, ours[part], theirs[part])]
        failures += bool(found)
        totals = reach.totals
        print(
            f"| {label(period)} | {totals.seen_drama:,} | {totals.discussed_in_class:,} | {totals.planned:,}"
            f" | {reach.provisional:,} | {reach.schools_reached:,} | {len(ours['not_reached']):,} | {sql_ms:.0f}"
            f" | {python_ms:.0f} | {'yes' if not found else 'NO'} |",
            flush=True,
        )
        for line in found[:20]:
            print(f"    {line}")
    return failures


def label(period) -> str:
    parts = [f"season {period.season_id}" if period.season_id else "all seasons"]
    parts += [f"from {period.start}"] if period.start else []
    parts += [f"to {period.end}"] if period.end else []
    return ", ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--database-url", default=None, help=f"with --postgresql (default {DEFAULT_POSTGRESQL})")
    parser.add_argument("--schools", type=int, default=3000)
    parser.add_argument("--performances", type=int, default=100_000)
    parser.add_argument("--work-dir", type=Path, help="keep the instance here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="use the data set already built in --work-dir")
    args = parser.parse_args()
    args.demo = False
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="reach-consistency-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'portal.db'}"
    if args.postgresql:
        server = os.environ.get("TEST_DATABASE_URL")
        url = args.database_url or (server.rsplit("/", 1)[0] + "/bench_national" if server else DEFAULT_POSTGRESQL)
    env = environment(work, free_port(), url)
    if not args.reuse:
        build(env, args)
    os.environ.update(env)
    from portal import clock, create_app

    app = create_app()
    with app.app_context():
        failures = compare(clock.today())
    print("every figure agrees" if not failures else f"{failures} periods disagree")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
