"""A signed-in person changes their password; sensitive changes need the password entered in the last 15 minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from portal.models import AccountToken, AuditEvent, OutboxMessage, Role, UserSession
from portal.services import recovery
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.pages import location_path, post_form

NEW_PASSWORD = "violet kestrel lantern harbour"


def change(client, current: str = DEFAULT_PASSWORD, new: str = NEW_PASSWORD, confirm: str | None = None):
    return post_form(
        client,
        "/account/password",
        {"current_password": current, "password": new, "confirm": new if confirm is None else confirm},
    )


def make_stale(session, user, minutes: int = 16) -> None:
    """As if the password was last entered `minutes` ago in every session of the user."""
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id)
        .values(authenticated_at=datetime.now(UTC) - timedelta(minutes=minutes))
    )
    session.flush()


def test_the_account_page_links_to_the_change_password_page(login_as):
    client = login_as(Role.SCHOOL)
    assert 'href="/account/password"' in client.get("/account").get_data(as_text=True)
    page = client.get("/account/password").get_data(as_text=True)
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page


def test_changing_the_password_ends_other_sessions_keeps_this_one_and_says_so(session, login_as, anonymous):
    user = make_user(Role.COUNCIL)
    this_browser, other_browser = login_as(user), login_as(user)
    session.add(
        AccountToken(user=user, purpose="reset", token_hash="9" * 64, expires_at=datetime.now(UTC) + timedelta(hours=1))
    )
    session.flush()

    response = change(this_browser)

    assert response.status_code == 302 and location_path(response) == "/account"
    session.refresh(user)
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    assert this_browser.get("/account").status_code == 200
    assert location_path(other_browser.get("/account")).startswith("/login")
    assert recovery.find_token("9" * 64, recovery.RESET, datetime.now(UTC)) is None
    subjects = session.scalars(select(OutboxMessage.subject).where(OutboxMessage.to_address == user.email)).all()
    assert "Your password was changed" in subjects
    assert (
        session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == user.id))
        .all()
        .count("password.changed")
        == 1
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"current": "not my password at all"}, "Your current password is wrong"),
        ({"new": "short one"}, "12 characters or more"),
        ({"new": "password1234"}, "common"),
        ({"confirm": "something else entirely"}, "The two passwords do not match"),
        ({"new": DEFAULT_PASSWORD}, "not used for this account"),
    ],
)
def test_a_bad_change_is_explained_and_changes_nothing(session, login_as, fields, message):
    user = make_user(Role.SCHOOL)
    client = login_as(user)
    before = user.password_hash
    response = change(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    session.refresh(user)
    assert user.password_hash == before


def test_a_stale_session_can_read_but_must_enter_the_password_before_changing_a_role(session, login_as):
    admin, target = make_user(Role.ADMIN), make_user(Role.COMPANY)
    client = login_as(admin)
    make_stale(session, admin)

    assert client.get(f"/admin/users/{target.id}").status_code == 200
    response = post_form(client, f"/admin/users/{target.id}", {"role": "council"})
    assert response.status_code == 302
    assert location_path(response) == f"/confirm-password?next=/admin/users/{target.id}"
    session.refresh(target)
    assert target.role == Role.COMPANY

    wrong = post_form(client, location_path(response), {"password": "not the password"})
    assert wrong.status_code == 200 and "Enter your correct password" in wrong.get_data(as_text=True)
    right = post_form(client, location_path(response), {"password": DEFAULT_PASSWORD})
    assert location_path(right) == f"/admin/users/{target.id}"

    assert post_form(client, f"/admin/users/{target.id}", {"role": "council"}).status_code == 302
    session.refresh(target)
    assert target.role == Role.COUNCIL
    outcomes = session.scalars(
        select(AuditEvent.outcome).where(AuditEvent.action == "session.password_confirmed").order_by(AuditEvent.id)
    ).all()
    assert outcomes == ["failed", "ok"]


def test_a_stale_session_cannot_deactivate_an_account_or_make_an_api_token(session, login_as):
    admin, target = make_user(Role.ADMIN), make_user(Role.COMPANY)
    client = login_as(admin)
    make_stale(session, admin)
    response = post_form(
        client, f"/admin/users/{target.id}/active", headers={"Referer": f"http://localhost/admin/users/{target.id}"}
    )
    assert location_path(response) == f"/confirm-password?next=/admin/users/{target.id}"
    session.refresh(target)
    assert target.active
    response = post_form(client, "/account/api-tokens", {"name": "Spreadsheet"})
    assert location_path(response) == "/confirm-password?next=/account/api-tokens"


def test_a_stale_session_must_enter_the_password_before_changing_the_signposted_cse_team(session, login_as):
    from portal.services import settings

    admin = make_user(Role.ADMIN)
    client = login_as(admin)
    make_stale(session, admin)
    before = settings.get_setting("cse_team_phone")
    change = {"cse_team_name": "Someone Else", "cse_team_phone": "01632 960 666"}

    assert client.get("/admin/settings").status_code == 200  # reading needs no password
    response = post_form(client, "/admin/settings", change)
    assert location_path(response) == "/confirm-password?next=/admin/settings"
    assert settings.get_setting("cse_team_phone") == before

    post_form(client, location_path(response), {"password": DEFAULT_PASSWORD})
    assert location_path(post_form(client, "/admin/settings", change)) == "/admin/settings"
    assert settings.get_setting("cse_team_phone") == "01632 960 666"


def test_a_stale_session_must_enter_the_password_before_reissuing_a_calendar_feed(session, login_as):
    staff = make_user(Role.SCHOOL)
    client = login_as(staff)
    make_stale(session, staff)
    response = post_form(client, f"/feeds/school/{staff.school_id}/reissue", {"next": "/school/performances"})
    assert location_path(response) == "/confirm-password?next=/school/performances"


def test_a_stale_session_asking_for_another_schools_feed_gets_a_404_not_the_password_page(session, login_as):
    staff, other = make_user(Role.SCHOOL), make_user(Role.SCHOOL)
    client = login_as(staff)
    make_stale(session, staff)
    response = post_form(client, f"/feeds/school/{other.school_id}/reissue", {"next": "/school/performances"})
    assert response.status_code == 404


def test_a_session_signed_in_a_few_minutes_ago_needs_no_password_again(session, login_as):
    admin, target = make_user(Role.ADMIN), make_user(Role.COMPANY)
    client = login_as(admin)
    make_stale(session, admin, minutes=10)
    response = post_form(client, f"/admin/users/{target.id}", {"role": "council"})
    assert location_path(response) != "/confirm-password" and not location_path(response).startswith("/confirm")
    session.refresh(target)
    assert target.role == Role.COUNCIL


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_confirming_the_password_never_leaves_the_portal(login_as, target):
    client = login_as(Role.COUNCIL)
    response = post_form(client, f"/confirm-password?next={target}", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and location_path(response) == "/council/"
