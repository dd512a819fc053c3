"""Administrators: user accounts (roles, deactivation)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now, today
from portal.models import Role
from portal.services import account_lists, accounts, invitations, schools, second_factor, todos
from portal.web.access import found_or_404, restrict_blueprint
from portal.web.admin.forms import ROLE_LABELS, ActiveForm, RoleForm, UserSearchForm
from portal.web.fields import show_refusal
from portal.web.list_search import list_asked, list_context, list_search_form
from portal.web.sessions import fresh_login_required
from portal.web.todos import task_list

bp = Blueprint("admin", __name__, url_prefix="/admin")
restrict_blueprint(bp, Role.ADMIN)


@bp.get("/")
def home():
    form = list_search_form("Search by email, name, school or URN", account_lists.USER_SORTS, UserSearchForm)
    role = form.chosen_role()
    listing = account_lists.users(list_asked(form), role)
    todo = todos.admin_todo(current_app.config["SECOND_FACTOR_ROLES"])
    return render_template(
        "admin/home.html",
        title="Users",
        role_labels=ROLE_LABELS,
        invited=invitations.pending_ids(listing.rows),
        tasks=task_list(todo, today()),
        **list_context(form, listing, "admin.home", role=role.value if role else None),
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@fresh_login_required
def user_detail(user_id: int):
    user = found_or_404(accounts.get_user(user_id))
    form = RoleForm(role=user.role.value, school=user.school.label if user.school else "")
    if form.validate_on_submit():
        school = schools.find_school(form.school.data or "") if form.role.data == Role.SCHOOL.value else None
        try:
            accounts.change_role(current_user, user, Role(form.role.data), school, now())
        except accounts.AccountError as error:
            show_refusal(form, error)
        else:
            flash(f"{user.email} is now {ROLE_LABELS[user.role].lower()}.", "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template(
        "admin/user_detail.html",
        title=user.email,
        user=user,
        form=form,
        active_form=ActiveForm(),
        role_labels=ROLE_LABELS,
        invitation_pending=invitations.is_pending(user),
    )


@bp.post("/users/<int:user_id>/active")
@fresh_login_required
def user_active(user_id: int):
    user = found_or_404(accounts.get_user(user_id))
    form = ActiveForm()
    if form.validate_on_submit():
        try:
            accounts.set_active(current_user, user, not user.active, now())
        except accounts.AccountError as error:
            flash(error.message, "error")
        else:
            flash(f"{user.email} has been {'reactivated' if user.active else 'deactivated'}.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/second-factor/reset")
@fresh_login_required
def user_second_factor_reset(user_id: int):
    user = found_or_404(accounts.get_user(user_id))
    if user.id == current_user.id or user.totp_enabled_at is None:
        abort(404)
    if ActiveForm().validate_on_submit():
        second_factor.reset(current_user, user, now())
        flash(f"{user.email} will set up their authenticator app again at their next sign-in.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))
