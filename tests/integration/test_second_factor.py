"""Administrators pass a second factor (an authenticator app's code) after their password, before any admin page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.config import ConfigError, load_config
from portal.models import AuditEvent, Role, UserSession
from tests.factories import DEFAULT_PASSWORD, make_user, pass_second_factor
from tests.integration.pages import csrf_token, location_path, post_form, sign_in

KEY = re.compile(r'id="set-up-key">([A-Z2-7 ]+)<')


def signed_in_with_password_only(fresh_client, user):
    client = fresh_client()
    assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    return client


def set_up_app(client) -> pyotp.TOTP:
    """Read the set-up key off the page as a person types it into their app, and confirm a first code."""
    page = client.get("/second-factor/set-up").get_data(as_text=True)
    totp = pyotp.TOTP(KEY.search(page).group(1).replace(" ", ""))
    response = post_form(client, "/second-factor/set-up", {"code": totp.now()}, follow_redirects=False)
    assert response.status_code == 302, response.get_data(as_text=True)
    return totp


def test_an_administrator_with_only_a_password_is_sent_to_set_up_the_app_first(fresh_client, session):
    admin = make_user(Role.ADMIN)
    client = signed_in_with_password_only(fresh_client, admin)

    response = client.get("/admin/")
    assert location_path(response) == "/second-factor?next=/admin/"
    assert location_path(client.get("/second-factor?next=/admin/")) == "/second-factor/set-up?next=/admin/"
    assert location_path(client.get("/admin/settings")).startswith("/second-factor")
    assert location_path(client.get("/reach/")).startswith("/second-factor")
    api = client.get("/api/v1/reach")
    assert api.status_code == 401 and api.get_json()["error"] == "second_factor_required"

    page = client.get("/second-factor/set-up").get_data(as_text=True)
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


def test_each_sign_in_needs_a_new_code_and_a_used_code_is_refused(fresh_client, session):
    admin = make_user(Role.ADMIN)
    totp = set_up_app(signed_in_with_password_only(fresh_client, admin))
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


def test_ten_wrong_codes_an_hour_are_the_most_allowed(fresh_client, session):
    admin = make_user(Role.ADMIN)
    client = signed_in_with_password_only(fresh_client, admin)
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


def test_an_administrator_can_reset_another_administrators_lost_app(fresh_client, login_as, session):
    colleague = make_user(Role.ADMIN)
    colleague_browser = signed_in_with_password_only(fresh_client, colleague)
    set_up_app(colleague_browser)
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
    set_up_app(signed_in_with_password_only(fresh_client, admin))
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
