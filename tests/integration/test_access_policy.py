"""Every route × every role answers as tests/policy.py says: deny by default, nothing unclassified."""

from __future__ import annotations

import pytest

from portal.models import ApprovalState, Role
from tests.factories import DEFAULT_PASSWORD, pass_second_factor
from tests.integration.pages import csrf_token, location_path, sign_in
from tests.policy import ENDS_SESSION, GET_POLICY, KNOWN_BUGS, POST_POLICY, ROLES, Redirect, sample_arguments


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def build_url(app, rule, arguments: dict) -> str:
    missing = set(rule.arguments) - set(arguments)
    assert not missing, f"{rule.endpoint}: add a sample value for {missing} to tests/policy.py sample_arguments"
    # Not url_for in a test_request_context: its teardown would roll back the test's session.
    values = {name: arguments[name] for name in rule.arguments}
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def mismatch(expected, response) -> str | None:
    """None when the response is what the policy expects, else a short description of what came instead."""
    if isinstance(expected, Redirect):
        if response.status_code == 302 and location_path(response).startswith(expected.to):
            return None
        return f"{response.status_code} -> {location_path(response) or '-'}"
    return None if response.status_code == expected else str(response.status_code)


def test_every_registered_route_has_a_get_policy(app):
    registered = {rule.endpoint for rule in routes(app)}
    assert registered - set(GET_POLICY) == set(), "add these endpoints to GET_POLICY in tests/policy.py"
    assert set(GET_POLICY) - registered == set(), "GET_POLICY names endpoints that no longer exist"


def test_every_route_accepting_post_has_a_post_policy(app):
    posting = {rule.endpoint for rule in routes(app) if "POST" in rule.methods}
    assert posting == set(POST_POLICY), "POST_POLICY must list exactly the endpoints that accept POST"


def test_no_route_accepts_methods_other_than_get_and_post(app):
    odd = {rule.endpoint: rule.methods - {"GET", "HEAD", "OPTIONS", "POST"} for rule in routes(app)}
    assert {endpoint: methods for endpoint, methods in odd.items() if methods} == {}


def test_every_policy_row_names_every_role():
    for table in (GET_POLICY, POST_POLICY):
        for endpoint, row in table.items():
            assert set(row) == set(ROLES), endpoint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_policy_allows_and_nothing_more(app, fresh_client, world, role):
    """GET every endpoint, then POST (valid CSRF token, empty form) every POST endpoint, as one role."""
    arguments = sample_arguments(world)

    def new_client():
        client = fresh_client()
        if role == "anonymous":
            return client
        user = world.pending if role == "pending" else world.users[role]
        assert sign_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
        if role in app.config["SECOND_FACTOR_ROLES"]:
            pass_second_factor(user)
        return client

    client = new_client()
    token = csrf_token(client)  # one per session: it stays valid until the session ends
    calls = [("GET", rule) for rule in routes(app) if "GET" in rule.methods or rule.endpoint in GET_POLICY]
    calls += [("POST", rule) for rule in routes(app) if "POST" in rule.methods]
    calls.sort(key=lambda call: call[1].endpoint in ENDS_SESSION)  # those last, each on a fresh sign-in
    problems, evaluated = [], 0
    for method, rule in calls:
        url = build_url(app, rule, arguments)
        if rule.endpoint in ENDS_SESSION:
            client = new_client()
            token = csrf_token(client)
        if method == "GET":
            expected = GET_POLICY[rule.endpoint][role]
            response = client.get(url)
        else:
            expected = POST_POLICY[rule.endpoint][role]
            response = client.post(url, data={"csrf_token": token})
        evaluated += 1
        if (rule.endpoint, role) in KNOWN_BUGS:
            continue
        got = mismatch(expected, response)
        if got is not None:
            problems.append(f"{method} {url} ({rule.endpoint}) as {role}: expected {expected}, got {got}")
    assert problems == []
    assert evaluated >= len(GET_POLICY)


@pytest.mark.parametrize("role", [role for role in Role if role != Role.SCHOOL])
def test_role_pages_of_other_roles_are_forbidden_not_hidden_behind_a_redirect(login_as, role):
    client = login_as(role)
    assert client.get("/school/").status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in_and_back_to_the_page_asked_for(anonymous):
    response = anonymous.get("/council/schools")
    assert response.status_code == 302
    assert location_path(response).startswith("/login?next=")
    assert "council/schools" in response.headers["Location"]


def test_refused_school_account_still_cannot_reach_school_pages(fresh_client, session, world):
    world.pending.approval_state = ApprovalState.REFUSED
    world.pending.refusal_reason = "Not at this school"
    session.flush()
    client = fresh_client()
    sign_in(client, world.pending.email, DEFAULT_PASSWORD)
    response = client.get("/school/requests")
    assert response.status_code == 302
    assert location_path(response).startswith("/awaiting-approval")


def test_admin_cannot_download_a_performance_calendar(login_as, world):
    response = login_as(world.users["admin"]).get(f"/performances/{world.performance.id}.ics")
    assert response.status_code == 404
