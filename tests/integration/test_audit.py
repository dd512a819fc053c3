"""Each change worth answering for writes exactly one audit event, with before/after and a timezone-aware time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.models import AuditEvent
from tests.factories import DEFAULT_PASSWORD
from tests.integration.pages import post_form, request_form_data, send_request_form, sign_in


def events(session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def only_event(session, action: str) -> AuditEvent:
    found = events(session, action)
    assert len(found) == 1, f"{action}: {len(found)} events"
    event = found[0]
    assert event.at.tzinfo is not None and event.at.utcoffset() == timedelta(0)
    return event


def test_a_sign_in_is_audited_once(session, fresh_client, world):
    user = world.users["council"]
    assert sign_in(fresh_client(), user.email, DEFAULT_PASSWORD).status_code == 302
    event = only_event(session, "signin")
    assert (event.actor_id, event.object_id, event.outcome) == (user.id, user.id, "ok")


def test_a_failed_sign_in_is_audited_once_without_the_password(session, fresh_client, world):
    user = world.users["council"]
    assert sign_in(fresh_client(), user.email, "Wrong-Password-Canary").status_code == 200
    event = only_event(session, "signin.failed")
    assert (event.actor_id, event.object_id, event.outcome) == (None, user.id, "failed")
    assert "Canary" not in repr((event.detail, event.before, event.after))


def test_a_sign_in_with_an_unknown_email_is_audited_with_the_address_tried(session, fresh_client):
    sign_in(fresh_client(), "Nobody@Example.org", "whatever password")
    event = only_event(session, "signin.failed")
    assert (event.object_id, event.detail) == (None, "nobody@example.org")


def test_an_approval_is_audited_with_before_and_after(session, login_as, world):
    council = login_as(world.users["council"])
    assert post_form(council, f"/council/approvals/{world.pending.id}", {"decision": "approve"}).status_code == 302
    event = only_event(session, "account.approved")
    assert (event.actor_id, event.actor_role, event.object_id) == (
        world.users["council"].id,
        "council",
        world.pending.id,
    )
    assert (event.before["approval_state"], event.after["approval_state"]) == ("pending", "approved")
    assert event.school_id == world.school_a.id


def test_a_role_change_is_audited_with_before_and_after(session, login_as, world):
    admin = login_as(world.users["admin"])
    response = post_form(admin, f"/admin/users/{world.target.id}", {"role": "council"})
    assert response.status_code == 302
    event = only_event(session, "account.role_changed")
    assert (event.actor_id, event.object_id) == (world.users["admin"].id, world.target.id)
    assert (event.before["role"], event.after["role"]) == ("school", "council")
    assert (event.before["school_id"], event.after["school_id"]) == (world.school_b.id, None)


def test_a_deactivation_is_audited(session, login_as, world):
    admin = login_as(world.users["admin"])
    post_form(admin, f"/admin/users/{world.target.id}/active")
    event = only_event(session, "account.deactivated")
    assert (event.before["active"], event.after["active"]) == (True, False)


@pytest.fixture
def school_client(login_as, world):
    return login_as(world.users["school"])


def submit(client, world):
    data = request_form_data(world.season, production=str(world.season.productions[1].id), year_8="40")
    response = send_request_form(client, f"/school/seasons/{world.season.id}/requests/new", data)
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].removesuffix("/sent").rsplit("/", 1)[1])


def test_a_request_submission_is_audited_with_what_was_asked_for(session, school_client, world):
    request_id = submit(school_client, world)
    event = only_event(session, "request.submitted")
    assert (event.actor_id, event.object_type, event.object_id) == (world.users["school"].id, "request", request_id)
    assert event.before is None
    assert event.after["year_groups"] == {"8": 40, "9": 60}
    assert event.after["status"] == "submitted"
    assert event.school_id == world.school_a.id


def test_a_request_update_is_audited_with_before_and_after(session, school_client, world):
    data = request_form_data(world.season, year_9="75", dsl_name="New Lead")
    response = send_request_form(school_client, f"/school/requests/{world.request_a.id}/edit", data)
    assert response.status_code == 302
    event = only_event(session, "request.updated")
    assert event.object_id == world.request_a.id
    assert (event.before["year_groups"], event.after["year_groups"]) == ({"9": 60}, {"9": 75})
    assert (event.before["dsl_name"], event.after["dsl_name"]) == ("Dee Ess-Ell", "New Lead")


def test_a_request_withdrawal_is_audited_with_before_and_after(session, school_client, world):
    response = post_form(school_client, f"/school/requests/{world.request_a.id}/withdraw")
    assert response.status_code == 302
    event = only_event(session, "request.withdrawn")
    assert event.object_id == world.request_a.id
    assert (event.before["status"], event.after["status"]) == ("submitted", "withdrawn")


def test_a_refused_change_writes_no_audit_event(session, school_client, world):
    """A form with errors changes nothing, so it leaves nothing in the log either."""
    data = request_form_data(world.season, staff_in_hall="0")
    response = post_form(school_client, f"/school/requests/{world.request_a.id}/edit", data)
    assert response.status_code == 200
    assert events(session, "request.updated") == []
