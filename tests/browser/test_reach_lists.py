"""A council officer finds a school's reach in a long list: from the dashboard to reach by school, page by page, sorted
by pupils who discussed the drama in class, then searched by district for one season; and the schools not reached,
highest priority first. Every page shown passes axe-core.

The demo directory holds 38 schools; this portal shows 5 to a page (LIST_PAGE_SIZE), so the reach tables of schools
spread over several pages as a national programme's would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.browsing import SMALL_PAGE_SIZE, follow, heading, submit, visit

pytestmark = pytest.mark.browser

SEARCH = "Search by school name, URN, town or district"


def rows(page: Page) -> list[tuple[str, str, int]]:
    """(school, district, discussed in class) of each row shown."""
    found = []
    for row in page.locator("tbody tr[data-school-id]").all():
        school = row.locator('td[data-label="School"]').inner_text().splitlines()[0].strip()
        district = row.locator('td[data-label="District"]').inner_text().strip()
        discussed = row.locator('td[data-label="Discussed in class"]')
        found.append((school, district, int(discussed.inner_text().replace(",", "")) if discussed.count() else 0))
    return found


def next_page(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Pages of the list").get_by_role("link", name=re.compile("Next"))


def every_page(page: Page) -> list[tuple[str, str, int]]:
    """The rows of this page and of each page after it, following the Next links."""
    seen = rows(page)
    while next_page(page).count():
        follow(page, next_page(page))
        seen += rows(page)
    return seen


def count_in_status(page: Page) -> int:
    return int(re.match(r"\d+", page.get_by_role("status").inner_text())[0])


def test_an_officer_pages_sorts_and_searches_reach_by_school(officer: Page) -> None:
    page = officer
    follow(page, page.get_by_role("link", name="Reach", exact=True))
    link = page.get_by_role("link", name=re.compile(r"^Reach by school \(\d+ schools\)$"))
    with_figures = int(re.search(r"\((\d+) schools\)", link.inner_text())[1])
    assert with_figures > SMALL_PAGE_SIZE
    follow(page, link)
    expect(heading(page)).to_have_text("Reach by school")
    expect(page.get_by_role("status")).to_have_text(f"{with_figures} schools with figures in this period.")
    expect(page.get_by_role("columnheader", name="Seen the drama")).to_have_attribute("aria-sort", "descending")

    # Sorted by pupils who discussed it in class: every school once, over the pages, the figures never growing.
    page.get_by_label("Sort by").select_option(label="Most pupils discussed in class first")
    submit(page, "Search")
    expect(page.get_by_role("columnheader", name="Discussed in class")).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_text(f"Showing 1 to {SMALL_PAGE_SIZE} of {with_figures} schools")).to_be_visible()
    everyone = every_page(page)
    assert "sort=discussed" in page.url
    assert len(everyone) == len({school for school, _, _ in everyone}) == with_figures
    discussed = [figure for _, _, figure in everyone]
    assert discussed == sorted(discussed, reverse=True)

    # One district in one season: the search and the season stay in the page links.
    district = everyone[0][1]
    page.get_by_label(SEARCH).fill(district.lower())
    season = page.get_by_label("Season").locator("option").nth(1)
    page.get_by_label("Season").select_option(label=season.inner_text())
    submit(page, "Search")
    expect(page.get_by_role("status")).to_contain_text(f"match “{district.lower()}”")
    assert "season=" in page.url and "page=" not in page.url
    found = every_page(page)
    assert len(found) == count_in_status(page)
    assert all(district.lower() in (row_district.lower() + school.lower()) for school, row_district, _ in found)
    expect(page.get_by_label(SEARCH)).to_have_value(district.lower())

    # A page past the end shows the last page; the back link keeps the season on the dashboard.
    visit(page, "/reach/schools?page=999&sort=made-up")
    expect(page.get_by_text(re.compile(rf"of {with_figures} schools$"))).to_be_visible()
    follow(page, page.get_by_role("link", name="Reach dashboard"))
    expect(heading(page)).to_have_text("Reach of the programme")


def test_an_officer_finds_the_schools_not_reached_highest_priority_first(officer: Page) -> None:
    page = officer
    follow(page, page.get_by_role("link", name="Reach", exact=True))
    follow(page, page.get_by_role("link", name=re.compile(r"^Schools not reached yet \(\d+\)$")))
    expect(heading(page)).to_have_text("Schools not reached yet")
    expect(page.get_by_role("columnheader", name="Priority")).to_have_attribute("aria-sort", "descending")
    total = count_in_status(page)
    priorities = []
    while True:
        priorities += [int(text) for text in page.locator('td[data-label="Priority"]').all_inner_texts()]
        if not next_page(page).count():
            break
        follow(page, next_page(page))
    assert len(priorities) == total and priorities == sorted(priorities, reverse=True)
    page.get_by_label(SEARCH).fill("Nowhere Academy")
    submit(page, "Search")
    expect(page.get_by_role("status")).to_have_text("0 schools match “Nowhere Academy”. Show all schools")


def test_an_officer_finds_a_districts_reach_pipeline_and_questionnaire_results(officer: Page) -> None:
    page = officer
    visit(page, "/reach/")
    for link, title, label in [
        ("Reach by district", "Reach by district", "Seen the drama"),
        ("Pipeline by district", "Pipeline by district", "Requested"),
        ("Questionnaire results by district", "Questionnaire results by district", "Answered"),
    ]:
        follow(page, page.get_by_role("link", name=re.compile(rf"^{link} \(\d+ districts?\)$")))
        expect(heading(page)).to_have_text(title)
        table = page.get_by_role("table", name=re.compile(rf"^{title}, sorted by district"))
        names = table.locator("tbody th").all_inner_texts()
        assert names and names == sorted(names)
        page.get_by_label("Search by district").fill("oxfordshire")
        page.get_by_label("Sort by").select_option(index=1)  # the first figure, most first
        submit(page, "Search")
        expect(page.get_by_role("status")).to_contain_text("match “oxfordshire”")
        found = page.locator("tbody th").all_inner_texts()
        assert found and all("Oxfordshire" in name for name in found), found
        expect(page.get_by_role("columnheader", name=label, exact=False).first).to_be_visible()
        follow(page, page.get_by_role("link", name="Reach dashboard"))
