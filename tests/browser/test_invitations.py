"""Accounts from a screen: an administrator invites a council officer, and a member of school staff invites a
colleague whom the council then approves. Each invited person reads the e-mail the live portal sent, chooses a
password through its link, and signs in; axe-core checks every page on the way. The school's pages (and the invited
colleague's) are walked on a 375-pixel-wide phone screen too.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

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

INVITATION = "Set a password for your new account"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
DEMO_MEMBER = "Sam Patel"


def fits(page: Page) -> None:
    """Nothing on the page is wider than the screen (wide tables may scroll inside their own box)."""
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"


def menu(page: Page) -> Page:
    """On a phone the service navigation folds behind a Menu button: open it, as a person would."""
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    return page


def choose_password(page: Page, mail_dir, address: str, password: str) -> str:
    """Open the invitation e-mailed to the address and choose a password; returns the link's path."""
    link = wait_for_mailed_link(mail_dir, address, INVITATION)
    visit(page, link)
    expect(page).to_have_url(re.compile(r"/invitation$"))  # the token is no longer in the address bar
    expect(heading(page)).to_have_text("Choose your password")
    expect(page.locator(".govuk-summary-list")).to_contain_text(address)
    page.get_by_label("Create a password").fill("short")
    page.get_by_label("Confirm your password").fill("short")
    submit(page, "Save password")  # the rules of registering apply
    expect(page.locator(".govuk-error-summary")).to_contain_text("Password must be 12 characters or more")
    page.get_by_label("Create a password").fill(password)
    page.get_by_label("Confirm your password").fill(password)
    submit(page, "Save password")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect_banner(page, "Your password has been set. Sign in with your email address and new password.")
    return link


def test_an_administrator_invites_a_council_officer_who_chooses_a_password_and_signs_in(
    page: Page, new_person, live_portal
) -> None:
    page.set_viewport_size(DESKTOP)
    name = f"Casey Officer {uuid.uuid4().hex[:6]}"
    address = f"casey.{uuid.uuid4().hex[:8]}@council.example.org"

    login(page, DEMO_LOGINS["admin"], DEMO_PASSWORD)
    expect(heading(page)).to_have_text("Users")
    follow(page, page.get_by_role("button", name="Invite a user"))
    expect(heading(page)).to_have_text("Invite a user")
    submit(page, "Send invitation")  # empty: the error summary says what is missing
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their full name")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the kind of account")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Council officer").check()
    submit(page, "Send invitation")
    expect(heading(page)).to_have_text(name)
    expect_banner(page, f"We have emailed {address} a link to choose a password. It works for 3 days.")
    expect(page.get_by_role("button", name="Send a new invitation link")).to_be_visible()

    officer = new_person()
    officer.set_viewport_size(DESKTOP)
    link = choose_password(officer, live_portal.mail_dir, address, "ledger poppy harbour 31")
    login(officer, address, "ledger poppy harbour 31")
    expect(heading(officer)).to_have_text("Programme")
    sign_out(officer)
    visit(officer, link, status=400)  # used once: a clear page, nothing changed
    expect(heading(officer)).to_have_text("This link has expired or has already been used")

    visit(page, "/admin/")
    row = page.get_by_role("row").filter(has_text=address)
    expect(row).to_contain_text("Council officer")
    expect(row).to_contain_text("Approved")


def test_a_school_member_invites_a_colleague_whom_the_council_approves(page: Page, new_person, live_portal) -> None:
    page.set_viewport_size(PHONE)
    name = f"Jamie Colleague {uuid.uuid4().hex[:6]}"
    address = f"jamie.{uuid.uuid4().hex[:8]}@greenfinch.example.org"
    password = "orchard pebble violin 72"

    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    follow(page, menu(page).get_by_role("link", name="School profile"))
    expect(page.get_by_role("heading", name="Staff accounts")).to_be_visible()
    fits(page)
    follow(page, page.get_by_role("button", name="Invite a colleague"))
    expect(heading(page)).to_have_text("Invite a colleague")
    fits(page)
    page.get_by_label("Their full name").fill(name)
    page.get_by_label("Their job title").fill("Head of Year 9")
    page.get_by_label("Their work email address").fill(address)
    submit(page, "Send invitation")
    expect(heading(page)).to_have_text("School profile")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"We have emailed {address} an invitation")
    # Listed only once they have chosen a password: the list never shows whether an address had an account.
    expect(page.locator("main")).not_to_contain_text(name)
    fits(page)

    colleague = new_person()
    colleague.set_viewport_size(PHONE)
    choose_password(colleague, live_portal.mail_dir, address, password)
    fits(colleague)
    login(colleague, address, password)
    expect(heading(colleague)).to_have_text("Your account is not approved yet")
    expect(colleague.get_by_text(f"{DEMO_MEMBER} invited you to an account for")).to_be_visible()
    fits(colleague)

    council = new_person()
    council.set_viewport_size(DESKTOP)
    login(council, DEMO_LOGINS["council"], DEMO_PASSWORD)
    follow(council, council.get_by_role("link", name="Account approvals"))
    row = council.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text(f"Invited by {DEMO_MEMBER}")
    expect(row).to_contain_text("Confirmed")  # choosing the password through the e-mailed link confirmed the address
    follow(council, row.get_by_role("link", name=re.compile(name)))
    expect(heading(council)).to_have_text(f"Approve or refuse {name}")
    council.get_by_label("Yes, approve it").check()
    submit(council, "Save decision")
    expect_banner(council, f"{name}’s account has been approved.")

    sign_out(menu(colleague))
    login(colleague, address, password)
    expect(heading(colleague)).to_have_text("Your school")
    follow(colleague, menu(colleague).get_by_role("link", name="School profile"))
    staff = colleague.locator(".govuk-summary-list").filter(has_text=DEMO_MEMBER)
    expect(staff).to_contain_text(name)
    expect(staff).to_contain_text("Head of Year 9")
    fits(colleague)

    visit(page, "/school/profile")
    expect(page.locator("main")).to_contain_text(name)
    fits(page)
