"""Administrators pass a second factor (an authenticator app's code) after their password, before any admin page.

Setting the app up needs a single-use link e-mailed to the account's address: the password alone is not enough.
"""

from __future__ import annotations

import email
import hashlib
import re
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import select

from portal import create_app
from portal.config import ConfigError, load_config
from portal.jobs import huey
from portal.models import AccountToken, AuditEvent, Role, UserSession
from portal.services import second_factor
from tests.conftest import rolled_back_session
from tests.factories import DEFAULT_PASSWORD, make_user, pass_second_factor
from tests.integration.conftest import FreshContextClient
from tests.integration.pages import csrf_token, location_path, post_form, sign_in

KEY = re.compile(r'id="set-up-key">([A-Z2-7 ]+)<')
SET_UP_LINK = re.compile(r"http://127\.0\.0\.1:5000(/second-factor/link/[A-Za-z0-9_\-]+)")
ASK_FOR_A_LINK = "Email me a set-up link"


def signed_in_with_password_only(fresh_client, user):
    client = fresh_client()
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    return client


def mailed_set_up_links(app, address: str) -> list[str]:
    """The set-up links e-mailed to an address (their paths), oldest first, read from the .eml files sent."""
    links = []
    for path in sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == address:
            links += SET_UP_LINK.findall(message.get_body(("plain",)).get_content())
    return links


def ask_for_a_link(app, client, address: str) -> str:
    """Press "Email me a set-up link" and return the path of the link the e-mail carries."""
    response = post_form(client, "/second-factor/set-up/email")
    assert location_path(response) == "/second-factor/set-up"
    return mailed_set_up_links(app, address)[-1]


def open_link(client, link: str):
    response = client.get(link)
    assert response.status_code == 302 and location_path(response) == "/second-factor/set-up"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    return client.get("/second-factor/set-up")


def set_up_app(app, client, address: str) -> pyotp.TOTP:
    """Follow an e-mailed link, read the set-up key off the page as a person types it into their app, and confirm a
    first code."""
    page = open_link(client, ask_for_a_link(app, client, address)).get_data(as_text=True)
    totp = pyotp.TOTP(KEY.search(page).group(1).replace(" ", ""))
    response = post_form(client, "/second-factor/set-up", {"code": totp.now()}, follow_redirects=False)
    assert response.status_code == 302, response.get_data(as_text=True)
    return totp


def test_an_administrator_with_only_a_password_is_sent_to_set_up_the_app_first(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    client = signed_in_with_password_only(fresh_client, admin)

    response = client.get("/admin/")
    assert location_path(response) == "/second-factor?next=/admin/"
    assert location_path(client.get("/second-factor?next=/admin/")) == "/second-factor/set-up?next=/admin/"
    assert location_path(client.get("/admin/settings")).startswith("/second-factor")
    assert location_path(client.get("/reach/")).startswith("/second-factor")
    api = client.get("/api/v1/reach")
    assert api.status_code == 401 and api.get_json()["error"] == "second_factor_required"

    page = open_link(client, ask_for_a_link(app, client, admin.email)).get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page and KEY.search(page)
    assert 'href="/admin/"' not in page  # no menu of pages that would only send them back here
    qr = client.get("/second-factor/set-up/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    assert qr.headers["Cache-Control"] == "no-store"

    wrong = post_form(client, "/second-factor/set-up?next=/admin/", {"code": "000000"})
    assert wrong.status_code == 200 and "Enter the 6-digit code" in wrong.get_data(as_text=True)
    assert location_path(client.get("/admin/")).startswith("/second-factor")

    secret = KEY.search(page).group(1).replace(" ", "")
    right = post_form(client, "/second-factor/set-up?next=/admin/", {"code": pyotp.TOTP(secret).now()})
    assert location_path(right) == "/admin/"
    assert client.get("/admin/").status_code == 200
    session.refresh(admin)
    assert admin.totp_enabled_at is not None and admin.totp_secret == secret
    assert client.get("/second-factor/set-up/qr.svg").status_code == 404  # the key is never shown again


def test_each_sign_in_needs_a_new_code_and_a_used_code_is_refused(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    totp = set_up_app(app, signed_in_with_password_only(fresh_client, admin), admin.email)
    used = totp.now()

    later = signed_in_with_password_only(fresh_client, admin)
    assert location_path(later.get("/admin/")) == "/second-factor?next=/admin/"
    replayed = post_form(later, "/second-factor?next=/admin/", {"code": used})
    assert replayed.status_code == 200 and "Enter the 6-digit code" in replayed.get_data(as_text=True)
    # The app's next code (a phone clock a little ahead is allowed for): accepted, once.
    next_code = totp.at(datetime.now(UTC) + timedelta(seconds=30))
    assert (
        location_path(post_form(later, "/second-factor?next=/admin/", {"code": f"{next_code[:3]} {next_code[3:]}"}))
        == "/admin/"
    )
    assert later.get("/admin/").status_code == 200
    outcomes = session.scalars(
        select(AuditEvent.outcome).where(AuditEvent.action == "second_factor.checked", AuditEvent.object_id == admin.id)
    ).all()
    assert outcomes == ["failed", "ok"]


def test_ten_wrong_codes_an_hour_are_the_most_allowed(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    client = signed_in_with_password_only(fresh_client, admin)
    open_link(client, ask_for_a_link(app, client, admin.email))
    token = csrf_token(client, "/second-factor/set-up")
    statuses = [
        client.post("/second-factor/set-up", data={"code": "000000", "csrf_token": token}).status_code
        for _ in range(11)
    ]
    assert statuses == [200] * 10 + [429]


def test_other_roles_have_no_second_factor_pages_and_are_not_asked(login_as):
    for role in (Role.SCHOOL, Role.COMPANY, Role.COUNCIL):
        client = login_as(role)
        assert client.get("/second-factor").status_code == 404
        assert client.get("/second-factor/set-up/qr.svg").status_code == 404
        assert client.get("/account").status_code == 200


def test_an_administrator_can_reset_another_administrators_lost_app(app, fresh_client, login_as, session):
    colleague = make_user(Role.ADMIN)
    colleague_browser = signed_in_with_password_only(fresh_client, colleague)
    set_up_app(app, colleague_browser, colleague.email)
    admin = login_as(Role.ADMIN)

    page = admin.get(f"/admin/users/{colleague.id}").get_data(as_text=True)
    assert "Reset second factor" in page
    response = post_form(admin, f"/admin/users/{colleague.id}/second-factor/reset")
    assert location_path(response) == f"/admin/users/{colleague.id}"

    session.refresh(colleague)
    assert colleague.totp_secret is None and colleague.totp_enabled_at is None
    assert location_path(colleague_browser.get("/admin/")).startswith("/login")  # signed out everywhere
    assert location_path(signed_in_with_password_only(fresh_client, colleague).get("/admin/")).startswith(
        "/second-factor"
    )


def test_flask_users_reset_second_factor(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    set_up_app(app, signed_in_with_password_only(fresh_client, admin), admin.email)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-second-factor", "--email", admin.email.upper()])
    assert result.exit_code == 0, result.output
    session.refresh(admin)
    assert admin.totp_enabled_at is None
    unknown = runner.invoke(args=["users", "reset-second-factor", "--email", "nobody@example.org"])
    assert unknown.exit_code == 1 and "no account" in unknown.output


def test_the_roles_that_need_a_second_factor_are_a_setting(tmp_path):
    base = {"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(tmp_path)}
    assert load_config(base)["SECOND_FACTOR_ROLES"] == {"admin"}
    assert load_config({**base, "SECOND_FACTOR_ROLES": "admin, company"})["SECOND_FACTOR_ROLES"] == {"admin", "company"}
    with pytest.raises(ConfigError, match="theatre"):
        load_config({**base, "SECOND_FACTOR_ROLES": "admin,theatre"})


def test_a_session_that_passed_the_second_factor_keeps_it_until_it_ends(login_as, session):
    admin = login_as(Role.ADMIN)
    record = session.scalars(select(UserSession).where(UserSession.user_id == admin.user.id)).one()
    assert record.second_factor_at is not None
    pass_second_factor(admin.user)  # idempotent
    assert admin.get("/admin/").status_code == 200


# The first set-up needs the mailbox as well as the password.


def test_knowing_only_the_password_cannot_set_up_the_app(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    intruder = signed_in_with_password_only(fresh_client, admin)

    page = intruder.get("/second-factor/set-up?next=/admin/").get_data(as_text=True)
    assert ASK_FOR_A_LINK in page and admin.email in page
    assert not KEY.search(page) and "/second-factor/set-up/qr.svg" not in page
    assert intruder.get("/second-factor/set-up/qr.svg").status_code == 404
    for code in ("000000", "123456"):
        again = post_form(intruder, "/second-factor/set-up", {"code": code})
        assert again.status_code == 200 and ASK_FOR_A_LINK in again.get_data(as_text=True)
    forged = intruder.get("/second-factor/link/" + "A" * 43)  # a made-up link changes nothing either
    assert location_path(forged) == "/second-factor/set-up"
    assert "has expired, has already been used" in intruder.get("/second-factor/set-up").get_data(as_text=True)

    session.refresh(admin)
    assert (admin.totp_secret, admin.totp_enabled_at) == (None, None)
    assert location_path(intruder.get("/admin/")).startswith("/second-factor")
    assert mailed_set_up_links(app, admin.email) == []


def test_the_emailed_link_sets_up_the_app_once(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    client = signed_in_with_password_only(fresh_client, admin)
    link = ask_for_a_link(app, client, admin.email)
    record = session.scalar(select(AccountToken).where(AccountToken.user_id == admin.id))
    assert record.purpose == "enrol" and record.expires_at - record.created_at == timedelta(minutes=60)
    assert record.token_hash == hashlib.sha256(link.rsplit("/", 1)[1].encode()).hexdigest()  # only the hash is kept

    set_up_page = open_link(client, link)
    totp = pyotp.TOTP(KEY.search(set_up_page.get_data(as_text=True)).group(1).replace(" ", ""))
    assert location_path(post_form(client, "/second-factor/set-up", {"code": totp.now()})) == "/admin/"
    session.refresh(admin)
    assert admin.totp_enabled_at is not None

    session.refresh(record)
    assert record.used_at is not None
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == admin.id)).all()
    assert {"second_factor.link_sent", "second_factor.set_up"} <= set(actions)

    # Spent: after a lost phone is reset, setting the app up again needs a new link.
    second_factor.reset(None, admin, datetime.now(UTC))
    again = signed_in_with_password_only(fresh_client, admin)
    page = open_link(again, link).get_data(as_text=True)
    assert ASK_FOR_A_LINK in page and not KEY.search(page)


def test_a_link_opened_before_signing_in_works_once_signed_in(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    link = ask_for_a_link(app, signed_in_with_password_only(fresh_client, admin), admin.email)
    phone = fresh_client()  # the e-mail opened on another device, signed out
    assert location_path(phone.get("/second-factor/set-up")).startswith("/login")
    open_link_response = phone.get(link)
    assert location_path(open_link_response) == "/second-factor/set-up"
    assert location_path(phone.get("/second-factor/set-up")).startswith("/login")
    assert sign_in(phone, admin.email, DEFAULT_PASSWORD).status_code == 302
    assert KEY.search(phone.get("/second-factor/set-up").get_data(as_text=True))


def test_the_link_alone_without_the_password_shows_nothing(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    link = ask_for_a_link(app, signed_in_with_password_only(fresh_client, admin), admin.email)
    stranger = fresh_client()
    stranger.get(link)
    assert location_path(stranger.get("/second-factor/set-up")).startswith("/login")
    assert stranger.get("/second-factor/set-up/qr.svg").status_code == 302


def test_a_link_sent_to_one_administrator_does_not_set_up_another(app, fresh_client, session):
    owner, other = make_user(Role.ADMIN), make_user(Role.ADMIN)
    link = ask_for_a_link(app, signed_in_with_password_only(fresh_client, owner), owner.email)
    client = signed_in_with_password_only(fresh_client, other)
    page = open_link(client, link).get_data(as_text=True)
    assert ASK_FOR_A_LINK in page and not KEY.search(page)
    assert client.get("/second-factor/set-up/qr.svg").status_code == 404


def test_a_set_up_link_expires_after_an_hour(app, fresh_client, session, monkeypatch):
    admin = make_user(Role.ADMIN)
    client = signed_in_with_password_only(fresh_client, admin)
    link = ask_for_a_link(app, client, admin.email)
    monkeypatch.setenv("PORTAL_FAKE_NOW", (datetime.now(UTC) + timedelta(minutes=61)).isoformat())
    later = signed_in_with_password_only(fresh_client, admin)
    page = open_link(later, link).get_data(as_text=True)
    assert ASK_FOR_A_LINK in page and not KEY.search(page)


def test_at_most_three_set_up_links_an_hour(app, fresh_client, session):
    admin = make_user(Role.ADMIN)
    client = signed_in_with_password_only(fresh_client, admin)
    token = csrf_token(client, "/second-factor/set-up")
    statuses = [client.post("/second-factor/set-up/email", data={"csrf_token": token}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mailed_set_up_links(app, admin.email)) == 3


def test_an_administrator_already_set_up_is_sent_no_link(app, login_as, session):
    client = login_as(Role.ADMIN)
    response = post_form(client, "/second-factor/set-up/email")
    assert location_path(response) == "/admin/"
    assert mailed_set_up_links(app, client.user.email) == []


def test_a_set_up_link_is_mailed_after_a_production_app_was_built_in_the_same_process(app, tmp_path):
    """The job queue is one per process; building a production app (as the header and cookie tests do) must not leave
    the test app queueing its mail for a consumer that never runs."""
    production = load_config(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "p" * 48,
            "REDIS_URL": "redis://127.0.0.1:6379/13",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.db'}",
            "PORTAL_INSTANCE": str(tmp_path),
        }
    )
    create_app(production)
    assert not huey.immediate
    with rolled_back_session(app):
        admin = make_user(Role.ADMIN)
        browser = signed_in_with_password_only(lambda: FreshContextClient(app, app.response_class), admin)
        assert ask_for_a_link(app, browser, admin.email)
