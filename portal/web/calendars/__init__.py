"""Calendar files: a .ics download per performance and subscribable feeds behind capability URLs."""

from portal.web.calendars.routes import bp, feed_url

__all__ = ["bp", "feed_url"]
