"""Full addresses for e-mails, calendar files and feeds: built from the url_map and the one configured address
(PORTAL_URL), never from the Host header of whatever request happens to send the message (a forged Host would
otherwise put an attacker's address in a password-reset e-mail), and the same inside a background job."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """The full address of a page, like url_for(endpoint, _external=True) but always on PORTAL_URL."""
    base = urlsplit(current_app.config["PORTAL_URL"])
    adapter = current_app.url_map.bind(
        base.netloc or "localhost", script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
    )
    address = adapter.build(endpoint, values, force_external=True)
    return f"{address}#{_anchor}" if _anchor else address


def portal_host() -> str:
    """The configured address's host name: the domain part of calendar UIDs and message ids."""
    return urlsplit(current_app.config["PORTAL_URL"]).hostname or "localhost"
