from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.clock import now
from portal.extensions import limiter
from portal.models import ApprovalState
from portal.services import accounts, invitations, recovery, sessions
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.email_forms import ReminderPreferenceForm
from portal.web.auth.forms import LoginForm, RegisterForm
from portal.web.auth.limits import (
    account_and_client_key,
    account_attempts_per_hour,
    account_key,
    attempts_per_hour,
    completed,
    email_in_form_key,
    failed,
)
from portal.web.auth.school_choice import chosen_school
from portal.web.fields import show_refusal
from portal.web.navigation import HOME_ENDPOINT, home_url
from portal.web.sessions import current_token, sign_in, sign_out
from portal.web.transactions import after_commit

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    attempts_per_hour, key_func=account_and_client_key, methods=["POST"], deduct_when=failed, scope="signin-account"
)
@limiter.limit(
    account_attempts_per_hour, key_func=account_key, methods=["POST"], deduct_when=failed, scope="signin-any-client"
)
@limiter.limit("50 per hour", methods=["POST"], deduct_when=failed, scope="signin-address")
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data, now())
        if user is not None:
            sign_in(user)
            return redirect(url_for(HOME_ENDPOINT[user.role]))
        form.email.errors.append("Enter a correct email address and password")
    return render_template("auth/login.html", title="Sign in", form=form, timed_out="timeout" in request.args)


@bp.post("/logout")
def logout():
    """The only way to end a session: a POST with the page's CSRF token (the idle timeout's script sends one too)."""
    sign_out()
    if request.form.get("reason") == "idle":
        return redirect(url_for("auth.timed_out"))
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.get("/signed-out")
def timed_out():
    """Where the idle timeout lands after signing out. A GET ends nothing: a link from another site cannot sign
    anyone out, and someone still signed in simply goes home."""
    if current_user.is_authenticated:
        return redirect(home_url())
    return redirect(url_for("auth.login", timeout=1))


@bp.post("/session/keep-alive")
@login_required
def keep_alive():
    sessions.touch_session(current_token(), now())
    return {"status": "ok"}


@bp.route("/register", methods=["GET", "POST"])
# Each registration sends e-mail (to the applicant, the council, or an existing account's owner): a few an hour for
# one address, and a school office's worth from one client. Only completed registrations count.
@limiter.limit(
    "3 per hour", key_func=email_in_form_key, methods=["POST"], deduct_when=completed, scope="register-email"
)
@limiter.limit("10 per hour", methods=["POST"], deduct_when=completed, scope="register-address")
def register():
    """Ask for an account. The answer is the same whether or not the address has an account already."""
    form = RegisterForm()
    valid = form.validate_on_submit()
    school = chosen_school(form) if form.is_submitted() else None
    if valid and school is not None:
        try:
            user = accounts.register_school_user(
                email=form.email.data,
                password=form.password.data,
                full_name=form.full_name.data.strip(),
                job_title=form.job_title.data.strip(),
                phone=form.phone.data.strip(),
                school=school,
            )
        except accounts.AccountError as error:
            show_refusal(form, error)
        else:
            if user is not None:
                recovery.start_verification(user, now())
            after_commit(send_mail_soon)
            return redirect(url_for("auth.registration_sent"))
    return render_template("auth/register.html", title="Ask for an account", form=form)


@bp.get("/register/sent")
def registration_sent():
    return render_template("auth/registration_sent.html", title="Check your email")


@bp.get("/awaiting-approval")
@login_required
def awaiting_approval():
    if current_user.approval_state == ApprovalState.APPROVED:
        return redirect(url_for(HOME_ENDPOINT[current_user.role]))
    return render_template(
        "auth/awaiting_approval.html",
        title="Your account is not approved yet",
        invited_by=invitations.inviters([current_user]).get(current_user.id),
    )


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ReminderPreferenceForm(reminders="yes" if current_user.wants_reminders else "no")
    if form.validate_on_submit():
        accounts.set_reminder_preference(current_user, form.reminders.data == "yes")
        flash("Reminder emails are " + ("on." if current_user.wants_reminders else "off."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", title="Your account", form=form)
