"""Cached reach figures follow every write that changes a count at once, survive no rollback, and rebuild."""

import re
from datetime import date, timedelta

import pytest
from flask import render_template
from sqlalchemy import func, select, text

from portal.clock import today
from portal.domain.reach import Period
from portal.extensions import db
from portal.jobs import warm_reach_figures
from portal.models import PerformanceStatus, ReachFigures, Role
from portal.services import deliveries, lessons, performances, reach, reach_cache
from portal.services.settings import set_setting
from portal.web.reach import routes as reach_routes
from tests.factories import make_performance, make_request, make_school, make_user


def seen(period: Period = Period()) -> int:
    return reach.programme_reach(period, today()).totals.seen_drama


@pytest.fixture
def confirmed(session):
    request_ = make_request(make_school(district="Cherwell"), year_groups={8: 60, 9: 60})
    performance = make_performance(request_, status=PerformanceStatus.CONFIRMED, day=today() - timedelta(days=1))
    return performance


def test_recording_correcting_and_cancelling_change_the_figures_at_once(confirmed, session):
    company = make_user(Role.COMPANY)
    planned_before = reach.programme_reach(Period(), today() - timedelta(days=5)).totals.planned
    assert seen() == 0 and planned_before == confirmed.pupils_planned
    performances.record_delivery(company, confirmed, {8: 40, 9: 30}, 0, today())
    assert seen() == 70
    assert reach.programme_reach(Period(), today() - timedelta(days=5)).totals.planned == 0
    assert [school.id for school in reach.schools_not_reached(Period())] == []
    deliveries.correct_delivery(company, confirmed, {8: 40, 9: 25}, 0, "Miscounted Year 9")
    assert seen() == 65
    school = make_user(Role.SCHOOL, school=confirmed.request.school)
    details = lessons.LessonDetails(today(), 8, 38, None, "")
    lessons.record_lesson(school, confirmed, details, today())
    assert reach.programme_reach(Period(), today()).totals.discussed_in_class == 38
    assert reach.programme_pipeline(Period(), today()).totals.discussed == 38
    lessons.save_evaluation(
        school,
        confirmed,
        {
            "respondents": 20,
            "confident_before": 5,
            "confident_after": 15,
            "know_help_before": 6,
            "know_help_after": 18,
            "staff_rating": 4,
        },
    )
    assert reach.evaluation_summary(Period())["overall"]["respondents"] == 20


def test_declining_and_cancelling_take_pupils_out_of_the_plan(session):
    request_ = make_request(make_school(), year_groups={9: 60})
    later = today() + timedelta(days=10)
    provisional = make_performance(request_, day=later)
    assert reach.programme_reach(Period(), today()).provisional == provisional.pupils_planned
    performances.decline_performance(make_user(Role.SCHOOL, school=request_.school), provisional, "Exams that week")
    assert reach.programme_reach(Period(), today()).provisional == 0
    other = make_request(make_school(), year_groups={9: 60})
    booked = make_performance(other, status=PerformanceStatus.CONFIRMED, day=later)
    assert reach.programme_reach(Period(), today()).totals.planned == booked.pupils_planned
    performances.cancel_performance(make_user(Role.COMPANY), booked, "The cast is ill")
    assert reach.programme_reach(Period(), today()).totals.planned == 0


def test_a_changed_target_and_school_count_show_at_once(session):
    council = make_user(Role.COUNCIL)
    set_setting(council, "reach_target", "12345")
    assert reach.programme_reach(Period(), today()).target == 12345
    before = reach.programme_reach(Period(), today()).schools_total
    make_school()
    assert reach.programme_reach(Period(), today()).schools_total == before + 1


def test_a_repeated_view_reads_the_cache_and_a_count_change_moves_the_version(confirmed, session):
    seen()
    version = reach_cache.current_version()
    stored = session.scalar(select(ReachFigures.body).where(ReachFigures.key == "programme:::"))
    assert stored is not None and reach_cache.current_version() == version
    confirmed.lapse_warned_at = None  # not a count
    confirmed.status_reason = "no change to any figure"
    session.flush()
    assert reach_cache.current_version() == version
    confirmed.pupils_planned += 1
    session.flush()
    assert reach_cache.current_version() == version + 1


def test_the_dashboard_and_api_answer_from_the_cache_and_follow_writes(confirmed, login_as):
    council = login_as(Role.COUNCIL)
    assert council.get("/api/v1/reach").get_json()["seen_drama"] == 0
    assert council.get("/reach/").status_code == 200
    performances.record_delivery(make_user(Role.COMPANY), confirmed, {8: 50, 9: 10}, 0, today())
    db.session.flush()  # the requests read through sessions of their own
    assert council.get("/api/v1/reach").get_json()["seen_drama"] == 60
    assert "60" in council.get("/reach/export/totals.csv").get_data(as_text=True)


SEEN_FIGURE = re.compile(r'font-weight-bold">([\d,]+)</span><br>pupils have seen the drama')


def test_the_dashboard_draws_its_figures_once_until_a_write_changes_them(confirmed, login_as, monkeypatch):
    drawn = []

    def counting(template, **context):
        drawn.extend([template] if template == "reach/dashboard_figures.html" else [])
        return render_template(template, **context)

    monkeypatch.setattr(reach_routes, "render_template", counting)
    council = login_as(Role.COUNCIL)
    pages = [council.get("/reach/").get_data(as_text=True) for _ in range(3)]
    assert [SEEN_FIGURE.search(page).group(1) for page in pages] == ["0", "0", "0"]
    assert len(drawn) == 1
    performances.record_delivery(make_user(Role.COMPANY), confirmed, {8: 50, 9: 10}, 0, today())
    db.session.flush()
    assert SEEN_FIGURE.search(council.get("/reach/").get_data(as_text=True)).group(1) == "60"
    assert len(drawn) == 2
    assert SEEN_FIGURE.search(council.get(f"/reach/?season={confirmed.season_id}").get_data(as_text=True))
    assert len(drawn) == 3  # another period is drawn on its own


def test_a_rolled_back_write_leaves_no_stale_figures(committing_app):
    with committing_app.app_context():
        request_ = make_request(make_school(), year_groups={9: 60})
        performance = make_performance(request_, status=PerformanceStatus.CONFIRMED, day=date(2026, 1, 5))
        db.session.commit()
        assert seen() == 0
        performances.record_delivery(make_user(Role.COMPANY), performance, {9: 44}, 0, date(2026, 1, 6))
        assert seen() == 44  # inside the transaction, figures computed and stored under its own version
        db.session.rollback()
        assert seen() == 0
        db.session.commit()
        performance = db.session.get(type(performance), performance.id)
        performances.record_delivery(make_user(Role.COMPANY), performance, {9: 41}, 0, date(2026, 1, 6))
        db.session.commit()
        assert seen() == 41
        db.session.commit()


def test_reach_rebuild_recomputes_every_season_from_the_rows(app, session, confirmed):
    performances.record_delivery(make_user(Role.COMPANY), confirmed, {8: 40, 9: 30}, 0, today())
    assert seen() == 70
    session.execute(ReachFigures.__table__.update().values(body='{"tampered": true}'))
    periods = reach.rebuild(today())
    assert periods >= 2
    assert seen() == 70 and seen(Period(season_id=confirmed.season_id)) == 70
    assert session.scalar(select(func.count()).select_from(ReachFigures)) >= 3 * periods


def test_flask_reach_rebuild_reports_what_it_computed(app, session, confirmed):
    result = app.test_cli_runner().invoke(args=["reach", "rebuild"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Reach figures rebuilt: all seasons and ")
    assert session.scalar(select(func.count()).select_from(ReachFigures)) >= 3


def test_flask_reach_rebuild_gives_the_query_planner_the_tables_sizes(app, session, confirmed):
    """Every bulk load ends in a rebuild: without statistics SQLite sorts every performance for a list in school
    order instead of walking the schools' name index."""
    assert app.test_cli_runner().invoke(args=["reach", "rebuild"]).exit_code == 0
    if session.bind.dialect.name == "sqlite":
        statistics = "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'performances'"
    else:
        statistics = "SELECT count(*) FROM pg_stats WHERE tablename = 'performances'"
    assert session.scalar(text(statistics)) > 0


def test_the_minute_job_computes_the_figures_a_change_has_made_stale(app, session, confirmed):
    performances.record_delivery(make_user(Role.COMPANY), confirmed, {8: 40, 9: 30}, 0, today())
    session.flush()
    version = reach_cache.current_version()
    key = reach_cache.period_key("programme", Period())
    current = select(func.count()).where(ReachFigures.key == key, ReachFigures.version == version)
    assert session.scalar(current) == 0
    looked_at = warm_reach_figures()
    assert looked_at >= 2  # all seasons, and the season of the performance, not yet over
    assert session.scalar(current) == 1
    assert warm_reach_figures() == looked_at and reach_cache.current_version() == version  # nothing recomputed
    assert seen() == 70
