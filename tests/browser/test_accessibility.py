"""Every page each role can reach passes axe-core (WCAG 2.2 AA rules), and the pages work from the keyboard.

Each role's pages are found by following links from its home page, so pages added later are checked too; the
pages that only a form or a wrong address leads to (error states, error pages) are visited on purpose.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    follow,
    heading,
    login,
    submit,
    visit,
)
from tests.browser.crawling import Crawler, first_link_per_status, shape

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {"/", "/accessibility", "/privacy"}
# Shapes of the pages each role must have reached by following links (the brief's list of pages per role).
REACHED = {
    "anonymous": PUBLIC_PAGES | {"/login", "/register"},
    "school": PUBLIC_PAGES
    | {
        "/account",
        "/school/",
        "/school/requests",
        "/school/profile",
        "/school/seasons/{id}/requests/new",
        "/school/requests/{id}",
        "/school/requests/{id}/edit",
        "/school/requests/{id}/withdraw",
        "/school/performances",
        "/school/performances/{id}",
    },
    "company": PUBLIC_PAGES
    | {
        "/account",
        "/company/",
        "/company/seasons/{id}",
        "/company/seasons/{id}/schedule",
        "/company/seasons/{id}/requests",
        "/company/requests/{id}",
        "/company/performances/{id}",
    },
    "council": PUBLIC_PAGES
    | {
        "/account",
        "/council/",
        "/council/approvals",
        "/council/approvals/{id}",
        "/council/schools",
        "/council/schools/{id}",
        "/council/requests",
        "/council/requests/{id}",
        "/council/performances",
        "/council/performances/{id}",
    },
    "admin": PUBLIC_PAGES | {"/account", "/admin/", "/admin/users/{id}", "/admin/outbox", "/admin/audit"},
}
# A demo school with no staff account and no requests, for an applicant waiting for approval.
APPLICANT_SCHOOL_URN = "990137"


def expect_error_summary(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()


def expect_reached(role: str, visited: list[str]) -> None:
    missing = REACHED[role] - {shape(path) for path in visited}
    assert not missing, f"{role} never reached {sorted(missing)} by following links; visited {visited}"


def ask_for_account(page: Page, urn: str) -> str:
    """An anonymous person asks for a school account, typing the school's URN; returns their name."""
    full_name = f"Morgan Ellery {uuid.uuid4().hex[:6]}"
    visit(page, "/register")
    page.get_by_label("Your school").fill(urn)
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Job title").fill("PSHE lead")
    page.get_by_label("Work email address").fill(f"morgan.{uuid.uuid4().hex[:8]}@stonechat.example.org")
    page.get_by_label("Work phone number").fill("01632 960 654")
    page.get_by_label("Create a password").fill("violet lantern harbour 1987")
    submit(page, "Ask for an account")
    expect(heading(page)).to_have_text("Check your email")
    return full_name


def make_request(page: Page) -> None:
    """The demo school has no request in the open season: make one through the form's steps."""
    visit(page, "/school/")
    follow(page, page.get_by_role("button", name="Request a performance"))
    page.get_by_label("Year 9").fill("120")
    page.get_by_role("group", name="Which weeks is your hall free?").get_by_role("checkbox").first.check()
    page.get_by_role("group", name="At which times of day is your hall free?").get_by_role("checkbox").first.check()
    page.get_by_label("Number of staff in the hall").fill("4")
    page.get_by_label("Name of the Designated Safeguarding Lead who will attend").fill("Sam Patel")
    page.get_by_label("DSL’s email address").fill("sam.patel@greenfinch.example.org")
    page.get_by_label("DSL’s phone number").fill("01632 960 101")
    submit(page, "Continue")
    submit(page, "Continue")
    expect(heading(page)).to_have_text("Check your answers before sending your request")
    submit(page, "Send request")
    expect(heading(page)).to_have_text("Request sent")


@pytest.mark.every_page
def test_every_page_an_anonymous_person_can_reach_passes_axe(page: Page, base_url: str) -> None:
    expect_reached("anonymous", Crawler(page, base_url).crawl("/"))

    # Forms with errors: the error summary, the inline messages and the "Error:" title must pass too.
    visit(page, "/register")
    submit(page, "Ask for an account")
    expect_error_summary(page, "Enter your school’s name or URN", "Enter a password")
    visit(page, "/login")
    page.get_by_label("Email address").fill(f"nobody.{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_label("Password", exact=True).fill("not the password")
    submit(page, "Sign in")
    expect_error_summary(page, "Enter a correct email address and password")

    # Signed-in pages send an anonymous person to sign in.
    visit(page, "/school/requests")
    expect(page).to_have_url(re.compile(r"/login\?next="))

    # Error pages.
    visit(page, f"/no-such-page-{uuid.uuid4().hex[:6]}", status=404)
    expect(heading(page)).to_have_text("Page not found")
    visit(page, "/logout", status=405)


def test_a_form_sent_without_its_csrf_token_gets_an_accessible_error_page(page: Page) -> None:
    visit(page, "/login")
    page.locator("input[name=csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("Email address").fill(DEMO_LOGINS["school"])
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    with page.expect_response(re.compile(r"/login$")) as response:
        submit(page, "Sign in")
    assert response.value.status == 400
    expect(page).to_have_url(re.compile(r"/login$"))


@pytest.mark.every_page
def test_every_page_school_staff_can_reach_passes_axe(page: Page, base_url: str) -> None:
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    make_request(page)
    crawler = Crawler(page, base_url)
    crawler.crawl("/school/")
    # A performance's page differs by status (confirm or decline, lesson packs...): one of each.
    visit(page, "/school/performances")
    for path in first_link_per_status(page, r"^/school/performances/\d+$").values():
        crawler.crawl(path, always=True)
    expect_reached("school", crawler.visited)

    visit(page, "/school/profile")
    page.get_by_label("Hall capacity").fill("lots")
    submit(page, "Save")
    expect_error_summary(page, "Hall capacity must be a whole number, like 60")

    # Another school's request does not exist for them; other roles' areas are forbidden.
    visit(page, "/school/requests/1", status=404)
    visit(page, "/council/", status=403)
    expect(heading(page)).to_be_visible()


@pytest.mark.every_page
def test_every_page_the_theatre_company_can_reach_passes_axe(page: Page, base_url: str) -> None:
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    crawler = Crawler(page, base_url)
    crawler.crawl("/company/")
    # A performance's page differs by status (record delivery, move, cancel...): find one of each, week by week.
    performances: dict[str, str] = {}
    for schedule in [path for path in crawler.visited if shape(path) == "/company/seasons/{id}/schedule"]:
        visit(page, schedule)
        for week in page.locator("#week option").evaluate_all("options => options.map((option) => option.value)"):
            if {"Provisional", "Confirmed", "Delivered"} <= performances.keys():
                break
            visit(page, f"{schedule}?week={week}")
            performances = first_link_per_status(page, r"^/company/performances/\d+$") | performances
    for path in performances.values():
        crawler.crawl(path, always=True)
    expect_reached("company", crawler.visited)
    assert {"Provisional", "Confirmed"} & performances.keys(), f"no performance to move or cancel: {performances}"


@pytest.mark.every_page
def test_every_page_a_council_officer_can_reach_passes_axe(page: Page, base_url: str, new_person) -> None:
    applicant = ask_for_account(new_person(), APPLICANT_SCHOOL_URN)
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    expect_reached("council", Crawler(page, base_url).crawl("/council/"))

    visit(page, "/council/approvals")
    follow(page, page.get_by_role("link", name=re.compile(applicant)))
    submit(page, "Save decision")
    expect_error_summary(page, "Select whether you approve this account")


@pytest.mark.every_page
def test_every_page_an_administrator_can_reach_passes_axe(page: Page, base_url: str) -> None:
    login(page, DEMO_LOGINS["admin"], DEMO_PASSWORD)
    expect_reached("admin", Crawler(page, base_url).crawl("/admin/"))

    # The password pages in their error states (nothing is changed: the demo logins stay as they are).
    visit(page, "/account/password")
    page.get_by_label("Current password").fill("not the password at all")
    submit(page, "Change password")
    expect_error_summary(page, "Enter a new password")
    visit(page, "/confirm-password?next=/admin/")
    page.get_by_label("Password", exact=True).fill("not the password at all")
    submit(page, "Continue")
    expect_error_summary(page, "Enter your correct password")


@pytest.mark.parametrize("role", ["anonymous", "school"])
def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page: Page, role: str) -> None:
    if role == "anonymous":
        visit(page, "/")
    else:
        login(page, DEMO_LOGINS[role], DEMO_PASSWORD)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()


def test_the_request_form_fits_a_320_pixel_wide_screen(page: Page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    follow(page, page.get_by_role("button", name="Request a performance"))
    if heading(page).inner_text() != "Request a performance":
        # The school's request in the season (made above) is changed on the same form.
        follow(page, page.get_by_role("button", name="Change this request"))
    expect(heading(page)).to_have_text(re.compile(r"^(Request a performance|Change your request)$"))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"the request form scrolls sideways at 320 CSS pixels: it is {width} pixels wide"
