"""The OpenAPI document matches the API: every route described, both security schemes on every operation,
every reference resolvable, and real answers shaped as the schemas say."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from portal.models import Role
from tests.integration.test_api import programme  # noqa: F401  (the seeded programme fixture)

PREFIX = "/api/v1"


@pytest.fixture
def document(anonymous) -> dict:
    response = anonymous.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def resolve(document: dict, ref: str) -> dict:
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def conforms(document: dict, schema: dict, value) -> list[str]:
    """What breaks the schema (OpenAPI 3.1 schemas are JSON Schema 2020-12), its references resolved in the document."""
    validator = Draft202012Validator(
        {**schema, "components": document["components"]}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(value)]


def parameter_values(parameter: dict):
    """Values a caller might send for a documented query parameter: valid ones, near misses and garbage."""
    schema = parameter.get("schema", {})
    documented = [st.sampled_from(schema["enum"])] if "enum" in schema else []
    return st.one_of(
        *documented,
        st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(date.isoformat),
        st.integers(min_value=-(2**40), max_value=2**40).map(str),
        st.text(max_size=30),
    )


def test_the_document_is_openapi_3_1_with_relative_paths(document):
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": PREFIX}]
    assert all(path.startswith("/") and not path.startswith(PREFIX) for path in document["paths"])


def test_every_api_route_is_described_and_nothing_else(app, document):
    routes = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix(PREFIX)), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert {(path, method) for path, method, _ in operations(document)} == routes


def test_every_operation_accepts_the_cookie_and_the_bearer_token(app, document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerToken"] == {**schemes["bearerToken"], "type": "http", "scheme": "bearer"}
    assert schemes["sessionCookie"]["in"] == "cookie"
    assert schemes["sessionCookie"]["name"] == app.config["SESSION_COOKIE_NAME"]
    for path, method, operation in operations(document):
        assert {name for requirement in operation["security"] for name in requirement} == set(schemes), path
        assert {"200", "400", "401", "403", "429"} <= set(operation["responses"]), f"{method} {path}"
        assert operation["operationId"]


def test_every_reference_resolves(document):
    refs = re.findall(r"'\$ref': '([^']+)'", str(document))
    assert refs
    for ref in refs:
        assert resolve(document, ref), ref


def test_every_documented_parameter_is_one_the_api_reads(document):
    for path, _method, operation in operations(document):
        names = {parameter["name"] for parameter in operation["parameters"]}
        expected = {"season", "from", "to"} | ({"status", "after", "page"} if path == "/performances" else set())
        assert names == expected, path


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/reach", ""),
        ("/reach", "?from=2000-01-01"),
        ("/performances", ""),
        ("/performances", "?status=delivered"),
        ("/performances", "?season=nonsense"),
        ("/reach", "?to=never"),
        ("/training-reach", ""),
        ("/training-reach", "?from=2000-01-01&to=2099-12-31"),
        ("/training-reach", "?season=999999"),
    ],
)
def test_real_answers_match_the_documented_schemas(login_as, document, programme, path, query):  # noqa: F811
    response = login_as(Role.COUNCIL).get(PREFIX + path + query)
    declared = document["paths"][path]["get"]["responses"][str(response.status_code)]
    schema = declared["content"]["application/json"]["schema"]
    assert conforms(document, schema, response.get_json()) == []


@pytest.mark.parametrize(("role", "status"), [(None, 401), (Role.SCHOOL, 403)])
def test_refusals_match_the_error_schema(anonymous, login_as, document, role, status):
    client = anonymous if role is None else login_as(role)
    response = client.get(f"{PREFIX}/reach")
    assert response.status_code == status
    schema = document["paths"]["/reach"]["get"]["responses"][str(status)]["content"]["application/json"]["schema"]
    assert conforms(document, schema, response.get_json()) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_documented_query_gives_a_server_error_or_an_undocumented_answer(login_as, document, programme, data):  # noqa: F811
    """hypothesis against the OpenAPI document: any mix of its parameters, any values; every answer is one of the
    documented statuses and matches that status's schema."""
    council = login_as(Role.COUNCIL)
    path, method, operation = data.draw(st.sampled_from(list(operations(document))))
    parameters = data.draw(st.lists(st.sampled_from(operation["parameters"]), unique_by=lambda p: p["name"]))
    query = {parameter["name"]: data.draw(parameter_values(parameter)) for parameter in parameters}
    response = council.open(PREFIX + path, method=method.upper(), query_string=query)
    assert str(response.status_code) in operation["responses"], (path, query, response.status_code)
    schema = operation["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
    assert conforms(document, schema, response.get_json()) == [], (path, query)
