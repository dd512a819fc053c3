"""Reach dashboard: seen the drama and discussed in class against the target, by period, with CSV for each table."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from portal.clock import today
from portal.domain.numbers import whole_number
from portal.domain.reach import Period, projection, running_totals
from portal.models import Role
from portal.services import reach as reach_service
from portal.services import seasons, settings
from portal.services.training_reach import training_period, training_reach
from portal.web.access import restrict_blueprint
from portal.web.fields import database_id, parse_iso_date
from portal.web.reach.chart import progress_chart
from portal.web.reach.drawn import DASHBOARD_FIGURES
from portal.web.reach.forms import TargetForm

bp = Blueprint("reach", __name__, url_prefix="/reach")
restrict_blueprint(bp, Role.COUNCIL, Role.ADMIN)


def period_from_args() -> tuple[Period, list[str]]:
    """The period in the query string, and a message for each part that could not be read."""
    problems = []
    season_id = database_id(request.args.get("season", type=whole_number)) if request.args.get("season") else None
    if request.args.get("season") and (season_id is None or seasons.get_season(season_id) is None):
        problems.append("Select a season from the list")
        season_id = None
    start, end = parse_iso_date(request.args.get("from")), parse_iso_date(request.args.get("to"))
    if request.args.get("from") and start is None or request.args.get("to") and end is None:
        problems.append("Dates must be real dates, like 2027-01-31")
    if start and end and start > end:
        problems.append("The start date must be on or before the end date")
        start = end = None
    return Period(season_id, start, end), problems


def period_arguments(period: Period) -> dict:
    """The period as the address gives it, for links that keep it (None: not in the address)."""
    dates = {"from": period.start, "to": period.end}
    return {"season": period.season_id} | {name: day.isoformat() for name, day in dates.items() if day}


def figures_html(period: Period) -> Markup:
    """The dashboard's figures as HTML; the tables that list schools have pages of their own
    (portal.web.reach.schools). Drawn once for the same stored figures (portal.web.reach.drawn)."""
    reach, pipeline = reach_service.programme(period, today())
    evaluation = reach_service.evaluation_summary(period)
    training = training_reach(*training_period(period.season_id, period.start, period.end))
    cost = reach_service.cost_per_pupil(period, reach.totals.seen_drama)

    def draw() -> str:
        totals = running_totals(reach.by_month, today(), period.end)
        forecast = projection(reach.by_month, reach.target, today())
        return render_template(
            "reach/dashboard_figures.html",
            period_arguments=period_arguments(period),
            reach=reach,
            months=totals,
            forecast=forecast,
            chart=progress_chart(totals, reach.target, today(), forecast["per_month"]),
            pipeline=pipeline,
            evaluation=evaluation,
            cost=cost,
            training=training,
        )

    extra = (period, today(), tuple(sorted(cost.items())))
    return DASHBOARD_FIGURES.html((reach, pipeline, evaluation, training), extra, draw)


@bp.get("/")
def dashboard():
    period, problems = period_from_args()
    for problem in problems:
        flash(problem, "error")
    return render_template(
        "reach/dashboard.html",
        title="Reach of the programme",
        period=period,
        seasons=seasons.all_seasons(),
        target_form=TargetForm(target=settings.reach_target()),
        figures_html=figures_html(period),
    )


def save_target(form: FlaskForm, setting: str, saved: str, back: str):
    """Council officers set a target (administrators read the figures only); `saved` names it, with {:,} for it."""
    if current_user.role != Role.COUNCIL:
        abort(403)
    if form.validate_on_submit():
        settings.set_setting(current_user, setting, str(form.target.data))
        flash(saved.format(form.target.data), "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(back)


@bp.post("/target")
def target():
    return save_target(TargetForm(), "reach_target", "The target is now {:,} pupils.", url_for("reach.dashboard"))
