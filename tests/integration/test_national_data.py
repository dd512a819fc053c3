"""flask demo national: the national data set, made small (60 schools, about 2,000 performances) on a database of its
own. The full size (3,000 schools, 100,000 performances) is built by benchmarks/pages.py, not here."""

from __future__ import annotations

from sqlalchemy import case, func, select

from portal.clock import today
from portal.domain.directory_files import read_directory_file
from portal.domain.reach import Period
from portal.extensions import db
from portal.models import (
    EvaluationReturn,
    FollowUpLesson,
    Performance,
    PerformanceAttendance,
    PerformanceStatus,
    Request,
    Role,
    School,
    Season,
    TrainingBooking,
    TrainingCompletion,
    User,
)
from portal.models.seasons import SeasonStatus
from portal.scheduler import check, parse_instance
from portal.services.instances import build_instance
from portal.services.reach import programme_reach
from portal.services.training_reach import compute_training_reach, training_reach

SMALL = ["demo", "national", "--schools", "60", "--performances", "2000", "--seed", "3"]


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def seen_by_sql(period: Period) -> tuple[int, int]:
    """Pupils at delivered performances in the period, and the schools with any, straight from the rows."""
    query = (
        select(
            func.coalesce(func.sum(PerformanceAttendance.pupils), 0), func.count(func.distinct(Performance.school_id))
        )
        .join(Performance, Performance.id == PerformanceAttendance.performance_id)
        .where(Performance.status == PerformanceStatus.DELIVERED, PerformanceAttendance.pupils > 0)
    )
    if period.season_id is not None:
        query = query.where(Performance.season_id == period.season_id)
    return tuple(db.session.execute(query).one())


def discussed_by_sql(season_id: int | None) -> int:
    """Per school, season and year group: the biggest lesson, never more than attended that year group's shows."""
    key = (Performance.school_id, Performance.season_id)
    attended = (
        select(*key, PerformanceAttendance.year_group, func.sum(PerformanceAttendance.pupils).label("pupils"))
        .join(Performance, Performance.id == PerformanceAttendance.performance_id)
        .where(Performance.status == PerformanceStatus.DELIVERED)
        .group_by(*key, PerformanceAttendance.year_group)
        .subquery()
    )
    best = (
        select(*key, FollowUpLesson.year_group, func.max(FollowUpLesson.pupils).label("pupils"))
        .join(Performance, Performance.id == FollowUpLesson.performance_id)
        .group_by(*key, FollowUpLesson.year_group)
        .subquery()
    )
    counted = case((best.c.pupils < attended.c.pupils, best.c.pupils), else_=attended.c.pupils)
    query = select(func.coalesce(func.sum(counted), 0)).join_from(
        best,
        attended,
        (best.c.school_id == attended.c.school_id)
        & (best.c.season_id == attended.c.season_id)
        & (best.c.year_group == attended.c.year_group),
    )
    if season_id is not None:
        query = query.where(best.c.season_id == season_id)
    return db.session.scalar(query)


def test_the_national_data_set_fills_an_empty_database(committing_app, tmp_path):
    extract = tmp_path / "edubasealldata.csv"
    result = committing_app.test_cli_runner().invoke(args=[*SMALL, "--directory-file", str(extract)])
    assert result.exit_code == 0, result.output
    # The file it started from is a GIAS extract as downloaded, which the directory import reads.
    assert len(read_directory_file(extract.read_bytes()).rows) == 60
    with committing_app.app_context():
        assert count(School) == 60
        seasons = db.session.scalars(select(Season).order_by(Season.starts_on)).all()
        assert len(seasons) == 13
        assert [season.status for season in seasons[-2:]] == [SeasonStatus.PUBLISHED, SeasonStatus.OPEN]
        assert (seasons[-1].ends_on - seasons[0].starts_on).days > 4 * 365
        assert 1800 <= count(Performance) <= 2200
        assert count(Performance, Performance.season_id == seasons[-1].id) == 0
        assert count(Request, Request.season_id == seasons[-1].id) > 0
        statuses = set(db.session.scalars(select(Performance.status).distinct()))
        assert statuses == set(PerformanceStatus)
        assert count(Performance, Performance.status_reason.like("not confirmed by %")) > 0  # released
        assert count(Performance, Performance.status == PerformanceStatus.PROVISIONAL, Performance.day < today()) == 0
        delivered = count(Performance, Performance.status == PerformanceStatus.DELIVERED)
        with_lessons = db.session.scalar(select(func.count(func.distinct(FollowUpLesson.performance_id))))
        assert with_lessons > delivered / 2
        assert count(EvaluationReturn) > delivered / 2
        assert 50 <= count(User, User.role == Role.SCHOOL) <= 90
        demo_school = db.session.scalar(select(User).where(User.email == "school@example.org"))
        assert demo_school is not None and demo_school.is_approved


def test_the_portal_s_reach_figures_agree_with_sums_over_the_rows(committing_app):
    assert committing_app.test_cli_runner().invoke(args=SMALL).exit_code == 0
    with committing_app.app_context():
        season_ids = db.session.scalars(select(Season.id).order_by(Season.id)).all()
        for period in (Period(), Period(season_id=season_ids[4]), Period(season_id=season_ids[-2])):
            reach = programme_reach(period, today())
            seen, schools = seen_by_sql(period)
            assert (reach.totals.seen_drama, reach.schools_reached) == (seen, schools)
            assert reach.totals.discussed_in_class == discussed_by_sql(period.season_id)
            assert sum(figures.seen_drama for figures in reach.by_year_group.values()) == seen
            assert sum(figures.discussed_in_class for figures in reach.by_district.values()) == (
                reach.totals.discussed_in_class
            )
        assert reach.totals.seen_drama > 0


def test_an_allocation_run_accepts_every_season_s_booked_performances(committing_app):
    """The instance an allocation run starts from pins the season's booked performances: the scheduler refuses the
    season if they break a hard rule among themselves (a cast at two schools too far apart for its day's slots)."""
    assert committing_app.test_cli_runner().invoke(args=SMALL).exit_code == 0
    with committing_app.app_context():
        seasons = db.session.scalars(select(Season).order_by(Season.starts_on)).all()
        pinned = 0
        for season in seasons[:-1]:  # the open season has no performances yet
            instance = build_instance(season)
            parse_instance(instance)  # InstanceError: "... (pinned performances contradict each other)"
            result = check(instance, {"format": "cse-tour-allocation/1", "performances": instance["pinned"]})
            assert result.ok, result.breaches[:3]
            pinned += len(instance["pinned"])
        assert pinned > 1500


def test_the_national_data_set_has_staff_training_whose_figures_add_up(committing_app):
    result = committing_app.test_cli_runner().invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    assert "Staff training: " in result.output
    with committing_app.app_context():
        completions = count(TrainingCompletion)
        imported = count(TrainingCompletion, TrainingCompletion.source_reference.is_not(None))
        at_sessions = count(TrainingCompletion, TrainingCompletion.booking_id.is_not(None))
        assert imported > at_sessions > 0 and imported + at_sessions == completions
        attended = select(TrainingBooking.id).where(TrainingBooking.status == "attended")
        assert count(TrainingCompletion, TrainingCompletion.booking_id.in_(attended)) == at_sessions
        people = select(TrainingCompletion.level, TrainingCompletion.email).distinct().subquery()
        counted = db.session.scalar(select(func.count()).select_from(people))
        reach = training_reach()  # as the dashboard reads it, after the command's flask reach rebuild
        assert reach == compute_training_reach()
        assert 0 < reach.staff_trained == counted < completions
        assert all(reach.totals.by_level.values())
        for table in (reach.by_agency, reach.by_role, reach.by_district, reach.by_month):
            assert sum(figures.total for figures in table.values()) == reach.staff_trained
        districts = set(db.session.scalars(select(School.district)))
        assert {name for name, figures in reach.by_district.items() if figures.total} <= districts
        first, latest = db.session.execute(select(func.min(Season.starts_on), func.max(Season.ends_on))).one()
        span = db.session.execute(
            select(func.min(TrainingCompletion.completed_on), func.max(TrainingCompletion.completed_on))
        ).one()
        # Over the tour's years so far (its first season began nearly four years ago).
        assert first <= span[0] and span[1] < today() and (span[1] - span[0]).days > 3 * 365


def test_the_national_data_set_is_only_loaded_into_an_empty_database(committing_app):
    runner = committing_app.test_cli_runner()
    assert runner.invoke(args=SMALL).exit_code == 0
    again = runner.invoke(args=SMALL)
    assert again.exit_code == 1
    assert "already has schools" in again.output
