"""Forms for the company's preview performances: field validation only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from portal.domain.numbers import whole_number
from portal.domain.previews import PreviewAudience
from portal.web.fields import ClockTimeField, GovDateField, WholeNumberField, number_field
from portal.web.form_tokens import OnceForm
from portal.web.widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)

AUDIENCES = [
    SelectChoice(PreviewAudience.ALL_SCHOOLS.value, "All schools"),
    SelectChoice(PreviewAudience.DISTRICT.value, "The schools of one district"),
    SelectChoice(PreviewAudience.SCHOOLS.value, "A list of schools"),
]


class PreviewForm(FlaskForm):
    production_id = SelectField("Production", widget=GovSelect(), coerce=whole_number, validate_choice=False)
    day = GovDateField("Date", validators=[InputRequired(message="Enter the date of the preview")])
    starts_at = ClockTimeField("Start time", validators=[InputRequired(message="Enter the start time")])
    venue_address = StringField(
        "Venue address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the venue’s address"),
            Length(max=300, message="Venue address must be 300 characters or fewer"),
        ],
    )
    access_information = TextAreaField(
        "Access information (optional)",
        widget=GovCharacterCount(),
        validators=[Optional(), Length(max=1000, message="Access information must be 1000 characters or fewer")],
    )
    seats = number_field("Seats", 1, 2000)
    audience = RadioField(
        "Who is the preview for?",
        widget=GovRadioInput(),
        choices=AUDIENCES,
        validators=[InputRequired(message="Choose who the preview is for")],
    )
    district = StringField(
        "District (for the schools of one district)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message="District must be 100 characters or fewer")],
    )
    school_urns = TextAreaField(
        "Schools’ URNs (for a list of schools)",
        widget=GovCharacterCount(),
        validators=[Optional(), Length(max=5000, message="The list of URNs must be 5000 characters or fewer")],
    )
    submit = SubmitField("Save preview", widget=GovSubmitInput())

    def set_choices(self, productions) -> None:
        self.production_id.choices = [SelectChoice(p.id, p.title) for p in productions]


class NewPreviewForm(PreviewForm, OnceForm):
    """The form that sets up a preview: sent twice, it sets up one."""


class PreviewCancelForm(FlaskForm):
    reason = StringField(
        "Reason for cancelling (everyone booked is told)",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the reason for cancelling"),
            Length(max=300, message="Reason must be 300 characters or fewer"),
        ],
    )
    submit = SubmitField("Cancel preview", widget=GovSubmitInput())


class AttendanceForm(FlaskForm):
    """One booking's attendance, marked from the on-the-day list: a colleague's seat or a parent's booking."""

    kind = RadioField(
        choices=[SelectChoice("staff", "Staff"), SelectChoice("parent", "Parent")], validators=[InputRequired()]
    )
    record_id = WholeNumberField("Booking", widget=HiddenInput(), validators=[InputRequired()])
    attended = RadioField(
        choices=[SelectChoice("yes", "Attended"), SelectChoice("no", "Not attended")], validators=[InputRequired()]
    )
