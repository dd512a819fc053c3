"""Reach figures from the database: load the counts, let portal.domain.reach add them up."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.domain.pipeline import Booked, Pipeline, Requested, compute_pipeline
from portal.domain.reach import Attendance, Evaluation, Lesson, Period, Planned, compute_reach, summarise_evaluations
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
from portal.services.settings import reach_target


def attendance_rows() -> list[Attendance]:
    query = (
        select(
            Performance.school_id,
            School.district,
            Performance.season_id,
            Performance.day,
            PerformanceAttendance.year_group,
            PerformanceAttendance.pupils,
        )
        .join(PerformanceAttendance, PerformanceAttendance.performance_id == Performance.id)
        .join(School, School.id == Performance.school_id)
        .where(Performance.status == PerformanceStatus.DELIVERED)
        .order_by(Performance.day, Performance.id, PerformanceAttendance.year_group)
    )
    return [Attendance(*row) for row in db.session.execute(query)]


def lesson_rows() -> list[Lesson]:
    query = (
        select(
            FollowUpLesson.school_id,
            School.district,
            Performance.season_id,
            FollowUpLesson.delivered_on,
            FollowUpLesson.year_group,
            FollowUpLesson.pupils,
        )
        .join(Performance, Performance.id == FollowUpLesson.performance_id)
        .join(School, School.id == FollowUpLesson.school_id)
        .order_by(FollowUpLesson.delivered_on, FollowUpLesson.id)
    )
    return [Lesson(*row) for row in db.session.execute(query)]


def planned_rows(today: date) -> list[Planned]:
    """Confirmed performances from today on, and provisional ones (which the school may yet confirm)."""
    query = (
        select(
            Performance.school_id,
            School.district,
            Performance.season_id,
            Performance.day,
            Performance.pupils_planned,
            Performance.status == PerformanceStatus.CONFIRMED,
        )
        .join(School, School.id == Performance.school_id)
        .where(
            Performance.status.in_([PerformanceStatus.CONFIRMED, PerformanceStatus.PROVISIONAL]),
            Performance.day >= today,
        )
        .order_by(Performance.day, Performance.id)
    )
    return [Planned(*row) for row in db.session.execute(query)]


def requested_rows() -> list[Requested]:
    """Live requests and the pupils they ask for."""
    query = (
        select(
            Request.school_id,
            School.district,
            Request.season_id,
            Season.starts_on,
            Season.ends_on,
            func.sum(RequestYearGroup.pupils),
        )
        .join(School, School.id == Request.school_id)
        .join(Season, Season.id == Request.season_id)
        .join(RequestYearGroup, RequestYearGroup.request_id == Request.id)
        .where(Request.status == RequestStatus.SUBMITTED)
        .group_by(Request.id, Request.school_id, School.district, Request.season_id, Season.starts_on, Season.ends_on)
        .order_by(Request.id)
    )
    return [Requested(*row) for row in db.session.execute(query)]


def booked_rows() -> list[Booked]:
    """Provisional and confirmed performances (past or to come) and the pupils they plan for."""
    query = (
        select(
            Performance.school_id,
            School.district,
            Performance.season_id,
            Performance.day,
            Performance.status,
            Performance.pupils_planned,
        )
        .join(School, School.id == Performance.school_id)
        .where(Performance.status.in_([PerformanceStatus.CONFIRMED, PerformanceStatus.PROVISIONAL]))
        .order_by(Performance.day, Performance.id)
    )
    return [
        Booked(school, district, season, day, status.value, pupils)
        for school, district, season, day, status, pupils in db.session.execute(query)
    ]


def programme_pipeline(period: Period) -> Pipeline:
    """Pupils requested, provisional, confirmed, delivered and discussed, by district and by school."""
    return compute_pipeline(requested_rows(), booked_rows(), attendance_rows(), lesson_rows(), period)


def schools_total() -> int:
    """Schools of secondary age in the directory (the directory holds only those)."""
    return db.session.query(School).count()


def programme_reach(period: Period, today: date):
    return compute_reach(
        attendance_rows(),
        lesson_rows(),
        planned_rows(today),
        target=reach_target(),
        schools_total=schools_total(),
        period=period,
    )


def schools_not_reached(period: Period) -> list[School]:
    """Schools with no delivered performance in the period, highest priority first."""
    reached = {row.school_id for row in attendance_rows() if period.covers(row.season_id, row.day) and row.pupils}
    schools = db.session.scalars(select(School).order_by(School.priority.desc(), School.name, School.id))
    return [school for school in schools if school.id not in reached]


def evaluation_summary(period: Period) -> dict:
    """Questionnaire results overall, per district and per school."""
    query = (
        select(EvaluationReturn, Performance, School)
        .join(Performance, Performance.id == EvaluationReturn.performance_id)
        .join(School, School.id == Performance.school_id)
        .order_by(School.name, Performance.day)
    )
    returns: list[tuple[Evaluation, str]] = []
    for ret, performance, school in db.session.execute(query):
        if period.covers(performance.season_id, performance.day):
            returns.append(
                (
                    Evaluation(
                        school.id,
                        school.district,
                        ret.respondents,
                        ret.confident_before,
                        ret.confident_after,
                        ret.know_help_before,
                        ret.know_help_after,
                        ret.staff_rating,
                    ),
                    school.name,
                )
            )
    by_district: dict[str, list[Evaluation]] = {}
    by_school: dict[str, list[Evaluation]] = {}
    for evaluation, school_name in returns:
        by_district.setdefault(evaluation.district, []).append(evaluation)
        by_school.setdefault(school_name, []).append(evaluation)
    return {
        "overall": summarise_evaluations([evaluation for evaluation, _ in returns]),
        "by_district": {name: summarise_evaluations(rows) for name, rows in sorted(by_district.items())},
        "by_school": {name: summarise_evaluations(rows) for name, rows in sorted(by_school.items())},
    }


def cost_per_pupil(period: Period, seen: int) -> dict:
    """The cost of the seasons in scope over the pupils who saw the drama (None where a cost is not set)."""
    seasons = db.session.scalars(select(Season).order_by(Season.id)).all()
    in_scope = [season for season in seasons if period.season_id in (None, season.id)]
    costs = [season.cost_pence for season in in_scope]
    if not in_scope or any(cost is None for cost in costs):
        return {"cost_pence": None, "per_pupil_pence": None}
    total = sum(costs)
    return {"cost_pence": total, "per_pupil_pence": round(total / seen) if seen else None}


def all_schools() -> list[School]:
    return list(db.session.scalars(select(School).order_by(School.name, School.id)))
