from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.clock import now
from portal.extensions import limiter
from portal.models import ApprovalState
from portal.services import accounts, notifications, recovery, schools, sessions
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.email_forms import ReminderPreferenceForm
from portal.web.auth.forms import LoginForm, RegisterForm
from portal.web.auth.limits import attempts_per_hour, email_in_form_key, failed
from portal.web.navigation import HOME_ENDPOINT
from portal.web.sessions import current_token, sign_in, sign_out
from portal.web.transactions import after_commit

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    attempts_per_hour, key_func=email_in_form_key, methods=["POST"], deduct_when=failed, scope="signin-email"
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
    sign_out()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.get("/signed-out")
def timed_out():
    sign_out()
    return redirect(url_for("auth.login", timeout=1))


@bp.post("/session/keep-alive")
@login_required
def keep_alive():
    sessions.touch_session(current_token(), now())
    return {"status": "ok"}


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        school = schools.find_school(form.school.data)
        if school is None:
            form.school.errors.append("Enter your school’s URN, or choose your school from the list")
        else:
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
                getattr(form, error.field).errors.append(error.message)
            else:
                recovery.start_verification(user, now())
                after_commit(send_mail_soon)
                sign_in(user)
                return redirect(url_for("auth.awaiting_approval"))
    school_labels = [school.label for school in schools.all_schools()]
    return render_template("auth/register.html", title="Ask for an account", form=form, school_labels=school_labels)


@bp.get("/awaiting-approval")
@login_required
def awaiting_approval():
    if current_user.approval_state == ApprovalState.APPROVED:
        return redirect(url_for(HOME_ENDPOINT[current_user.role]))
    return render_template("auth/awaiting_approval.html", title="Your account is not approved yet")


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ReminderPreferenceForm(reminders="yes" if current_user.wants_reminders else "no")
    if form.validate_on_submit():
        notifications.set_reminder_preference(current_user, form.reminders.data == "yes")
        flash("Reminder emails are " + ("on." if current_user.wants_reminders else "off."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", title="Your account", form=form)
