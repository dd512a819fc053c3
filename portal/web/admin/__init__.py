"""Pages for the admin role."""

from portal.web.admin import audit, directory, invitations, outbox  # noqa: F401  (registers these pages on the blueprint)
from portal.web.admin.routes import bp

__all__ = ["bp"]
