"""The signed-in person's personal API tokens: list, create (the token is shown once), revoke.

School staff have no API, so for them these pages do not exist (404) and the account page does not link here.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.clock import now
from portal.models import Role
from portal.services import api_tokens as token_service
from portal.web.access import found_or_404
from portal.web.auth.routes import bp
from portal.web.form_tokens import OnceForm, save_once
from portal.web.sessions import ask_for_password_if_stale
from portal.web.widgets import GovSubmitInput, GovTextInput

API_ROLES = (Role.COMPANY, Role.COUNCIL, Role.ADMIN)


class TokenForm(OnceForm):
    name = StringField(
        "Name the token",
        widget=GovTextInput(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message="Enter a name for the token, like the script or spreadsheet that will use it"),
            Length(max=100, message="Token name must be 100 characters or fewer"),
        ],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    submit = SubmitField("Revoke", widget=GovSubmitInput())


def require_api_role() -> None:
    if current_user.role not in API_ROLES:
        abort(404)


@bp.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    require_api_role()
    if (confirm_first := ask_for_password_if_stale()) is not None:
        return confirm_first
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token, raw = save_once(
                form,
                lambda: token_service.create_token(current_user, form.name.data, now()),
                lambda _made: url_for("auth.api_tokens"),  # a repeat cannot show the token again: the list
            )
        except token_service.TokenError as error:
            form.name.errors.append(str(error))
        else:
            # Rendered, not redirected: the raw token must never pass through the (client-side) session cookie.
            response = render_template("auth/api_tokens_created.html", title="Your new API token", token=token, raw=raw)
            return response
    return render_template(
        "auth/api_tokens.html",
        title="API tokens",
        form=form,
        revoke_form=RevokeForm(),
        tokens=token_service.live_tokens(current_user),
    )


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def api_tokens_revoke(token_id: int):
    require_api_role()
    token = found_or_404(token_service.own_live_token(current_user, token_id))
    if RevokeForm().validate_on_submit():
        token_service.revoke_token(current_user, token, now())
        flash(f"The token “{token.name}” has been revoked: it no longer works.", "success")
    return redirect(url_for("auth.api_tokens"))
