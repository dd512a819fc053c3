from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from portal.web.fields import email_field
from portal.web.widgets import GovPasswordInput, GovRadioInput, GovSubmitInput, GovTextInput


def password_field(label: str = "Password", missing: str = "Enter your password") -> PasswordField:
    """The person's existing password (sign-in, confirming it, changing it). Any length up to the cap is accepted."""
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[InputRequired(message=missing), Length(max=1024, message="Password is too long")],
    )


class LoginForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    password = password_field()
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class RegisterForm(FlaskForm):
    school = StringField(
        "Your school",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your school’s name or URN"),
            Length(max=250, message="School name must be 250 characters or fewer"),
        ],
    )
    # The schools matching what was typed, when it names no school exactly (portal.web.auth.school_choice).
    school_urn = RadioField("Which is your school?", widget=GovRadioInput(), validate_choice=False)
    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Job title",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your job title"),
            Length(max=200, message="Job title must be 200 characters or fewer"),
        ],
    )
    email = email_field("Work email address", "Enter your work email address")
    phone = StringField(
        "Work phone number",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a work phone number"),
            Length(min=6, max=40, message="Enter a phone number, like 01632 960 001"),
        ],
    )
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter a password"),
            Length(max=1024, message="Password must be 128 characters or fewer"),
        ],
    )
    submit = SubmitField("Ask for an account", widget=GovSubmitInput())


class ConfirmPasswordForm(FlaskForm):
    password = password_field()
    submit = SubmitField("Continue", widget=GovSubmitInput())
