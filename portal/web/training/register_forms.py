"""The form of a training session's register: who attended, ticked."""

from __future__ import annotations

from wtforms import SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice

from portal.domain.numbers import whole_number
from portal.web.form_tokens import OnceForm
from portal.web.widgets import GovCheckboxesInput, GovSubmitInput


class AttendanceForm(OnceForm):
    """One box per person with a place; sent twice (a double click), it is saved once (portal.web.form_tokens)."""

    attended = SelectMultipleField(
        "Who attended?", widget=GovCheckboxesInput(), coerce=whole_number, validate_choice=False
    )
    submit = SubmitField("Save attendance", widget=GovSubmitInput())

    def set_choices(self, bookings) -> None:
        self.attended.choices = [
            SelectChoice(booking.id, f"{booking.learner.user.full_name}, {booking.learner.organisation}")
            for booking in bookings
        ]
