"""Signing in and out, registering, and the signed-in person's own account."""

from portal.web.auth.routes import bp

__all__ = ["bp"]
