"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide, each role's main pages never scroll sideways.

Wide tables scroll inside their own `.app-table-scroll` box; everything else must wrap. axe-core checks every page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import DEMO_LOGINS, DEMO_PASSWORD, follow, heading, login, visit

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
# The elements that stick out to the right of the viewport, outside any box that scrolls on its own: the culprits.
STICKING_OUT = """(width) => [...document.querySelectorAll('body *')]
  .filter((element) => element.getBoundingClientRect().right > width + 0.5)
  .filter((element) => !element.closest('.app-table-scroll'))
  .map((element) => {
    const name = element.tagName.toLowerCase() + (element.className ? '.' + [...element.classList].join('.') : '');
    return `${name} (right edge ${Math.round(element.getBoundingClientRect().right)}px): `
      + element.textContent.trim().slice(0, 60);
  })
  .slice(0, 8)"""
PAGES = {
    "school": ["/school/", "/school/performances"],
    "council": ["/council/schools"],
    "company": ["/company/"],
    "admin": ["/admin/"],
}


def overflow(page: Page) -> list[str]:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width <= NARROW["width"]:
        return []
    return [f"{page.url} is {width} pixels wide:", *page.evaluate(STICKING_OUT, NARROW["width"])]


@pytest.mark.parametrize("role", sorted(PAGES))
def test_main_pages_fit_a_320_pixel_wide_screen(page: Page, role: str) -> None:
    page.set_viewport_size(NARROW)
    login(page, DEMO_LOGINS[role], DEMO_PASSWORD)
    problems = []
    for path in PAGES[role]:
        visit(page, path)
        problems += overflow(page)
    if role == "company":
        # A season's schedule: a wide table of the week's performances.
        follow(page, page.get_by_role("link", name="Demo season now touring"))
        follow(page, page.get_by_role("button", name="Schedule"))
        expect(heading(page)).to_have_text("Schedule")
        expect(page.locator(".app-table-scroll table")).to_be_visible()
        problems += overflow(page)
    assert not problems, "\n".join(problems)
