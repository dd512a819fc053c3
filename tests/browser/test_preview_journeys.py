"""Adults see it first, from a screen: the company sets up a preview, school staff book seats for named colleagues
and make the link for their parents, a parent with no account books through it, confirms from the e-mailed link and
cancels, and the company cancels the preview. axe-core checks every page on the way, error states included."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from portal import clock
from tests.browser.browsing import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    expect_banner,
    follow,
    heading,
    login,
    sign_out,
    submit,
    visit,
    wait_for_mailed_link,
)

pytestmark = pytest.mark.browser


def set_up_preview(page: Page, venue: str, days_ahead: int = 21) -> tuple[str, str]:
    """The company sets up a preview for every school; its page's path and the production's title."""
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    follow(page, page.get_by_role("link", name="Previews", exact=True))
    follow(page, page.get_by_role("link", name="Set up a preview"))
    submit(page, "Save preview")  # empty: the error summary says what is missing
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the venue’s address")
    day = clock.today() + timedelta(days=days_ahead)
    group = page.get_by_role("group", name="Date")
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("Venue address").fill(venue)
    page.get_by_label("Seats").fill("30")
    page.get_by_label("All schools").check()
    title = page.locator("#production_id option:checked").inner_text().strip()
    submit(page, "Save preview")
    expect_banner(page, "Preview saved.")
    path = re.sub(r"^https?://[^/]+", "", page.url)
    follow(page, page.get_by_role("link", name="Change the preview"))
    expect(heading(page)).to_have_text("Change the preview")
    visit(page, path)
    sign_out(page)
    return path, title


def test_staff_and_a_parent_book_a_preview_that_the_company_then_cancels(page: Page, new_person, live_portal) -> None:
    venue = f"The Mill Arts Centre {uuid.uuid4().hex[:6]}, Banbury"
    preview_path, title = set_up_preview(page, venue)

    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    follow(page, page.get_by_role("link", name="Previews", exact=True))
    follow(page, page.get_by_role("row").filter(has_text=venue).get_by_role("link"))
    submit(page, "Book seats")  # empty: says to name a colleague
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of at least one colleague")
    page.get_by_label("Colleagues’ names, one per line").fill("Sam Jones\nAli Khan")
    submit(page, "Book seats")
    expect_banner(page, "Seats booked.")
    follow(page, page.get_by_role("link", name="Change Sam Jones’s seat"))
    page.get_by_label("Colleague’s name").fill("Jo Bloggs")
    submit(page, "Save")
    expect(page.locator("main")).to_contain_text("Jo Bloggs")
    visit(page, "/school/previews/")
    follow(page, page.get_by_role("link", name="Your link for parents"))
    submit(page, "Make a link")
    link = page.locator("main a.govuk-link").filter(has_text="/parents/book/").inner_text().strip()
    parents_path = re.sub(r"^https?://[^/]+", "", link)
    sign_out(page)

    parent = new_person()
    address = f"pat.{uuid.uuid4().hex[:8]}@example.net"
    visit(parent, parents_path)
    submit(parent, "Book seats")  # empty: the error summary lists what is missing
    expect(parent.locator(".govuk-error-summary")).to_contain_text("Enter your name")
    parent.get_by_label(re.compile(re.escape(venue))).check()
    parent.get_by_label("Your name").fill("Pat Parent")
    parent.get_by_label("Email address").fill(address)
    parent.get_by_label("2", exact=True).check()
    submit(parent, "Book seats")
    expect(heading(parent)).to_have_text("Check your email")
    booking = wait_for_mailed_link(live_portal.mail_dir, address, f"Confirm your seats at the preview of {title}")
    visit(parent, booking)
    submit(parent, "Confirm my seats")
    expect(parent.locator("main")).to_contain_text("Your seats are held")
    submit(parent, "Cancel my seats")
    expect(parent.locator("main")).to_contain_text("This booking is cancelled")

    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    visit(page, preview_path)
    expect(page.locator("main")).to_contain_text("Jo Bloggs")
    follow(page, page.get_by_role("link", name="Cancel the preview"))
    submit(page, "Cancel preview")  # no reason: asked for one
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for cancelling")
    page.get_by_label("Reason for cancelling (everyone booked is told)").fill("The venue has flooded")
    submit(page, "Cancel preview")
    expect_banner(page, "Preview cancelled. Everyone booked has been emailed.")


def test_on_the_day_the_company_marks_who_came_from_a_phone(page: Page) -> None:
    venue = f"The Corn Exchange {uuid.uuid4().hex[:6]}, Bicester"
    preview_path, _title = set_up_preview(page, venue, days_ahead=0)

    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    follow(page, page.get_by_role("link", name="Previews", exact=True))
    follow(page, page.get_by_role("row").filter(has_text=venue).get_by_role("link"))
    page.get_by_label("Colleagues’ names, one per line").fill("Robin Hale")
    submit(page, "Book seats")
    expect_banner(page, "Seats booked.")
    sign_out(page)

    page.set_viewport_size({"width": 375, "height": 812})
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    visit(page, preview_path)
    row = page.get_by_role("row").filter(has_text="Robin Hale")
    expect(row).to_contain_text("No")
    # Each button names the person it marks, for screen readers (the name is visually hidden beside the row's).
    follow(page, row.get_by_role("button", name=re.compile(r"^Attended\W+Robin Hale$")))
    row = page.get_by_role("row").filter(has_text="Robin Hale")
    expect(row.get_by_role("cell").nth(3)).to_contain_text("Yes")
    expect(row.get_by_role("button", name=re.compile(r"^Not attended\W+Robin Hale$"))).to_be_visible()
