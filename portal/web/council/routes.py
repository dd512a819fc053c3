"""Council officers: the approval queue, schools and their priorities, and read-only requests."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.models import Request, Role, User
from portal.services import accounts, audit, requests, schools
from portal.web.access import restrict_blueprint
from portal.web.council.forms import ApprovalForm, PriorityForm

bp = Blueprint("council", __name__, url_prefix="/council")
restrict_blueprint(bp, Role.COUNCIL)


@bp.get("/")
def home():
    return render_template(
        "council/home.html", title="Programme", pending=accounts.pending_school_users(), seasons=requests.open_seasons()
    )


@bp.get("/approvals")
def approvals():
    return render_template("council/approvals.html", title="Account approvals", pending=accounts.pending_school_users())


@bp.route("/approvals/<int:user_id>", methods=["GET", "POST"])
def approval_decide(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.SCHOOL:
        abort(404)
    form = ApprovalForm()
    if form.validate_on_submit():
        try:
            accounts.decide_approval(
                current_user, user, approve=form.decision.data == "approve", reason=form.reason.data or ""
            )
        except accounts.AccountError as error:
            getattr(form, error.field if error.field == "reason" else "decision").errors.append(error.message)
        else:
            flash(f"{user.full_name}’s account has been {user.approval_state.value}.", "success")
            return redirect(url_for("council.approvals"))
    return render_template("council/approval_decide.html", title="Approve or refuse an account", form=form, user=user)


@bp.get("/schools")
def schools_list():
    return render_template("council/schools_list.html", title="Schools", schools=schools.all_schools())


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
def school_detail(school_id: int):
    school = schools.get_school(school_id) or abort(404)
    form = PriorityForm(priority=school.priority)
    if form.validate_on_submit():
        schools.set_priority(current_user, school, form.priority.data)
        flash(f"Priority for {school.name} saved.", "success")
        return redirect(url_for("council.school_detail", school_id=school.id))
    staff = db.session.scalars(select(User).where(User.school_id == school.id).order_by(User.full_name, User.id))
    return render_template(
        "council/school_detail.html",
        title=school.name,
        school=school,
        form=form,
        staff=list(staff),
        school_requests=requests.school_requests(school),
    )


@bp.get("/requests/<int:request_id>")
def request_detail(request_id: int):
    request_ = db.session.get(Request, request_id) or abort(404)
    return render_template(
        "council/request_detail.html",
        title=f"Request for {request_.production.title}",
        request_=request_,
        history=audit.history("request", request_.id),
    )
