"""The signed-in person's password: changing it, and entering it again before a sensitive change."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from portal.clock import now
from portal.services import accounts, recovery
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.email_forms import ChangePasswordForm
from portal.web.auth.forms import ConfirmPasswordForm
from portal.web.auth.limits import failures_per_user
from portal.web.auth.routes import bp
from portal.web.fields import show_refusal
from portal.web.navigation import next_or_home
from portal.web.sessions import current_session_record, current_token
from portal.web.transactions import after_commit


@bp.route("/confirm-password", methods=["GET", "POST"])
@login_required
@failures_per_user("reauth")
def confirm_password():
    form = ConfirmPasswordForm()
    if form.validate_on_submit():
        if recovery.confirm_password(current_user, current_session_record(), form.password.data, now()):
            return redirect(next_or_home())
        form.password.errors.append("Enter your correct password")
    return render_template(
        "auth/confirm_password.html",
        title="Enter your password to continue",
        form=form,
        fresh_login_minutes=current_app.config["FRESH_LOGIN_MINUTES"],
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@failures_per_user("reauth")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            recovery.change_password(
                current_user, form.current_password.data, form.password.data, now(), keep_token=current_token()
            )
        except accounts.AccountError as error:
            show_refusal(form, error)
        else:
            after_commit(send_mail_soon)
            flash(
                "Your password has been changed. Any other device signed in to your account has been signed out, "
                "and any personal API tokens have been revoked."
            )
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", title="Change your password", form=form)
