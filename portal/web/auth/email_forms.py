"""Forms for passwords (reset by an e-mailed link, or changed when signed in), address confirmation and e-mail
preferences."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import EqualTo, InputRequired, Length

from portal.web.auth.forms import password_field
from portal.web.fields import email_field
from portal.web.widgets import GovPasswordInput, GovRadioInput, GovSubmitInput


class ForgotPasswordForm(FlaskForm):
    email = email_field("Email address", "Enter your email address")
    submit = SubmitField("Send the link", widget=GovSubmitInput())


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter a new password"),
            Length(max=1024, message="Password must be 128 characters or fewer"),
        ],
    )
    confirm = PasswordField(
        "Confirm the new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter the new password again"),
            EqualTo("password", message="The two passwords do not match: enter the same password twice"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class FirstPasswordForm(NewPasswordForm):
    """An invited person's first password: the same rules as registering, asked twice as on the reset page."""

    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter a password"),
            Length(max=1024, message="Password must be 128 characters or fewer"),
        ],
    )
    confirm = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter the password again"),
            EqualTo("password", message="The two passwords do not match: enter the same password twice"),
        ],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordForm):
    current_password = password_field("Current password", "Enter your current password")


class ConfirmEmailForm(FlaskForm):
    submit = SubmitField("Confirm my email address", widget=GovSubmitInput())


class ReminderPreferenceForm(FlaskForm):
    reminders = RadioField(
        "Do you want reminder emails?",
        widget=GovRadioInput(),
        choices=[
            SelectChoice("yes", "Yes, send me reminders"),
            SelectChoice("no", "No, only send essential emails"),
        ],
        validators=[InputRequired(message="Select whether you want reminder emails")],
    )
    submit = SubmitField("Save preference", widget=GovSubmitInput())
