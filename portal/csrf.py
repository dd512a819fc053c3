"""CSRF protection: Flask-WTF's form token, plus a same-origin check that reads the Origin header first.

Flask-WTF's own HTTPS check (WTF_CSRF_SSL_STRICT) insists on a Referer header, which a browser leaves out when a
page's Referrer-Policy, a privacy setting or an extension says so, and then refuses the portal's own forms ("Your
page was out of date"). Browsers send Origin on every POST, whatever the referrer policy (it is "null" only under
no-referrer, which no page of ours sends), so the check below asks for Origin and falls back on Referer: a
cross-site POST is refused even with a stolen token, and a same-site one never depends on the Referer.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, g, request
from flask_wtf import CSRFProtect

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of a URL or Origin header value; None for "null", a relative URL or nonsense."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def comes_from_this_site(origin: str | None, referrer: str | None, site: str, *, secure: bool) -> bool:
    """Whether a state-changing request was sent by a page of site (scheme://host[:port]).

    Origin decides when the browser sent one. Without it, a Referer must match; over HTTPS one is required (no
    browser of today leaves out both on a same-site POST), over plain HTTP its absence is tolerated, as Flask-WTF
    does, because some proxies strip it."""
    expected = origin_of(site)
    if origin is not None:
        return origin_of(origin) == expected
    if referrer:
        return origin_of(referrer) == expected
    return not secure


class SameOriginCSRFProtect(CSRFProtect):
    """CSRFProtect whose HTTPS referrer check is replaced by comes_from_this_site (set WTF_CSRF_SSL_STRICT off)."""

    def protect(self, apply_exemptions: bool = False) -> None:
        super().protect(apply_exemptions)
        checked = g.get("csrf_valid", False)  # set only when the token was checked: not for exempt views or GETs
        site = f"{request.scheme}://{request.host}"
        if checked and not comes_from_this_site(
            request.headers.get("Origin"), request.referrer, site, secure=request.is_secure
        ):
            current_app.logger.info("CSRF: %s %s came from another site", request.method, request.path)
            self._error_response("The request did not come from a page of this site.")
