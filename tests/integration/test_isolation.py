"""School staff see and change their own school's requests only; anything else is "not found"."""

from __future__ import annotations

import pytest
from flask import template_rendered

from portal.models import Request, RequestStatus
from portal.services.requests import snapshot
from tests.integration.pages import post_form, request_form_data, send_request_form

OBJECT_PAGES = ("/school/requests/{id}", "/school/requests/{id}/edit", "/school/requests/{id}/withdraw")


def fresh(session, request_: Request) -> dict:
    session.expire_all()
    return snapshot(session.get(Request, request_.id))


@pytest.fixture
def staff_a(login_as, world):
    return login_as(world.users["school"])


@pytest.mark.parametrize("url", OBJECT_PAGES)
def test_school_cannot_see_other_schools_request(staff_a, world, url):
    assert staff_a.get(url.format(id=world.request_b.id)).status_code == 404
    assert staff_a.get(url.format(id=world.request_a.id)).status_code == 200


def test_school_cannot_edit_other_schools_request(staff_a, session, world):
    before = fresh(session, world.request_b)
    data = request_form_data(world.season, year_9="5", dsl_name="Mallory")
    response = post_form(staff_a, f"/school/requests/{world.request_b.id}/edit", data)
    assert response.status_code == 404
    assert fresh(session, world.request_b) == before


def test_school_cannot_withdraw_other_schools_request(staff_a, session, world):
    response = post_form(staff_a, f"/school/requests/{world.request_b.id}/withdraw")
    assert response.status_code == 404
    session.expire_all()
    assert session.get(Request, world.request_b.id).status == RequestStatus.SUBMITTED


def test_school_can_still_edit_and_withdraw_its_own_request(staff_a, session, world):
    """The control for the two tests above: the same posts work on the school's own request."""
    data = request_form_data(world.season, year_9="75")
    response = send_request_form(staff_a, f"/school/requests/{world.request_a.id}/edit", data)
    assert response.status_code == 302
    assert fresh(session, world.request_a)["year_groups"] == {"9": 75}
    response = post_form(staff_a, f"/school/requests/{world.request_a.id}/withdraw")
    assert response.status_code == 302
    assert fresh(session, world.request_a)["status"] == "withdrawn"


@pytest.mark.parametrize("url", ["/school/", "/school/requests"])
def test_school_lists_show_only_its_own_requests(app, staff_a, world, url):
    listed = []

    def record(_sender, template, context, **_extra):
        if "school_requests" in context:  # read ids now: the request's session closes with the request
            listed.append([request_.id for request_ in context["school_requests"]])

    with template_rendered.connected_to(record, app):
        response = staff_a.get(url)
    assert response.status_code == 200
    assert listed == [[world.request_a.id]]
    assert f"/school/requests/{world.request_b.id}" not in response.get_data(as_text=True)


def test_school_staff_from_another_school_cannot_see_the_first_schools_request(login_as, world):
    staff_b = login_as(world.target)  # approved staff at school B
    assert staff_b.get(f"/school/requests/{world.request_a.id}").status_code == 404
    assert staff_b.get(f"/school/requests/{world.request_b.id}").status_code == 200


@pytest.mark.parametrize("url", OBJECT_PAGES)
def test_malformed_request_ids_are_not_found(staff_a, url):
    for bad_id in ("abc", "-1", "1.5", "0x10", "%00", "1;DROP TABLE requests", "1/../2", "0"):
        assert staff_a.get(url.format(id=bad_id)).status_code == 404, bad_id
