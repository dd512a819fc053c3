"""Asking for an account: the same answer whether or not the address has one, password rules first, rate limited."""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import func, select

from portal.models import OutboxMessage, Role, User
from tests.factories import make_user
from tests.integration.pages import location_path, post_form, sign_in

PASSWORD = "granite willow parade 7"
REPEATED = "Someone asked for an account with your email address"
_numbers = itertools.count(1)


def new_address() -> str:
    return f"applicant.{next(_numbers)}@school.example.org"


def register(client, school, email: str, password: str = PASSWORD, full_name: str = "Pat Applicant"):
    data = {
        "school": school.urn,
        "full_name": full_name,
        "job_title": "PSHE lead",
        "email": email,
        "phone": "01632 960 321",
        "password": password,
    }
    return post_form(client, "/register", data)


def from_address(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def comparable(response, email: str) -> tuple:
    """What a person (or a script) can see of an answer: status, redirect, the names of the cookies set, and the body
    without the per-response nonce and CSRF token or the address they typed themselves."""
    body = re.sub(r'(nonce|value)="[^"]*"', "", response.get_data(as_text=True)).replace(email, "ADDRESS")
    cookies = sorted(cookie.split("=", 1)[0] for cookie in response.headers.getlist("Set-Cookie"))
    return response.status_code, location_path(response), cookies, body


def answer_and_page(fresh_client, school, email: str, password: str = PASSWORD) -> tuple:
    client = fresh_client()
    response = register(client, school, email, password)
    page = client.get(location_path(response)) if response.status_code == 302 else response
    return comparable(response, email), comparable(page, email)


def subjects_to(session, address: str) -> list[str]:
    query = select(OutboxMessage.subject).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(session.scalars(query))


def accounts_with(session, address: str) -> int:
    return session.scalar(select(func.count()).select_from(User).where(func.lower(User.email) == address.lower()))


@pytest.mark.parametrize("role", ["school", "company", "council", "admin"])
def test_an_address_with_an_account_gets_the_same_answer_as_a_new_one(session, fresh_client, world, role):
    owner = make_user(role)
    before = (owner.password_hash, owner.full_name, owner.role, owner.school_id)
    fresh = new_address()

    assert answer_and_page(fresh_client, world.school_a, owner.email.upper()) == answer_and_page(
        fresh_client, world.school_a, fresh
    )

    session.refresh(owner)
    assert (owner.password_hash, owner.full_name, owner.role, owner.school_id) == before
    assert accounts_with(session, owner.email) == 1
    # (a council officer is also told of the new applicant, as every officer is)
    assert [subject for subject in subjects_to(session, owner.email) if "approve" not in subject] == [REPEATED]
    assert subjects_to(session, fresh) == ["Confirm your email address"]


def test_the_owner_is_told_how_to_sign_in_or_reset_instead(app, session, fresh_client, world):
    owner = make_user(Role.SCHOOL)
    register(fresh_client(), world.school_b, owner.email)
    message = session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == owner.email))
    assert message.subject == REPEATED
    portal = app.config["PORTAL_URL"]
    for body in (message.body_text, message.body_html):
        assert f"{portal}/login" in body and f"{portal}/forgot-password" in body


def test_a_new_applicant_is_not_signed_in_until_they_sign_in(session, fresh_client, world):
    client = fresh_client()
    email = new_address()
    response = register(client, world.school_a, email)
    assert location_path(response) == "/register/sent"
    page = client.get("/register/sent").get_data(as_text=True)
    assert "Check your email" in page and "confirm that the address is yours" in page
    assert location_path(client.get("/account")).startswith("/login")
    assert accounts_with(session, email) == 1
    signed_in = fresh_client()
    assert location_path(sign_in(signed_in, email, PASSWORD)) == "/school/"
    assert signed_in.get("/awaiting-approval").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [("short one", "Password must be 12 characters or more"), ("password1234", "Password is too common")],
)
def test_the_password_rules_come_before_anything_about_the_address(session, fresh_client, world, password, message):
    owner = make_user(Role.COUNCIL)
    fresh = new_address()
    known = answer_and_page(fresh_client, world.school_a, owner.email, password)
    unknown = answer_and_page(fresh_client, world.school_a, fresh, password)
    assert known == unknown
    status, _location, _cookies, body = known[0]
    assert status == 200 and message in body and "already" not in body
    assert subjects_to(session, owner.email) == [] and accounts_with(session, fresh) == 0


def test_an_unknown_school_is_refused_the_same_way_for_any_address(session, fresh_client, world):
    owner = make_user(Role.SCHOOL)

    def answer(email: str):
        client = fresh_client()
        response = post_form(
            client,
            "/register",
            {
                "school": "No Such School",
                "full_name": "Pat",
                "job_title": "DSL",
                "email": email,
                "phone": "01632 960 321",
                "password": PASSWORD,
            },
        )
        return comparable(response, email)

    assert answer(owner.email) == answer(new_address())
    assert subjects_to(session, owner.email) == []


def test_registering_one_address_is_limited_whether_or_not_it_has_an_account(session, fresh_client, world):
    owner = make_user(Role.SCHOOL)
    for email in (owner.email, new_address()):
        statuses = [
            register(from_address(fresh_client(), f"10.9.0.{n}"), world.school_a, email).status_code for n in range(4)
        ]
        assert statuses == [302, 302, 302, 429]
    assert subjects_to(session, owner.email) == [REPEATED] * 3  # the owner's inbox is not flooded


def test_registering_from_one_client_is_limited(session, fresh_client, world):
    statuses = [
        register(from_address(fresh_client(), "10.9.1.1"), world.school_a, new_address()).status_code for _ in range(11)
    ]
    assert statuses == [302] * 10 + [429]
    assert register(from_address(fresh_client(), "10.9.1.2"), world.school_a, new_address()).status_code == 302


def test_mistakes_in_the_form_do_not_use_up_the_limit(session, fresh_client, world):
    client = from_address(fresh_client(), "10.9.2.1")
    email = new_address()
    for _ in range(5):
        assert register(client, world.school_a, email, "too short").status_code == 200
    assert register(client, world.school_a, email).status_code == 302
