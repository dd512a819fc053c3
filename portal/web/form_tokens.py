"""Forms that create something, on the pages: the one-time token field, and saving once however often it is sent.

A view that creates calls `save_once(form, create, path_of)` where it called the service before. The first
submission of a form creates and records where its result is; a repeat of it raises RepeatedSubmission, which is
answered here for every view: nothing is made, and the person is sent to what the first one made, with the message
"That was already saved". The rules are in portal.domain.form_tokens, the claim in portal.services.submissions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, flash, redirect, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField

from portal.clock import now
from portal.domain.form_tokens import ALREADY_SAVED, OUT_OF_DATE, new_token, token_is_current
from portal.services.submissions import RepeatedSubmission, create_once
from portal.web.navigation import home_url

T = TypeVar("T")


class OnceForm(FlaskForm):
    """A form that creates something. Its template renders `form.form_token` beside `form.csrf_token`."""

    form_token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            self.form_token.data = new_token(now())

    def validate(self, extra_validators=None) -> bool:
        """The fields' checks, and a token we issued recently: a missing, made-up or stale one is out of date."""
        fields_ok = super().validate(extra_validators)
        if token_is_current(self.form_token.data, now()):
            return fields_ok
        self.form_token.data = new_token(now())  # the page shown again can be sent as it is
        shown_on = getattr(self, "submit", None) or self.form_token  # the error summary links to the button
        shown_on.errors = [*shown_on.errors, OUT_OF_DATE]
        return False


def save_once(form: OnceForm, create: Callable[[], T], path_of: Callable[[T], str]) -> T:
    """What create() made, the first time this form is sent; a repeat raises RepeatedSubmission (answered below).

    path_of(what create() made) is the address a repeat is sent to, like the new request's page.
    """
    return create_once(current_user, form.form_token.data, request.endpoint or "", now(), create, path_of)


def register_form_tokens(app: Flask) -> None:
    @app.errorhandler(RepeatedSubmission)
    def already_saved(repeat: RepeatedSubmission):
        flash(ALREADY_SAVED, "success")
        return redirect(repeat.path or home_url())
