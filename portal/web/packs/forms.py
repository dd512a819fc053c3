from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.domain.numbers import whole_number
from portal.web.form_tokens import OnceForm
from portal.web.widgets import (
    GovCharacterCount,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)

YEAR_CHOICES = [SelectChoice(year, f"Year {year}") for year in range(7, 14)]


class PackForm(OnceForm):
    production = SelectField("Production", widget=GovSelect(), coerce=whole_number, validate_choice=False)
    year_group = RadioField(
        "Year group",
        widget=GovRadioInput(),
        coerce=whole_number,
        choices=YEAR_CHOICES,
        validators=[InputRequired(message="Select the year group this pack is for")],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a title for the pack"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    summary = TextAreaField(
        "Summary",
        widget=GovCharacterCount(),
        validators=[Optional(), Length(max=2000, message="Summary must be 2000 characters or fewer")],
    )
    objectives = TextAreaField(
        "PSHE learning objectives",
        widget=GovCharacterCount(),
        validators=[Optional(), Length(max=2000, message="Learning objectives must be 2000 characters or fewer")],
    )
    submit = SubmitField("Save pack", widget=GovSubmitInput())


class UploadForm(OnceForm):
    file = FileField("Upload a file", widget=GovFileInput())
    submit = SubmitField("Upload file", widget=GovSubmitInput())
