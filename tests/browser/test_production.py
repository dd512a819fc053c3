"""The portal as deployed: TLS, Secure `__Host-` cookies, HSTS, two app servers on one PostgreSQL and one Redis.

Chromium trusts the servers' test certificate (conftest: --ignore-certificate-errors-spki-list names the key), so
pages are a secure context and the browser sends Origin and Referer exactly as it would to a real deployment: the
forms below go through the real CSRF path, the same-origin check included, not around it. The two servers listen on
two ports of localhost; cookies ignore ports, so one browser carries its session to both, as a load balancer would
send it now to one, now to the other. Their origins differ by port, which lets a page of one play "another site".
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import DEMO_LOGINS, DEMO_PASSWORD, assert_accessible, heading, login, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("server_mode", ["production"], indirect=True)]

SIGN_IN_LIMIT = 10  # LOGIN_ATTEMPTS_PER_HOUR's default


def test_pages_are_a_secure_context_with_host_cookies_and_hsts(page: Page, live_portal) -> None:
    with page.expect_response(live_portal.urls[0] + "/login") as answer:
        visit(page, live_portal.urls[0] + "/login")
    headers = answer.value.all_headers()
    assert "max-age=" in headers["strict-transport-security"]
    assert headers["referrer-policy"] == "same-origin"
    assert page.evaluate("() => window.isSecureContext"), "Chromium does not trust the test certificate"
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    (cookie,) = [cookie for cookie in page.context.cookies() if cookie["name"].endswith("session")]
    assert cookie["name"] == "__Host-session"
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"


def test_signed_in_on_one_server_is_signed_in_on_the_other_and_signed_out_of_both(page: Page, live_portal) -> None:
    first, second = live_portal.urls
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)  # on the first server
    visit(page, second + "/council/")
    expect(page).to_have_url(second + "/council/")
    submit(page, "Sign out")  # on the second server
    visit(page, first + "/council/")  # the first no longer knows the session either
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_failed_sign_ins_count_across_both_servers(page: Page, live_portal) -> None:
    address = f"nobody.{uuid.uuid4().hex[:8]}@example.org"
    for attempt in range(SIGN_IN_LIMIT):
        visit(page, live_portal.urls[attempt % 2] + "/login")
        page.get_by_label("Email address").fill(address)
        page.get_by_label("Password", exact=True).fill(f"wrong guess {attempt}")
        submit(page, "Sign in")
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")
    for url in live_portal.urls:  # the eleventh, on either server, is refused
        visit(page, url + "/login")
        page.get_by_label("Email address").fill(address)
        page.get_by_label("Password", exact=True).fill("wrong guess again")
        with page.expect_response(re.compile(r"/login$")) as answer:
            submit(page, "Sign in")
        assert answer.value.status == 429
        expect(heading(page)).to_have_text("Too many attempts")


def test_a_form_sent_from_another_site_is_refused_even_with_a_valid_token(page: Page, live_portal) -> None:
    first, second = live_portal.urls
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)  # on the first server
    visit(page, second + "/school/")
    # A page of another origin (the second server's port) sends the first server a sign-out form, with a token
    # valid for this session: the browser says where it comes from, and the first server refuses it.
    page.evaluate(
        """(target) => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = target;
            form.appendChild(document.querySelector('input[name=csrf_token]').cloneNode());
            const button = document.createElement('button');
            button.id = 'cross-site-submit';
            button.textContent = 'Send';
            form.appendChild(button);
            document.body.appendChild(form);
        }""",
        first + "/logout",
    )
    with page.expect_response(first + "/logout") as answer:
        page.locator("#cross-site-submit").click()
    assert answer.value.status == 400
    assert_accessible(page)
    expect(heading(page)).to_have_text("Your page was out of date")
    visit(page, first + "/school/")  # still signed in: nothing was done
    expect(page).to_have_url(first + "/school/")
