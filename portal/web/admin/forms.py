from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.models import Role

ROLE_LABELS = {
    Role.SCHOOL: "School staff",
    Role.COMPANY: "Theatre company",
    Role.COUNCIL: "Council officer",
    Role.ADMIN: "Administrator",
}


class RoleForm(FlaskForm):
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[InputRequired(message="Select a role")],
    )
    school = StringField(
        "School (for school staff)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=250, message="School must be 250 characters or fewer")],
    )
    submit = SubmitField("Change role", widget=GovSubmitInput())


class ActiveForm(FlaskForm):
    submit = SubmitField("Deactivate", widget=GovSubmitInput())
