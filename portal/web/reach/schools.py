"""The reach tables that list schools, each on pages of its own one link from the dashboard: figures by school, the
pipeline by school and schools not reached, searched by school name, URN, town or district and sorted by the columns
officers compare, for the dashboard's period."""

from __future__ import annotations

from flask import flash, render_template

from portal.clock import today
from portal.domain.reach_lists import FIGURE_SORTS, NOT_REACHED_SORTS, PIPELINE_SORTS
from portal.services import reach_lists, seasons
from portal.web.list_search import list_asked, list_context, list_search_form
from portal.web.reach.forms import SchoolListForm
from portal.web.reach.routes import bp, period_arguments, period_from_args

SEARCH_LABEL = "Search by school name, URN, town or district"


def school_list(endpoint: str, sorts: dict[str, str], title: str, read, label: str = SEARCH_LABEL) -> str:
    """One page of a reach table of schools (or districts): `read(period, asked)` gives the listing."""
    form = list_search_form(label, sorts, SchoolListForm)
    period, problems = period_from_args()
    for problem in problems:
        flash(problem, "error")
    listing = read(period, list_asked(form))
    form.show_period(period, seasons.all_seasons())
    arguments = period_arguments(period)
    return render_template(
        f"reach/{endpoint}.html",
        title=title,
        period_arguments=arguments,
        **list_context(form, listing, f"reach.{endpoint}", **arguments),
    )


@bp.get("/schools")
def schools():
    return school_list(
        "schools", FIGURE_SORTS, "Reach by school", lambda p, asked: reach_lists.school_figures(p, today(), asked)
    )


@bp.get("/pipeline-schools")
def pipeline_schools():
    read = lambda p, asked: reach_lists.school_pipeline(p, today(), asked)  # noqa: E731
    return school_list("pipeline_schools", PIPELINE_SORTS, "Pipeline by school", read)


@bp.get("/not-reached")
def not_reached():
    return school_list("not_reached", NOT_REACHED_SORTS, "Schools not reached yet", reach_lists.not_reached)
