"""Security headers on every response, with a per-request nonce for the one inline script GOV.UK needs."""

from __future__ import annotations

import secrets

from flask import Flask, abort, g, request


def csp_nonce() -> str:
    """The nonce of this response's Content-Security-Policy, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


# Endpoints that take file uploads get a larger body limit; everything else keeps the small default.
UPLOAD_ENDPOINTS = {"packs.pack_detail", "admin.directory_import", "training.elearning_import_page"}
UPLOAD_MAX_BYTES = 21 * 1024 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def register_security(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce

    @app.before_request
    def limit_body_size():
        if request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = UPLOAD_MAX_BYTES

    @app.before_request
    def refuse_nul_characters():
        # No form of ours takes a NUL; PostgreSQL cannot store one in text, so refuse it up front with a 400.
        # (The API checks its own parameters and names the one at fault.)
        if request.blueprint == "api":
            return
        sources = [request.args]
        if request.method == "POST" and request.mimetype in FORM_TYPES:
            sources.append(request.form)
        # Passwords are only ever hashed, so any character is fine in them.
        if any(
            "\x00" in value
            for source in sources
            for key, values in source.lists()
            if "password" not in key
            for value in values
        ):
            abort(400)

    @app.after_request
    def set_security_headers(response):
        policy = [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{csp_nonce()}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
        headers = response.headers
        headers["Content-Security-Policy"] = "; ".join(policy)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        # same-origin: no other site ever learns a page's address (reset links, feed pages), and the portal's own
        # forms still send an Origin (no-referrer would make it "null") for portal.csrf's same-origin check.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config["HSTS"]:
            headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        # Pages about named schools booking a CSE drama are confidential: never kept by shared caches.
        headers.setdefault("Cache-Control", "no-store")
        return response
