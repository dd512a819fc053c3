"""Pages for the council role."""

from portal.web.council.routes import bp

__all__ = ["bp"]
