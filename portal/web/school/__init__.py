"""Pages for the school role."""

from portal.web.school import colleagues, lessons, performances, previews  # noqa: F401  (registers the views on the blueprint)
from portal.web.school.routes import bp

__all__ = ["bp"]
