"""Forms for the theatre company: field validation only."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from portal.domain.numbers import is_ascii_digits, whole_number
from portal.services.request_lists import DEFAULT_SORT, SORTS
from portal.web.fields import ClockTimeField, DecimalNumberField, GovDateField, YearGroupCountsForm, number_field
from portal.web.form_tokens import OnceForm
from portal.web.widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)


def required_date(label: str) -> GovDateField:
    return GovDateField(label, validators=[InputRequired(message=f"Enter the {label[0].lower() + label[1:]}")])


class SeasonForm(FlaskForm):
    name = StringField(
        "Season name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a name for the season"),
            Length(max=200, message="Season name must be 200 characters or fewer"),
        ],
    )
    starts_on = required_date("First day of performances")
    ends_on = required_date("Last day of performances")
    request_deadline = required_date("Request deadline")
    production_ids = SelectMultipleField(
        "Productions", widget=GovCheckboxesInput(), coerce=whole_number, validate_choice=False
    )
    speed_kmh = DecimalNumberField(
        "Average road speed (km/h)",
        validators=[
            InputRequired(message="Enter the average road speed"),
            NumberRange(5, 120, message="Average road speed must be between 5 and 120 km/h"),
        ],
    )
    road_factor = DecimalNumberField(
        "Road factor",
        validators=[
            InputRequired(message="Enter the road factor"),
            NumberRange(1, 3, message="Road factor must be between 1 and 3"),
        ],
    )
    changeover_minutes = number_field("Changeover between schools (minutes)", 0, 240)
    submit = SubmitField("Save season", widget=GovSubmitInput())

    def set_choices(self, productions) -> None:
        self.production_ids.choices = [
            SelectChoice(p.id, f"{p.title} ({p.duration_minutes} minutes, up to {p.audience_cap} pupils)")
            for p in productions
        ]


class NewSeasonForm(SeasonForm, OnceForm):
    """The form that creates a season: sent twice, it makes one (portal.web.form_tokens)."""


class ProductionForm(OnceForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the production’s title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    summary = TextAreaField(
        "Summary (optional)",
        widget=GovCharacterCount(),
        validators=[Optional(), Length(max=1000, message="Summary must be 1000 characters or fewer")],
    )
    duration_minutes = number_field("Length of the performance in minutes, including questions", 10, 240)
    audience_cap = number_field("Most pupils in one audience", 1, 1000)
    submit = SubmitField("Save production", widget=GovSubmitInput())


class SlotForm(OnceForm):
    code = StringField(
        "Slot name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a short name for the slot, like AM"),
            Length(max=20, message="Slot name must be 20 characters or fewer"),
        ],
    )
    starts_at = ClockTimeField("Start time", validators=[InputRequired(message="Enter the start time")])
    submit = SubmitField("Add slot", widget=GovSubmitInput())


class CastForm(FlaskForm):
    name = StringField(
        "Cast name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a name for the cast"),
            Length(max=100, message="Cast name must be 100 characters or fewer"),
        ],
    )
    max_per_day = number_field("Most performances in one day", 1, 3)
    production_ids = SelectMultipleField(
        "Productions this cast performs", widget=GovCheckboxesInput(), coerce=whole_number, validate_choice=False
    )
    days = SelectMultipleField("Days this cast is available", widget=GovCheckboxesInput(), validate_choice=False)
    submit = SubmitField("Save cast", widget=GovSubmitInput())

    def set_choices(self, productions, days: list[date]) -> None:
        self.production_ids.choices = [SelectChoice(p.id, p.title) for p in productions]
        self.days.choices = [SelectChoice(day.isoformat(), f"{day:%A} {day.day} {day:%B %Y}") for day in days]

    def parsed_days(self) -> list[date]:
        days = []
        for value in self.days.data or []:
            try:
                days.append(date.fromisoformat(value))
            except (TypeError, ValueError):
                self.days.errors.append("Select days from the list")
        return days


class NewCastForm(CastForm, OnceForm):
    """The form that adds a cast: sent twice, it adds one."""


class BlackoutForm(OnceForm):
    """One blackout day, or a range of them (a half-term week): every performing day from the first to the last."""

    day = required_date("First blackout day")
    last_day = GovDateField("Last blackout day (optional)")
    reason = StringField(
        "Reason (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message="Reason must be 200 characters or fewer")],
    )
    submit = SubmitField("Add blackout days", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that needs nothing but the CSRF token."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class RunForm(OnceForm):
    """Start a run; pins are the proposal's performances the tour manager ticked to keep."""

    pin = SelectMultipleField("Keep these performances", validate_choice=False)
    submit = SubmitField("Run the scheduler", widget=GovSubmitInput())

    def pins(self) -> list[dict]:
        parsed = []
        for value in self.pin.data or []:
            parts = str(value).split("|")
            if len(parts) == 5 and is_ascii_digits(parts[4]) and len(parts[4]) <= 9:
                request_id, day, slot, cast, pupils = parts
                parsed.append({"request": request_id, "date": day, "slot": slot, "cast": cast, "pupils": int(pupils)})
        return parsed


class PublishForm(FlaskForm):
    confirm_by = required_date("Schools must confirm by")
    submit = SubmitField("Publish to schools", widget=GovSubmitInput())


class MoveForm(FlaskForm):
    cast = RadioField("Cast", widget=GovRadioInput(), coerce=whole_number, validate_choice=False)
    day = required_date("New date")
    slot = RadioField("Time", widget=GovRadioInput(), coerce=whole_number, validate_choice=False)
    reason = StringField(
        "Reason (the school is told)",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the reason for the move"),
            Length(max=300, message="Reason must be 300 characters or fewer"),
        ],
    )
    submit = SubmitField("Move performance", widget=GovSubmitInput())

    def set_choices(self, season) -> None:
        self.cast.choices = [SelectChoice(cast.id, cast.name) for cast in season.casts]
        self.slot.choices = [SelectChoice(slot.id, f"{slot.code} ({slot.label})") for slot in season.slots]


class CancelForm(FlaskForm):
    reason = StringField(
        "Reason for cancelling (the school is told)",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the reason for cancelling"),
            Length(max=300, message="Reason must be 300 characters or fewer"),
        ],
    )
    submit = SubmitField("Cancel performance", widget=GovSubmitInput())


class DeliveryForm(YearGroupCountsForm):
    support_requests = number_field("Pupils who asked for support afterwards", 0, 1000)
    over_limits_reason = StringField(
        "Reason for going over the limits",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300, message="Reason must be 300 characters or fewer")],
    )
    submit = SubmitField("Record as delivered", widget=GovSubmitInput())

    def split_year_fields(self, years_asked: list[int]) -> tuple[list, list]:
        """The fields of the year groups the request asked for, then the others (for a real exception)."""
        asked = {f"year_{year}" for year in years_asked}
        fields = self.year_fields()
        return [field for field in fields if field.name in asked], [
            field for field in fields if field.name not in asked
        ]

    def over_limits_message(self, refusal: str) -> str:
        return (
            f"{refusal}. If these numbers are right, give the reason in ‘{self.over_limits_reason.label.text}’ "
            "and record them again: it is kept in this performance’s history"
        )


class DeliveryCorrectionForm(DeliveryForm):
    """A delivered performance's counts, corrected: the same limits as recording them, and why it changed."""

    correction_reason = StringField(
        "Why are you correcting the record?",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter why you are correcting the record"),
            Length(max=200, message="Reason must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Save the corrected record", widget=GovSubmitInput())

    @classmethod
    def with_counts(cls, counts: dict[int, int], support_requests: int | None) -> DeliveryCorrectionForm:
        """The form filled with the record as it stands (a submitted form keeps what was sent)."""
        return cls(support_requests=support_requests, **{f"year_{year}": pupils for year, pupils in counts.items()})

    def place_error(self, message: str, years_asked: list[int]) -> None:
        """A refusal of the counts, shown on the first year group the school asked for."""
        asked_fields, _others = self.split_year_fields(years_asked)
        (asked_fields or self.year_fields())[0].errors.append(message)


class RequestSearchForm(FlaskForm):
    """Search and sort a season's requests: read from the address (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Search by school name, URN, town or reference", widget=GovTextInput())
    sort = SelectField(
        "Sort by",
        widget=GovSelect(),
        choices=[SelectChoice(value, label) for value, label in SORTS.items()],
        default=DEFAULT_SORT,
        validate_choice=False,
    )
