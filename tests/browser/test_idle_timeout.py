"""The idle timeout in a browser: after a warning, the page's script signs out with a POST to /logout carrying the
page's CSRF token, then shows the signed-out message. A plain visit to the signed-out page signs nobody out.

Playwright's clock moves the page's timers on 30 minutes at once; the server's clock does not move, so the session
ends only because the script's POST ended it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import DEMO_LOGINS, DEMO_PASSWORD, assert_accessible, heading, login, visit

pytestmark = pytest.mark.browser

IDLE = "You were signed out because you did nothing for 30 minutes"


def test_after_thirty_idle_minutes_the_page_signs_out_and_says_why(page: Page) -> None:
    page.clock.install()
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    expect(heading(page)).to_have_text("Programme")

    page.clock.fast_forward("28:30")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_visible()

    with page.expect_request(re.compile(r"/logout$")) as sign_out, page.expect_event("load"):
        page.clock.fast_forward("01:31")
    assert sign_out.value.method == "POST"
    assert sign_out.value.header_value("x-csrftoken")
    expect(page).to_have_url(re.compile(r"/login\?timeout=1$"))
    assert_accessible(page)
    expect(page.get_by_text(IDLE)).to_be_visible()

    visit(page, "/council/")  # the session really ended on the server
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_a_link_to_the_signed_out_page_from_elsewhere_signs_nobody_out(page: Page) -> None:
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    visit(page, "/signed-out")
    expect(page).to_have_url(re.compile(r"/council/$"))
    visit(page, "/council/schools")
    expect(heading(page)).to_have_text("Schools")
