"""The second factor pages: set up an authenticator app, then enter its code after the password at each sign-in."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from portal.clock import now
from portal.services import second_factor
from portal.web.auth.limits import failures_per_user
from portal.web.auth.routes import bp
from portal.web.navigation import home_url, next_or_home
from portal.web.sessions import current_session_record, needs_second_factor, owes_second_factor


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


def _take_code(form: CodeForm, service_call):
    """Hand a submitted code to the service; the redirect onwards if it is accepted, else None (errors on the form)."""
    if not form.validate_on_submit():
        return None
    try:
        service_call(current_user, current_session_record(), form.code.data, now())
    except second_factor.SecondFactorError as error:
        form.code.errors.append(str(error))
        return None
    return redirect(next_or_home())


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
@login_required
@failures_per_user("second-factor")
def second_factor_set_up():
    if (away := _owed_or_away()) is not None:
        return away
    if current_user.totp_enabled_at is not None:
        return redirect(url_for("auth.second_factor_check", next=request.args.get("next")))
    form = CodeForm()
    if (onwards := _take_code(form, second_factor.confirm_set_up)) is not None:
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
    if _owed_or_away() is not None or current_user.totp_enabled_at is not None:
        abort(404)
    uri = second_factor.provisioning_uri(current_user, current_app.config["SERVICE_NAME"])
    svg = io.BytesIO()
    segno.make(uri, error="m").save(
        svg, kind="svg", scale=5, border=4, dark="#0b0c0c", light="#ffffff", xmldecl=False, title="Set-up QR code"
    )
    return Response(svg.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})
