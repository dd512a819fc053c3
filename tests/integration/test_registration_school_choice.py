"""Asking for an account in a directory of thousands of schools: the page never lists them all; what the person
types names their school, or the page offers at most 20 matching schools to choose from (radios, no script)."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from tests.factories import make_school
from tests.integration.pages import location_path, post_form

_addresses = itertools.count(1)


def ask(client, **fields):
    data = {
        "full_name": "Pat Teacher",
        "job_title": "PSHE lead",
        "email": f"pat.{next(_addresses)}@choice.example.org",
        "phone": "01632 960 321",
        "password": "violet lantern harbour 1987",
        **fields,
    }
    return post_form(client, "/register", data), data["email"]


def offered_urns(html: str, urns: list[str]) -> set[str]:
    return {urn for urn in urns if f'name="school_urn" type="radio" value="{urn}"' in html}


def test_the_sign_up_page_lists_no_schools(anonymous, world):
    html = anonymous.get("/register").get_data(as_text=True)
    assert "<datalist" not in html and world.school_a.name not in html and 'name="school_urn"' not in html


def test_part_of_a_name_offers_the_matching_schools_and_choosing_one_asks_for_the_account(anonymous, session):
    schools = [make_school(name=f"Kestrel Vale Academy {n}", town="Wrenford") for n in range(3)]
    make_school(name="Unrelated High", town="Elsewhere")
    session.flush()
    response, _ = ask(anonymous, school="kestrel vale")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose your school from the list" in html
    assert offered_urns(html, [school.urn for school in schools]) == {school.urn for school in schools}
    assert "Unrelated High" not in html

    response, email = ask(anonymous, school="kestrel vale", school_urn=schools[1].urn)
    assert location_path(response) == "/register/sent"
    user = db.session.scalar(select(User).where(User.email == email))
    assert user.school_id == schools[1].id


def test_a_town_matches_too(anonymous, session):
    school = make_school(name="Marsh Lane School", town="Puddlecombe")
    session.flush()
    response, _ = ask(anonymous, school="puddlecombe")
    assert offered_urns(response.get_data(as_text=True), [school.urn]) == {school.urn}


def test_many_matches_offer_twenty_and_say_how_many(anonymous, session):
    schools = [make_school(name=f"Harrier Common School {n:02}") for n in range(25)]
    session.flush()
    response, _ = ask(anonymous, school="Harrier Common")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "25 schools match “Harrier Common”" in html
    assert len(offered_urns(html, [school.urn for school in schools])) == 20


def test_nothing_matching_says_so_and_wildcards_are_characters(anonymous, world):
    for typed in ["zzqx no such school", "%", "_____", "a" * 5000]:
        response, _ = ask(anonymous, school=typed)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and 'name="school_urn"' not in html, typed[:20]
        assert "No school matches" in html or "must be 250 characters" in html
    assert ask(anonymous, school="Alder\x00")[0].status_code == 400  # a NUL is refused before any query


def test_a_urn_or_an_exact_name_still_needs_no_choice(anonymous, world):
    response, _ = ask(anonymous, school=world.school_a.urn)
    assert location_path(response) == "/register/sent"
    response, _ = ask(anonymous, school=world.school_b.name)
    assert location_path(response) == "/register/sent"


def test_a_chosen_school_is_kept_when_another_answer_is_wrong(anonymous, session):
    school = make_school(name="Osprey Ridge College")
    session.flush()
    response, _ = ask(anonymous, school="osprey", school_urn=school.urn, phone="1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and school.label in html and 'name="school_urn"' not in html
