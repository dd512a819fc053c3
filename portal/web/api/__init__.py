"""The JSON API under /api/v1/, described by /api/v1/openapi.json."""

from portal.web.api import routes  # noqa: F401  (registers the views on the blueprint)
from portal.web.api.blueprint import bp

__all__ = ["bp"]
