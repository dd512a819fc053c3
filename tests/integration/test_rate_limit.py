"""Sign-in throttling: ten failed attempts an hour per account and client (a hundred per account), then a clear 429."""

from __future__ import annotations

import pytest

from portal.config import ConfigError, load_config
from tests.factories import DEFAULT_PASSWORD
from tests.integration.pages import csrf_token, post_form

LIMIT = 10


def attempt(client, token: str, email: str, password: str):
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def browser(fresh_client):
    client = fresh_client()
    return client, csrf_token(client)


def test_the_eleventh_failed_sign_in_for_an_email_is_refused_with_429(browser, world):
    client, token = browser
    email = world.users["council"].email
    for number in range(1, LIMIT + 1):
        response = attempt(client, token, email, f"wrong password {number}")
        assert response.status_code == 200, f"attempt {number} was refused"
    response = attempt(client, token, email, "wrong password 11")
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Too many attempts" in body
    assert "Wait an hour" in body


def test_once_locked_even_the_right_password_waits(browser, world):
    client, token = browser
    email = world.users["council"].email
    for number in range(LIMIT):
        attempt(client, token, email, f"wrong password {number}")
    assert attempt(client, token, email, DEFAULT_PASSWORD).status_code == 429


def test_the_limit_follows_the_email_address_however_it_is_written(browser, world):
    client, token = browser
    email = world.users["council"].email
    spellings = [email, email.upper(), f"  {email} ", email.title()]
    for number in range(LIMIT):
        attempt(client, token, spellings[number % len(spellings)], f"wrong password {number}")
    assert attempt(client, token, email.upper(), "wrong again").status_code == 429


def test_successful_sign_ins_do_not_count(fresh_client, world):
    email = world.users["council"].email
    for _ in range(LIMIT + 2):
        client = fresh_client()
        assert attempt(client, csrf_token(client), email, DEFAULT_PASSWORD).status_code == 302
    client = fresh_client()
    token = csrf_token(client)
    for number in range(LIMIT):
        assert attempt(client, token, email, f"wrong password {number}").status_code == 200
    assert attempt(client, token, email, "wrong password").status_code == 429


def test_the_limit_is_per_email_address(browser, fresh_client, world):
    client, token = browser
    for number in range(LIMIT + 1):
        attempt(client, token, world.users["council"].email, f"wrong password {number}")
    assert attempt(client, token, world.users["council"].email, "again").status_code == 429
    other = world.users["company"].email
    assert attempt(client, token, other, "wrong password").status_code == 200
    fresh = fresh_client()
    assert attempt(fresh, csrf_token(fresh), other, DEFAULT_PASSWORD).status_code == 302


def test_failed_attempts_for_unknown_addresses_are_limited_too(browser):
    client, token = browser
    for number in range(LIMIT):
        assert attempt(client, token, "nobody@example.org", f"guess {number}").status_code == 200
    assert attempt(client, token, "nobody@example.org", "guess").status_code == 429


def test_production_refuses_to_start_without_shared_storage_for_guess_counts(tmp_path):
    """Without REDIS_URL each gunicorn worker would keep its own count: two workers, twice the guesses."""
    environment = {
        "PORTAL_ENV": "production",
        "SECRET_KEY": "p" * 48,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "PORTAL_INSTANCE": str(tmp_path),
    }
    with pytest.raises(ConfigError, match="REDIS_URL"):
        load_config(environment)
    config = load_config({**environment, "REDIS_URL": "redis://127.0.0.1:6379/13"})
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/13"


# Failures count per account and client: someone who only knows an address cannot keep its owner out.

ATTACKER, OWNER = "203.0.113.9", "198.51.100.7"


def client_at(fresh_client, address: str):
    client = fresh_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client, csrf_token(client)


def test_an_attackers_wrong_passwords_from_elsewhere_do_not_keep_the_owner_out(fresh_client, world):
    email = world.users["council"].email
    attacker, attacker_token = client_at(fresh_client, ATTACKER)
    for number in range(LIMIT):
        assert attempt(attacker, attacker_token, email, f"wrong password {number}").status_code == 200
    assert attempt(attacker, attacker_token, email, "wrong again").status_code == 429
    assert attempt(attacker, attacker_token, email, DEFAULT_PASSWORD).status_code == 429  # locked, right or wrong

    owner, owner_token = client_at(fresh_client, OWNER)
    assert attempt(owner, owner_token, email, DEFAULT_PASSWORD).status_code == 302


def test_failures_spread_over_many_clients_meet_a_ceiling_ten_times_higher(fresh_client, world):
    email = world.users["council"].email
    for client_number in range(10):
        client, token = client_at(fresh_client, f"203.0.113.{client_number + 10}")
        for number in range(LIMIT):
            assert attempt(client, token, email, f"wrong {number}").status_code == 200, (client_number, number)
    client, token = client_at(fresh_client, OWNER)
    assert attempt(client, token, email, DEFAULT_PASSWORD).status_code == 429
    other, other_token = client_at(fresh_client, OWNER)
    assert attempt(other, other_token, world.users["company"].email, DEFAULT_PASSWORD).status_code == 302


def test_a_password_reset_clears_the_failed_sign_in_count(app, fresh_client, world):
    from tests.integration.test_recovery import NEW_PASSWORD, mailed_links, open_link

    email = world.users["council"].email
    owner, token = client_at(fresh_client, OWNER)
    for number in range(LIMIT):
        attempt(owner, token, email, f"forgot it {number}")
    assert attempt(owner, token, email, DEFAULT_PASSWORD).status_code == 429

    post_form(owner, "/forgot-password", {"email": email})
    (link,) = mailed_links(app, email)
    open_link(owner, link)
    assert post_form(owner, "/reset-password", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302

    token = csrf_token(owner)
    assert attempt(owner, token, email, NEW_PASSWORD).status_code == 302


def test_a_production_app_built_in_the_same_process_leaves_the_test_app_counting_in_its_own_memory(app, tmp_path):
    """The limiter is one object per process: building a production app (as the header and cookie tests do) binds it
    to Redis database 13, which every xdist worker shares; each test's session binds it back to the test app's
    memory."""
    from limits.storage import MemoryStorage

    from portal import create_app
    from portal.extensions import limiter
    from tests.conftest import rolled_back_session

    production = {"PORTAL_ENV": "production", "SECRET_KEY": "p" * 48, "REDIS_URL": "redis://127.0.0.1:6379/13"}
    production |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'production.db'}", "PORTAL_INSTANCE": str(tmp_path)}
    create_app(load_config(production))
    assert not isinstance(limiter._storage, MemoryStorage)
    with rolled_back_session(app):
        assert isinstance(limiter._storage, MemoryStorage)
