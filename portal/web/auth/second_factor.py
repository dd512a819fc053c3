"""The second factor pages: set up an authenticator app, then enter its code after the password at each sign-in.

Setting the app up needs a single-use link e-mailed to the account's address as well as the password. Like the
password reset link, the link's first GET moves its token into the (signed) session and redirects to a token-free
address; the token survives signing in (see portal.web.sessions.sign_in), so the link works in a signed-out browser.
"""

from __future__ import annotations

import io

import segno
from flask import Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from portal.clock import now
from portal.extensions import limiter
from portal.services import second_factor
from portal.services.recovery import ENROL, LIFETIMES, MAX_TOKEN_LENGTH
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.limits import failures_per_user, signed_in_user_key
from portal.web.auth.routes import bp
from portal.web.navigation import home_url, next_or_home
from portal.web.sessions import SET_UP_LINK_KEY, current_session_record, needs_second_factor, owes_second_factor
from portal.web.transactions import after_commit, writes_on_get
from portal.web.widgets import GovSubmitInput, GovTextInput


class CodeForm(FlaskForm):
    code = StringField(
        "Code from your authenticator app",
        widget=GovTextInput(),
        validators=[
            InputRequired(message=second_factor.WRONG_CODE),
            Length(max=20, message=second_factor.WRONG_CODE),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


def _owed_or_away():
    """None when this session owes the second factor; otherwise where to go instead (404 for roles without one)."""
    if not needs_second_factor(current_user):
        abort(404)
    return None if owes_second_factor() else redirect(home_url())


class SendLinkForm(FlaskForm):
    submit = SubmitField("Email me a set-up link", widget=GovSubmitInput())


LINK_MINUTES = int(LIFETIMES[ENROL].total_seconds() // 60)


def _take_code(form: CodeForm, service_call, **extra):
    """Hand a submitted code to the service; the redirect onwards if it is accepted, else None (errors on the form)."""
    if not form.validate_on_submit():
        return None
    try:
        service_call(current_user, current_session_record(), form.code.data, now(), **extra)
    except second_factor.SecondFactorError as error:
        form.code.errors.append(str(error))
        return None
    return redirect(next_or_home())


def _link_token() -> str | None:
    return session.get(SET_UP_LINK_KEY)


def _code_params() -> dict:
    return {
        "autocomplete": "one-time-code",
        "inputmode": "numeric",
        "spellcheck": False,
        "classes": "govuk-input--width-10",
    }


@bp.route("/second-factor", methods=["GET", "POST"])
@login_required
@failures_per_user("second-factor")
def second_factor_check():
    if (away := _owed_or_away()) is not None:
        return away
    if current_user.totp_enabled_at is None:
        return redirect(url_for("auth.second_factor_set_up", next=request.args.get("next")))
    form = CodeForm()
    if (onwards := _take_code(form, second_factor.check_code)) is not None:
        return onwards
    return render_template(
        "auth/second_factor.html", title="Enter the code from your app", form=form, code_params=_code_params()
    )


@bp.route("/second-factor/set-up", methods=["GET", "POST"])
@writes_on_get  # showing the page makes the key it shows
@login_required
@failures_per_user("second-factor")
def second_factor_set_up():
    if (away := _owed_or_away()) is not None:
        return away
    if current_user.totp_enabled_at is not None:
        return redirect(url_for("auth.second_factor_check", next=request.args.get("next")))
    if not second_factor.may_set_up(current_user, _link_token(), now()):
        return render_template(
            "auth/second_factor_link.html",
            title="Set up your authenticator app",
            form=SendLinkForm(),
            link_expired=_link_token() is not None,
            link_minutes=LINK_MINUTES,
        )
    form = CodeForm()
    if (onwards := _take_code(form, second_factor.confirm_set_up, link_token=_link_token())) is not None:
        session.pop(SET_UP_LINK_KEY, None)
        return onwards
    secret = second_factor.pending_secret(current_user)
    return render_template(
        "auth/second_factor_set_up.html",
        title="Set up your authenticator app",
        form=form,
        code_params=_code_params(),
        key_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
    )


@bp.get("/second-factor/set-up/qr.svg")
@login_required
def second_factor_qr():
    """The set-up key as a QR code for the app to scan (the page also shows it as text to type)."""
    if _owed_or_away() is not None or not second_factor.may_set_up(current_user, _link_token(), now()):
        abort(404)
    uri = second_factor.provisioning_uri(current_user, current_app.config["SERVICE_NAME"])
    svg = io.BytesIO()
    segno.make(uri, error="m").save(
        svg, kind="svg", scale=5, border=4, dark="#0b0c0c", light="#ffffff", xmldecl=False, title="Set-up QR code"
    )
    return Response(svg.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@bp.post("/second-factor/set-up/email")
@login_required
# Each press sends an e-mail: a few an hour is plenty for a lost message, and stops the button being used to flood.
@limiter.limit("3 per hour", key_func=signed_in_user_key, scope="second-factor-link")
def second_factor_send_link():
    if (away := _owed_or_away()) is not None:
        return away
    if SendLinkForm().validate_on_submit() and current_user.totp_enabled_at is None:
        second_factor.send_set_up_link(current_user, now())
        after_commit(send_mail_soon)
        flash(f"We have sent a set-up link to {current_user.email}. Open it within {LINK_MINUTES} minutes.", "success")
    return redirect(url_for("auth.second_factor_set_up"))


@bp.get("/second-factor/link/<token>")
def second_factor_link(token: str):
    """An e-mailed set-up link: its token moves into the session, then the set-up page (after signing in) uses it."""
    session[SET_UP_LINK_KEY] = token[: MAX_TOKEN_LENGTH + 1]
    response = redirect(url_for("auth.second_factor_set_up"))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
