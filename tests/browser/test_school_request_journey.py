"""Journey 1: a member of school staff registers, is approved by the council, and requests a performance.

Everything happens through the pages, as a person would do it; axe-core checks every page on the way.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    confirm_email_address,
    expect_banner,
    follow,
    heading,
    login,
    sign_out,
    submit,
    visit,
)

pytestmark = pytest.mark.browser

# A demo school that the demo data gives no requests (schools after the first 30 by URN have none).
SCHOOL_NAME = "Yellowhammer Hill School"
PASSWORD = "correct horse battery staple 42"
WEEK_BOX = re.compile(r"^Week beginning ")
DAYS_LEGEND = re.compile(r"^Days your hall is free in the week beginning ")
PREFERRED_LEGEND = "Which of your dates would you prefer?"
SLOTS_LEGEND = "At which times of day is your hall free?"


def register(page: Page, full_name: str, email: str) -> None:
    visit(page, "/")
    follow(page, page.get_by_role("button", name="Start now"))
    expect(heading(page)).to_have_text("Ask for an account")
    page.get_by_label("Your school").fill(SCHOOL_NAME)
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Job title").fill("Designated Safeguarding Lead")
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Work phone number").fill("01632 960 321")
    page.get_by_label("Create a password").fill(PASSWORD)
    submit(page, "Ask for an account")


def approve(council: Page, full_name: str) -> None:
    login(council, DEMO_LOGINS["council"], DEMO_PASSWORD)
    follow(council, council.get_by_role("link", name="Account approvals"))
    row = council.get_by_role("row").filter(has_text=full_name)
    expect(row).to_contain_text(SCHOOL_NAME)
    follow(council, row.get_by_role("link", name=re.compile(full_name)))
    expect(heading(council)).to_have_text(f"Approve or refuse {full_name}")
    expect(summary_value(council, "Status")).to_have_text("Pending")
    council.get_by_label("Yes, approve it").check()
    submit(council, "Save decision")
    expect_banner(council, f"{full_name}’s account has been approved.")
    expect(council.get_by_role("row").filter(has_text=full_name)).to_have_count(0)


def error_summary_links_point_at_fields(page: Page) -> list[str]:
    """Every link of the error summary targets a form field on the page; returns the links' texts."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    links = summary.get_by_role("link")
    texts = []
    for index in range(links.count()):
        link = links.nth(index)
        href = link.get_attribute("href")
        assert href and href.startswith("#"), f"error summary link {href!r} is not a link within the page"
        field = page.locator(f"[id='{href[1:]}']")
        expect(field, f"error summary link {href} has no target").to_have_count(1)
        tag = field.evaluate("element => element.tagName.toLowerCase()")
        assert tag in {"input", "textarea", "select"}, f"error summary link {href} points at a <{tag}>, not a field"
        texts.append(link.inner_text())
    # The first link moves focus to its field (GOV.UK Frontend's error summary script).
    first = links.first
    first_target = first.get_attribute("href")[1:]
    first.click()
    expect(page.locator(f"[id='{first_target}']")).to_be_focused()
    return texts


def fill_request(page: Page) -> int:
    """The whole request form, the hall free in the season's first week but its second day; returns the number of
    days that leaves."""
    page.get_by_label("Year 8").fill("60")
    page.get_by_label("Year 9").fill("55")
    page.get_by_role("checkbox", name=WEEK_BOX).first.check()
    days = page.get_by_role("group", name=DAYS_LEGEND).first.get_by_role("checkbox")
    expect(days.first).to_be_visible()  # revealed by ticking the week, every day of it ticked
    for index in range(days.count()):
        expect(days.nth(index)).to_be_checked()
    days.nth(1).uncheck()
    page.get_by_role("group", name=SLOTS_LEGEND).get_by_role("checkbox").first.check()
    page.get_by_label("Number of staff in the hall").fill("4")
    page.get_by_label("Name of the Designated Safeguarding Lead who will attend").fill("Dana Reeve")
    page.get_by_label("DSL’s email address").fill("dana.reeve@yellowhammer.example.org")
    page.get_by_label("DSL’s phone number").fill("01632 960 777")
    page.get_by_label("Access notes (optional)").fill("Hall is behind reception; step-free access from the car park.")
    return days.count() - 1


def summary_value(page: Page, key: str):
    return page.locator(".govuk-summary-list__row").filter(has=page.get_by_text(key, exact=True)).locator("dd").first


def expect_status(page: Page, status: str) -> None:
    expect(page.locator("main .govuk-tag").first).to_have_text(status)


def test_school_staff_register_get_approved_request_change_and_withdraw(page: Page, new_person, live_portal) -> None:
    full_name = f"Robin Ashdown {uuid.uuid4().hex[:6]}"
    email = f"robin.{uuid.uuid4().hex[:8]}@yellowhammer.example.org"

    register(page, full_name, email)
    expect(heading(page)).to_have_text("Check your email")
    # The council cannot approve an address nobody has confirmed: the queue says so, and so does the applicant's page.
    council = new_person()
    login(council, DEMO_LOGINS["council"], DEMO_PASSWORD)
    follow(council, council.get_by_role("link", name="Account approvals"))
    expect(council.get_by_role("row").filter(has_text=full_name)).to_contain_text("Not yet")
    login(page, email, PASSWORD)
    expect(heading(page)).to_have_text("Your account is not approved yet")
    expect(page.get_by_text(f"You asked for an account for {SCHOOL_NAME}")).to_be_visible()
    expect(page.get_by_role("button", name="Send the confirmation link again")).to_be_visible()
    confirm_email_address(page, live_portal.mail_dir, email)
    visit(page, "/awaiting-approval")
    expect(heading(page)).to_have_text("Your account is not approved yet")
    expect(page.get_by_role("button", name="Send the confirmation link again")).to_have_count(0)
    # Until the council approves them, the school pages send them back to the waiting page.
    visit(page, "/school/")
    expect(heading(page)).to_have_text("Your account is not approved yet")

    approve(new_person(), full_name)

    sign_out(page)
    login(page, email, PASSWORD)
    expect(heading(page)).to_have_text("Your school")
    expect(page.get_by_text(SCHOOL_NAME).first).to_be_visible()
    expect(page.get_by_text("There are no requests yet.")).to_be_visible()

    follow(page, page.get_by_role("button", name="Request a performance"))
    expect(heading(page)).to_have_text("Request a performance")

    # Sent as it first appears: the GOV.UK error summary links to every field that needs an answer, at once.
    submit(page, "Continue")
    expect(page).to_have_title(re.compile(r"^Error: "))
    first_errors = error_summary_links_point_at_fields(page)
    assert "Enter the name of the DSL who will attend" in first_errors
    assert "Enter the number of pupils for at least one year group" in first_errors
    assert "Select at least one date when your hall is free" in first_errors

    # With the contact details given but no pupils, dates or times, the request rules name those fields.
    page.get_by_label("Number of staff in the hall").fill("4")
    page.get_by_label("Name of the Designated Safeguarding Lead who will attend").fill("Dana Reeve")
    page.get_by_label("DSL’s email address").fill("dana.reeve@yellowhammer.example.org")
    page.get_by_label("DSL’s phone number").fill("01632 960 777")
    submit(page, "Continue")
    rule_errors = error_summary_links_point_at_fields(page)
    assert "Enter the number of pupils for at least one year group" in rule_errors
    assert "Select at least one date when your hall is free" in rule_errors
    assert "Select at least one time of day when your hall is free" in rule_errors

    offered = fill_request(page)
    submit(page, "Continue")
    # Preferred dates are chosen among the dates given, then the answers are checked before anything is sent.
    expect(heading(page)).to_contain_text(PREFERRED_LEGEND)
    preferred = page.get_by_role("group", name=PREFERRED_LEGEND).get_by_role("checkbox")
    expect(preferred).to_have_count(offered)
    preferred.nth(1).check()
    submit(page, "Continue")
    expect(heading(page)).to_have_text("Check your answers before sending your request")
    expect(summary_value(page, "Preferred dates").get_by_role("listitem")).to_have_count(1)
    submit(page, "Send request")
    expect(heading(page)).to_have_text("Request sent")
    follow(page, page.get_by_role("link", name="See the request"))
    expect(heading(page)).to_have_text("Request for Trust Me")
    expect_status(page, "Submitted")
    expect(summary_value(page, "DSL attending")).to_have_text(
        "Dana Reeve\ndana.reeve@yellowhammer.example.org\n01632 960 777", use_inner_text=True
    )
    expect(summary_value(page, "Pupils").get_by_role("listitem")).to_have_text(
        ["Year 8: 60 pupils", "Year 9: 55 pupils"]
    )
    expect(summary_value(page, "Dates the hall is free").get_by_role("listitem")).to_have_count(offered)
    expect(summary_value(page, "Staff in the hall")).to_have_text("4")

    follow(page, page.get_by_role("link", name="Requests", exact=True))
    expect(heading(page)).to_have_text("Your requests")
    row = page.get_by_role("row").filter(has_text="Trust Me")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("115")
    expect(row).to_contain_text("Submitted")

    follow(page, row.get_by_role("link"))
    follow(page, page.get_by_role("button", name="Change this request"))
    expect(heading(page)).to_have_text("Change your request")
    expect(page.get_by_label("Year 8")).to_have_value("60")
    expect(page.get_by_label("Year 9")).to_have_value("55")
    page.get_by_label("Year 9").fill("90")
    submit(page, "Continue")
    submit(page, "Continue")
    expect(heading(page)).to_have_text("Check your changes")
    submit(page, "Save changes")
    expect_banner(page, "Your changes have been saved.")
    expect_status(page, "Submitted")
    expect(summary_value(page, "Pupils").get_by_role("listitem")).to_have_text(
        ["Year 8: 60 pupils", "Year 9: 90 pupils"]
    )

    follow(page, page.get_by_role("button", name="Withdraw this request"))
    expect(heading(page)).to_have_text("Are you sure you want to withdraw your request for Trust Me?")
    submit(page, "Withdraw request")
    expect_banner(page, "Your request has been withdrawn.")
    expect_status(page, "Withdrawn")
    expect(page.get_by_role("button", name="Change this request")).to_have_count(0)
    expect(page.get_by_role("button", name="Withdraw this request")).to_have_count(0)

    follow(page, page.get_by_role("link", name="Requests", exact=True))
    row = page.get_by_role("row").filter(has_text="Trust Me")
    expect(row).to_contain_text("150")
    expect(row).to_contain_text("Withdrawn")
