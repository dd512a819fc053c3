"""Pages for the school role."""

from portal.web.school.routes import bp

__all__ = ["bp"]
