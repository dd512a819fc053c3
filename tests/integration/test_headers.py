"""Security headers on every page, for every role, errors included; HSTS only in production."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.config import load_config
from tests.integration.test_access_policy import build_url, routes
from tests.policy import GET_POLICY, OK, ROLES, sample_arguments


def check_headers(response, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()}
    assert "'unsafe-inline'" not in csp, where
    assert "'unsafe-eval'" not in csp, where
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", where
    assert directives.get("object-src") == "object-src 'none'", where
    assert "default-src" in directives, where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("Referrer-Policy") in {"same-origin", "no-referrer"}, where


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_can_open_sends_the_security_headers(app, fresh_client, login_as, world, role):
    client = (
        fresh_client() if role == "anonymous" else login_as(world.pending if role == "pending" else world.users[role])
    )
    arguments = sample_arguments(world)
    pages = [rule for rule in routes(app) if GET_POLICY[rule.endpoint][role] == OK]
    assert pages
    for rule in pages:
        url = build_url(app, rule, arguments)
        response = client.get(url)
        check_headers(response, f"GET {url} as {role}")
        assert "Strict-Transport-Security" not in response.headers, "HSTS only when served over HTTPS"


@pytest.mark.parametrize("url", ["/no-such-page", "/school/", "/logout", "/school/requests/999999"])
def test_error_pages_send_the_security_headers_too(login_as, world, url):
    response = login_as(world.users["council"]).get(url)
    assert response.status_code in {403, 404, 405}
    check_headers(response, url)


def test_each_response_gets_its_own_csp_nonce(anonymous):
    nonces = {anonymous.get("/").headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0] for _ in "ab"}
    assert len(nonces) == 2


def test_inline_scripts_carry_the_nonce(anonymous):
    response = anonymous.get("/login")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    tags = re.findall(r"<script\b([^>]*)>", response.get_data(as_text=True))
    inline = [attributes for attributes in tags if "src=" not in attributes]
    assert inline, "the page was expected to have GOV.UK's one inline script"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline)
    assert "on" + "click=" not in response.get_data(as_text=True)  # no inline event handlers either


def test_pages_are_not_kept_by_shared_caches(login_as, world):
    response = login_as(world.users["school"]).get(f"/school/requests/{world.request_a.id}")
    assert "no-store" in response.headers["Cache-Control"]


def test_production_sends_hsts(tmp_path):
    config = load_config(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "p" * 48,
            "REDIS_URL": "redis://127.0.0.1:6379/13",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'production.db'}",
            "PORTAL_INSTANCE": str(tmp_path),
        }
    )
    response = create_app(config).test_client().get("/login", base_url="https://portal.example.org")
    hsts = response.headers.get("Strict-Transport-Security", "")
    assert "max-age=" in hsts
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000
    check_headers(response, "production /login")
