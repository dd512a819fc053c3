"""A season's requests as the company sees them before it runs the scheduler, and each request read-only."""

from __future__ import annotations

import flask
from flask import render_template

from portal.domain.requests import audience_cap, performances_needed, request_reference
from portal.services import request_lists, requests, seasons, todos
from portal.services.history import record_history
from portal.web.access import found_or_404
from portal.web.company.blueprint import bp
from portal.web.company.forms import RequestSearchForm
from portal.web.pagination import pagination


@bp.get("/seasons/<int:season_id>/requests")
def season_requests(season_id: int):
    season = found_or_404(seasons.get_season(season_id))
    form = RequestSearchForm(flask.request.args)
    listing = request_lists.season_requests(
        season, form.q.data or "", form.sort.data or "", flask.request.args.get("page", 1, type=int)
    )
    return render_template(
        "company/season_requests.html",
        title=f"Requests for {season.name}",
        season=season,
        search_form=form,
        listing=listing,
        stages=todos.request_stages(listing.rows),
        pagination=pagination(
            listing.pages, "company.season_requests", season_id=season.id, q=listing.search, sort=listing.sort
        ),
    )


@bp.get("/requests/<int:request_id>")
def request_detail(request_id: int):
    """A request as the scheduler reads it, with the school's contact details for the tour."""
    request = found_or_404(requests.get_request(request_id))
    cap = audience_cap(request.school.hall_capacity, request.staff_in_hall, request.production.audience_cap)
    return render_template(
        "company/request_detail.html",
        title=f"Request from {request.school.name}",
        request_=request,
        reference=request_reference(request.id),
        cap=cap,
        needed=performances_needed(request.pupils, cap),
        performances=request_lists.request_performances(request),
        stage=todos.request_stages([request])[request.id],
        history=record_history("request", request.id),
    )
