"""Reach dashboard: seen the drama and discussed in class against the target, by period, with CSV for each table."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.clock import today
from portal.domain.csv_files import csv_bytes
from portal.domain.numbers import whole_number
from portal.domain.pipeline import STEPS
from portal.domain.reach import Period, projection, running_totals
from portal.models import Role
from portal.services import reach as reach_service
from portal.services import seasons, settings
from portal.web.access import restrict_blueprint
from portal.web.fields import database_id, parse_iso_date
from portal.web.reach.chart import progress_chart
from portal.web.reach.forms import TargetForm

bp = Blueprint("reach", __name__, url_prefix="/reach")
restrict_blueprint(bp, Role.COUNCIL, Role.ADMIN)

EXPORTS = (
    "totals",
    "districts",
    "schools",
    "year-groups",
    "months",
    "not-reached",
    "evaluation",
    "pipeline-districts",
    "pipeline-schools",
)


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


def dashboard_figures(period: Period) -> dict:
    reach, pipeline = reach_service.programme(period, today())
    totals = running_totals(reach.by_month, today(), period.end)
    forecast = projection(reach.by_month, reach.target, today())
    names = reach_service.school_names()
    return {
        "reach": reach,
        "months": totals,
        "forecast": forecast,
        "chart": progress_chart(totals, reach.target, today(), forecast["per_month"]),
        "pipeline": pipeline,
        "pipeline_schools": sorted(pipeline.by_school.items(), key=lambda item: (names[item[0]].name, item[0])),
        "not_reached": reach_service.schools_not_reached(period),
        "evaluation": reach_service.evaluation_summary(period),
        "cost": reach_service.cost_per_pupil(period, reach.totals.seen_drama),
        "school_names": names,
    }


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
        today=today(),
        **dashboard_figures(period),
    )


@bp.post("/target")
def target():
    if current_user.role != Role.COUNCIL:
        abort(403)
    form = TargetForm()
    if form.validate_on_submit():
        settings.set_setting(current_user, "reach_target", str(form.target.data))
        flash(f"The target is now {form.target.data:,} pupils.", "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("reach.dashboard"))


@bp.get("/export/<table>.csv")
def export(table: str):
    if table not in EXPORTS:
        abort(404)
    period, problems = period_from_args()
    if problems:
        abort(400)
    header, rows = export_rows(table, dashboard_figures(period))
    response = Response(csv_bytes(header, rows), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="reach-{table}-{date.today():%Y%m%d}.csv"'
    return response


def export_rows(table: str, figures: dict) -> tuple[list[str], list[list]]:
    """The rows of one dashboard table, aggregates only: no contact details ever leave in an export."""
    reach = figures["reach"]
    split = ["seen_drama", "discussed_in_class", "planned"]

    def values(f) -> list[int]:
        return [f.seen_drama, f.discussed_in_class, f.planned]

    if table == "totals":
        t = reach.totals
        return ["target", *split, "schools_reached", "schools_total", "provisional"], [
            [reach.target, *values(t), reach.schools_reached, reach.schools_total, reach.provisional]
        ]
    if table == "pipeline-districts":
        return ["district", *STEPS], [
            [name, *steps.values()] for name, steps in figures["pipeline"].by_district.items()
        ]
    if table == "pipeline-schools":
        names = figures["school_names"]
        rows = [
            [names[i].urn, names[i].name, names[i].district, *steps.values()]
            for i, steps in figures["pipeline_schools"]
        ]
        return ["urn", "school", "district", *STEPS], rows
    if table == "districts":
        return ["district", *split], [[name, *values(f)] for name, f in reach.by_district.items()]
    if table == "schools":
        names = figures["school_names"]
        rows = [[names[i].urn, names[i].name, names[i].district, *values(f)] for i, f in reach.by_school.items()]
        return ["urn", "school", "district", *split], rows
    if table == "year-groups":
        return ["year_group", "seen_drama", "discussed_in_class"], [
            [year, f.seen_drama, f.discussed_in_class] for year, f in reach.by_year_group.items()
        ]
    if table == "months":
        return ["month", *split], [[month, *values(f)] for month, f in reach.by_month.items()]
    if table == "not-reached":
        return ["urn", "school", "district", "priority"], [
            [s.urn, s.name, s.district, s.priority] for s in figures["not_reached"]
        ]
    evaluation = figures["evaluation"]
    names = [
        "returns",
        "respondents",
        "confident_before",
        "confident_after",
        "know_help_before",
        "know_help_after",
        "staff_rating",
    ]
    rows = [["overall", "", *[evaluation["overall"][n] for n in names]]]
    rows += [["district", d, *[s[n] for n in names]] for d, s in evaluation["by_district"].items()]
    rows += [["school", d, *[s[n] for n in names]] for d, s in evaluation["by_school"].items()]
    return ["level", "name", *names], rows
