"""Pages anyone can read: the start page, the accessibility statement, the privacy notice, /healthz."""

from portal.web.public.routes import bp

__all__ = ["bp"]
