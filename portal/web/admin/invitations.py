"""Administrators invite theatre company, council and administrator accounts: the person chooses their own password
through an e-mailed link (see portal.services.invitations)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now
from portal.extensions import limiter
from portal.models import Role
from portal.services import accounts, invitations
from portal.services.recovery import INVITE, LIFETIMES
from portal.web.access import found_or_404
from portal.web.admin.forms import ActiveForm, InviteUserForm
from portal.web.admin.routes import bp
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.limits import completed, signed_in_user_key
from portal.web.fields import show_refusal
from portal.web.form_tokens import save_once
from portal.web.sessions import fresh_login_required
from portal.web.transactions import after_commit

INVITATION_DAYS = LIFETIMES[INVITE].days


@bp.route("/users/invite", methods=["GET", "POST"])
@fresh_login_required
# Each invitation sends an e-mail: plenty for setting up a team, and a stolen session cannot flood mailboxes.
@limiter.limit("20 per hour", key_func=signed_in_user_key, methods=["POST"], deduct_when=completed, scope="invite-user")
def user_invite():
    form = InviteUserForm()
    if form.validate_on_submit():
        try:
            user = save_once(
                form,
                lambda: invitations.invite_user(
                    current_user,
                    email=form.email.data,
                    full_name=form.full_name.data,
                    role=Role(form.role.data),
                    now=now(),
                ),
                lambda made: url_for("admin.user_detail", user_id=made.id),
            )
        except accounts.AccountError as error:
            show_refusal(form, error)
        else:
            after_commit(send_mail_soon)
            flash(
                f"We have emailed {user.email} a link to choose a password. It works for {INVITATION_DAYS} days.",
                "success",
            )
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template("admin/user_invite.html", title="Invite a user", form=form, days=INVITATION_DAYS)


@bp.post("/users/<int:user_id>/invitation")
@fresh_login_required
def user_invite_resend(user_id: int):
    user = found_or_404(accounts.get_user(user_id))
    if not invitations.is_pending(user):
        abort(404)
    if ActiveForm().validate_on_submit():
        invitations.resend_invitation(current_user, user, now())
        after_commit(send_mail_soon)
        flash(f"We have emailed {user.email} a new invitation link. The old one no longer works.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))
