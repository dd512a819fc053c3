"""How a browser test moves through the portal: every page it lands on is checked by axe-core.

`visit`, `follow` and `submit` load a page and run axe on it. The `page` fixture also watches every document the
browser loads and fails the test at teardown if one was never checked, so a journey cannot skip a page by
navigating some other way.
"""

from __future__ import annotations

import email
import re
import time
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Locator, Page, expect

from portal import clock
from portal.config import ROOT
from portal.services.demo import DEMO_ADMIN_SET_UP_KEY
from portal.services.second_factor import STEP_SECONDS

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The small-page portal (conftest.small_pages_portal) shows this many rows to a page, so demo lists span pages.
SMALL_PAGE_SIZE = 5
DEMO_PASSWORD = "tour-demo-password"  # noqa: S105 (the demo data's published password)
DEMO_LOGINS = {
    "school": "school@example.org",
    "company": "company@example.org",
    "council": "council@example.org",
    "admin": "admin@example.org",
}
# Every free-text box is capped on the server; the browser should know the cap too.
# GOV.UK's character count shows the limit as the person types (a maxlength attribute would cut pasted text silently).
TEXTAREAS_WITHOUT_LIMIT = """() => [...document.querySelectorAll('textarea')]
  .filter((box) => !box.closest('.govuk-character-count[data-maxlength]'))
  .map((box) => `#${box.id}`)"""
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((node) => node.target.join(' '))
  }));
}"""
# axe accepts a group of labelled checkboxes or radios without a question; GOV.UK pages always ask one, in a legend.
FIELDSETS_WITHOUT_LEGEND = """() => [...document.querySelectorAll('fieldset')]
  .filter((fieldset) => !fieldset.querySelector(':scope > legend')?.textContent.trim())
  .map((fieldset) => {
    const input = fieldset.querySelector('input, select, textarea');
    return input ? `fieldset containing #${input.id}` : fieldset.outerHTML.slice(0, 80);
  })"""


@dataclass
class LoadTracker:
    """The documents a page has loaded, and which of them axe has checked."""

    loaded: list[str] = field(default_factory=list)
    checked_up_to: int = 0
    skipped: list[str] = field(default_factory=list)

    def on_load(self, page: Page) -> None:
        self.loaded.append(page.url)

    def mark_checked(self) -> None:
        """The check just made covers the latest document; any loaded before it since the last check were missed."""
        self.skipped.extend(self.loaded[self.checked_up_to : -1])
        self.checked_up_to = len(self.loaded)

    def unchecked(self) -> list[str]:
        return self.skipped + self.loaded[self.checked_up_to :]


TRACKERS: dict[int, LoadTracker] = {}


def track(page: Page) -> LoadTracker:
    tracker = LoadTracker()
    TRACKERS[id(page)] = tracker
    page.on("load", tracker.on_load)
    return tracker


def untrack(page: Page) -> LoadTracker | None:
    return TRACKERS.pop(id(page), None)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    at {target}" for target in violation["targets"])
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.2 AA rules) on the page as it is now and fail listing every violation."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    unnamed_groups = page.evaluate(FIELDSETS_WITHOUT_LEGEND)
    if unnamed_groups:
        violations.append(
            {
                "id": "portal-fieldset-legend",
                "impact": "serious",
                "help": "A group of fields must show its question in a <legend> (GOV.UK pattern, WCAG 1.3.1 and 3.3.2)",
                "targets": unnamed_groups,
            }
        )
    unbounded = page.evaluate(TEXTAREAS_WITHOUT_LIMIT)
    if unbounded:
        violations.append(
            {
                "id": "portal-textarea-maxlength",
                "impact": "moderate",
                "help": "A free-text box must count its characters against the limit the server enforces",
                "targets": unbounded,
            }
        )
    tracker = TRACKERS.get(id(page))
    if tracker is not None:
        tracker.mark_checked()
    assert not violations, format_violations(page.url, violations)


def visit(page: Page, path: str, status: int = 200) -> None:
    """Open a path, check the HTTP status of the page that ends up shown, and run axe on it."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path} answered {response.status}, expected {status} (now at {page.url})"
    assert_accessible(page)


def follow(page: Page, target: Locator, timeout: float | None = None) -> None:
    """Click a link or button that loads a new page, then run axe on that page.

    timeout (milliseconds) is for pages slow on purpose, like one that runs the scheduler while it answers."""
    with page.expect_event("load", timeout=timeout):
        target.click()
    assert_accessible(page)


def submit(page: Page, button: str, timeout: float | None = None) -> None:
    """Press a form's button by its text, then run axe on the page that comes back."""
    follow(page, page.get_by_role("button", name=button, exact=True), timeout=timeout)


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def expect_banner(page: Page, message: str) -> None:
    """The notification banner shows the message as its heading (and no stray markup)."""
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(message)


def login(page: Page, email: str, password: str) -> None:
    """Sign in through the sign-in page, as a person would (with the authenticator app, for administrators)."""
    visit(page, "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    submit(page, "Sign in")
    expect(page).not_to_have_url(re.compile(r"/login"))
    if "/second-factor" in page.url:
        enter_second_factor(page, email)
        expect(page).not_to_have_url(re.compile(r"/second-factor"))


@dataclass
class AuthenticatorApp:
    """An authenticator app, as one person's phone holds it for one portal."""

    totp: pyotp.TOTP
    last_step: int | None = None

    def next_code(self) -> str:
        """A code the portal has not seen: the earliest time step from its clock's own that is later than the last
        used (it accepts its step, give or take one), waiting for the clock to move on if need be. Not the step
        before: a sign-in that crosses into the next step on its way would send a code the portal no longer takes.
        The live servers share this process's clock (PORTAL_FAKE_NOW included), so their steps are computed here."""
        while True:
            current = int(clock.now().timestamp()) // STEP_SECONDS
            step = current if self.last_step is None else max(current, self.last_step + 1)
            if step <= current + 1:
                self.last_step = step
                return self.totp.at(step * STEP_SECONDS)
            time.sleep(1)


# One app per person, whichever server of a deployment they sign in on: production mode's two servers share one
# database, which refuses a code already used on either (keyed by address, a code used on one would be offered to the
# other within the same 30 seconds).
AUTHENTICATOR_APPS: dict[str, AuthenticatorApp] = {}
# The demo administrator comes with its app set up, from the key the README's demo logins table gives.
SET_UP_KEYS = {DEMO_LOGINS["admin"]: DEMO_ADMIN_SET_UP_KEY}


def enter_second_factor(page: Page, email: str) -> None:
    """Enter the code the person's authenticator app shows (one app per person, so no code is reused)."""
    app = AUTHENTICATOR_APPS.setdefault(email, AuthenticatorApp(pyotp.TOTP(SET_UP_KEYS[email])))
    page.get_by_label("Code from your authenticator app").fill(app.next_code())
    submit(page, "Continue")


def wait_for_mailed_link(mail_dir: Path, address: str, subject: str, timeout: float = 10) -> str:
    """The path of the portal link in the e-mail with this subject that the live portal wrote to mail_dir for the
    address (the newest such e-mail), as a person would copy it from their inbox."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = sorted(mail_dir.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns) if mail_dir.exists() else []
        for path in reversed(messages):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == address and message["Subject"] == subject:
                match = re.search(r"https?://[^/\s]+(/[^\s]+)", message.get_body(("plain",)).get_content())
                assert match, f"the e-mail {subject!r} has no link"
                return match.group(1)
        time.sleep(0.2)
    pytest.fail(f"no e-mail {subject!r} reached {address}")


def confirm_email_address(page: Page, mail_dir: Path, address: str) -> None:
    """Follow the confirmation link a new applicant is e-mailed, as they would from their inbox."""
    visit(page, wait_for_mailed_link(mail_dir, address, "Confirm your email address"))
    expect(heading(page)).to_have_text("Confirm your email address")
    submit(page, "Confirm my email address")
    expect_banner(page, "Thank you: your email address is confirmed.")


def sign_out(page: Page) -> None:
    submit(page, "Sign out")
    expect(page).to_have_url(re.compile(r"/login$"))
