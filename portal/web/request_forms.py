"""The request form as school staff and council officers both use it: its fields, choices and checks.

The form asks for the hall's free days week by week: a box per week (the season's performing days only, so school
holidays, weekends, bank holidays and blackout days never appear), and inside each week a box per day, all ticked,
to untick a day the hall is not free. Preferred dates are asked for on the next page, from the days chosen here.
The steps from the form to the saved request are in portal.web.request_steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.domain.calendars import by_week, weekdays_in_words
from portal.domain.numbers import whole_number
from portal.domain.requests import YEAR_GROUPS, RequestDraft, chosen_days
from portal.web.fields import YearGroupCountsForm, database_id, database_ids, email_field, number_field
from portal.web.form_tokens import OnceForm
from portal.web.widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)

NOTES_LIMIT = 1000
# Domain problems name concepts; the error summary must link to a field that exists on the page.
PROBLEM_FIELDS = {"year_groups": "year_7", "season": "weeks", "dates": "weeks", "preferred_dates": "weeks"}


def day_label(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def day_choices(days: list[date]) -> list[SelectChoice]:
    return [SelectChoice(day.isoformat(), day_label(day)) for day in days]


def parse_days(values) -> tuple[set[date], bool]:
    """The ISO dates among the posted values, and whether every value was one."""
    days, all_dates = set(), True
    for value in values or []:
        try:
            days.add(date.fromisoformat(value))
        except (TypeError, ValueError):
            all_dates = False
    return days, all_dates


@dataclass(frozen=True)
class WeekOption:
    """One week of the form: its box, and the boxes of its days (for the GOV.UK checkboxes macro)."""

    monday: date
    label: str  # "4 January 2027"
    summary: str  # "Monday to Friday (5 days)"
    days: list[dict]


class RequestForm(YearGroupCountsForm):
    production = RadioField(
        "Which production do you want?", widget=GovRadioInput(), coerce=whole_number, validate_choice=False
    )
    weeks = SelectMultipleField("Which weeks is your hall free?", widget=GovCheckboxesInput(), validate_choice=False)
    # Shown inside each week (templates/macros/request_weeks.html); only the days of ticked weeks count.
    dates = SelectMultipleField("Days your hall is free", validate_choice=False)
    slots = SelectMultipleField(
        "At which times of day is your hall free?",
        widget=GovCheckboxesInput(),
        coerce=whole_number,
        validate_choice=False,
    )
    staff_in_hall = number_field("Number of staff in the hall", 1, 50)
    dsl_name = StringField(
        "Name of the Designated Safeguarding Lead who will attend",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the name of the DSL who will attend"), Length(max=200)],
    )
    dsl_email = email_field("DSL’s email address", "Enter the DSL’s email address")
    dsl_phone = StringField(
        "DSL’s phone number",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the DSL’s phone number"),
            Length(min=6, max=40, message="Enter a phone number, like 01632 960 001"),
        ],
    )
    access_notes = TextAreaField(
        "Access notes (optional)",
        widget=GovCharacterCount(),
        validators=[
            Optional(),
            Length(max=NOTES_LIMIT, message=f"Access notes must be {NOTES_LIMIT} characters or fewer"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def set_choices(self, productions, days: list[date], slots) -> None:
        self.open_days = days
        self.production.choices = [SelectChoice(production.id, production.title) for production in productions]
        self.weeks.choices = [
            SelectChoice(monday.isoformat(), f"Week beginning {monday.day} {monday:%B %Y}") for monday in by_week(days)
        ]
        self.dates.choices = day_choices(days)
        self.slots.choices = [SelectChoice(slot.id, f"{slot.code} ({slot.label})") for slot in slots]

    def week_options(self) -> list[WeekOption]:
        """Each week with its days: a day is ticked if it was chosen, or if its week was not (so that ticking the
        week, with or without JavaScript, offers the whole week)."""
        chosen_weeks, ticked = set(self.weeks.data or []), set(self.dates.data or [])
        options = []
        for monday, days in by_week(self.open_days).items():
            chosen = monday.isoformat() in chosen_weeks
            items = [
                {
                    "value": day.isoformat(),
                    "text": f"{day:%A} {day.day} {day:%B}",
                    "checked": day.isoformat() in ticked if chosen else True,
                }
                for day in days
            ]
            summary = f"{weekdays_in_words(days)} ({len(days)} day{'s' if len(days) != 1 else ''})"
            options.append(WeekOption(monday, f"{monday.day} {monday:%B %Y}", summary, items))
        return options

    def chosen_dates(self) -> frozenset[date]:
        weeks, weeks_ok = parse_days(self.weeks.data)
        days, days_ok = parse_days(self.dates.data)
        if not (weeks_ok and days_ok):
            self.weeks.errors.append("Select weeks and days from the list")
        return chosen_days(weeks, days)

    def to_draft(self, preferred: frozenset[date] = frozenset()) -> RequestDraft:
        """The answers as a draft; preferred dates (asked for on the next page) are kept where still chosen."""
        dates = self.chosen_dates()
        return RequestDraft(
            production_id=database_id(self.production.data),
            year_groups=self.year_counts(),
            dates=dates,
            preferred_dates=frozenset(preferred) & dates,
            slot_ids=frozenset(database_ids(self.slots.data)),
            staff_in_hall=self.staff_in_hall.data or 0,
            dsl_name=self.dsl_name.data or "",
            dsl_email=self.dsl_email.data or "",
            dsl_phone=self.dsl_phone.data or "",
            access_notes=self.access_notes.data or "",
        )

    def fill_from(self, draft: RequestDraft) -> None:
        self.production.data = draft.production_id
        for year in YEAR_GROUPS:
            getattr(self, f"year_{year}").data = draft.year_groups.get(year) or None
        self.weeks.data = [monday.isoformat() for monday in by_week(draft.dates)]
        self.dates.data = [day.isoformat() for day in sorted(draft.dates)]
        self.slots.data = sorted(draft.slot_ids)
        self.staff_in_hall.data = draft.staff_in_hall or None
        for name in ("dsl_name", "dsl_email", "dsl_phone", "access_notes"):
            getattr(self, name).data = getattr(draft, name)

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            field = getattr(self, PROBLEM_FIELDS.get(name, name))
            if not field.errors:  # a field's own error (e.g. "must be a whole number") comes first
                field.errors.append(message)


class PreferredDatesForm(FlaskForm):
    preferred_dates = SelectMultipleField(
        "Which of your dates would you prefer?", widget=GovCheckboxesInput(), validate_choice=False
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def set_choices(self, days: list[date]) -> None:
        self.preferred_dates.choices = day_choices(days)

    def chosen(self) -> frozenset[date]:
        return frozenset(parse_days(self.preferred_dates.data)[0])


class SendRequestForm(OnceForm):
    """The check-your-answers page's button that makes the request: sent twice, it makes one."""

    submit = SubmitField("Send request", widget=GovSubmitInput())


class SaveChangesForm(FlaskForm):
    """The check-your-answers page's button that saves changes to a request."""

    submit = SubmitField("Save changes", widget=GovSubmitInput())
