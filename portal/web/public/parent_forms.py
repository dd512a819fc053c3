"""Forms for parents booking preview seats without an account: field validation only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal.domain.numbers import whole_number
from portal.domain.previews import PARENT_SEATS_MAX
from portal.web.fields import email_field
from portal.web.widgets import GovRadioInput, GovSubmitInput, GovTextInput


class ParentBookingForm(FlaskForm):
    preview_id = RadioField(
        "Which preview?",
        widget=GovRadioInput(),
        coerce=whole_number,
        validators=[InputRequired(message="Choose a preview")],
    )
    parent_name = StringField(
        "Your name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your name"),
            Length(max=120, message="Your name must be 120 characters or fewer"),
        ],
    )
    email = email_field("Email address", "Enter your email address")
    seats = RadioField(
        "How many seats?",
        widget=GovRadioInput(),
        coerce=whole_number,
        choices=[SelectChoice(n, str(n)) for n in range(1, PARENT_SEATS_MAX + 1)],
        validators=[InputRequired(message="Choose how many seats")],
    )
    submit = SubmitField("Book seats", widget=GovSubmitInput())

    def set_choices(self, previews, label) -> None:
        self.preview_id.choices = [SelectChoice(preview.id, label(preview)) for preview in previews]


class ButtonForm(FlaskForm):
    """A button: a CSRF token and nothing else."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
