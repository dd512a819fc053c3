"""Helpers that drive the portal as a browser does: fetch a form's CSRF token, sign in, post forms."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from portal.clock import now
from portal.domain.form_tokens import new_token

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "werkzeug.debug", "sqlalchemy.exc")


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    """The CSRF token a page renders for this client's session (the sign-in page always has a form)."""
    response = client.get(page)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no csrf_token on {page} (status {response.status_code})"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict | None = None, **kwargs):
    """POST a form with a valid CSRF token and, unless data has one, a fresh one-time form token (as on the page).

    Forms that create something refuse a submission without a current form token (portal.web.form_tokens); other
    forms ignore the field. tests/integration/test_double_submissions.py takes the token from the page instead.
    """
    fields = {"form_token": new_token(now()), **(data or {}), "csrf_token": csrf_token(client)}
    return client.post(url, data=fields, **kwargs)


def sign_in(client: FlaskClient, email: str, password: str):
    return post_form(client, "/login", {"email": email, "password": password})


def location_path(response) -> str:
    """The path of a redirect's Location header (the test client may give it relative or absolute)."""
    location = response.headers.get("Location", "")
    return re.sub(r"^https?://[^/]+", "", location)


def assert_no_traceback(response) -> None:
    body = response.get_data(as_text=True)
    for marker in TRACEBACK_MARKERS:
        assert marker not in body, f"response leaks {marker!r}"


def request_form_data(season, **overrides) -> dict:
    """A complete, valid request form for the season (first production, first three open days, every slot), with
    the preferred date its second step asks for (send_request_form posts each step's fields to it)."""
    from portal.domain.calendars import week_start
    from portal.services.requests import open_days

    chosen = open_days(season)[:3]
    days = [day.isoformat() for day in chosen]
    data = {
        "production": str(season.productions[0].id),
        "year_9": "60",
        "weeks": sorted({week_start(day).isoformat() for day in chosen}),
        "dates": days,
        "preferred_dates": days[:1],
        "slots": [str(slot.id) for slot in season.slots],
        "staff_in_hall": "3",
        "dsl_name": "Dana Lead",
        "dsl_email": "dana.lead@example.org",
        "dsl_phone": "01632 960 555",
        "access_notes": "Park by the sports hall.",
    }
    data.update(overrides)
    return data


def send_request_form(client: FlaskClient, url: str, data: dict):
    """Make or change a request as a person does, step by step: the form at url, the preferred dates, then the
    check-your-answers page's button. Returns the first answer that is not a step forward, or the last one."""
    form = {name: value for name, value in data.items() if name != "preferred_dates"}
    response = post_form(client, url, form)
    if response.status_code != 302 or not location_path(response).endswith("/preferred-dates"):
        return response
    response = post_form(client, location_path(response), {"preferred_dates": data.get("preferred_dates", [])})
    if response.status_code != 302 or not location_path(response).endswith("/check"):
        return response
    return post_form(client, location_path(response))
