"""School staff: their school's requests and profile, and nothing of any other school's."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now, today
from portal.domain.requests import audience_cap, can_change_request, performances_needed
from portal.models import Role
from portal.services import audit, requests, schools
from portal.web.access import restrict_blueprint
from portal.web.request_forms import request_form_for, save_request_form
from portal.web.school.forms import ProfileForm, WithdrawForm

bp = Blueprint("school", __name__, url_prefix="/school")
restrict_blueprint(bp, Role.SCHOOL)


def own_request(request_id: int):
    request_ = requests.get_school_request(current_user.school_id, request_id)
    if request_ is None:
        abort(404)
    return request_


@bp.get("/")
def home():
    return render_template(
        "school/home.html",
        title="Your school",
        seasons=requests.open_seasons(),
        school_requests=requests.school_requests(current_user.school),
        today=today(),
    )


@bp.get("/requests")
def requests_list():
    return render_template(
        "school/requests_list.html",
        title="Your requests",
        school_requests=requests.school_requests(current_user.school),
    )


@bp.route("/seasons/<int:season_id>/requests/new", methods=["GET", "POST"])
def request_new(season_id: int):
    season = requests.get_open_season(season_id) or abort(404)
    if not can_change_request(season.request_deadline, today()):
        return render_template("school/season_closed.html", title="Requests have closed", season=season)
    form = request_form_for(season)
    school = current_user.school
    request_ = save_request_form(
        form,
        season,
        lambda draft: requests.submit_request(current_user, school, season, draft, today()),
        lambda made: url_for("school.request_detail", request_id=made.id),
    )
    if request_ is not None:
        flash("Your request has been sent to the theatre company.", "success")
        return redirect(url_for("school.request_detail", request_id=request_.id))
    return render_template(
        "school/request_form.html",
        title="Request a performance",
        form=form,
        season=season,
        school=school,
        back_url=url_for("school.home"),
    )


@bp.get("/requests/<int:request_id>")
def request_detail(request_id: int):
    request_ = own_request(request_id)
    production = request_.production
    cap = audience_cap(request_.school.hall_capacity, request_.staff_in_hall, production.audience_cap)
    return render_template(
        "school/request_detail.html",
        title=f"Request for {production.title}",
        request_=request_,
        cap=cap,
        needed=performances_needed(request_.pupils, cap),
        can_change=request_.status.value == "submitted"
        and can_change_request(request_.season.request_deadline, today()),
        history=audit.history("request", request_.id),
    )


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
def request_edit(request_id: int):
    request_ = own_request(request_id)
    season = request_.season
    form = request_form_for(season, request_)
    if (
        save_request_form(form, season, lambda draft: requests.update_request(current_user, request_, draft, today()))
        is not None
    ):
        flash("Your changes have been saved.", "success")
        return redirect(url_for("school.request_detail", request_id=request_.id))
    return render_template(
        "school/request_form.html",
        title="Change your request",
        form=form,
        season=season,
        request_=request_,
        school=request_.school,
        back_url=url_for("school.request_detail", request_id=request_.id),
    )


@bp.route("/requests/<int:request_id>/withdraw", methods=["GET", "POST"])
def request_withdraw(request_id: int):
    request_ = own_request(request_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            requests.withdraw_request(current_user, request_, today(), now())
        except requests.RequestError as error:
            flash(next(iter(error.problems.values())), "error")
        else:
            flash("Your request has been withdrawn.", "success")
        return redirect(url_for("school.request_detail", request_id=request_.id))
    return render_template("school/request_withdraw.html", title="Withdraw your request", form=form, request_=request_)


@bp.route("/profile", methods=["GET", "POST"])
def profile():
    school = current_user.school
    form = ProfileForm(obj=school)
    if form.validate_on_submit():
        schools.update_profile(current_user, school, address=form.address.data, hall_capacity=form.hall_capacity.data)
        flash("Your school’s details have been saved.", "success")
        return redirect(url_for("school.profile"))
    return render_template("school/profile.html", title="School profile", form=form, school=school)
