"""Personal API tokens: made and revoked on the account pages, shown once, stored hashed, audited, and what a
bearer request may and may not do (no session, no cookie, no CSRF token needed, rate limited per token)."""

from __future__ import annotations

import hashlib
import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from portal import create_app
from portal.config import ROOT, ConfigError, load_config
from portal.extensions import db
from portal.models import ApiToken, AuditEvent, OutboxMessage, Role, UserSession
from portal.web.api.auth import bearer_token
from tests.conftest import make_test_config
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.conftest import FreshContextClient
from tests.integration.pages import csrf_token, location_path, post_form, sign_in

RAW_TOKEN = re.compile(r'id="api-token"[^>]*value="([A-Za-z0-9_-]{43,})"')


def create_on_page(client, name: str = "Reach spreadsheet") -> str:
    """Create a token through the page, as a person would, and return the raw token it shows."""
    response = post_form(client, "/account/api-tokens", {"name": name})
    assert response.status_code == 200
    match = RAW_TOKEN.search(response.get_data(as_text=True))
    assert match, "the new token is shown on the page"
    return match.group(1)


@pytest.fixture
def bearer(app, session):
    """A browser-less caller: no cookie jar, so any cookie the server set would be visible in the response only."""
    return FreshContextClient(app, app.response_class, use_cookies=False)


def auth(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def audit_actions(session, token_id: int) -> list[str]:
    query = select(AuditEvent.action).where(AuditEvent.object_type == "api_token", AuditEvent.object_id == token_id)
    return list(session.scalars(query.order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", ["company", "council", "admin"])
def test_a_token_is_shown_once_and_only_its_hash_is_kept(login_as, session, role):
    client = login_as(role)
    raw = create_on_page(client)
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == client.user.id))
    assert token.name == "Reach spreadsheet"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {str(value) for value in session.execute(select(ApiToken.__table__)).one()}
    listing = client.get("/account/api-tokens").get_data(as_text=True)
    assert "Reach spreadsheet" in listing and raw not in listing
    assert audit_actions(session, token.id) == ["api_token.created"]


def test_the_page_that_shows_a_token_keeps_its_address_from_other_sites_and_is_not_cached(login_as):
    response = post_form(login_as(Role.COUNCIL), "/account/api-tokens", {"name": "Script"})
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_token_needs_a_name(login_as, session):
    client = login_as(Role.COMPANY)
    response = post_form(client, "/account/api-tokens", {"name": "  "})
    assert "Enter a name for the token" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_tokens_are_256_bit_and_all_different(login_as):
    client = login_as(Role.COMPANY)
    raws = {create_on_page(client, f"token {n}") for n in range(5)}
    assert len(raws) == 5 and all(len(raw) >= 43 for raw in raws)


def test_the_list_shows_name_created_and_last_used(app, login_as, bearer):
    client = login_as(Role.COUNCIL)
    raw = create_on_page(client)
    assert "Never" in client.get("/account/api-tokens").get_data(as_text=True)
    assert bearer.get("/api/v1/reach", headers=auth(raw)).status_code == 200
    assert "Never" not in client.get("/account/api-tokens").get_data(as_text=True)


def test_a_bearer_request_needs_no_cookie_and_starts_no_session(login_as, session, bearer):
    raw = create_on_page(login_as(Role.COUNCIL))
    sessions_before = session.scalar(select(func.count()).select_from(UserSession))
    for path in ("/api/v1/reach", "/api/v1/performances"):
        response = bearer.get(path, headers=auth(raw))
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
    assert session.scalar(select(func.count()).select_from(UserSession)) == sessions_before
    session.expire_all()
    assert session.scalar(select(ApiToken)).last_used_at is not None


def test_a_revoked_token_gets_a_401_and_the_revocation_is_audited(login_as, session, bearer):
    client = login_as(Role.COMPANY)
    raw = create_on_page(client)
    token = session.scalar(select(ApiToken))
    assert bearer.get("/api/v1/performances", headers=auth(raw)).status_code == 200
    response = post_form(client, f"/account/api-tokens/{token.id}/revoke")
    assert location_path(response) == "/account/api-tokens"
    response = bearer.get("/api/v1/performances", headers=auth(raw))
    assert response.status_code == 401 and response.is_json
    assert "You have no API tokens" in client.get("/account/api-tokens").get_data(as_text=True)
    assert audit_actions(session, token.id) == ["api_token.created", "api_token.revoked"]


def test_nobody_can_revoke_someone_elses_token(login_as, session, bearer):
    raw = create_on_page(login_as(Role.COMPANY))
    token = session.scalar(select(ApiToken))
    response = post_form(login_as(Role.ADMIN), f"/account/api-tokens/{token.id}/revoke")
    assert response.status_code == 404
    assert bearer.get("/api/v1/performances", headers=auth(raw)).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-token",
        "Bearer " + "x" * 43,
        "Bearer ",
        "Bearer " + "x" * 5000,
        "Basic dXNlcjpwYXNz",
        "bearer",
    ],
)
def test_an_unknown_or_malformed_token_gets_a_401_in_json(bearer, header):
    response = bearer.get("/api/v1/reach", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.is_json and "error" in response.get_json()
    assert "Set-Cookie" not in response.headers


def test_a_bad_token_is_not_rescued_by_a_signed_in_session(login_as):
    client = login_as(Role.COUNCIL)
    assert client.get("/api/v1/reach").status_code == 200
    assert client.get("/api/v1/reach", headers=auth("not-a-token")).status_code == 401


def test_a_deactivated_users_token_stops_working(login_as, session, bearer):
    client = login_as(Role.COUNCIL)
    raw = create_on_page(client)
    client.user.active = False
    session.flush()
    assert bearer.get("/api/v1/reach", headers=auth(raw)).status_code == 401


def test_a_token_carries_its_owners_role(login_as, bearer):
    raw = create_on_page(login_as(Role.COMPANY))
    assert bearer.get("/api/v1/performances", headers=auth(raw)).status_code == 200
    response = bearer.get("/api/v1/reach", headers=auth(raw))
    assert response.status_code == 403 and response.is_json


def test_school_staff_have_no_api_token_pages_and_no_link_to_them(login_as, world):
    client = login_as(world.users["school"])
    assert client.get("/account/api-tokens").status_code == 404
    assert post_form(client, "/account/api-tokens", {"name": "Mine"}).status_code == 404
    assert "/account/api-tokens" not in client.get("/account").get_data(as_text=True)


def test_the_account_page_links_to_the_tokens_for_api_roles(login_as):
    assert "/account/api-tokens" in login_as(Role.COUNCIL).get("/account").get_data(as_text=True)


def test_creating_a_token_without_the_csrf_token_is_refused(login_as, session):
    client = login_as(Role.COUNCIL)
    assert client.post("/account/api-tokens", data={"name": "Forged"}).status_code == 400
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_the_number_of_live_tokens_is_capped(login_as, session):
    client = login_as(Role.COMPANY)
    for n in range(10):
        create_on_page(client, f"token {n}")
    response = post_form(client, "/account/api-tokens", {"name": "one too many"})
    assert "revoke one you no longer use" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(ApiToken)) == 10


def test_the_api_is_rate_limited_per_token(app, login_as, bearer, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    first, second = create_on_page(login_as(Role.COUNCIL)), create_on_page(login_as(Role.COUNCIL))
    answers = [bearer.get("/api/v1/reach", headers=auth(first)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = bearer.get("/api/v1/reach", headers=auth(first))
    assert refused.is_json and "error" in refused.get_json()
    assert bearer.get("/api/v1/reach", headers=auth(second)).status_code == 200


def test_the_api_is_rate_limited_per_signed_in_person(app, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2 per minute")
    client, other = login_as(Role.COUNCIL), login_as(Role.COUNCIL)
    assert [client.get("/api/v1/reach").status_code for _ in range(3)] == [200, 200, 429]
    assert other.get("/api/v1/reach").status_code == 200


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, None), ("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", ""), ("Bearer", "")],
)
def test_bearer_token_reads_only_the_bearer_scheme(app, header, expected):
    headers = {"Authorization": header} if header is not None else {}
    with app.test_request_context(headers=headers):
        assert bearer_token() == expected


@pytest.fixture
def app_with_a_posting_endpoint(tmp_path):
    """A separate app with one POST endpoint on the API blueprint: the API itself is read-only today."""
    app = create_app(make_test_config(tmp_path, f"sqlite:///{tmp_path / 'portal.db'}"))
    app.add_url_rule("/api/v1/echo", endpoint="api.echo", view_func=lambda: {"ok": True}, methods=["POST"])
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        email = make_user(Role.COUNCIL).email
        db.session.commit()
        db.session.remove()  # no transaction left open: SQLite would keep its write lock
    yield app, email
    with app.app_context():
        db.engine.dispose()


def test_only_bearer_requests_skip_the_csrf_check(app_with_a_posting_endpoint):
    app, email = app_with_a_posting_endpoint
    browser = FreshContextClient(app, app.response_class)
    assert sign_in(browser, email, DEFAULT_PASSWORD).status_code == 302
    refused = browser.post("/api/v1/echo")
    assert refused.status_code == 400 and refused.is_json
    assert browser.post("/api/v1/echo", headers={"X-CSRFToken": csrf_token(browser)}).status_code == 200
    raw = create_on_page(browser)
    script = FreshContextClient(app, app.response_class, use_cookies=False)
    assert script.post("/api/v1/echo", headers=auth(raw)).status_code == 200
    assert script.post("/api/v1/echo").status_code == 401


# A new password revokes every personal API token: a token made with a stolen password must not outlive the change.

NEW_PASSWORD = "violet kestrel lantern harbour"


def outbox_body(session, address: str, subject: str) -> str:
    query = select(OutboxMessage).where(OutboxMessage.to_address == address, OutboxMessage.subject == subject)
    return session.scalars(query.order_by(OutboxMessage.id.desc())).first().body_text


def test_changing_the_password_revokes_every_api_token_and_says_so(login_as, session, bearer):
    client = login_as(Role.COUNCIL)
    first, second = create_on_page(client, "Script"), create_on_page(client, "Spreadsheet")
    other_users = create_on_page(login_as(Role.COUNCIL))
    page = client.get("/account/password").get_data(as_text=True)
    assert "every personal API token you have made stops working" in page

    response = post_form(
        client,
        "/account/password",
        {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )

    assert location_path(response) == "/account"
    assert "any personal API tokens have been revoked" in client.get("/account").get_data(as_text=True)
    for raw in (first, second):
        assert bearer.get("/api/v1/reach", headers=auth(raw)).status_code == 401
    assert bearer.get("/api/v1/reach", headers=auth(other_users)).status_code == 200  # only this person's tokens
    assert "You have no API tokens" in client.get("/account/api-tokens").get_data(as_text=True)
    body = outbox_body(session, client.user.email, "Your password was changed")
    assert "Your 2 personal API tokens were revoked" in body and "401" in body
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "api_token.revoked_all")).all()
    assert [(event.object_id, event.after) for event in events] == [(client.user.id, {"count": 2})]


def test_a_refused_password_change_leaves_the_api_tokens_working(login_as, bearer):
    client = login_as(Role.COMPANY)
    raw = create_on_page(client)
    wrong = {"current_password": "not my password at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert post_form(client, "/account/password", wrong).status_code == 200
    assert bearer.get("/api/v1/performances", headers=auth(raw)).status_code == 200


def test_resetting_the_password_by_the_emailed_link_revokes_every_api_token(app, login_as, session, bearer, anonymous):
    from tests.integration.test_recovery import mailed_links, open_link

    client = login_as(Role.COMPANY)
    raw = create_on_page(client)
    post_form(anonymous, "/forgot-password", {"email": client.user.email})
    (link,) = mailed_links(app, client.user.email)
    page = open_link(anonymous, link).get_data(as_text=True)
    assert "every personal API token you have made stops working" in page
    response = post_form(anonymous, "/reset-password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert location_path(response) == "/login"
    assert bearer.get("/api/v1/performances", headers=auth(raw)).status_code == 401
    assert "Your 1 personal API token was revoked" in outbox_body(
        session, client.user.email, "Your password was changed"
    )


def test_the_password_changed_email_says_nothing_of_tokens_to_someone_without_any(login_as, session):
    client = login_as(Role.SCHOOL)
    post_form(
        client,
        "/account/password",
        {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert "API token" not in outbox_body(session, client.user.email, "Your password was changed")


def test_the_api_rate_is_a_setting_and_a_rate_that_cannot_be_read_stops_the_portal_starting():
    base = {"PORTAL_ENV": "test", "SECRET_KEY": "k" * 48}
    assert load_config(base)["API_RATE_LIMIT"] == "120 per minute"
    assert load_config(base | {"API_RATE_LIMIT": "600/hour"})["API_RATE_LIMIT"] == "600/hour"
    for unreadable in ("lots", "", "120 per fortnight"):
        with pytest.raises(ConfigError, match="API_RATE_LIMIT"):
            load_config(base | {"API_RATE_LIMIT": unreadable})
