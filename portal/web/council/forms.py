from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.domain.numbers import whole_number
from portal.models import PerformanceStatus, Season
from portal.web.fields import DecimalNumberField
from portal.web.list_search import ListSearchForm
from portal.web.widgets import GovCharacterCount, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput


class ApprovalForm(FlaskForm):
    decision = RadioField(
        "Do you approve this account?",
        widget=GovRadioInput(),
        choices=[SelectChoice("approve", "Yes, approve it"), SelectChoice("refuse", "No, refuse it")],
        validators=[InputRequired(message="Select whether you approve this account")],
    )
    reason = TextAreaField(
        "Reason for refusing (the applicant will see this)",
        widget=GovCharacterCount(),
        validators=[Optional(), Length(max=500, message="Reason must be 500 characters or fewer")],
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class PriorityForm(FlaskForm):
    priority = RadioField(
        "How strongly do you want this school reached?",
        widget=GovRadioInput(),
        coerce=whole_number,
        choices=[
            SelectChoice(3, "High (3)"),
            SelectChoice(2, "Medium (2)"),
            SelectChoice(1, "Normal (1)"),
        ],
        validators=[InputRequired(message="Select a priority")],
    )
    submit = SubmitField("Save priority", widget=GovSubmitInput())


class CostForm(FlaskForm):
    cost = DecimalNumberField(
        "What the council pays for this season, in pounds",
        validators=[
            InputRequired(message="Enter the season’s cost in pounds"),
            NumberRange(0, 10_000_000, message="Cost must be between £0 and £10,000,000"),
        ],
    )
    submit = SubmitField("Save cost", widget=GovSubmitInput())


class ConfirmForBehalfForm(FlaskForm):
    """Confirm a provisional performance for the school (it asked the council to)."""

    submit = SubmitField("Confirm for the school", widget=GovSubmitInput())


class DeclineForBehalfForm(FlaskForm):
    reason = StringField(
        "Why is the school declining? (optional, the theatre company sees this)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="Reason must be 300 characters or fewer")],
    )
    submit = SubmitField("Decline for the school", widget=GovSubmitInput())


class ProgrammeSearchForm(ListSearchForm):
    """Requests or performances across the programme: search and sort, one season (the latest unless asked), and for
    performances one status."""

    season = SelectField("Season", widget=GovSelect(), validate_choice=False)
    status = SelectField(
        "Status",
        widget=GovSelect(),
        choices=[
            SelectChoice("", "Any status"),
            *(SelectChoice(s.value, s.value.capitalize()) for s in PerformanceStatus),
        ],
        validate_choice=False,
    )

    def season_asked(self, seasons: list[Season], default: int | None = None) -> int | None:
        """The season chosen (None for all of them); for anything else the default, or else the latest season."""
        self.season.choices = [SelectChoice("all", "All seasons"), *(SelectChoice(str(s.id), s.name) for s in seasons)]
        if self.season.data != "all" and self.season.data not in {str(season.id) for season in seasons}:
            fallback = default if default is not None else (seasons[0].id if seasons else None)
            self.season.data = str(fallback) if fallback is not None else "all"
        return None if self.season.data == "all" else int(self.season.data)

    def status_asked(self) -> PerformanceStatus | None:
        return next((status for status in PerformanceStatus if status.value == self.status.data), None)
