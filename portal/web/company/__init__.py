"""Pages for the theatre company: seasons, allocation rounds, the schedule and delivery records."""

from portal.web.company import allocations, changes, previews, requests, schedule, seasons  # noqa: F401  (registers the views on the blueprint)
from portal.web.company.blueprint import bp

__all__ = ["bp"]
