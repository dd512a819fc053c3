"""Forms post over HTTPS whatever the referrer policy, and never from another site (portal.csrf).

A browser sends Origin on every POST, and leaves out Referer when a page, a setting or an extension says so; the
portal must take its own forms without a Referer, behind a TLS proxy too, and refuse a form sent from another site
even with a valid token.
"""

from __future__ import annotations

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import create_app
from tests.conftest import make_test_config
from tests.factories import DEFAULT_PASSWORD
from tests.integration.pages import CSRF_FIELD, location_path

HTTPS = "https://portal.example.org"
PROXY_SIDE = "http://10.0.0.5:8000"  # where the proxy reaches gunicorn


def sign_in_form(client, base_url: str, headers: dict) -> object:
    page = client.get("/login", base_url=base_url)
    token = CSRF_FIELD.search(page.get_data(as_text=True)).group(1)
    return client.post(
        "/login",
        base_url=base_url,
        data={"email": "nobody@example.org", "password": "not the password", "csrf_token": token},
        headers=headers,
    )


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": HTTPS}, 200),  # no Referer (Referrer-Policy, privacy settings): the form still works
        ({"Origin": HTTPS, "Referer": f"{HTTPS}/login"}, 200),
        ({"Referer": f"{HTTPS}/login"}, 200),  # an older browser that sends no Origin
        ({"Origin": "https://evil.example"}, 400),
        ({"Origin": "https://evil.example", "Referer": f"{HTTPS}/login"}, 400),
        ({"Origin": "null"}, 400),
        ({}, 400),
    ],
)
def test_an_https_form_is_taken_when_its_origin_is_this_site(anonymous, headers, status):
    response = sign_in_form(anonymous, HTTPS, headers)
    # 200: the sign-in form came back with its "wrong password" error, past the CSRF check; 400: refused by it.
    assert response.status_code == status
    if status == 400:
        assert "Your page was out of date" in response.get_data(as_text=True)


def test_a_form_from_another_site_is_refused_over_plain_http_too(anonymous):
    assert sign_in_form(anonymous, "http://localhost", {"Origin": "https://evil.example"}).status_code == 400
    assert sign_in_form(anonymous, "http://localhost", {"Origin": "http://localhost"}).status_code == 200


def test_behind_a_tls_proxy_the_forwarded_scheme_and_host_make_the_origin(app, anonymous, world):
    """Behind one proxy (TRUSTED_PROXIES=1) gunicorn sees plain HTTP from the proxy's address; X-Forwarded-Proto and
    -Host say what the browser used, and a form's Origin is checked against that."""
    original = app.wsgi_app
    app.wsgi_app = ProxyFix(original, x_for=1, x_proto=1, x_host=1, x_port=1)  # what create_app does, below
    try:
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "portal.example.org"}
        page = anonymous.get("/login", base_url=PROXY_SIDE, headers=forwarded)
        token = CSRF_FIELD.search(page.get_data(as_text=True)).group(1)
        form = {"email": world.users["council"].email, "password": DEFAULT_PASSWORD, "csrf_token": token}
        answers = {
            origin: anonymous.post("/login", base_url=PROXY_SIDE, data=form, headers={**forwarded, "Origin": origin})
            for origin in (PROXY_SIDE, HTTPS)
        }
    finally:
        app.wsgi_app = original
    assert answers[PROXY_SIDE].status_code == 400  # the proxy's own address is not the site
    assert answers[HTTPS].status_code == 302
    assert location_path(answers[HTTPS]).startswith("/council")


def test_trusted_proxies_makes_the_portal_believe_that_many_proxies(tmp_path):
    config = make_test_config(tmp_path, f"sqlite:///{tmp_path / 'unused.db'}")
    assert not isinstance(create_app(config).wsgi_app, ProxyFix)  # by default no X-Forwarded-* header is believed
    proxied = create_app({**config, "TRUSTED_PROXIES": 2}).wsgi_app
    assert isinstance(proxied, ProxyFix)
    assert (proxied.x_for, proxied.x_proto, proxied.x_host, proxied.x_port) == (2, 2, 2, 2)
