"""Pages for the admin role."""

from portal.web.admin import outbox  # noqa: F401  (registers the outbox pages on the blueprint)
from portal.web.admin.routes import bp

__all__ = ["bp"]
