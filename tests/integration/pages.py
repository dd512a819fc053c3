"""Helpers that drive the portal as a browser does: fetch a form's CSRF token, sign in, post forms."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "werkzeug.debug", "sqlalchemy.exc")


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    """The CSRF token a page renders for this client's session (the sign-in page always has a form)."""
    response = client.get(page)
    match = CSRF_FIELD.search(response.get_data(as_text=True))
    assert match, f"no csrf_token on {page} (status {response.status_code})"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict | None = None, **kwargs):
    """POST a form with a valid CSRF token, as the rendered page would."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)


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
