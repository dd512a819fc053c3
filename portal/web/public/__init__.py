"""Pages anyone can read: the start page, the accessibility statement, the privacy notice, /healthz, and the pages
where parents book preview seats through their school's link."""

from portal.web.public import parents  # noqa: F401  (registers the views on the blueprint)
from portal.web.public.routes import bp

__all__ = ["bp"]
