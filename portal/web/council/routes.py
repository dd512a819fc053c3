"""Council officers: the approval queue, schools and their priorities, and read-only requests."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import today
from portal.models import Role
from portal.services import (
    account_lists,
    accounts,
    invitations,
    lapses,
    performance_queries,
    performances,
    requests,
    school_lists,
    schools,
    todos,
)
from portal.services import seasons as season_service
from portal.services.history import record_history
from portal.web.access import found_or_404, restrict_blueprint
from portal.web.council.forms import ApprovalForm, ConfirmForBehalfForm, CostForm, PriorityForm
from portal.web.fields import show_refusal
from portal.web.list_search import list_asked, list_context, list_search_form
from portal.web.schedule_view import schedule_context
from portal.web.todos import about_to_lapse_page, task_list

bp = Blueprint("council", __name__, url_prefix="/council")
restrict_blueprint(bp, Role.COUNCIL)


@bp.get("/")
def home():
    lapsing = lapses.lapse_dates(today())
    todo = todos.council_todo(today(), lapsing)
    return render_template(
        "council/home.html",
        title="Programme",
        seasons=requests.open_seasons(),
        lapsing=about_to_lapse_page(today(), len(lapsing)),
        tasks=task_list(todo, today()),
        banners=todo.banners,
    )


@bp.get("/approvals")
def approvals():
    form = list_search_form("Search by name, email, school or URN", account_lists.APPROVAL_SORTS)
    listing = account_lists.pending_approvals(list_asked(form))
    return render_template(
        "council/approvals.html",
        title="Account approvals",
        inviters=invitations.inviters(listing.rows),
        **list_context(form, listing, "council.approvals"),
    )


@bp.route("/approvals/<int:user_id>", methods=["GET", "POST"])
def approval_decide(user_id: int):
    user = found_or_404(accounts.get_school_user(user_id))
    form = ApprovalForm()
    if form.validate_on_submit():
        try:
            accounts.decide_approval(
                current_user, user, approve=form.decision.data == "approve", reason=form.reason.data or ""
            )
        except accounts.AccountError as error:
            show_refusal(form, error, fallback="decision")
        else:
            flash(f"{user.full_name}’s account has been {user.approval_state.value}.", "success")
            return redirect(url_for("council.approvals"))
    return render_template(
        "council/approval_decide.html",
        title="Approve or refuse an account",
        form=form,
        user=user,
        invited_by=invitations.inviters([user]).get(user.id),
    )


@bp.get("/schools")
def schools_list():
    form = list_search_form("Search by school name, URN, town or district", school_lists.SORTS)
    listing = school_lists.schools(list_asked(form))
    return render_template(
        "council/schools_list.html", title="Schools", **list_context(form, listing, "council.schools_list")
    )


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
def school_detail(school_id: int):
    school = found_or_404(schools.get_school(school_id))
    form = PriorityForm(priority=school.priority)
    if form.validate_on_submit():
        schools.set_priority(current_user, school, form.priority.data)
        flash(f"Priority for {school.name} saved.", "success")
        return redirect(url_for("council.school_detail", school_id=school.id))
    school_requests = requests.school_requests(school)
    return render_template(
        "council/school_detail.html",
        title=school.name,
        school=school,
        form=form,
        staff=accounts.school_staff(school.id),
        school_requests=school_requests,
        stages=todos.request_stages(school_requests),
        seasons=requests.open_seasons(),
        today=today(),
    )


@bp.get("/requests/<int:request_id>")
def request_detail(request_id: int):
    request_ = found_or_404(requests.get_request(request_id))
    return render_template(
        "council/request_detail.html",
        title=f"Request for {request_.production.title}",
        request_=request_,
        history=record_history("request", request_.id),
        can_change=request_.changeable_on(today()),
        stage=todos.request_stages([request_])[request_.id],
    )


@bp.get("/seasons")
def seasons_list():
    return render_template(
        "council/seasons_list.html",
        title="Seasons",
        seasons=season_service.all_seasons(),
        form=None,
        cost_form=CostForm(),
    )


@bp.post("/seasons/<int:season_id>/cost")
def season_cost(season_id: int):
    """The council records what a season costs, for the cost per pupil reached."""
    season = found_or_404(season_service.get_season(season_id))
    form = CostForm()
    if form.validate_on_submit():
        season_service.set_cost(current_user, season, round(form.cost.data * 100))
        flash(f"Cost of {season.name} saved.", "success")
    else:
        flash(next(iter(form.errors.values()))[0], "error")
    return redirect(url_for("council.seasons_list"))


@bp.get("/seasons/<int:season_id>/schedule")
def schedule(season_id: int):
    """The tour schedule, read-only."""
    season = found_or_404(season_service.get_season(season_id))
    return render_template("council/schedule.html", **schedule_context(season))


@bp.get("/performances/<int:performance_id>")
def performance_detail(performance_id: int):
    performance = found_or_404(performance_queries.get_performance(performance_id))
    return render_template(
        "council/performance_detail.html",
        title=f"Performance at {performance.school.name}",
        performance=performance,
        history=record_history("performance", performance.id),
        awaiting=performances.awaiting_confirmation(performance, today()),
        confirm_form=ConfirmForBehalfForm(),
    )
