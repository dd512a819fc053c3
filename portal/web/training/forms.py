"""Forms for the council's CSE training: field validation only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.domain.numbers import whole_number
from portal.domain.training import LEVEL_LABELS, MAX_CAPACITY, CourseLevel
from portal.web.fields import ClockTimeField, GovDateField, email_field, number_field
from portal.web.form_tokens import OnceForm
from portal.web.widgets import (
    GovCharacterCount,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)


def stripped(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def text_field(label: str, missing: str, maximum: int) -> StringField:
    """A required line of text: spaces alone are not an answer."""
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[stripped],
        validators=[
            DataRequired(message=missing),
            Length(max=maximum, message=f"{label} must be {maximum} characters or fewer"),
        ],
    )


def long_text(label: str, maximum: int, missing: str | None = None) -> TextAreaField:
    first = InputRequired(message=missing) if missing else Optional()
    return TextAreaField(
        label,
        widget=GovCharacterCount(),
        validators=[first, Length(max=maximum, message=f"{label} must be {maximum} characters or fewer")],
    )


class CourseForm(OnceForm):
    title = text_field("Title", "Enter the course’s title", 200)
    level = RadioField(
        "Level",
        widget=GovRadioInput(),
        choices=[SelectChoice(level.value, LEVEL_LABELS[level]) for level in CourseLevel],
        validators=[InputRequired(message="Select the course’s level")],
    )
    length_minutes = number_field("Length in minutes", 15, 2880)
    learning_outcomes = long_text("Learning outcomes", 2000, "Enter the learning outcomes")
    audience = long_text("Who it is for", 1000, "Enter who the course is for")
    submit = SubmitField("Save course", widget=GovSubmitInput())


class SessionForm(OnceForm):
    day = GovDateField("Date", validators=[InputRequired(message="Enter the date of the session")])
    starts_at = ClockTimeField("Start time", validators=[InputRequired(message="Enter the start time")])
    ends_at = ClockTimeField("End time", validators=[InputRequired(message="Enter the end time")])
    capacity = number_field("Places", 1, MAX_CAPACITY)
    venue_address = StringField(
        "Venue address (for a session in person)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="Venue address must be 300 characters or fewer")],
    )
    access_information = long_text("Access information (optional)", 1000)
    joining_link = StringField(
        "Joining link (for an online session)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=500, message="Joining link must be 500 characters or fewer")],
    )
    trainer_id = SelectField("Trainer", widget=GovSelect(), coerce=whole_number, validate_choice=False)
    submit = SubmitField("Save session", widget=GovSubmitInput())

    def set_trainers(self, trainers) -> None:
        self.trainer_id.choices = [SelectChoice(0, "Not chosen yet")] + [
            SelectChoice(trainer.id, trainer.full_name) for trainer in trainers
        ]


class CancelSessionForm(FlaskForm):
    reason = text_field("Reason for cancelling (everyone booked is told)", "Enter the reason for cancelling", 300)
    submit = SubmitField("Cancel the session", widget=GovSubmitInput())


class LearnerDetailsForm(FlaskForm):
    organisation = text_field("Organisation", "Enter the organisation you work for", 200)
    agency_id = SelectField(
        "Agency",
        widget=GovSelect(),
        coerce=whole_number,
        validate_choice=False,
        validators=[InputRequired(message="Select your agency"), NumberRange(min=1, message="Select your agency")],
    )
    job_role_id = SelectField(
        "Job role",
        widget=GovSelect(),
        coerce=whole_number,
        validate_choice=False,
        validators=[InputRequired(message="Select your job role"), NumberRange(min=1, message="Select your job role")],
    )
    district = text_field("District you work in", "Enter the district you work in", 100)
    submit = SubmitField("Save and continue", widget=GovSubmitInput())

    def set_lists(self, agencies, job_roles) -> None:
        self.agency_id.choices = [SelectChoice(0, "Choose your agency")] + [
            SelectChoice(agency.id, agency.name) for agency in agencies
        ]
        self.job_role_id.choices = [SelectChoice(0, "Choose your job role")] + [
            SelectChoice(job_role.id, job_role.name) for job_role in job_roles
        ]


class LearnerRegisterForm(LearnerDetailsForm):
    full_name = text_field("Full name", "Enter your full name", 200)
    email = email_field("Work email address", "Enter your work email address")
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter a password"),
            Length(max=1024, message="Password must be 128 characters or fewer"),
        ],
    )
    submit = SubmitField("Register", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that changes one booking (book, accept, cancel): the CSRF token only."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class LearnerDecisionForm(FlaskForm):
    decision = RadioField(
        "Do you approve this learner?",
        widget=GovRadioInput(),
        choices=[SelectChoice("approve", "Yes, approve them"), SelectChoice("refuse", "No, refuse them")],
        validators=[InputRequired(message="Select whether you approve this learner")],
    )
    reason = TextAreaField(
        "Reason for refusing (the learner will see this)",
        widget=GovCharacterCount(),
        validators=[Optional(), Length(max=500, message="Reason must be 500 characters or fewer")],
    )
    submit = SubmitField("Save decision", widget=GovSubmitInput())


class DomainForm(FlaskForm):
    domain = text_field("E-mail domain", "Enter an e-mail domain, like police.uk", 253)
    submit = SubmitField("Add the domain", widget=GovSubmitInput())


class ListEntryForm(FlaskForm):
    name = text_field("Add an entry", "Enter the name to add", 120)
    submit = SubmitField("Add to the list", widget=GovSubmitInput())


class InviteTrainerForm(OnceForm):
    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the trainer’s full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = email_field("Email address", "Enter the trainer’s email address")
    submit = SubmitField("Send invitation", widget=GovSubmitInput())
