"""The OpenAPI document matches the API: every route described, both security schemes on every operation,
every reference resolvable, and real answers shaped as the schemas say."""

from __future__ import annotations

import re

import pytest

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


def conforms(document: dict, schema: dict, value, where: str = "$") -> list[str]:
    """A small JSON Schema check (type, required, properties, additionalProperties, items, enum, minimum)."""
    if "$ref" in schema:
        return conforms(document, resolve(document, schema["$ref"]), value, where)
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    python = {"object": dict, "array": list, "string": str, "integer": int, "null": type(None)}
    if kinds and not any(isinstance(value, python[kind]) and not isinstance(value, bool) for kind in kinds):
        return [f"{where}: {value!r} is not {kinds}"]
    problems = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, int) and "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{where}: {value} < {schema['minimum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        problems += [f"{where}: missing {name}" for name in schema.get("required", []) if name not in value]
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            problems += [f"{where}: unexpected {name}" for name in value if name not in properties]
        for name, item in value.items():
            if name in properties:
                problems += conforms(document, properties[name], item, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += conforms(document, schema["items"], item, f"{where}[{index}]")
    return problems


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
        expected = {"season", "from", "to"} | ({"status", "page"} if path == "/performances" else set())
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
