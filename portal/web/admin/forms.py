from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.models import Role
from portal.services.audit_lists import OUTCOMES
from portal.services.invitations import INVITABLE_ROLES
from portal.services.outbox_lists import STATES
from portal.web.fields import email_field
from portal.web.form_tokens import OnceForm
from portal.web.list_search import ListSearchForm
from portal.web.widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput

ROLE_LABELS = {
    Role.SCHOOL: "School staff",
    Role.COMPANY: "Theatre company",
    Role.COUNCIL: "Council officer",
    Role.ADMIN: "Administrator",
    Role.TRAINER: "Trainer (CSE training)",
    Role.LEARNER: "Learner (CSE training)",
}
# A learner registers with the details the training needs (agency, job role, district): no role change makes one.
ASSIGNABLE_ROLES = [role for role in ROLE_LABELS if role != Role.LEARNER]


class RoleForm(FlaskForm):
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in ASSIGNABLE_ROLES],
        validators=[InputRequired(message="Select a role")],
    )
    school = StringField(
        "School (for school staff)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=250, message="School must be 250 characters or fewer")],
    )
    submit = SubmitField("Change role", widget=GovSubmitInput())


class UserSearchForm(ListSearchForm):
    """The users list's search and sort, and a role to show only."""

    role = SelectField(
        "Role",
        widget=GovSelect(),
        choices=[SelectChoice("", "All roles")]
        + [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validate_choice=False,
    )

    def chosen_role(self) -> Role | None:
        return next((role for role in Role if role.value == self.role.data), None)


class OutboxSearchForm(ListSearchForm):
    """The outbox's search and sort, and a state to show only."""

    state = SelectField(
        "Show",
        widget=GovSelect(),
        choices=[SelectChoice("", "All messages"), *(SelectChoice(*state) for state in STATES.items())],
        validate_choice=False,
    )

    def chosen_state(self) -> str | None:
        return self.state.data if self.state.data in STATES else None


class AuditSearchForm(ListSearchForm):
    """The audit log's search and sort, and an outcome to show only."""

    outcome = SelectField(
        "Outcome",
        widget=GovSelect(),
        choices=[SelectChoice("", "Any outcome"), *(SelectChoice(*outcome) for outcome in OUTCOMES.items())],
        validate_choice=False,
    )

    def chosen_outcome(self) -> str | None:
        return self.outcome.data if self.outcome.data in OUTCOMES else None


class ActiveForm(FlaskForm):
    submit = SubmitField("Deactivate", widget=GovSubmitInput())


class InviteUserForm(OnceForm):
    full_name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter their full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )
    email = email_field("Email address", "Enter their email address")
    role = RadioField(
        "What kind of account?",
        widget=GovRadioInput(),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in INVITABLE_ROLES],
        validators=[InputRequired(message="Select the kind of account")],
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())
