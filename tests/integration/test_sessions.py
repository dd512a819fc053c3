"""Sessions: cookie flags, no fixation, logout and deactivation end them, idle and absolute time-outs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal import create_app
from portal.config import load_config
from portal.models import UserSession
from tests.factories import DEFAULT_PASSWORD
from tests.integration.pages import csrf_token, location_path, post_form, sign_in
from tests.policy import HOME


def cookie_header(response, name: str) -> str:
    (header,) = [value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}=")]
    return header


def flags(header: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}


@pytest.fixture
def production_app(tmp_path):
    """The portal as configured for production (no database work is needed for the pages used here)."""
    config = load_config(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "p" * 48,
            "REDIS_URL": "redis://127.0.0.1:6379/13",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.db'}",
            "PORTAL_INSTANCE": str(tmp_path),
        }
    )
    return create_app(config)


def test_session_cookie_is_httponly_and_samesite_lax(fresh_client, world):
    response = sign_in(fresh_client(), world.users["council"].email, DEFAULT_PASSWORD)
    header = cookie_header(response, "session")
    assert {"httponly", "samesite"} <= flags(header)
    assert "SameSite=Lax" in header
    assert "secure" not in flags(header)  # plain http in development and tests


def test_production_session_cookie_is_secure_and_host_prefixed(production_app):
    response = production_app.test_client().get("/login", base_url="https://portal.example.org")
    header = cookie_header(response, "__Host-session")
    assert {"secure", "httponly", "samesite", "path"} <= flags(header)
    assert "SameSite=Lax" in header
    assert "Path=/" in header
    assert "domain" not in flags(header)  # a __Host- cookie must not name a domain


def test_production_config_refuses_to_start_without_a_secret_key(tmp_path):
    from portal.config import ConfigError

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"PORTAL_ENV": "production", "DATABASE_URL": "sqlite://", "PORTAL_INSTANCE": str(tmp_path)})


def test_nothing_put_in_the_session_before_sign_in_survives_it(app, fresh_client, world):
    client = fresh_client()
    client.get("/login")
    with app.app_context(), client.session_transaction() as before:
        before["planted"] = "by an attacker"
        old_csrf = before.get("csrf_token")
    assert sign_in(client, world.users["school"].email, DEFAULT_PASSWORD).status_code == 302
    with app.app_context(), client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("csrf_token") != old_csrf


def test_a_fresh_session_token_is_issued_at_each_sign_in(app, fresh_client, world):
    tokens = []
    for _ in range(2):
        client = fresh_client()
        sign_in(client, world.users["school"].email, DEFAULT_PASSWORD)
        with app.app_context(), client.session_transaction() as stored:
            tokens.append(stored["sid"])
    assert tokens[0] != tokens[1]


def test_the_database_keeps_only_a_hash_of_the_session_token(app, session, fresh_client, world):
    client = fresh_client()
    sign_in(client, world.users["school"].email, DEFAULT_PASSWORD)
    with app.app_context(), client.session_transaction() as stored:
        token = stored["sid"]
    hashes = list(session.scalars(select(UserSession.token_hash)))
    assert hashes and token not in hashes


def test_replaying_the_cookie_after_sign_out_is_sent_to_sign_in(fresh_client, login_as, world):
    client = login_as(world.users["school"])
    old_cookie = client.get_cookie("session").value
    response = post_form(client, "/logout")
    assert location_path(response).startswith("/login")
    thief = fresh_client()
    thief.set_cookie("session", old_cookie)
    response = thief.get("/school/")
    assert response.status_code == 302
    assert location_path(response).startswith("/login")


@pytest.mark.parametrize("role", ["pending", "school", "company", "council", "admin"])
def test_successful_sign_in_goes_to_the_roles_home(fresh_client, world, role):
    user = world.pending if role == "pending" else world.users[role]
    response = sign_in(fresh_client(), user.email, DEFAULT_PASSWORD)
    assert response.status_code == 302
    expected = "/school/" if role == "pending" else HOME[role].to  # a pending user's home sends them to wait
    assert location_path(response) == expected


def test_after_thirty_one_idle_minutes_a_role_page_asks_to_sign_in_again(login_as, world, monkeypatch):
    client = login_as(world.users["council"])
    later = datetime.now(UTC) + timedelta(minutes=31)
    monkeypatch.setenv("PORTAL_FAKE_NOW", later.isoformat())
    response = client.get("/council/")
    assert response.status_code == 302
    assert location_path(response).startswith("/login")


def test_twenty_nine_idle_minutes_keep_the_session(login_as, world, monkeypatch):
    client = login_as(world.users["council"])
    monkeypatch.setenv("PORTAL_FAKE_NOW", (datetime.now(UTC) + timedelta(minutes=29)).isoformat())
    assert client.get("/council/").status_code == 200


def test_a_timed_out_session_stays_ended_when_the_clock_is_moved_back(login_as, world, monkeypatch):
    client = login_as(world.users["council"])
    monkeypatch.setenv("PORTAL_FAKE_NOW", (datetime.now(UTC) + timedelta(minutes=31)).isoformat())
    client.get("/council/")
    monkeypatch.delenv("PORTAL_FAKE_NOW")
    assert location_path(client.get("/council/")).startswith("/login")


def test_an_active_session_still_ends_after_twelve_hours(login_as, world, monkeypatch):
    client = login_as(world.users["council"])
    start = datetime.now(UTC)
    for minutes in range(20, 12 * 60, 20):  # busy all day: never idle for long
        monkeypatch.setenv("PORTAL_FAKE_NOW", (start + timedelta(minutes=minutes)).isoformat())
        assert client.get("/council/").status_code == 200, f"signed out after {minutes} minutes"
    monkeypatch.setenv("PORTAL_FAKE_NOW", (start + timedelta(hours=12, minutes=1)).isoformat())
    assert location_path(client.get("/council/")).startswith("/login")


def test_deactivating_a_user_ends_their_sessions_at_once(login_as, session, world):
    victim = login_as(world.target)
    assert victim.get("/school/").status_code == 200
    admin = login_as(world.users["admin"])
    response = post_form(admin, f"/admin/users/{world.target.id}/active")
    assert response.status_code == 302
    response = victim.get("/school/")
    assert response.status_code == 302
    assert location_path(response).startswith("/login")
    session.expire_all()
    live = session.scalars(
        select(UserSession).where(UserSession.user_id == world.target.id, UserSession.ended_at.is_(None))
    )
    assert list(live) == []


def test_a_deactivated_user_cannot_sign_in_again(fresh_client, login_as, world):
    admin = login_as(world.users["admin"])
    post_form(admin, f"/admin/users/{world.target.id}/active")
    response = sign_in(fresh_client(), world.target.email, DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_changing_a_users_role_ends_their_sessions(login_as, world):
    victim = login_as(world.target)
    admin = login_as(world.users["admin"])
    response = post_form(admin, f"/admin/users/{world.target.id}", {"role": "council"})
    assert response.status_code == 302
    assert location_path(victim.get("/council/")).startswith("/login")


def test_keep_alive_resets_the_idle_clock(login_as, world, monkeypatch):
    client = login_as(world.users["council"])
    token = csrf_token(client)
    start = datetime.now(UTC)
    monkeypatch.setenv("PORTAL_FAKE_NOW", (start + timedelta(minutes=25)).isoformat())
    assert client.post("/session/keep-alive", data={"csrf_token": token}).status_code == 200
    monkeypatch.setenv("PORTAL_FAKE_NOW", (start + timedelta(minutes=50)).isoformat())
    assert client.get("/council/").status_code == 200


# Only POST /logout ends a session: the signed-out page is where the idle timeout's script lands afterwards.


def live_sessions(session, user) -> int:
    session.expire_all()
    query = select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    return len(session.scalars(query).all())


def test_a_plain_get_of_the_signed_out_page_leaves_the_person_signed_in(session, login_as, world):
    client = login_as(world.users["council"])
    response = client.get("/signed-out", headers={"Referer": "https://elsewhere.example/"})
    assert response.status_code == 302 and location_path(response) == "/council/"
    assert client.get("/council/").status_code == 200
    assert live_sessions(session, world.users["council"]) == 1


def test_the_idle_timeout_posts_to_logout_then_shows_the_signed_out_message(session, login_as, world):
    client = login_as(world.users["council"])
    response = post_form(client, "/logout", {"reason": "idle"})
    assert response.status_code == 302 and location_path(response) == "/signed-out"
    assert live_sessions(session, world.users["council"]) == 0
    shown = client.get("/signed-out")
    assert location_path(shown) == "/login?timeout=1"
    page = client.get(location_path(shown)).get_data(as_text=True)
    assert "You were signed out because you did nothing for 30 minutes" in page
    assert "You have signed out." not in page  # the idle sign-out says why instead
    assert location_path(client.get("/council/")).startswith("/login")


def test_signing_out_needs_the_pages_csrf_token(session, login_as, world):
    client = login_as(world.users["council"])
    assert client.post("/logout", data={"reason": "idle"}).status_code == 400
    assert client.get("/council/").status_code == 200
