"""Forms for a school's preview seats and its parents' link: field validation only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from portal.web.widgets import GovCharacterCount, GovSubmitInput, GovTextInput


class StaffSeatsForm(FlaskForm):
    names = TextAreaField(
        "Colleagues’ names, one per line",
        widget=GovCharacterCount(),
        validators=[
            InputRequired(message="Enter the name of at least one colleague"),
            Length(max=1300, message="The names must be 1300 characters or fewer"),
        ],
    )
    submit = SubmitField("Book seats", widget=GovSubmitInput())


class StaffSeatForm(FlaskForm):
    name = StringField(
        "Colleague’s name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the colleague’s name"),
            Length(max=120, message="The name must be 120 characters or fewer"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button: a CSRF token and nothing else."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
