"""Signing in and out, registering, and the signed-in person's own account."""

from portal.web.auth import (
    api_tokens,  # noqa: F401  (registers the API token pages on the blueprint)
    password,  # noqa: F401  (registers the change-password and confirm-password pages)
    recovery,  # noqa: F401  (registers the password reset and email confirmation pages)
    second_factor,  # noqa: F401  (registers the authenticator app pages)
)
from portal.web.auth.routes import bp

__all__ = ["bp"]
