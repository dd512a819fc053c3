"""Pages for the company role."""

from portal.web.company.routes import bp

__all__ = ["bp"]
