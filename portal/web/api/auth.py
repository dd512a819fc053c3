"""Who is calling the API: a personal token (Authorization: Bearer ...) or the browser's signed-in session.

A bearer request never reads or writes the session, so it starts no server-side session and sets no cookie; and
only bearer requests skip the CSRF check, because a browser cannot be tricked into sending a header it does not
hold. A session request keeps the CSRF check for any method that changes state.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.clock import now
from portal.extensions import csrf
from portal.models import Role, User
from portal.services import api_tokens
from portal.services.sessions import hash_token

# Endpoints anyone may read: the description of the API itself holds no data.
PUBLIC_ENDPOINTS = {"api.openapi"}


class ApiAuthError(Exception):
    """401 or 403, answered as JSON by the blueprint's error handler."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header; "" when the header is there but malformed; None without one."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def api_user() -> User:
    """The caller of this API request (set by authenticate_request)."""
    return g.api_user


def rate_limit_key() -> str:
    """Per token, per signed-in person, or per address for everyone else."""
    token = bearer_token()
    if token:
        return "api-token:" + hash_token(token)
    if token is None and current_user.is_authenticated:
        return f"api-user:{current_user.id}"
    return "api-address:" + get_remote_address()


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def authenticate_request() -> None:
    """Find the caller, or refuse with 401; keep the CSRF check for session requests that change state."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    token = bearer_token()
    if token is not None:
        user = api_tokens.user_for_token(token, now())
        if user is None:
            raise ApiAuthError(401, "The API token is unknown or revoked")
        g.api_user = user
        return
    if not current_user.is_authenticated:
        raise ApiAuthError(401, "Sign in, or send an API token as 'Authorization: Bearer <token>'")
    if request.method in current_app.config["WTF_CSRF_METHODS"]:
        csrf.protect()
    g.api_user = current_user._get_current_object()


def protect_blueprint(blueprint: Blueprint) -> None:
    """Deny by default: every endpoint but the public ones needs a caller; CSRF only where cookies authenticate."""
    csrf.exempt(blueprint)
    blueprint.before_request(authenticate_request)


def roles_required(*roles: Role) -> Callable:
    """The view answers 403 to callers of any other role (school staff have no API)."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if api_user().role not in roles:
                raise ApiAuthError(403, "Your role cannot use this part of the API")
            return view(*args, **kwargs)

        return wrapper

    return decorate
