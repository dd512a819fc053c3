"""Forgotten passwords, e-mail address confirmation and invitations: the pages e-mailed, single-use links lead to.

A link's first GET moves its token into the (signed) session and redirects to a token-free address, so the token
never leaks through the Referer header or a shared browser history. Bad links get a clear page and change nothing.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required

from portal.clock import now
from portal.extensions import limiter
from portal.services import accounts, invitations, recovery
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.email_forms import ConfirmEmailForm, FirstPasswordForm, ForgotPasswordForm, NewPasswordForm
from portal.web.auth.limits import email_in_form_key, signed_in_user_key
from portal.web.auth.routes import bp
from portal.web.fields import show_refusal
from portal.web.navigation import home_url
from portal.web.transactions import after_commit

SESSION_TOKENS = {recovery.RESET: "reset_token", recovery.VERIFY: "verify_token", recovery.INVITE: "invite_token"}


def _no_referrer(response):
    """For the redirect away from a link's token address only: the request it leads to then carries no Referer.

    Pages with forms keep the site's same-origin policy, so that the browser sends their POSTs an Origin."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _invalid_link(purpose: str):
    session.pop(SESSION_TOKENS[purpose], None)
    page = render_template(
        "auth/link_invalid.html", title="This link has expired or has already been used", purpose=purpose
    )
    return page, 400


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per hour", key_func=email_in_form_key, methods=["POST"], scope="reset-email")
@limiter.limit("30 per hour", methods=["POST"], scope="reset-address")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        recovery.request_reset(form.email.data, now())
        after_commit(send_mail_soon)
        return redirect(url_for("auth.reset_sent"))
    return render_template("auth/forgot_password.html", title="Reset your password", form=form)


@bp.get("/forgot-password/sent")
def reset_sent():
    return render_template("auth/reset_sent.html", title="Check your email")


@bp.get("/reset-password/<token>")
def reset_password_link(token: str):
    session[SESSION_TOKENS[recovery.RESET]] = token[: recovery.MAX_TOKEN_LENGTH + 1]
    return _no_referrer(redirect(url_for("auth.reset_password")))


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_password():
    token = session.get(SESSION_TOKENS[recovery.RESET])
    if recovery.find_token(token, recovery.RESET, now()) is None:
        return _invalid_link(recovery.RESET)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            recovery.reset_password(token, form.password.data, now())
        except accounts.AccountError as error:
            show_refusal(form, error, fallback="password")
        except recovery.LinkError:
            return _invalid_link(recovery.RESET)
        else:
            session.clear()  # signs this browser out too: every session of the account has ended
            after_commit(send_mail_soon)
            flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", title="Choose a new password", form=form)


@bp.get("/verify-email/<token>")
def verify_email_link(token: str):
    session[SESSION_TOKENS[recovery.VERIFY]] = token[: recovery.MAX_TOKEN_LENGTH + 1]
    return _no_referrer(redirect(url_for("auth.verify_email")))


@bp.route("/verify-email", methods=["GET", "POST"])
def verify_email():
    token = session.get(SESSION_TOKENS[recovery.VERIFY])
    if recovery.find_token(token, recovery.VERIFY, now()) is None:
        return _invalid_link(recovery.VERIFY)
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        try:
            recovery.verify_email(token, now())
        except recovery.LinkError:
            return _invalid_link(recovery.VERIFY)
        session.pop(SESSION_TOKENS[recovery.VERIFY], None)
        flash("Thank you: your email address is confirmed.", "success")
        return redirect(home_url())
    return render_template("auth/verify_email.html", title="Confirm your email address", form=form)


@bp.post("/account/confirm-email")
@login_required
# Each press sends an e-mail: a few an hour is plenty for a lost message, and stops the button being used to flood.
@limiter.limit("3 per hour", key_func=signed_in_user_key, scope="verify-resend")
def resend_verification():
    form = ConfirmEmailForm()
    if form.validate_on_submit() and current_user.email_verified_at is None:
        recovery.start_verification(current_user, now())
        after_commit(send_mail_soon)
        flash(f"We have sent a new confirmation link to {current_user.email}.", "success")
    return redirect(url_for("auth.account"))


@bp.get("/invitation/<token>")
def invitation_link(token: str):
    session[SESSION_TOKENS[recovery.INVITE]] = token[: recovery.MAX_TOKEN_LENGTH + 1]
    return _no_referrer(redirect(url_for("auth.invitation")))


@bp.route("/invitation", methods=["GET", "POST"])
def invitation():
    """An invited person chooses their password, with the same rules as registering; then they sign in."""
    token = session.get(SESSION_TOKENS[recovery.INVITE])
    user = invitations.invited_account(token, now())
    if user is None:
        return _invalid_link(recovery.INVITE)
    form = FirstPasswordForm()
    if form.validate_on_submit():
        try:
            invitations.accept_invitation(token, form.password.data, now())
        except accounts.AccountError as error:
            show_refusal(form, error, fallback="password")
        except recovery.LinkError:
            return _invalid_link(recovery.INVITE)
        else:
            session.clear()  # whoever was signed in in this browser, the new account's owner signs in next
            after_commit(send_mail_soon)
            flash("Your password has been set. Sign in with your email address and new password.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/invitation.html", title="Choose your password", form=form, invited=user)
