"""Making or changing a request in steps, for school staff and council officers alike: the form, the preferred
dates (chosen from the dates given), then a check-your-answers page that sends it (GOV.UK's question pages and
check answers pattern).

The answers wait in the person's signed session cookie between the steps, under a scope naming the school and
season (or the request being changed): nothing is saved until the check page is sent, and a new request is then
saved once however often that page is sent (portal.web.form_tokens).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

import flask
from flask import current_app, flash, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from portal.domain.calendars import by_week, weekdays_in_words
from portal.domain.requests import RequestDraft
from portal.models import Request, School, Season
from portal.services import requests
from portal.web.auth.delivery import send_mail_soon
from portal.web.form_tokens import save_once
from portal.web.request_forms import (
    PreferredDatesForm,
    RequestForm,
    SaveChangesForm,
    SendRequestForm,
    day_label,
)
from portal.web.transactions import after_commit

T = TypeVar("T")
DRAFT_KEY = "request_draft"
COOKIE_BUDGET = 3800  # bytes of the signed session cookie; browsers keep up to 4096 with its name and attributes


def keep_draft(scope: str, draft: RequestDraft) -> None:
    session[DRAFT_KEY] = encoded(scope, draft)


def fits_in_session(scope: str, draft: RequestDraft) -> bool:
    """Whether the answers, with every date preferred, still fit the session cookie (browsers drop a cookie over
    4 KB): only text in scripts that JSON escapes six bytes a character, a thousand characters long, does not."""
    serializer = current_app.session_interface.get_signing_serializer(current_app)
    largest = encoded(scope, replace(draft, preferred_dates=draft.dates))
    return len(serializer.dumps({**session, DRAFT_KEY: largest})) <= COOKIE_BUDGET


def encoded(scope: str, draft: RequestDraft) -> dict:
    return {
        "scope": scope,
        "production": draft.production_id,
        "years": {str(year): pupils for year, pupils in draft.year_groups.items() if pupils},
        "dates": sorted(day.isoformat() for day in draft.dates),
        "preferred": sorted(day.isoformat() for day in draft.preferred_dates),
        "slots": sorted(draft.slot_ids),
        "staff": draft.staff_in_hall,
        "dsl": [draft.dsl_name, draft.dsl_email, draft.dsl_phone],
        "notes": draft.access_notes,
    }


def kept_draft(scope: str) -> RequestDraft | None:
    """The answers kept for this scope, or None (none kept, another request's, or unreadable)."""
    kept = session.get(DRAFT_KEY)
    if not isinstance(kept, dict) or kept.get("scope") != scope:
        return None
    try:
        dsl_name, dsl_email, dsl_phone = kept["dsl"]
        return RequestDraft(
            production_id=kept["production"],
            year_groups={int(year): int(pupils) for year, pupils in kept["years"].items()},
            dates=frozenset(date.fromisoformat(day) for day in kept["dates"]),
            preferred_dates=frozenset(date.fromisoformat(day) for day in kept["preferred"]),
            slot_ids=frozenset(int(slot) for slot in kept["slots"]),
            staff_in_hall=int(kept["staff"]),
            dsl_name=dsl_name,
            dsl_email=dsl_email,
            dsl_phone=dsl_phone,
            access_notes=kept["notes"],
        )
    except (KeyError, TypeError, ValueError):
        return None


def forget_draft() -> None:
    session.pop(DRAFT_KEY, None)


class NoDraft(Exception):  # noqa: N818 (not an error: the answers were sent already, or never given)
    """The check page was sent without answers kept for it."""


@dataclass(frozen=True)
class Answers:
    """A draft in words, for the check-your-answers page."""

    production: str
    years: list[str]
    weeks: list[str]
    preferred: list[str]
    slots: list[str]
    days: int


def answers_of(season: Season, draft: RequestDraft) -> Answers:
    productions = {production.id: production.title for production in season.productions}
    return Answers(
        production=productions.get(draft.production_id, ""),
        years=[f"Year {year}: {pupils} pupils" for year, pupils in sorted(draft.year_groups.items()) if pupils],
        weeks=[
            f"Week beginning {monday.day} {monday:%B %Y}: {weekdays_in_words(days)}"
            for monday, days in by_week(draft.dates).items()
        ],
        preferred=[day_label(day) for day in sorted(draft.preferred_dates)],
        slots=[f"{slot.code} ({slot.label})" for slot in season.slots if slot.id in draft.slot_ids],
        days=len(draft.dates),
    )


@dataclass
class RequestSteps:
    """One school's new request in a season, or one request being changed, by the signed-in person."""

    season: Season
    school: School
    request: Request | None  # None: a new request
    area: str  # the blueprint whose endpoints the steps use: "school", or "council" acting for the school
    url_args: dict[str, int]
    back_url: str  # where the form's back link goes
    title: str  # the form page's heading
    saved_message: str = "Your changes have been saved."  # shown on the request's page after a change

    @property
    def endpoint(self) -> str:
        """The form's endpoint; the other steps add "_preferred" and "_check" to it."""
        return f"{self.area}.request_new" if self.request is None else f"{self.area}.request_edit"

    @property
    def detail_endpoint(self) -> str:
        return f"{self.area}.request_detail"

    @property
    def sent_endpoint(self) -> str:
        return f"{self.area}.request_sent"

    @property
    def on_behalf(self) -> bool:
        return self.area == "council"

    @property
    def scope(self) -> str:
        if self.request is not None:
            return f"edit:{self.request.id}"
        return f"new:{self.season.id}:{self.school.id}"

    def url(self, step: str = "", **query) -> str:
        return url_for(self.endpoint + step, **self.url_args, **query)

    def others(self) -> list[Request]:
        """The school's other live requests in the season: their productions cannot be asked for again."""
        return [other for other in requests.live_requests_in(self.school, self.season) if other is not self.request]

    def render(self, template: str, **context) -> str:
        return render_template(
            template,
            season=self.season,
            school=self.school,
            request_=self.request,
            steps=self,
            on_behalf=self.on_behalf,
            **context,
        )

    def existing_request(self, others: list[Request]) -> Response | None:
        """Before a new request is filled in: when the school already has a request for every production of the
        season, the person is sent to it, and told why."""
        if self.request is not None or not others:
            return None
        if not {production.id for production in self.season.productions} <= {o.production_id for o in others}:
            return None
        deadline = f"{self.season.request_deadline.day} {self.season.request_deadline:%B %Y}"
        who = self.school.name if self.on_behalf else "Your school"
        flash(f"{who} already has a request for {self.season.name}. You can change it here until {deadline}.")
        return redirect(url_for(self.detail_endpoint, request_id=others[0].id))

    def form_step(self, today: date) -> Response | str:
        """The form: answers that pass every rule are kept, and the person goes on to the preferred dates (or back
        to the check page, when they came to change something other than the dates)."""
        others = self.others()
        existing = self.existing_request(others)
        if existing is not None:
            return existing
        kept = kept_draft(self.scope) if flask.request.args.get("change") else None
        earlier = kept or (requests.draft_of(self.request) if self.request is not None else None)
        taken = {other.production_id for other in others}
        form = RequestForm()
        form.set_choices(
            [production for production in self.season.productions if production.id not in taken],
            requests.open_days(self.season),
            self.season.slots,
        )
        if not form.is_submitted():
            if earlier is not None:
                form.fill_from(earlier)
            elif len(form.production.choices) == 1:
                form.production.data = form.production.choices[0].value
        draft = self.checked_draft(form, earlier, today)
        if draft is not None:
            keep_draft(self.scope, draft)
            return redirect(self.url("_check" if kept is not None and kept.dates == draft.dates else "_preferred"))
        return self.render(
            "school/request_form.html", title=self.title, form=form, back_url=self.back_url, others=others
        )

    def checked_draft(self, form: RequestForm, earlier: RequestDraft | None, today: date) -> RequestDraft | None:
        """The form's answers when they pass the fields' checks and the season's rules (every problem shown at
        once), else None."""
        if not form.is_submitted():
            return None
        fields_ok = form.validate()
        draft = form.to_draft(earlier.preferred_dates if earlier is not None else frozenset())
        problems = requests.draft_refusals(self.season, self.school, draft, today, self.request)
        form.show_problems(problems)
        if not fields_ok or problems or form.weeks.errors:
            return None
        if not fits_in_session(self.scope, draft):
            form.access_notes.errors.append("Access notes are too long to keep: shorten them")
            return None
        return draft

    def preferred_step(self) -> Response | str:
        draft = kept_draft(self.scope)
        if draft is None:
            return self.existing_request(self.others()) or redirect(self.url())
        form = PreferredDatesForm()
        form.set_choices(sorted(draft.dates))
        if not form.is_submitted():
            form.preferred_dates.data = [day.isoformat() for day in sorted(draft.preferred_dates)]
        if form.validate_on_submit():
            keep_draft(self.scope, replace(draft, preferred_dates=form.chosen() & draft.dates))
            return redirect(self.url("_check"))
        return self.render(
            "school/request_preferred_dates.html",
            title="Which of your dates would you prefer?",
            form=form,
            back_url=self.url(change=1),
        )

    def check_step(
        self, save: Callable[[RequestDraft], T], done: Callable[[T], Response], shown_at: Callable[[T], str]
    ) -> Response | str:
        """The answers to look over, each with a Change link; sending the page saves them with save(draft).

        A new request is saved once: a repeat of the page is sent to shown_at(the request made first)."""
        draft = kept_draft(self.scope)
        form = SendRequestForm() if self.request is None else SaveChangesForm()
        if form.validate_on_submit():
            try:
                made = self.save(form, draft, save, shown_at)
            except NoDraft:
                made = None
            except requests.RequestError as error:
                form.submit.errors = [*form.submit.errors, *error.problems.values()]
                made = None
            if made is not None:
                forget_draft()
                if self.request is None:
                    after_commit(send_mail_soon)  # the acknowledgement the confirmation page says was sent
                return done(made)
        if draft is None:
            changed = flask.request.method == "POST" and self.request is not None
            return redirect(self.back_url if changed else self.url())
        title = "Check your answers before sending your request" if self.request is None else "Check your changes"
        return self.render(
            "school/request_check.html",
            title=title,
            form=form,
            answers=answers_of(self.season, draft),
            draft=draft,
            back_url=self.url("_preferred"),
        )

    def send_step(self, sender, today: date) -> Response | str:
        """The check page of a new request: sending it saves the request once and shows its reference."""
        return self.check_step(
            lambda draft: requests.send_request(sender, self.school, self.season, draft, today),
            lambda made: redirect(url_for(self.sent_endpoint, request_id=made.id)),
            lambda made: url_for(self.detail_endpoint, request_id=made.id),
        )

    def save_step(self, editor, today: date) -> Response | str:
        """The check page of a change: saving it changes the request and goes back to its page."""

        def saved(request: Request) -> Response:
            flash(self.saved_message, "success")
            return redirect(url_for(self.detail_endpoint, request_id=request.id))

        return self.check_step(
            lambda draft: requests.update_request(editor, self.request, draft, today),
            saved,
            lambda request: url_for(self.detail_endpoint, request_id=request.id),
        )

    def save(
        self, form, draft: RequestDraft | None, save: Callable[[RequestDraft], T], shown_at: Callable[[T], str]
    ) -> T:
        def create() -> T:
            if draft is None:
                raise NoDraft
            return save(draft)

        return save_once(form, create, shown_at) if self.request is None else create()


def steps_for_new_request(season: Season, school: School, area: str, back_url: str) -> RequestSteps:
    """The steps of a new request; area is the blueprint ("school" or "council") whose endpoints they use."""
    url_args = {"season_id": season.id} if area == "school" else {"school_id": school.id, "season_id": season.id}
    return RequestSteps(
        season=season,
        school=school,
        request=None,
        area=area,
        url_args=url_args,
        back_url=back_url,
        title="Request a performance",
    )


def steps_for_change(request: Request, area: str, title: str, saved_message: str) -> RequestSteps:
    return RequestSteps(
        season=request.season,
        school=request.school,
        request=request,
        area=area,
        url_args={"request_id": request.id},
        back_url=url_for(f"{area}.request_detail", request_id=request.id),
        title=title,
        saved_message=saved_message,
    )
