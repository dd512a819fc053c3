"""Council officers make or change a request on a school's behalf, in the same steps as the school's own staff."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from portal.clock import today
from portal.domain.requests import request_reference
from portal.services import requests, schools
from portal.web.access import found_or_404
from portal.web.council.routes import bp
from portal.web.request_steps import RequestSteps, steps_for_change, steps_for_new_request


def new_request_steps(school_id: int, season_id: int) -> RequestSteps:
    school = found_or_404(schools.get_school(school_id))
    season = found_or_404(requests.get_open_season(season_id))
    back_url = url_for("council.school_detail", school_id=school.id)
    return steps_for_new_request(season, school, "council", back_url)


@bp.route("/schools/<int:school_id>/seasons/<int:season_id>/requests/new", methods=["GET", "POST"])
def request_new(school_id: int, season_id: int):
    """A council officer makes a request on a school's behalf (recorded as such)."""
    return new_request_steps(school_id, season_id).form_step(today())


@bp.route("/schools/<int:school_id>/seasons/<int:season_id>/requests/new/preferred-dates", methods=["GET", "POST"])
def request_new_preferred(school_id: int, season_id: int):
    return new_request_steps(school_id, season_id).preferred_step()


@bp.route("/schools/<int:school_id>/seasons/<int:season_id>/requests/new/check", methods=["GET", "POST"])
def request_new_check(school_id: int, season_id: int):
    return new_request_steps(school_id, season_id).send_step(current_user, today())


@bp.get("/requests/<int:request_id>/sent")
def request_sent(request_id: int):
    request_ = found_or_404(requests.get_request(request_id))
    return render_template(
        "school/request_sent.html",
        title="Request sent",
        request_=request_,
        reference=request_reference(request_.id),
        detail_endpoint="council.request_detail",
        home_url=url_for("council.school_detail", school_id=request_.school_id),
        home_text=f"Back to {request_.school.name}",
        on_behalf=True,
    )


def change_steps(request_id: int) -> RequestSteps:
    request_ = found_or_404(requests.get_request(request_id))
    return steps_for_change(
        request_,
        "council",
        "Change the request",
        "The request has been changed. It is marked as changed by the council.",
    )


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
def request_edit(request_id: int):
    """A council officer changes a request for a school, until the season's deadline."""
    return change_steps(request_id).form_step(today())


@bp.route("/requests/<int:request_id>/edit/preferred-dates", methods=["GET", "POST"])
def request_edit_preferred(request_id: int):
    return change_steps(request_id).preferred_step()


@bp.route("/requests/<int:request_id>/edit/check", methods=["GET", "POST"])
def request_edit_check(request_id: int):
    return change_steps(request_id).save_step(current_user, today())
