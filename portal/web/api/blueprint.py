"""The API blueprint: deny by default, JSON errors, never cached, rate limited per token or person."""

from __future__ import annotations

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from portal.extensions import limiter
from portal.web.api.auth import ApiAuthError, protect_blueprint, rate_limit, rate_limit_key
from portal.web.api.params import BadParameter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
protect_blueprint(bp)
limiter.limit(rate_limit, key_func=rate_limit_key, scope="api")(bp)


def error_body(message: str, **extra: str) -> dict:
    """Every API error: {"message": ...} (with "error" kept as the same text for older clients)."""
    return {"message": message, "error": message, **extra}


@bp.errorhandler(ApiAuthError)
def refused(error: ApiAuthError):
    headers = {"WWW-Authenticate": 'Bearer realm="api"'} if error.status == 401 else {}
    return error_body(error.message), error.status, headers


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return error_body(error.message, parameter=error.parameter), 400


@bp.errorhandler(CSRFError)
def csrf_failed(_error):
    return error_body("The CSRF token is missing or out of date (or send an API token instead)"), 400


@bp.after_request
def never_cache(response):
    # Performances name schools that booked a CSE drama: confidential, so no cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response
