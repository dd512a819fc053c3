"""gunicorn's access log without the secrets some URLs carry.

Calendar feed addresses are capability URLs (the token in the path is the only key), and e-mailed reset and
confirmation links carry their token until the first request swaps it for a token-free address. A log line must
show which route was asked for, never the key to it. gunicorn.conf.py installs this logger.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
SECRETS_IN_PATHS = re.compile(
    r"(?P<feed>/feeds/[a-z]+/\d+/)[^/?#\s.]+(?=\.ics)"
    r"|(?P<link>/(?:reset-password|verify-email)/)[^/?#\s]+"
)
# Request headers that carry credentials, should a log format ever name them.
SECRET_HEADERS = ("{authorization}i", "{cookie}i")


def redact(text: str) -> str:
    """The text with every secret path segment replaced by [redacted]."""
    return SECRETS_IN_PATHS.sub(lambda match: (match["feed"] or match["link"]) + REDACTED, text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if isinstance(value, str):
                atoms[name] = redact(value)
        for name in SECRET_HEADERS:
            if name in atoms:
                atoms[name] = REDACTED
        return atoms
