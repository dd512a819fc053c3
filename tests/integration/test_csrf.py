"""Every state-changing POST is refused (400, nothing saved) without the session's CSRF token.

CSRF protection stays on in tests. Where a complete, valid form is known, the same form is first shown to work
with the token, so the refusal below is the token's doing and nothing else's.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.clock import now
from portal.domain.form_tokens import new_token
from portal.extensions import db
from tests.factories import DEFAULT_PASSWORD
from tests.integration.pages import csrf_token, location_path, request_form_data
from tests.policy import FORBIDDEN, POST_POLICY, STATE_CHANGING, TO_AWAITING, TO_LOGIN, sample_arguments

# Who posts to each endpoint in these tests: someone the policy lets through.
ACTOR = {"auth.logout": "school", "auth.keep_alive": "school"}
REFUSED = (FORBIDDEN, TO_LOGIN, TO_AWAITING)


def actor_for(endpoint: str) -> str:
    if endpoint in ACTOR:
        return ACTOR[endpoint]
    row = POST_POLICY[endpoint]
    return next(role for role in ("anonymous", "school", "company", "council", "admin") if row[role] not in REFUSED)


def valid_form(endpoint: str, world) -> dict:
    """A form that would succeed with a token (empty when the test does not know one)."""
    forms = {
        "auth.login": lambda: {"email": world.users["council"].email, "password": DEFAULT_PASSWORD},
        "auth.register": lambda: {
            "school": world.school_a.urn,
            "full_name": "Rita Register",
            "job_title": "DSL",
            "email": "rita.register@example.org",
            "phone": "01632 960 777",
            "password": "a long and unusual passphrase",
        },
        "school.request_new": lambda: request_form_data(world.season, production=str(world.season.productions[1].id)),
        "school.request_edit": lambda: request_form_data(world.season, year_9="99"),
        "school.profile": lambda: {"address": "1 New Road", "office_phone": "01632 960 001", "hall_capacity": "300"},
        "council.approval_decide": lambda: {"decision": "approve"},
        "council.school_detail": lambda: {"priority": "3"},
        "admin.user_detail": lambda: {"role": "council"},
        "company.production_new": lambda: {"title": "New Play", "duration_minutes": "50", "audience_cap": "100"},
    }
    return forms[endpoint]() if endpoint in forms else {}


def database_state() -> dict[str, list]:
    """Every row of every table, in primary-key order: equal before and after means nothing changed."""
    state = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        state[table.name] = [tuple(row) for row in db.session.execute(select(table).order_by(*order))]
    return state


def url_for_rule(app, endpoint: str, world) -> list[str]:
    adapter = app.url_map.bind("localhost")
    arguments = sample_arguments(world)
    # The school user's own request must be one it may still change, so use a second, fresh one.
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint and "POST" in rule.methods]
    return [adapter.build(endpoint, {name: arguments[name] for name in rule.arguments}) for rule in rules]


def client_for(role: str, world, fresh_client, login_as):
    if role == "anonymous":
        return fresh_client()
    return login_as(world.pending if role == "pending" else world.users[role])


@pytest.mark.parametrize("endpoint", sorted(STATE_CHANGING))
def test_state_changing_post_without_the_sessions_csrf_token_is_refused(
    app, session, world, fresh_client, login_as, endpoint
):
    """No token, someone else's token, a garbled token: each 400 with the "out of date" page, nothing saved."""
    client = client_for(actor_for(endpoint), world, fresh_client, login_as)
    own, foreign = csrf_token(client), csrf_token(fresh_client())
    urls = url_for_rule(app, endpoint, world)  # before the snapshot: sample arguments may create rows
    forms = {kind: valid_form(endpoint, world) for kind in ("missing", "foreign", "garbled")}
    session.expire_all()
    before = database_state()
    for kind, token in (("missing", None), ("foreign", foreign), ("garbled", own[:-4] + "AAAA")):
        data = forms[kind]
        if token is not None:
            data["csrf_token"] = token
        for url in urls:
            response = client.post(url, data=data)
            assert response.status_code == 400, f"POST {url} with a {kind} token gave {response.status_code}"
            assert "Your page was out of date" in response.get_data(as_text=True)
    session.expire_all()
    assert database_state() == before


@pytest.mark.parametrize("endpoint", sorted(endpoint for endpoint in STATE_CHANGING if endpoint != "auth.logout"))
def test_the_same_post_with_the_token_gets_past_the_csrf_check(app, world, fresh_client, login_as, endpoint):
    """The control: with the token, the same post is judged on its merits (never the CSRF page)."""
    client = client_for(actor_for(endpoint), world, fresh_client, login_as)
    # A form that creates something also carries its one-time token, as the page renders it.
    data = {"form_token": new_token(now()), **valid_form(endpoint, world), "csrf_token": csrf_token(client)}
    for url in url_for_rule(app, endpoint, world):
        response = client.post(url, data=data)
        assert "Your page was out of date" not in response.get_data(as_text=True)
        if valid_form(endpoint, world):
            assert response.status_code == 302, f"the valid form for {endpoint} should succeed"


def test_signing_out_without_the_token_keeps_the_session(login_as, world):
    client = login_as(world.users["school"])
    assert client.post("/logout").status_code == 400
    assert client.get("/school/").status_code == 200


def test_signing_out_with_the_token_ends_the_session(login_as, world):
    client = login_as(world.users["school"])
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert location_path(response).startswith("/login")
    assert location_path(client.get("/school/")).startswith("/login")


def test_the_csrf_token_is_also_accepted_in_the_x_csrftoken_header(login_as, world):
    client = login_as(world.users["school"])
    response = client.post("/session/keep-alive", headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 200
