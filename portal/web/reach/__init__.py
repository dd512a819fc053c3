"""The council's reach dashboard, its tables of schools and its CSV exports (council officers and administrators)."""

from portal.web.reach import districts, exports, schools, training  # noqa: F401  (their views join the blueprint)
from portal.web.reach.routes import bp

__all__ = ["bp"]
