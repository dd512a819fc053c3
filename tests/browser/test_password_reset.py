"""Account recovery in a browser: forgot password, the e-mailed link, a new password, and the link used up.

The live server writes each e-mail as an .eml file under its instance folder (test mode has no SMTP server); the
test reads the link from there, as a person would from their inbox. axe-core checks every page on the way.
"""

from __future__ import annotations

import email
import re
import time
import uuid
from email import policy
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import expect_banner, follow, heading, login, sign_out, submit, visit

pytestmark = pytest.mark.browser

SCHOOL = "990102"  # Dunnock Vale School, by URN
OLD_PASSWORD = "copper lantern meadow 31"
NEW_PASSWORD = "harbour violet thimble 58"
RESET_LINK = re.compile(r"https?://[^/\s]+/reset-password/[A-Za-z0-9_\-]+")


def wait_for_link(mail_dir: Path, address: str, timeout: float = 10) -> str:
    """The reset link from the e-mail the live portal wrote to mail_dir (in production mode, its job consumer)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for folder in [mail_dir] if mail_dir.exists() else []:
            for path in sorted(folder.glob("*.eml")):
                message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
                if message["To"] == address and message["Subject"] == "Reset your password":
                    match = RESET_LINK.search(message.get_body(("plain",)).get_content())
                    assert match, "the reset e-mail has no link"
                    return match.group(0)
        time.sleep(0.2)
    pytest.fail(f"no reset e-mail reached {address}")


def register(page: Page, address: str) -> None:
    visit(page, "/register")
    page.get_by_label("Your school").fill(SCHOOL)
    page.get_by_label("Full name").fill("Pat Forgetful")
    page.get_by_label("Job title").fill("PSHE lead")
    page.get_by_label("Work email address").fill(address)
    page.get_by_label("Work phone number").fill("01632 960 777")
    page.get_by_label("Create a password").fill(OLD_PASSWORD)
    submit(page, "Ask for an account")
    expect(page).to_have_url(re.compile(r"/register/sent$"))  # not signed in: the same answer for any address
    expect(heading(page)).to_have_text("Check your email")


def test_a_person_resets_a_forgotten_password_with_the_emailed_link(page: Page, live_portal):
    address = f"pat.{uuid.uuid4().hex[:8]}@example.org"
    register(page, address)

    visit(page, "/login")
    follow(page, page.get_by_role("link", name="Forgot your password?"))
    expect(heading(page)).to_have_text("Reset your password")
    submit(page, "Send the link")  # empty: the error summary points at the field
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    page.get_by_label("Email address").fill(address)
    submit(page, "Send the link")
    expect(heading(page)).to_have_text("Check your email")

    link = wait_for_link(live_portal.mail_dir, address)
    path = link.split("://", 1)[1].split("/", 1)[1]
    visit(page, "/" + path)
    expect(page).to_have_url(re.compile(r"/reset-password$"))  # the token is no longer in the address bar
    expect(heading(page)).to_have_text("Choose a new password")

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password", exact=True).fill("something else entirely")
    submit(page, "Change password")
    expect(page.locator(".govuk-error-summary")).to_contain_text("The two passwords do not match")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password", exact=True).fill(NEW_PASSWORD)
    submit(page, "Change password")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect_banner(page, "Your password has been changed. Sign in with your new password.")

    login(page, address, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/awaiting-approval$"))
    sign_out(page)

    visit(page, "/" + path, status=400)  # used once: a clear page, nothing changed
    expect(heading(page)).to_have_text("This link has expired or has already been used")
