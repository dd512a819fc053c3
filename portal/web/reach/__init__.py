"""The council's reach dashboard and its CSV exports (council officers and administrators)."""

from portal.web.reach.routes import bp

__all__ = ["bp"]
