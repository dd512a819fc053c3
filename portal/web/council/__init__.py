"""Pages for the council role."""

from portal.web.council import on_behalf, performances, previews, programme  # noqa: F401  (registers their views on the blueprint)
from portal.web.council.routes import bp

__all__ = ["bp"]
