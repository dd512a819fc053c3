"""Bad input never breaks the portal: random form values, oversized bodies and malformed ids in URLs.

Each form is posted with a valid CSRF token and a few of its fields replaced by hostile values (or left out); the
answer must be a page (2xx, 3xx or 4xx), never a 500 and never a stack trace. Exceptions propagate in tests, so a
crash fails the test with its own traceback.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from portal import create_app
from portal.models import Request, RequestStatus
from tests.conftest import make_test_config
from tests.integration.pages import assert_no_traceback, csrf_token, post_form, request_form_data
from tests.integration.test_access_policy import routes
from tests.policy import (
    FORBIDDEN,
    GET_POLICY,
    NOT_ALLOWED,
    POST_POLICY,
    TO_AWAITING,
    TO_LOGIN,
    Redirect,
    sample_arguments,
)

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e9",
    "NaN",
    "9" * 40,
    str(2**63),
    "\u202e",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "2026-02-30",
    "١٢",
    "🙂" * 50,
    "a" * 5000,
    "../../etc/passwd",
    "{{7*7}}",
]
# NUL is left out here: test_a_nul_character_is_refused_not_a_crash covers it on its own.
hostile_text = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(exclude_characters="\x00"), max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, min_size=0, max_size=4), st.none())


def forms(world) -> dict[str, tuple[str, str, dict]]:
    """name -> (role, url, a valid form) for every form a person fills in."""
    season = world.season
    return {
        "login": ("anonymous", "/login", {"email": world.users["council"].email, "password": "not the password"}),
        "register": (
            "anonymous",
            "/register",
            {
                "school": world.school_a.urn,
                "full_name": "Fay Fuzz",
                "job_title": "DSL",
                "email": "fay.fuzz@example.org",
                "phone": "01632 960 888",
                "password": "an adequately long passphrase",
            },
        ),
        "request_new": (
            "school",
            f"/school/seasons/{season.id}/requests/new",
            request_form_data(season, production=str(season.productions[1].id)),
        ),
        "request_edit": ("school", f"/school/requests/{world.request_a.id}/edit", request_form_data(season)),
        "profile": (
            "school",
            "/school/profile",
            {"address": "1 High Street", "office_phone": "01632 960 001", "hall_capacity": "250"},
        ),
        "council_approval": ("council", f"/council/approvals/{world.pending.id}", {"decision": "approve"}),
        "council_priority": ("council", f"/council/schools/{world.school_a.id}", {"priority": "2"}),
        "admin_role": ("admin", f"/admin/users/{world.target.id}", {"role": "council", "school": ""}),
        "decline": ("school", f"/school/performances/{world.performance.id}/decline", {"reason": "Exams"}),
    }


def client_for(role, world, fresh_client, login_as):
    return fresh_client() if role == "anonymous" else login_as(world.users[role])


@pytest.mark.parametrize(
    "form_name",
    [
        "login",
        "register",
        "request_new",
        "request_edit",
        "profile",
        "council_approval",
        "council_priority",
        "admin_role",
        "decline",
    ],
)
def test_hostile_form_values_never_cause_a_server_error(session, world, fresh_client, login_as, form_name):
    role, url, valid = forms(world)[form_name]
    client = client_for(role, world, fresh_client, login_as)
    token = csrf_token(client)
    fields = sorted(valid)
    answers: list[int] = []

    @FUZZ
    @given(replaced=st.dictionaries(st.sampled_from(fields), hostile_value, min_size=1, max_size=3))
    def post_hostile_values(replaced):
        data = {**valid, **{name: value for name, value in replaced.items() if value is not None}}
        for name, value in replaced.items():
            if value is None:
                data.pop(name, None)  # a field left out altogether
        response = client.post(url, data={**data, "csrf_token": token})
        answers.append(response.status_code)
        assert response.status_code < 500
        assert_no_traceback(response)
        # Keep later examples meaningful: a request made by one example must not block the next.
        session.execute(
            update(Request)
            .where(Request.school_id == world.school_a.id, Request.id != world.request_a.id)
            .values(status=RequestStatus.WITHDRAWN)
        )

    post_hostile_values()
    assert len(answers) >= EXAMPLES // 2


def test_the_fuzzed_forms_do_accept_their_valid_values(world, fresh_client, login_as):
    """The control for the fuzzing: untouched, each form succeeds, so the hostile values are what is judged."""
    for name, (role, url, valid) in forms(world).items():
        if name == "login":
            continue  # its valid shape has a wrong password, so the limiter and audit get exercised
        client = client_for(role, world, fresh_client, login_as)
        response = post_form(client, url, valid)
        assert response.status_code == 302, f"{name}: {response.status_code}"


def test_a_second_request_for_the_same_production_shows_an_error_not_a_crash(login_as, world):
    client = login_as(world.users["school"])
    response = post_form(client, f"/school/seasons/{world.season.id}/requests/new", request_form_data(world.season))
    assert response.status_code == 200
    assert "already has a request for this production" in response.get_data(as_text=True)


def test_changing_a_request_to_a_production_already_requested_shows_an_error(login_as, session, world):
    from tests.factories import make_request

    make_request(world.school_a, world.season, production=world.season.productions[1])
    client = login_as(world.users["school"])
    data = request_form_data(world.season, production=str(world.season.productions[1].id))
    response = post_form(client, f"/school/requests/{world.request_a.id}/edit", data)
    assert response.status_code == 200
    assert "already has a request for this production" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "field, url",
    [("address", "/school/profile"), ("dsl_name", "/school/requests/{id}/edit"), ("full_name", "/register")],
)
def test_a_nul_character_is_refused_not_a_crash(fresh_client, login_as, world, field, url):
    forms_by_field = {
        "address": ("school", {"address": "1 High\x00Street", "office_phone": "01632 960 001", "hall_capacity": "250"}),
        "dsl_name": ("school", request_form_data(world.season, dsl_name="Dana\x00Lead")),
        "full_name": ("anonymous", {**forms(world)["register"][2], "full_name": "Fay\x00Fuzz"}),
    }
    role, data = forms_by_field[field]
    client = client_for(role, world, fresh_client, login_as)
    response = post_form(client, url.format(id=world.request_a.id), data)
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/login", "/register", "/school/profile"])
def test_a_body_over_the_size_limit_is_refused_with_413(app, login_as, world, url):
    client = login_as(world.users["school"])
    token = csrf_token(client)
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(url, data={"csrf_token": token, "address": big, "email": "a@b.c"})
    assert response.status_code == 413
    assert_no_traceback(response)


def test_an_unexpected_error_shows_the_friendly_500_page_without_a_traceback(tmp_path):
    app = create_app(make_test_config(tmp_path, f"sqlite:///{tmp_path / 'boom.db'}"))
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    def explode():
        raise RuntimeError("secret internals: /srv/portal/settings.py line 42")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body
    assert "secret internals" not in body
    assert_no_traceback(response)


BAD_VALUES = {
    "int": ["0", str(2**31), str(2**63), str(10**30), "abc", "-5", "1.0"],
    "day": ["2026-02-30", "yesterday", "2026-13-01", "%00"],
    "token": ["0" * 64, "not-a-token", "%2e%2e", "a" * 500],
    "kind": ["nope", "School", "%00"],
}


def right_role(endpoint: str, method: str) -> str | None:
    table = GET_POLICY if method == "GET" else POST_POLICY
    refused = (FORBIDDEN, TO_LOGIN, TO_AWAITING, NOT_ALLOWED)
    return next(
        (role for role in ("school", "company", "council", "admin") if table[endpoint][role] not in refused), None
    )


def test_malformed_ids_in_every_url_are_not_found(app, world, login_as):
    arguments = sample_arguments(world)
    clients, checked = {}, 0
    for rule in routes(app):
        if not rule.arguments:
            continue
        method = "GET" if GET_POLICY[rule.endpoint]["admin"] != NOT_ALLOWED else "POST"
        role = right_role(rule.endpoint, method)
        if role is None:
            continue
        if role not in clients:
            clients[role] = login_as(world.users[role])
            clients[role].token = csrf_token(clients[role])
        client = clients[role]
        for name in rule.arguments:
            kind = "int" if isinstance(arguments[name], int) else name
            sentinel = 7654321 if kind == "int" else "SENTINEL"
            values = {key: arguments[key] for key in rule.arguments} | {name: sentinel}
            template = app.url_map.bind("localhost").build(rule.endpoint, values)
            for bad in BAD_VALUES.get(kind, ["nonsense"]):
                path = template.replace(str(sentinel), bad, 1)
                post = {"csrf_token": client.token}
                # E-mailed links park their token in the session and redirect: the page they lead to refuses it.
                follow = isinstance((GET_POLICY if method == "GET" else POST_POLICY)[rule.endpoint][role], Redirect)
                if method == "GET":
                    response = client.get(path, follow_redirects=follow)
                else:
                    response = client.post(path, data=post, follow_redirects=follow)
                checked += 1
                allowed = {400, 404} if follow else {404}
                assert response.status_code in allowed, f"{method} {path} as {role}: {response.status_code}"
    assert checked > 50
