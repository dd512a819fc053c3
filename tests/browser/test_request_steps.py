"""Issue 15, items 4 and 7, walked as the people would.

Item 7, long forms a person can finish: a member of school staff (on a desktop and on a 375 pixel phone) chooses
the hall's free days week by week, unticks a day, picks a preferred date from the days given, checks the answers
(changing one through its "Change" link), sends the request and gets a reference on the confirmation page and in an
e-mail; asking again for the season sends them to that request first. A council officer does the same on a
school's behalf, and the company blacks out a half-term week at once.

Item 4, the company sees the requests before it runs the scheduler: the season's list, searched and sorted, and a
request's page one click away with the DSL and access notes.

They run on the session's live portal (demo data loaded today). The school staff accounts are made with the
operator's `flask users create` (registering and approval are walked in test_school_request_journey.py), at schools
the demo data leaves without a request in its open season.
"""

from __future__ import annotations

import email
import re
import time
import uuid
from datetime import datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal.domain.calendars import season_days
from tests.browser.browsing import DEMO_LOGINS, DEMO_PASSWORD, expect_banner, follow, heading, login, submit, visit
from tests.live_server import run_flask

pytestmark = pytest.mark.browser

DEMO_SEASON = "Demo season"
PASSWORD = "amber kettle lighthouse 2027"
WEEK_BOX = re.compile(r"^Week beginning ")
DAYS_LEGEND = re.compile(r"^Days your hall is free in the week beginning ")
REFERENCE = re.compile(r"^\s*REQ-\d{5,}\s*$")
SIZES = {
    "desktop": ({"width": 1280, "height": 900}, "990134", "Chaffinch Down Catholic School"),
    "phone": ({"width": 375, "height": 812}, "990135", "Redwing Meadow College"),
}
ON_BEHALF_SCHOOL = "Skylark Meadow Catholic School"  # URN 990136: no request in the demo's open season


def summary_value(page: Page, key: str):
    return page.locator(".govuk-summary-list__row").filter(has=page.get_by_text(key, exact=True)).locator("dd").first


def fits(page: Page, width: int) -> None:
    """Nothing on the page makes it scroll sideways (WCAG 1.4.10 reflow)."""
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} pixels wide on a {width} pixel screen"


def wait_for_mail(mail_dir: Path, address: str, subject: re.Pattern, timeout: float = 10) -> email.message.Message:
    """The newest e-mail to the address whose subject matches, as the person would open it from their inbox."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = sorted(mail_dir.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns) if mail_dir.exists() else []
        for path in reversed(messages):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == address and subject.match(message["Subject"]):
                return message
        time.sleep(0.2)
    pytest.fail(f"no e-mail matching {subject.pattern!r} reached {address}")


def school_staff(live_portal, urn: str) -> str:
    """A new approved staff account at the school, as an operator makes one; returns its e-mail address."""
    address = f"staff.{uuid.uuid4().hex[:8]}@{urn}.example.org"
    run_flask(
        live_portal.env, "users", "create", "--role", "school", "--email", address, "--name", "Alex Morgan",
        "--school-urn", urn, "--password", PASSWORD,
    )  # fmt: skip
    return address


def open_the_demo_season_form(page: Page) -> None:
    card = page.locator(".govuk-summary-card").filter(has=page.get_by_role("heading", name=DEMO_SEASON, exact=True))
    follow(page, card.get_by_role("button", name="Request a performance"))


def fill_the_rest(page: Page, staff: str) -> None:
    page.get_by_label("Year 9", exact=True).fill("150")
    page.get_by_role("group", name="At which times of day is your hall free?").get_by_role("checkbox").first.check()
    page.get_by_label("Number of staff in the hall").fill(staff)
    page.get_by_label("Name of the Designated Safeguarding Lead who will attend").fill("Jo Whitfield")
    page.get_by_label("DSL’s email address").fill("jo.whitfield@school.example.org")
    page.get_by_label("DSL’s phone number").fill("01632 960 818")
    page.get_by_label("Access notes (optional)").fill("Use the side gate; the hall is up one step, with a ramp.")


def choose_two_weeks_less_a_day(page: Page) -> tuple[int, str]:
    """Tick the season's second and third weeks and untick the second week's third day: (days given, that day)."""
    weeks = page.get_by_role("checkbox", name=WEEK_BOX)
    expect(weeks.first).to_be_visible()
    # Each week's days are hidden until the week is ticked, then all ticked, ready to untick one.
    expect(page.get_by_role("group", name=DAYS_LEGEND)).to_have_count(0)
    weeks.nth(1).check()
    second = page.get_by_role("group", name=DAYS_LEGEND)
    expect(second).to_have_count(1)
    days = second.get_by_role("checkbox")
    for index in range(days.count()):
        expect(days.nth(index)).to_be_checked()
    unticked = days.nth(2)
    unticked_label = page.locator(f"label[for='{unticked.get_attribute('id')}']").inner_text().strip()
    unticked.uncheck()
    given = days.count() - 1
    weeks.nth(2).check()
    given += page.get_by_role("group", name=DAYS_LEGEND).nth(1).get_by_role("checkbox").count()
    return given, unticked_label


@pytest.mark.parametrize("size", sorted(SIZES))
def test_school_staff_choose_weeks_check_their_answers_and_get_a_reference(page: Page, live_portal, size) -> None:
    viewport, urn, school = SIZES[size]
    page.set_viewport_size(viewport)
    address = school_staff(live_portal, urn)
    login(page, address, PASSWORD)

    open_the_demo_season_form(page)
    expect(heading(page)).to_have_text("Request a performance")
    expect(page.get_by_text(f"The hall at {school} holds")).to_be_visible()
    fits(page, viewport["width"])
    given, unticked = choose_two_weeks_less_a_day(page)
    fill_the_rest(page, staff="4")
    fits(page, viewport["width"])
    submit(page, "Continue")

    # Preferred dates: chosen among the days given, and only those.
    group = page.get_by_role("group", name="Which of your dates would you prefer?")
    expect(group.get_by_role("checkbox")).to_have_count(given)
    expect(group.locator("label").filter(has_text=unticked)).to_have_count(0)
    group.get_by_role("checkbox").first.check()
    fits(page, viewport["width"])
    submit(page, "Continue")

    expect(heading(page)).to_have_text("Check your answers before sending your request")
    weeks = summary_value(page, "Dates the hall is free").get_by_role("listitem")
    expect(weeks).to_have_count(2)
    expect(weeks.first).to_contain_text("Week beginning")
    expect(weeks.first).not_to_contain_text(unticked.split()[0])  # the day unticked, by its weekday
    expect(summary_value(page, "Dates the hall is free")).to_contain_text(f"{given} days")
    expect(summary_value(page, "Preferred dates").get_by_role("listitem")).to_have_count(1)
    expect(summary_value(page, "Staff in the hall")).to_have_text("4")
    fits(page, viewport["width"])

    # A "Change" link goes back to the question with the answers kept, and back to this page after it.
    follow(page, page.get_by_role("link", name="Change staff in the hall"))
    expect(page.get_by_label("Number of staff in the hall")).to_have_value("4")
    expect(page.get_by_label("Name of the Designated Safeguarding Lead who will attend")).to_have_value("Jo Whitfield")
    expect(page.get_by_role("group", name=DAYS_LEGEND)).to_have_count(2)
    page.get_by_label("Number of staff in the hall").fill("5")
    submit(page, "Continue")
    expect(heading(page)).to_have_text("Check your answers before sending your request")
    expect(summary_value(page, "Staff in the hall")).to_have_text("5")
    expect(summary_value(page, "Preferred dates").get_by_role("listitem")).to_have_count(1)

    submit(page, "Send request")
    expect(heading(page)).to_have_text("Request sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert REFERENCE.match(reference), reference
    expect(page.get_by_text(f"We have sent a confirmation email to {address}")).to_be_visible()
    fits(page, viewport["width"])

    # The acknowledgement, as its reader opens it: the reference, what was asked for, and a link to the request.
    message = wait_for_mail(live_portal.mail_dir, address, re.compile(rf"^Request received: reference {reference}$"))
    body = message.get_body(("plain",)).get_content()
    assert f"Your reference is {reference}." in body
    assert "Year 9: 150 pupils" in body and f"{given} dates when the hall is free" in body
    link = re.search(r"See the request: https?://[^/\s]+(/school/requests/\d+)\s", body)
    assert link, body
    visit(page, link[1])
    expect(heading(page)).to_have_text("Request for Trust Me")
    expect(summary_value(page, "Reference")).to_have_text(reference)
    expect(summary_value(page, "Staff in the hall")).to_have_text("5")
    expect(summary_value(page, "Dates the hall is free").get_by_role("listitem")).to_have_count(given)

    # Asking again for the season: sent to this request before filling anything in.
    visit(page, "/school/")
    open_the_demo_season_form(page)
    expect(heading(page)).to_have_text("Request for Trust Me")
    expect_banner(
        page, re.compile(rf"^Your school already has a request for {DEMO_SEASON}\. You can change it here until ")
    )
    expect(summary_value(page, "Reference")).to_have_text(reference)
    fits(page, viewport["width"])


def test_a_council_officer_requests_on_a_schools_behalf_in_the_same_steps(page: Page, live_portal) -> None:
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    follow(page, page.get_by_role("link", name="Schools", exact=True))
    follow(page, page.get_by_role("link", name=ON_BEHALF_SCHOOL))
    follow(page, page.get_by_role("button", name=f"Make a request for this school in {DEMO_SEASON}"))
    expect(page.get_by_text(f"{DEMO_SEASON} · for {ON_BEHALF_SCHOOL}")).to_be_visible()
    page.get_by_role("checkbox", name=WEEK_BOX).first.check()
    fill_the_rest(page, staff="5")
    submit(page, "Continue")
    submit(page, "Continue")
    expect(heading(page)).to_have_text("Check your answers before sending your request")
    expect(summary_value(page, "School")).to_have_text(ON_BEHALF_SCHOOL)
    expect(page.get_by_text(f"{ON_BEHALF_SCHOOL} has asked the council to make this request")).to_be_visible()
    submit(page, "Send request")
    expect(heading(page)).to_have_text("Request sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    message = wait_for_mail(
        live_portal.mail_dir, DEMO_LOGINS["council"], re.compile(rf"^Request received: reference {reference}$")
    )
    assert f"the request you made for {ON_BEHALF_SCHOOL}" in message.get_body(("plain",)).get_content()
    follow(page, page.get_by_role("link", name=f"Back to {ON_BEHALF_SCHOOL}"))
    # The school now has its request: making another sends the officer to it.
    follow(page, page.get_by_role("button", name=f"Make a request for this school in {DEMO_SEASON}"))
    expect_banner(page, re.compile(rf"^{ON_BEHALF_SCHOOL} already has a request for {DEMO_SEASON}\."))
    expect(summary_value(page, "Reference")).to_have_text(reference)


def test_the_company_looks_over_the_requests_and_opens_one(page: Page) -> None:
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    follow(page, page.get_by_role("link", name=DEMO_SEASON, exact=True).first)
    follow(page, page.get_by_role("link", name=re.compile(rf"^\d+ requests in {DEMO_SEASON}$")))
    expect(heading(page)).to_have_text("Requests")
    table = page.get_by_role("table", name=re.compile(r"^Requests, sorted by school name"))
    rows = table.locator("tbody tr")
    assert rows.count() >= 30  # the demo's thirty schools, and any the other journeys added
    expect(table.get_by_role("columnheader", name="School")).to_have_attribute("aria-sort", "ascending")

    # Sorted by pupils, most first.
    page.get_by_label("Sort by").select_option(label="Most pupils first")
    submit(page, "Search")
    pupils = [int(text) for text in page.locator("td[data-label='Pupils']").all_inner_texts()]
    assert pupils == sorted(pupils, reverse=True) and len(pupils) >= 30
    expect(page.get_by_role("columnheader", name="Pupils")).to_have_attribute("aria-sort", "descending")

    # Searched by town, then by name.
    page.get_by_label("Search by school name, URN, town or reference").fill("Abingdon")
    submit(page, "Search")
    towns = page.locator("td[data-label='School'] .govuk-body-s").all_inner_texts()
    assert towns and all(text.startswith("Abingdon,") for text in towns), towns
    expect(page.get_by_text(re.compile(r"^\d+ requests? match “Abingdon”"))).to_be_visible()
    page.get_by_label("Search by school name, URN, town or reference").fill("dunnock")
    submit(page, "Search")
    expect(page.locator("tbody tr")).to_have_count(1)

    follow(page, page.get_by_role("link", name="Dunnock Vale School"))
    expect(heading(page)).to_have_text("Request from Dunnock Vale School")
    expect(summary_value(page, "DSL attending")).to_contain_text("DSL at Dunnock Vale School")
    expect(summary_value(page, "Access notes")).to_be_visible()
    expect(summary_value(page, "Priority")).to_contain_text("of 3")
    expect(summary_value(page, "Most pupils in one performance")).to_contain_text("30 pupils for each of")
    expect(summary_value(page, "Reference")).to_have_text(REFERENCE)
    follow(page, page.get_by_role("link", name="All requests"))
    expect(heading(page)).to_have_text("Requests")


def test_the_company_blacks_out_a_half_term_week_at_once(page: Page) -> None:
    """The demo season's last week but one, given as Monday to Sunday (the season ends on a Friday)."""
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    follow(page, page.get_by_role("link", name=DEMO_SEASON, exact=True).first)
    last_day = re.search(r" to (\d+ \w+ \d{4})", summary_value(page, "Performances").inner_text())[1]
    monday = datetime.strptime(last_day, "%d %B %Y").date() - timedelta(days=11)  # noqa: DTZ007 (a date)
    friday, sunday = monday + timedelta(days=4), monday + timedelta(days=6)
    for legend, day in (("First blackout day", monday), ("Last blackout day (optional)", sunday)):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Reason (optional)").fill("Half term")
    submit(page, "Add blackout days")
    # Every performing day of the week (a bank holiday in it is left out anyway), and no weekend day.
    days = season_days(monday, friday)
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(
        f"{len(days)} blackout days added, {days[0]:%A} {days[0].day} {days[0]:%B} to {days[-1]:%A} "
        f"{days[-1].day} {days[-1]:%B %Y}: no performances will be planned on them."
    )
    listed = page.get_by_role("listitem").filter(has_text=": Half term")
    expect(listed).to_have_text([re.compile(rf"^{day:%A} {day.day} {day:%B %Y}: Half term") for day in days])
