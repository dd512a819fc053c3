"""Log lines without the secrets some URLs carry: gunicorn's access and error logs, and the portal's own log.

Calendar feed addresses are capability URLs (the token in the path is the only key), and e-mailed reset,
confirmation, second-factor set-up and invitation links carry their token until the first request swaps it for a
token-free address; a training certificate's verification address shows its holder's name to whoever has it. A
log line must show which route was asked for, never the key to it. One function, `redact`,
serves every log: gunicorn.conf.py installs `RedactingLogger` (access lines, and gunicorn's error log), and create_app
puts `RedactingFilter` on Flask's log, whose "Exception on /feeds/school/1/<token>.ics [GET]" line every server error
writes.
"""

from __future__ import annotations

import logging
import re

from flask import Flask
from flask.logging import default_handler
from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# Any kind and owner, not only well-formed ones: a mistyped feed address still carries the real token. The segment
# after them is the token, up to ".ics" or the end of the segment ("reissue" is a route, not a token).
SECRETS_IN_PATHS = re.compile(
    r"(?P<feed>/feeds/[^/?#\s]+/[^/?#\s]+/)(?!reissue\b)[^/?#\s]+?(?=\.ics|[/?#\s]|$)"
    r"|(?P<link>/(?:reset-password|verify-email|second-factor/link|invitation|parents/book|parents/booking"
    r"|certificates)/)[^/?#\s]+"
)
# Request headers that carry credentials, should a log format ever name them.
SECRET_HEADERS = ("{authorization}i", "{cookie}i")


def redact(text: str) -> str:
    """The text with every secret path segment replaced by [redacted]."""
    return SECRETS_IN_PATHS.sub(lambda match: (match["feed"] or match["link"]) + REDACTED, text)


class RedactingFilter(logging.Filter):
    """Redacts a record's message, traceback and stack text before any handler writes them."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if (redacted := redact(message)) != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def add_redaction(target: logging.Logger | logging.Handler) -> None:
    """Put a RedactingFilter on a logger (its own records) or a handler (every record it writes), once."""
    if not any(isinstance(existing, RedactingFilter) for existing in target.filters):
        target.addFilter(RedactingFilter())


def redact_app_logs(app: Flask) -> None:
    """Flask's log, its default handler (which also writes the portal.* modules' records) and the dev server's."""
    for target in (app.logger, default_handler, logging.getLogger("werkzeug")):
        add_redaction(target)


class RedactingLogger(Logger):
    """gunicorn's logger: access lines built from redacted atoms, and the error log's handlers filtered."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            add_redaction(handler)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if isinstance(value, str):
                atoms[name] = redact(value)
        for name in SECRET_HEADERS:
            if name in atoms:
                atoms[name] = REDACTED
        return atoms
