"""Password reset and e-mail confirmation: single-use, time-limited links, no user enumeration, sessions ended."""

from __future__ import annotations

import email
import hashlib
import re
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select, text
from werkzeug.security import check_password_hash

from portal.clock import now
from portal.extensions import db
from portal.models import AccountToken, AuditEvent, OutboxMessage, User
from portal.services import recovery
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.pages import CSRF_FIELD, location_path, post_form, sign_in

NEW_PASSWORD = "marble kettle sunrise 42"
LINK = re.compile(r"http://127\.0\.0\.1:5000/(reset-password|verify-email)/([A-Za-z0-9_\-]+)")


def mailed_links(app, address: str, purpose: str = "reset-password") -> list[str]:
    """The links e-mailed to an address, oldest first, read from the .eml files the file sender wrote."""
    links = []
    for path in sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == address:
            body = message.get_body(("plain",)).get_content()
            links += [match.group(0) for match in LINK.finditer(body) if match.group(1) == purpose]
    return links


def ask_for_reset(client, address: str):
    return post_form(client, "/forgot-password", {"email": address})


def open_link(client, link: str):
    """Follow an e-mailed link as a browser does: it swaps the token for a token-free address."""
    response = client.get(link.replace("http://127.0.0.1:5000", ""))
    assert response.status_code == 302 and location_path(response) in ("/reset-password", "/verify-email")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    return client.get(location_path(response))


def subjects_to(address: str) -> list[str]:
    query = select(OutboxMessage.subject).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


@pytest.fixture
def user(session):
    return make_user("school")


def test_the_sign_in_page_links_to_the_reset_form(anonymous):
    assert b'href="/forgot-password"' in anonymous.get("/login").data


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(app, user, fresh_client):
    def answer(address: str):
        response = ask_for_reset(fresh_client(), address)
        page = fresh_client().get(location_path(response))
        # The page differs only by its per-response nonce and CSRF token.
        body = re.sub(rb'(nonce|value)="[^"]*"', b"", page.data)
        return response.status_code, location_path(response), page.status_code, body

    assert answer(user.email) == answer("nobody-here@example.org")
    assert subjects_to(user.email) == ["Reset your password"]
    assert subjects_to("nobody-here@example.org") == []


def test_a_reset_changes_the_password_ends_other_sessions_and_says_so(app, user, anonymous, login_as):
    other_browser = login_as(user)
    assert other_browser.get("/account").status_code == 200
    ask_for_reset(anonymous, user.email)
    (link,) = mailed_links(app, user.email)
    form = open_link(anonymous, link)
    assert form.status_code == 200 and b"Choose a new password" in form.data
    assert form.headers["Referrer-Policy"] == "same-origin"
    response = post_form(anonymous, "/reset-password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and location_path(response) == "/login"
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    assert location_path(other_browser.get("/account")).startswith("/login")  # signed out everywhere
    assert "Your password was changed" in subjects_to(user.email)
    assert sign_in(anonymous, user.email, NEW_PASSWORD).status_code == 302
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == user.id))
    assert {"password.reset_requested", "password.reset"} <= set(actions)


def test_a_used_link_is_refused_and_changes_nothing(app, user, fresh_client):
    ask_for_reset(fresh_client(), user.email)
    (link,) = mailed_links(app, user.email)
    first = fresh_client()
    open_link(first, link)
    post_form(first, "/reset-password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = open_link(fresh_client(), link)
    assert again.status_code == 400 and b"This link has expired or has already been used" in again.data
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, NEW_PASSWORD)


def test_an_expired_link_is_refused(app, user, fresh_client, monkeypatch):
    ask_for_reset(fresh_client(), user.email)
    (link,) = mailed_links(app, user.email)
    monkeypatch.setenv("PORTAL_FAKE_NOW", (now() + timedelta(minutes=61)).isoformat())
    client = fresh_client()
    assert open_link(client, link).status_code == 400
    response = post_form(client, "/reset-password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400
    db.session.refresh(user)
    assert check_password_hash(user.password_hash, DEFAULT_PASSWORD)


def test_a_new_link_kills_the_older_one(app, user, fresh_client):
    ask_for_reset(fresh_client(), user.email)
    ask_for_reset(fresh_client(), user.email)
    older, newer = mailed_links(app, user.email)
    assert open_link(fresh_client(), older).status_code == 400
    assert open_link(fresh_client(), newer).status_code == 200


def test_an_unknown_or_garbage_token_gets_a_clear_page(anonymous):
    for token in ("nope", "x" * 500, "%00"):
        response = anonymous.get(f"/reset-password/{token}", follow_redirects=True)
        assert response.status_code == 400
        assert b"This link has expired or has already been used" in response.data


def test_a_weak_password_is_refused_and_the_link_still_works(app, user, anonymous):
    ask_for_reset(anonymous, user.email)
    (link,) = mailed_links(app, user.email)
    open_link(anonymous, link)
    weak = post_form(anonymous, "/reset-password", {"password": "short", "confirm": "short"})
    assert weak.status_code == 200 and b"Password must be 12 characters or more" in weak.data
    mismatch = post_form(anonymous, "/reset-password", {"password": NEW_PASSWORD, "confirm": "other words here"})
    assert b"The two passwords do not match" in mismatch.data
    ok = post_form(anonymous, "/reset-password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert ok.status_code == 302


def test_the_database_holds_only_token_hashes_and_sent_mail_has_the_link_removed(app, user, anonymous):
    ask_for_reset(anonymous, user.email)
    (link,) = mailed_links(app, user.email)
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43  # 256 bits
    record = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert record.expires_at - record.created_at <= timedelta(hours=1)
    for table in ("account_tokens", "outbox_messages", "audit_events"):
        rows = db.session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608 (fixed table names)
        assert token not in repr(rows), f"the raw token is stored in {table}"


def test_too_many_requests_for_one_address_are_refused_without_more_mail(user, anonymous):
    statuses = [ask_for_reset(anonymous, user.email).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert subjects_to(user.email).count("Reset your password") == 5


def test_a_deactivated_account_gets_no_link(user, anonymous):
    user.active = False
    db.session.flush()
    assert ask_for_reset(anonymous, user.email).status_code == 302
    assert subjects_to(user.email) == []


# E-mail address confirmation


def test_registering_sends_a_link_that_confirms_the_address(app, session, anonymous):
    from tests.factories import make_school

    school = make_school()
    data = {
        "school": school.urn,
        "full_name": "Sam Verify",
        "job_title": "PSHE lead",
        "email": "sam.verify@example.org",
        "phone": "01632 960 222",
        "password": "granite willow parade 7",
    }
    assert post_form(anonymous, "/register", data).status_code == 302
    (link,) = mailed_links(app, "sam.verify@example.org", "verify-email")
    page = open_link(anonymous, link)
    assert page.status_code == 200 and b"Confirm your email address" in page.data
    response = post_form(anonymous, "/verify-email", {})
    assert response.status_code == 302
    registered = db.session.scalar(select(User).where(User.email == "sam.verify@example.org"))
    assert registered.email_verified_at is not None
    assert open_link(anonymous, link).status_code == 400  # single use


def test_the_confirmation_link_can_be_sent_again_from_the_account_page(app, login_as):
    client = login_as("school")
    assert b"Send the confirmation link again" in client.get("/account").data
    response = post_form(client, "/account/confirm-email", {})
    assert location_path(response) == "/account"
    assert len(mailed_links(app, client.user.email, "verify-email")) == 1


def test_the_confirmation_link_is_sent_again_at_most_three_times_an_hour(app, login_as):
    client = login_as("school")
    for _ in range(3):
        assert location_path(post_form(client, "/account/confirm-email", {})) == "/account"
    refused = post_form(client, "/account/confirm-email", {})
    assert refused.status_code == 429 and "Too many attempts" in refused.get_data(as_text=True)
    assert len(mailed_links(app, client.user.email, "verify-email")) == 3


def test_a_verify_token_cannot_reset_a_password(user, session):
    current = now()
    recovery.start_verification(user, current)
    record = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    assert record.purpose == "verify"
    assert recovery.find_token("anything", recovery.RESET, current) is None


# Preferences


def test_a_user_turns_reminders_off_and_on_from_the_account_page(login_as):
    client = login_as("school")
    page = client.get("/account")
    assert b"Do you want reminder emails?" in page.data
    assert location_path(post_form(client, "/account", {"reminders": "no"})) == "/account"
    db.session.refresh(client.user)
    assert client.user.wants_reminders is False
    post_form(client, "/account", {"reminders": "yes"})
    db.session.refresh(client.user)
    assert client.user.wants_reminders is True
    empty = post_form(client, "/account", {})
    assert empty.status_code == 200 and b"Select whether you want reminder emails" in empty.data


def test_a_forged_host_header_never_reaches_the_reset_link(app, user, fresh_client):
    client = fresh_client()
    forged = {"Host": "attacker.example", "Origin": "http://attacker.example"}  # consistent, so the form is taken
    form = client.get("/forgot-password", headers=forged).get_data(as_text=True)
    token = CSRF_FIELD.search(form).group(1)
    data = {"email": user.email, "csrf_token": token}
    response = client.post("/forgot-password", data=data, headers=forged)
    assert response.status_code == 302
    (link,) = mailed_links(app, user.email)
    assert link.startswith("http://127.0.0.1:5000/reset-password/")  # the configured address, whatever the Host
    body = db.session.scalars(select(OutboxMessage.body_text).where(OutboxMessage.to_address == user.email)).one()
    assert "attacker.example" not in body
