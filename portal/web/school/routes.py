"""School staff: their school's requests and profile, and nothing of any other school's."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now, today
from portal.domain.requests import audience_cap, can_change_request, performances_needed, request_reference
from portal.models import Role
from portal.services import invitations, preview_readiness, requests, schools, todos
from portal.services.history import record_history
from portal.web.access import found_or_404, restrict_blueprint
from portal.web.request_steps import RequestSteps, steps_for_change, steps_for_new_request
from portal.web.school.forms import ProfileForm, WithdrawForm
from portal.web.todos import task_list

bp = Blueprint("school", __name__, url_prefix="/school")
restrict_blueprint(bp, Role.SCHOOL)


def own_request(request_id: int):
    return found_or_404(requests.get_school_request(current_user.school_id, request_id))


@bp.get("/")
def home():
    school_requests = requests.school_requests(current_user.school)
    seasons = requests.open_seasons()
    todo = todos.school_todo(current_user.school, today(), school_requests, seasons)
    return render_template(
        "school/home.html",
        title="Your school",
        seasons=seasons,
        school_requests=school_requests,
        stages=todos.request_stages(school_requests),
        tasks=task_list(todo, today()),
        banners=todo.banners,
        today=today(),
        readiness=preview_readiness.staff_readiness(current_user.school, today()),
    )


@bp.get("/requests")
def requests_list():
    school_requests = requests.school_requests(current_user.school)
    return render_template(
        "school/requests_list.html",
        title="Your requests",
        school_requests=school_requests,
        stages=todos.request_stages(school_requests),
    )


def new_request_steps(season_id: int) -> RequestSteps:
    """The steps of a new request in an open season; once its deadline has passed, a page that says so."""
    season = found_or_404(requests.get_open_season(season_id))
    if not can_change_request(season.request_deadline, today()):
        abort(make_response(render_template("school/season_closed.html", title="Requests have closed", season=season)))
    return steps_for_new_request(season, current_user.school, "school", url_for("school.home"))


@bp.route("/seasons/<int:season_id>/requests/new", methods=["GET", "POST"])
def request_new(season_id: int):
    return new_request_steps(season_id).form_step(today())


@bp.route("/seasons/<int:season_id>/requests/new/preferred-dates", methods=["GET", "POST"])
def request_new_preferred(season_id: int):
    return new_request_steps(season_id).preferred_step()


@bp.route("/seasons/<int:season_id>/requests/new/check", methods=["GET", "POST"])
def request_new_check(season_id: int):
    return new_request_steps(season_id).send_step(current_user, today())


@bp.get("/requests/<int:request_id>/sent")
def request_sent(request_id: int):
    """The confirmation page: the request's reference, and what happens next."""
    request_ = own_request(request_id)
    return render_template(
        "school/request_sent.html",
        title="Request sent",
        request_=request_,
        reference=request_reference(request_.id),
        detail_endpoint="school.request_detail",
        home_url=url_for("school.home"),
        home_text="Back to your school’s page",
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
        can_change=request_.changeable_on(today()),
        history=record_history("request", request_.id),
        stage=todos.request_stages([request_])[request_.id],
    )


def change_steps(request_id: int) -> RequestSteps:
    return steps_for_change(own_request(request_id), "school", "Change your request", "Your changes have been saved.")


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
def request_edit(request_id: int):
    return change_steps(request_id).form_step(today())


@bp.route("/requests/<int:request_id>/edit/preferred-dates", methods=["GET", "POST"])
def request_edit_preferred(request_id: int):
    return change_steps(request_id).preferred_step()


@bp.route("/requests/<int:request_id>/edit/check", methods=["GET", "POST"])
def request_edit_check(request_id: int):
    return change_steps(request_id).save_step(current_user, today())


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
        schools.update_profile(
            current_user,
            school,
            address=form.address.data,
            office_phone=form.office_phone.data,
            hall_capacity=form.hall_capacity.data,
        )
        flash("Your school’s details have been saved.", "success")
        return redirect(url_for("school.profile"))
    return render_template(
        "school/profile.html", title="School profile", form=form, school=school, staff=invitations.colleagues(school)
    )
