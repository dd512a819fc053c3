"""The request form as school staff and council officers both use it: one place for its choices and checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.domain.numbers import whole_number
from portal.domain.requests import YEAR_GROUPS, RequestDraft
from portal.models import Request, Season
from portal.services import requests
from portal.web.fields import YearGroupCountsForm, database_id, database_ids, email_field, number_field
from portal.web.form_tokens import OnceForm, save_once

T = TypeVar("T")

NOTES_LIMIT = 1000


def day_choices(days: list[date]) -> list[SelectChoice]:
    return [SelectChoice(day.isoformat(), f"{day:%A} {day.day} {day:%B %Y}") for day in days]


class RequestForm(YearGroupCountsForm):
    production = RadioField(
        "Which production do you want?", widget=GovRadioInput(), coerce=whole_number, validate_choice=False
    )
    dates = SelectMultipleField("Which dates is your hall free?", widget=GovCheckboxesInput(), validate_choice=False)
    preferred_dates = SelectMultipleField(
        "Which of those dates would you prefer? (optional)", widget=GovCheckboxesInput(), validate_choice=False
    )
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
    submit = SubmitField("Send request", widget=GovSubmitInput())

    def set_choices(self, productions, days: list[date], slots) -> None:
        self.production.choices = [SelectChoice(production.id, production.title) for production in productions]
        self.dates.choices = day_choices(days)
        self.preferred_dates.choices = day_choices(days)
        self.slots.choices = [SelectChoice(slot.id, f"{slot.code} ({slot.label})") for slot in slots]

    def parsed_dates(self, field) -> frozenset[date]:
        days = set()
        for value in field.data or []:
            try:
                days.add(date.fromisoformat(value))
            except (TypeError, ValueError):
                field.errors.append("Select dates from the list")
        return frozenset(days)

    def to_draft(self) -> RequestDraft:
        return RequestDraft(
            production_id=database_id(self.production.data),
            year_groups=self.year_counts(),
            dates=self.parsed_dates(self.dates),
            preferred_dates=self.parsed_dates(self.preferred_dates),
            slot_ids=frozenset(database_ids(self.slots.data)),
            staff_in_hall=self.staff_in_hall.data or 0,
            dsl_name=self.dsl_name.data or "",
            dsl_email=self.dsl_email.data or "",
            dsl_phone=self.dsl_phone.data or "",
            access_notes=self.access_notes.data or "",
        )

    def fill_from(self, request_) -> None:
        self.production.data = request_.production_id
        pupils = {group.year_group: group.pupils for group in request_.year_groups}
        for year in YEAR_GROUPS:
            getattr(self, f"year_{year}").data = pupils.get(year)
        self.dates.data = [day.day.isoformat() for day in request_.dates]
        self.preferred_dates.data = [day.day.isoformat() for day in request_.dates if day.preferred]
        self.slots.data = [slot.slot_id for slot in request_.slots]
        for name in ("staff_in_hall", "dsl_name", "dsl_email", "dsl_phone", "access_notes"):
            getattr(self, name).data = getattr(request_, name)


class NewRequestForm(RequestForm, OnceForm):
    """The form that makes a request: sent twice, it makes one (portal.web.form_tokens)."""


# Domain problems name concepts; the error summary must link to a field that exists on the page.
PROBLEM_FIELDS = {"year_groups": "year_7", "season": "dates"}


def request_form_for(season: Season, request_: Request | None = None) -> RequestForm:
    """The form with the season's productions, days and slots; filled from the request when changing one."""
    form = RequestForm() if request_ is not None else NewRequestForm()
    form.set_choices(season.productions, requests.open_days(season), season.slots)
    if request_ is not None:
        form.submit.label.text = "Save changes"
        if not form.is_submitted():
            form.fill_from(request_)
    elif len(season.productions) == 1 and form.production.data is None:
        form.production.data = season.productions[0].id
    return form


def show_problems(form: RequestForm, problems: dict[str, str]) -> None:
    for name, message in problems.items():
        field = getattr(form, PROBLEM_FIELDS.get(name, name))
        if not field.errors:  # a field's own error (e.g. "must be a whole number") comes first
            field.errors.append(message)


def save_request_form(
    form: RequestForm,
    season: Season,
    save: Callable[[RequestDraft], T],
    shown_at: Callable[[T], str] | None = None,
) -> T | None:
    """Check the fields and the season's rules together (every problem shown at once), then save.

    A new request's form gives `shown_at` (the address of the request it made): it is then saved once, however
    often the form is sent.
    """
    if not form.is_submitted():
        return None
    fields_ok = form.validate()
    draft = form.to_draft()
    problems = requests.draft_problems(season, draft)
    show_problems(form, problems)
    if not fields_ok or problems:
        return None
    try:
        if shown_at is not None:
            return save_once(form, lambda: save(draft), shown_at)
        return save(draft)
    except requests.RequestError as error:
        show_problems(form, error.problems)
        return None
