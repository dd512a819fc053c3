"""The OpenAPI 3.1 description of the API, served at /api/v1/openapi.json; tests check it matches the routes."""

from __future__ import annotations

from flask import current_app

from portal.domain.pipeline import STEPS
from portal.domain.training import CourseLevel
from portal.models import PerformanceStatus

SECURITY = [{"bearerToken": []}, {"sessionCookie": []}]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _query(name: str, description: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


DATE = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
COUNT = {"type": "integer", "minimum": 0}

PARAMETERS = {
    "season": _query("season", "Only this season (its id).", {"type": "integer", "minimum": 1}),
    "from": _query("from", "Only on or after this day (YYYY-MM-DD).", DATE),
    "to": _query("to", "Only on or before this day (YYYY-MM-DD).", DATE),
    "status": _query(
        "status", "Only performances in this state.", {"type": "string", "enum": [s.value for s in PerformanceStatus]}
    ),
    "after": _query(
        "after",
        "Only performances with an id above this one: how the `next` link pages (100 to a page). Not with `page`.",
        {"type": "integer", "minimum": 1},
    ),
    "page": _query(
        "page",
        "Page number, from 1, of 100 performances in id order; kept for older links, `next` uses `after`.",
        {"type": "integer", "minimum": 1, "maximum": 100_000},
    ),
}

ERRORS = {
    "400": _json(_ref("Error"), "A parameter cannot be used; `parameter` names it."),
    "401": _json(_ref("Error"), "No session and no token, or an unknown or revoked token."),
    "403": _json(_ref("Error"), "The caller's role cannot use this endpoint."),
    "429": _json(_ref("Error"), "Too many requests for this token or person; try again in a minute."),
}


def _figures(name: str, *, planned: bool = True) -> dict:
    properties = {
        name: {"type": "integer", "minimum": 7, "maximum": 13} if name == "year_group" else {"type": "string"}
    }
    properties |= {"seen_drama": COUNT, "discussed_in_class": COUNT}
    if planned:
        properties["planned"] = COUNT
    return {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}


def _pipeline() -> dict:
    """Pupils requested, provisional, confirmed, delivered and discussed: in all, and by district."""
    steps = {step: COUNT for step in STEPS}
    district = {"district": {"type": "string"}} | steps
    return {
        "type": "object",
        "description": _pipeline.__doc__,
        "required": [*steps, "by_district"],
        "properties": steps
        | {
            "by_district": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": list(district),
                    "properties": district,
                    "additionalProperties": False,
                },
            }
        },
        "additionalProperties": False,
    }


def _trained(name: str | None = None) -> dict:
    """People trained at each level and in all; a breakdown's row also names its group."""
    counts = {level.value: COUNT for level in CourseLevel} | {"staff_trained": COUNT}
    properties = ({name: {"type": "string"}} if name else {}) | counts
    return {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}


def _training_reach() -> dict:
    rows = {"by_agency": "agency", "by_role": "job_role", "by_district": "district", "by_month": "month"}
    properties = {"target": COUNT} | _trained()["properties"]
    properties |= {key: {"type": "array", "items": _trained(name)} for key, name in rows.items()}
    return {
        "type": "object",
        "description": (
            "Staff trained to spot CSE and act on it: each person once per course level, counted at their first "
            "completion at that level (a session attended or the e-learning course), under the agency, job role "
            "and district they gave then and in that month. Every breakdown adds up to the totals."
        ),
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["message"],
        "properties": {
            "message": {"type": "string", "description": "What went wrong, in words a person can act on"},
            "error": {"type": "string", "description": "The same text as message"},
            "parameter": {"type": "string", "description": "The query parameter at fault, for a 400"},
        },
    },
    "Reach": {
        "type": "object",
        "description": "Pupils and schools reached: counts only, never a person's name or contact details.",
        "required": [
            "target",
            "seen_drama",
            "discussed_in_class",
            "planned",
            "provisional",
            "schools_reached",
            "schools_total",
            "pipeline",
            "by_district",
            "by_year_group",
            "by_month",
        ],
        "properties": {
            "target": COUNT,
            "seen_drama": COUNT,
            "discussed_in_class": COUNT,
            "planned": {**COUNT, "description": "Pupils at confirmed performances from today on"},
            "provisional": {**COUNT, "description": "Pupils at provisional performances from today on"},
            "schools_reached": COUNT,
            "schools_total": COUNT,
            "pipeline": _pipeline(),
            "by_district": {"type": "array", "items": _figures("district")},
            "by_year_group": {"type": "array", "items": _figures("year_group", planned=False)},
            "by_month": {"type": "array", "items": _figures("month")},
        },
        "additionalProperties": False,
    },
    "Performance": {
        "type": "object",
        "required": [
            "id",
            "season",
            "school",
            "date",
            "slot",
            "starts_at",
            "cast",
            "status",
            "released",
            "pupils_planned",
            "pupils_attended",
        ],
        "properties": {
            "id": {"type": "integer"},
            "season": {"type": "integer", "description": "The season's id."},
            "school": {
                "type": "object",
                "required": ["urn", "name", "district"],
                "properties": {"urn": {"type": "string"}, "name": {"type": "string"}, "district": {"type": "string"}},
                "additionalProperties": False,
            },
            "date": {"type": "string", "format": "date"},
            "slot": {"type": "string", "description": "The slot's code, like AM."},
            "starts_at": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$", "description": "Local time (London)."},
            "cast": {"type": "string"},
            "status": {"type": "string", "enum": [s.value for s in PerformanceStatus]},
            "released": {
                "type": "boolean",
                "description": "Declined because nobody confirmed it by its confirm-by date, not by the school.",
            },
            "pupils_planned": COUNT,
            "pupils_attended": {"type": ["integer", "null"], "minimum": 0, "description": "Null until delivered."},
        },
        "additionalProperties": False,
    },
    "TrainingReach": _training_reach(),
    "PerformancePage": {
        "type": "object",
        "required": ["items", "next"],
        "properties": {
            "items": {"type": "array", "items": _ref("Performance")},
            "next": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The next page (by `after`), or null.",
            },
        },
        "additionalProperties": False,
    },
}

PATHS = {
    "/reach": {
        "get": {
            "operationId": "getReach",
            "summary": "Pupils who saw the drama and discussed it in class, against the target",
            "description": "Council officers and administrators. Every breakdown adds up to the totals.",
            "parameters": [PARAMETERS["season"], PARAMETERS["from"], PARAMETERS["to"]],
            "security": SECURITY,
            "responses": {"200": _json(_ref("Reach"), "The reach figures for the period."), **ERRORS},
        }
    },
    "/training-reach": {
        "get": {
            "operationId": "getTrainingReach",
            "summary": "Staff trained to spot CSE, against the target, by agency, job role, district and month",
            "description": (
                "Council officers and administrators. A season stands for its own dates (training has no seasons)."
            ),
            "parameters": [PARAMETERS["season"], PARAMETERS["from"], PARAMETERS["to"]],
            "security": SECURITY,
            "responses": {"200": _json(_ref("TrainingReach"), "Staff trained in the period."), **ERRORS},
        }
    },
    "/performances": {
        "get": {
            "operationId": "listPerformances",
            "summary": "Performances at every school, in id order, 100 to a page",
            "description": "The theatre company, council officers and administrators.",
            "parameters": [PARAMETERS[name] for name in ("season", "status", "from", "to", "after", "page")],
            "security": SECURITY,
            "responses": {"200": _json(_ref("PerformancePage"), "One page of performances."), **ERRORS},
        }
    },
}


def openapi_document() -> dict:
    """The document; the cookie scheme names this deployment's session cookie."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{current_app.config['SERVICE_NAME']} API",
            "version": "1.0.0",
            "description": (
                "Read-only figures and performances. Authenticate with the browser session or a personal API "
                "token, made on the account page and sent as `Authorization: Bearer <token>`."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer", "description": "A personal API token."},
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": current_app.config["SESSION_COOKIE_NAME"],
                    "description": "The signed-in browser's session.",
                },
            },
        },
        "security": SECURITY,
    }
