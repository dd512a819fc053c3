"""Council officers: requests and performances across every school, a season at a time, searched and sorted."""

from __future__ import annotations

from flask import render_template

from portal.services import programme_lists, todos
from portal.services import seasons as season_service
from portal.web.council.forms import ProgrammeSearchForm
from portal.web.council.routes import bp
from portal.web.list_search import list_asked, list_context, list_search_form

SEARCH_LABEL = "Search by school name, URN, town or district"


@bp.get("/requests")
def requests_list():
    label = SEARCH_LABEL.replace(" or district", ", district or reference")
    form = list_search_form(label, programme_lists.REQUEST_SORTS, ProgrammeSearchForm)
    season_id = form.season_asked(season_service.all_seasons())
    listing = programme_lists.requests(list_asked(form), season_id)
    return render_template(
        "council/requests_list.html",
        title="Requests",
        stages=todos.request_stages(listing.rows),
        **list_context(form, listing, "council.requests_list", season=form.season.data),
    )


@bp.get("/performances")
def performances_list():
    form = list_search_form(SEARCH_LABEL, programme_lists.PERFORMANCE_SORTS, ProgrammeSearchForm)
    seasons = season_service.all_seasons()
    season_id = form.season_asked(seasons, programme_lists.latest_touring_season())
    status = form.status_asked()
    listing = programme_lists.performances(list_asked(form), season_id, status)
    arguments = {"season": form.season.data, "status": status.value if status else None}
    return render_template(
        "council/performances_list.html",
        title="Performances",
        **list_context(form, listing, "council.performances_list", **arguments),
    )
