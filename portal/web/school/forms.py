"""Forms for school staff: field validation only. The request form, shared with the council, is in
portal.web.request_forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from portal.domain.numbers import whole_number
from portal.services.lessons import LessonDetails
from portal.web.fields import GovDateField, database_id, email_field, number_field
from portal.web.form_tokens import OnceForm
from portal.web.widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)


class WithdrawForm(FlaskForm):
    submit = SubmitField("Withdraw request", widget=GovSubmitInput())


class ProfileForm(FlaskForm):
    address = TextAreaField(
        "School address",
        widget=GovCharacterCount(),
        validators=[
            InputRequired(message="Enter the school’s address"),
            Length(max=300, message="Address must be 300 characters or fewer"),
        ],
    )
    office_phone = StringField(
        "School office phone number",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the school office’s phone number"),
            Length(min=6, max=40, message="Enter a phone number, like 01632 960 001"),
            Regexp(r"^\+?[0-9 ()-]+$", message="Enter a phone number, like 01632 960 001"),
        ],
    )
    hall_capacity = number_field("Hall capacity", 1, 2000)
    submit = SubmitField("Save", widget=GovSubmitInput())


class ColleagueForm(OnceForm):
    """A colleague to invite: the council approves their account once they have chosen a password."""

    full_name = StringField(
        "Their full name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your colleague’s full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Their job title",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your colleague’s job title"),
            Length(max=200, message="Job title must be 200 characters or fewer"),
        ],
    )
    email = email_field("Their work email address", "Enter your colleague’s work email address")
    submit = SubmitField("Send invitation", widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    reason = StringField(
        "Why are you declining? (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="Reason must be 300 characters or fewer")],
    )
    submit = SubmitField("Decline performance", widget=GovSubmitInput())


class ButtonForm(FlaskForm):
    """A button that needs nothing but the CSRF token."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class LessonForm(OnceForm):
    delivered_on = GovDateField(
        "Date of the lesson", validators=[InputRequired(message="Enter the date of the lesson")]
    )
    year_group = RadioField("Year group", widget=GovRadioInput(), coerce=whole_number, validate_choice=False)
    pupils = number_field("Pupils in the lesson", 1, 1000)
    pack_id = RadioField(
        "Lesson pack used (optional)", widget=GovRadioInput(), coerce=whole_number, validate_choice=False
    )
    excess_reason = StringField(
        "If more pupils took part than saw the performance, say why",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="Reason must be 300 characters or fewer")],
    )
    submit = SubmitField("Record lesson", widget=GovSubmitInput())

    def set_choices(self, attended: dict[int, int], packs) -> None:
        """The year groups that saw the performance (with how many), and the production's packs."""
        self.year_group.choices = [SelectChoice(y, f"Year {y} ({n} saw the performance)") for y, n in attended.items()]
        self.pack_id.choices = [SelectChoice(0, "None of these")] + [
            SelectChoice(p.id, f"{p.title} (year {p.year_group})") for p in packs
        ]

    def details(self) -> LessonDetails:
        return LessonDetails(
            delivered_on=self.delivered_on.data,
            year_group=self.year_group.data,
            pupils=self.pupils.data,
            pack_id=database_id(self.pack_id.data),
            excess_reason=self.excess_reason.data or "",
        )


class EvaluationForm(OnceForm):
    respondents = number_field("Pupils who answered the questionnaire", 0, 1000)
    confident_before = number_field("Before: pupils confident they can spot the signs of grooming", 0, 1000)
    confident_after = number_field("After: pupils confident they can spot the signs of grooming", 0, 1000)
    know_help_before = number_field("Before: pupils who know where to get help", 0, 1000)
    know_help_after = number_field("After: pupils who know where to get help", 0, 1000)
    staff_rating = RadioField(
        "How would staff rate the performance?",
        widget=GovRadioInput(),
        coerce=whole_number,
        choices=[
            SelectChoice(5, "5: excellent"),
            SelectChoice(4, "4: good"),
            SelectChoice(3, "3: fair"),
            SelectChoice(2, "2: poor"),
            SelectChoice(1, "1: very poor"),
        ],
        validators=[InputRequired(message="Select a rating")],
    )
    submit = SubmitField("Save results", widget=GovSubmitInput())


class BookPlaceForm(OnceForm):
    """Book a free place, from the page that shows it (it creates a performance, so it is saved once)."""

    submit = SubmitField("Book this performance", widget=GovSubmitInput())
