"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide, each role's main pages never scroll sideways; and at 375 (a phone),
the key pages show every column of every table without scrolling it sideways or breaking a word in two.

Wide tables scroll inside their own `.app-table-scroll` box; everything else must wrap. On the key pages (the school's
home, requests and performances, the company's home, schedule and day sheet, the council's home and reach lists) the
tables stack on a phone: each row a block, each cell a line led by its column's name. axe-core checks every page.
"""

from __future__ import annotations

import re

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


def show_a_week_with_performances(page: Page) -> None:
    """The schedule opens on this week, which may have no performances: go back a week at a time to one that has."""
    while not page.get_by_role("table", name=re.compile(r"^Week beginning ")).count():
        follow(page, page.get_by_role("link", name=re.compile(r"^Previous week")))


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
        # A season's schedule: a wide table of the week's performances (this week's, or an earlier week's).
        follow(page, page.get_by_role("link", name="Demo season now touring"))
        follow(page, page.get_by_role("button", name="Schedule"))
        expect(heading(page)).to_have_text("Schedule")
        show_a_week_with_performances(page)
        expect(page.locator(".app-table-scroll table")).to_be_visible()
        problems += overflow(page)
    assert not problems, "\n".join(problems)


PHONE = {"width": 375, "height": 740}
# Tables on the page whose columns do not all fit: wider than their own box (the last columns hidden behind a
# sideways scroll) or than the screen.
TABLES_CUT_OFF = """(width) => [...document.querySelectorAll('main table')]
  .filter((table) => {
    const box = table.closest('.app-table-scroll');
    return table.getBoundingClientRect().right > width + 0.5 || (box && box.scrollWidth > box.clientWidth + 1);
  })
  .map((table) => `table "${(table.caption?.textContent ?? '').trim()}" is ${Math.round(table.scrollWidth)}px wide`)"""
# Words that a table cell or a summary list splits over two lines although they would fit on one (a break after a
# hyphen is a word's own; a long e-mail address wider than the screen has to break somewhere).
WORDS_BROKEN = """() => {
  const broken = [];
  const places = document.querySelectorAll(
    'main td, main th, main .govuk-summary-list__key, main .govuk-summary-list__value');
  for (const place of places) {
    const walker = document.createTreeWalker(place, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.govuk-visually-hidden')) continue;
      for (const word of node.textContent.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const lines = new Set(rects.map((r) => Math.round(r.bottom)));
        const fits = rects.reduce((sum, r) => sum + r.width, 0) <= place.clientWidth;
        if (lines.size > 1 && fits) broken.push(`"${word[0]}" in: ${place.textContent.trim().slice(0, 60)}`);
      }
    }
  }
  return broken.slice(0, 8);
}"""
# The column name a stacked cell shows before its value on a phone.
LABEL_SHOWN = "(cell) => getComputedStyle(cell, '::before').content"


def cut_off_or_broken(page: Page) -> list[str]:
    problems = page.evaluate(TABLES_CUT_OFF, PHONE["width"]) + page.evaluate(WORDS_BROKEN)
    return [f"{page.url}:", *problems] if problems else []


def expect_stacked(page: Page, caption: str | re.Pattern, label: str) -> None:
    """The table's first cell reads "label: …" on a phone: the table stacks rather than scrolls."""
    cell = page.get_by_role("table", name=caption).locator("tbody td").first
    shown = cell.evaluate(LABEL_SHOWN)  # '"Date: " / ""': the label, with no alternative text of its own
    assert shown.startswith(f'"{label}: "'), f"{caption}: the first cell shows {shown} before its value"


def test_the_school_pages_show_every_column_and_whole_words_on_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    problems = []
    for path in ("/school/", "/school/requests", "/school/performances"):
        visit(page, path)
        problems += cut_off_or_broken(page)
    expect_stacked(page, "Performances at your school", "Date")
    visit(page, "/school/requests")
    expect_stacked(page, "Requests", "Production")
    assert not problems, "\n".join(problems)


def test_the_cast_pages_show_every_column_and_whole_words_on_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    problems = cut_off_or_broken(page)
    expect_stacked(page, "Seasons", "Season")
    follow(page, page.get_by_role("link", name="Demo season now touring"))
    follow(page, page.get_by_role("button", name="Schedule"))
    show_a_week_with_performances(page)
    problems += cut_off_or_broken(page)
    expect_stacked(page, re.compile(r"^Week beginning "), "Date")
    follow(page, page.get_by_role("link", name=re.compile(r"day sheet for")).first)
    expect(heading(page)).to_have_text(re.compile(r"^Day sheet for "))
    problems += cut_off_or_broken(page)
    assert not problems, "\n".join(problems)


def test_the_council_lists_show_every_column_and_whole_words_on_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    problems = cut_off_or_broken(page)
    visit(page, "/reach/")
    problems += cut_off_or_broken(page)
    expect_stacked(page, "Questionnaire results", "Answered")
    for path, caption, label in [
        ("/reach/pipeline-districts", "Pipeline by district", "Requested"),
        ("/reach/districts", "Reach by district", "Seen the drama"),
        ("/reach/evaluation-districts", "Questionnaire results by district", "Answered"),
    ]:
        visit(page, path)
        problems += cut_off_or_broken(page)
        expect_stacked(page, caption, label)
    assert not problems, "\n".join(problems)
