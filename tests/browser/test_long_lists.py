"""A council officer finds schools in a long directory: page by page, then by searching a district and sorting by
size, as they would before setting priorities. Every page shown passes axe-core.

The demo directory holds 38 schools; this portal shows 5 to a page (LIST_PAGE_SIZE), so the list, and a search of
it, spread over several pages as a national directory's would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import SMALL_PAGE_SIZE, follow, heading, submit, visit

pytestmark = pytest.mark.browser


def school_names(page: Page) -> list[str]:
    return page.locator("tbody .govuk-table__row td:first-child a").all_inner_texts()


def pupils_on_roll(page: Page) -> list[int]:
    cells = page.locator('tbody td[data-label="Pupils on roll"]').all_inner_texts()
    return [int(cell) for cell in cells if cell.strip().isdigit()]


def test_an_officer_pages_through_searches_and_sorts_the_schools(officer: Page) -> None:
    page = officer
    follow(page, page.get_by_role("link", name="Schools", exact=True))
    expect(heading(page)).to_have_text("Schools")
    expect(page.get_by_role("status")).to_have_text("38 schools in the directory.")
    pages = page.get_by_role("navigation", name="Pages of the list")
    expect(pages).to_be_visible()
    first = school_names(page)
    assert len(first) == SMALL_PAGE_SIZE and first == sorted(first)

    follow(page, pages.get_by_role("link", name=re.compile("Next")))
    expect(page.get_by_text("Showing 6 to 10 of 38 schools")).to_be_visible()
    second = school_names(page)
    assert not set(first) & set(second) and max(first) <= min(second)

    # “oxford” finds the schools of Oxford, South Oxfordshire and West Oxfordshire, biggest first.
    page.get_by_label("Search by school name, URN, town or district").fill("oxford")
    page.get_by_label("Sort by").select_option(label="Most pupils on roll first")
    submit(page, "Search")
    expect(page.get_by_role("status")).to_contain_text("schools match “oxford”")
    assert "page=" not in page.url  # a new search starts at its first page
    seen = school_names(page)
    sizes = pupils_on_roll(page)
    expect(page.get_by_role("columnheader", name="Pupils on roll")).to_have_attribute("aria-sort", "descending")

    # Its pages keep the search and the sort: each school shows once, sizes never grow from page to page.
    while (
        following := page.get_by_role("navigation", name="Pages of the list").get_by_role(
            "link", name=re.compile("Next")
        )
    ).count():
        follow(page, following)
        assert "q=oxford" in page.url and "sort=pupils" in page.url
        expect(page.get_by_label("Search by school name, URN, town or district")).to_have_value("oxford")
        seen += school_names(page)
        sizes += pupils_on_roll(page)
    total = int(re.search(r"(\d+) schools match", page.get_by_role("status").inner_text()).group(1))
    assert len(seen) == len(set(seen)) == total > SMALL_PAGE_SIZE
    assert sizes == sorted(sizes, reverse=True)

    # Back to every school; a search that finds nothing says what to try; a page past the end is the last page.
    follow(page, page.get_by_role("link", name="Show all schools"))
    expect(page.get_by_role("status")).to_have_text("38 schools in the directory.")
    page.get_by_label("Search by school name, URN, town or district").fill("Nowhere Academy")
    submit(page, "Search")
    expect(page.get_by_role("status")).to_have_text("0 schools match “Nowhere Academy”. Show all schools")
    expect(page.get_by_text("Check the spelling, or search by the school’s URN, town or district.")).to_be_visible()
    visit(page, "/council/schools?page=999&sort=made-up")
    expect(page.get_by_text("Showing 36 to 38 of 38 schools")).to_be_visible()
