"""Passwords after NCSC guidance: 12 to 128 characters of anything, a deny-list, scrypt hashes, nothing truncated."""

from __future__ import annotations

import gzip
import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.domain.passwords import COMMON_PASSWORDS_FILE, password_problem
from portal.extensions import db
from portal.models import User
from portal.services import accounts
from tests.integration.pages import location_path, post_form, sign_in

_emails = itertools.count(1)


def new_email() -> str:
    return f"staff.{next(_emails)}@school.example.org"


def register(client, school, email: str, password: str):
    data = {
        "school": school.urn,
        "full_name": "Pat Teacher",
        "job_title": "PSHE lead",
        "email": email,
        "phone": "01632 960 321",
        "password": password,
    }
    return post_form(client, "/register", data)


def account_count(session, email: str) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.email == email))


def allowed_password(email: str):
    return st.text(min_size=12, max_size=128).filter(lambda password: password_problem(password, email) is None)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_any_allowed_password_can_register_and_then_sign_in(fresh_client, world, data):
    email = new_email()
    password = data.draw(allowed_password(email), label="password")
    client = fresh_client()
    # Each example from its own address: registering is limited to a few an hour from one client.
    client.environ_base["REMOTE_ADDR"] = f"10.0.{next(_emails) % 250}.1"
    response = register(client, world.school_a, email, password)
    assert response.status_code == 302, "registration refused an allowed password"
    assert location_path(response) == "/register/sent"
    assert sign_in(fresh_client(), email, password).status_code == 302


@pytest.mark.parametrize("password", ["elevenchars", "x" * 5 + "yz1234", "ab cd ef gh", "🙂" * 11])
def test_a_password_under_twelve_characters_is_refused_and_no_account_made(fresh_client, session, world, password):
    assert len(password) == 11
    email = new_email()
    response = register(fresh_client(), world.school_a, email, password)
    assert response.status_code == 200
    assert "Password must be 12 characters or more" in response.get_data(as_text=True)
    assert account_count(session, email) == 0


def test_a_password_over_128_characters_is_refused(fresh_client, session, world):
    email = new_email()
    response = register(fresh_client(), world.school_a, email, "a quite long passphrase " * 6)
    assert response.status_code == 200
    assert "128 characters or fewer" in response.get_data(as_text=True)
    assert account_count(session, email) == 0


def common_passwords_sample(size: int = 12) -> list[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        long_enough = sorted({line.strip() for line in handle if len(line.strip()) >= 12})
    return random.Random(2027).sample(long_enough, size)


@pytest.mark.parametrize("password", common_passwords_sample())
def test_a_common_password_is_refused(fresh_client, session, world, password):
    email = new_email()
    response = register(fresh_client(), world.school_a, email, password)
    assert response.status_code == 200
    assert "Password is too common" in response.get_data(as_text=True)
    assert account_count(session, email) == 0


def test_common_passwords_are_refused_whatever_their_case(fresh_client, session, world):
    (password,) = common_passwords_sample(1)
    email = new_email()
    response = register(fresh_client(), world.school_a, email, password.upper())
    assert "Password is too common" in response.get_data(as_text=True)


def test_equal_passwords_are_stored_as_different_scrypt_hashes(session, world):
    password = "seven tall giraffes drink tea"
    first = accounts.create_user(email=new_email(), password=password, role="council", full_name="One")
    second = accounts.create_user(email=new_email(), password=password, role="council", full_name="Two")
    assert first.password_hash.startswith("scrypt:")
    assert second.password_hash.startswith("scrypt:")
    assert first.password_hash != second.password_hash


def test_no_table_holds_the_plaintext_password(fresh_client, session, world):
    password = "PLAINTEXT-CANARY orange kettle 4417"
    email = new_email()
    client = fresh_client()
    assert register(client, world.school_a, email, password).status_code == 302
    sign_in(fresh_client(), email, password + " wrong")  # a failed sign-in is audited too
    session.expire_all()
    for table in db.metadata.sorted_tables:
        for row in session.execute(select(table)):
            assert "CANARY" not in repr(tuple(row)), f"{table.name} holds the password"


def test_passwords_are_not_truncated(fresh_client, session, world):
    """bcrypt would ignore everything past 72 bytes; two passwords sharing those bytes must not both work."""
    shared = "correct horse battery staple " * 3  # 87 characters
    password = shared[:72] + "the real ending"
    email = new_email()
    assert register(fresh_client(), world.school_a, email, password).status_code == 302
    assert sign_in(fresh_client(), email, shared[:72] + "another ending").status_code == 200
    assert sign_in(fresh_client(), email, password[:-1]).status_code == 200
    assert sign_in(fresh_client(), email, password).status_code == 302


def test_spaces_and_unicode_are_kept_exactly(fresh_client, session, world):
    password = "  ünïcødé 🙂 spaced  out  "
    email = new_email()
    assert register(fresh_client(), world.school_a, email, password).status_code == 302
    assert sign_in(fresh_client(), email, password.strip()).status_code == 200
    assert sign_in(fresh_client(), email, password).status_code == 302
