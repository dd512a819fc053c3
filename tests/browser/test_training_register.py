"""The trainer's register and certificates in the browser: the trainer ticks who attended on a phone, prints the
register, is told a session to come cannot be marked yet; a learner who attended downloads their certificate, and
anyone checks its address without signing in. axe-core checks every page, and the 404 of an unknown certificate."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pikepdf
import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import DEMO_PASSWORD, expect_banner, follow, heading, login, submit, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DEMO_TRAINER = "trainer@example.org"
DEMO_LEARNER = "learner@example.org"
# A demo learner who attended the demo's past session (and has booked no other session of the course since), as the
# register's checkbox names them.
OLA = "Ola Reyes, Youth services (demo)"


def fits(page: Page) -> None:
    """Nothing on the page is wider than the screen."""
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"


def session_links(page: Page) -> list[str]:
    """The trainer's sessions, soonest first, as paths (the demo's past session comes first)."""
    hrefs = page.locator("main a[href*='/training/sessions/']").evaluate_all("(links) => links.map((a) => a.href)")
    return [urlsplit(href).path for href in hrefs]


def test_a_trainer_ticks_who_attended_on_a_phone(page: Page) -> None:
    page.set_viewport_size(PHONE)
    login(page, DEMO_TRAINER, DEMO_PASSWORD)
    visit(page, "/training/")
    past = session_links(page)[0]
    visit(page, past)
    follow(page, page.get_by_role("link", name="Mark who attended"))
    expect(heading(page)).to_have_text("Who attended?")
    fits(page)
    ola = page.get_by_label(OLA)
    expect(ola).to_be_checked()  # the demo marked everyone on the past session attended
    ola.uncheck()
    submit(page, "Save attendance")
    expect_banner(page, "Attendance saved: 0 marked as attended, 1 marked as not attended.")
    expect(page.get_by_label(OLA)).not_to_be_checked()
    fits(page)
    page.get_by_label(OLA).check()  # as the demo had it, for the tests after this one
    submit(page, "Save attendance")
    expect_banner(page, "Attendance saved: 1 marked as attended, 0 marked as not attended.")
    expect(page.get_by_label(OLA)).to_be_checked()
    submit(page, "Save attendance")
    expect_banner(page, "Attendance saved: no changes.")


def test_the_register_prints_without_the_pages_navigation(page: Page) -> None:
    page.set_viewport_size(PHONE)
    login(page, DEMO_TRAINER, DEMO_PASSWORD)
    visit(page, "/training/")
    visit(page, session_links(page)[0])
    follow(page, page.get_by_role("link", name="Printable register"))
    table = page.locator("main table")
    expect(table.get_by_role("columnheader", name="Signature")).to_be_visible()
    expect(table).to_contain_text("Ola Reyes")
    expect(page.get_by_role("button", name="Print this register")).to_be_visible()
    fits(page)
    page.emulate_media(media="print")
    expect(page.locator(".govuk-header, .govuk-generic-header").first).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this register")).to_be_hidden()
    expect(table).to_be_visible()
    page.emulate_media(media="screen")


def test_a_session_to_come_cannot_be_marked_yet_and_the_page_says_so(page: Page) -> None:
    login(page, DEMO_TRAINER, DEMO_PASSWORD)
    visit(page, "/training/")
    to_come = session_links(page)[1]
    visit(page, to_come + "/attendance")
    expect(page.locator(".govuk-warning-text")).to_contain_text("You can mark who attended from the day of the session")
    expect(page.get_by_role("button", name="Save attendance")).to_have_count(0)


def test_a_learner_downloads_their_certificate_and_anyone_can_check_it(page: Page, new_person) -> None:
    login(page, DEMO_LEARNER, DEMO_PASSWORD)
    visit(page, "/learning/")
    past = page.locator("main li", has_text="attended (your certificate is on its page)")
    follow(page, past.get_by_role("link"))
    link = page.get_by_role("link", name="Download your certificate (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = pikepdf.open(io.BytesIO(response.body()))
    [address] = [str(annotation.A.URI) for annotation in pdf.pages[0].get("/Annots", [])]
    path = urlsplit(address).path
    assert re.fullmatch(r"/certificates/[A-Za-z0-9_-]{32}", path)

    anyone = new_person()  # signed out
    visit(anyone, path)
    expect(heading(anyone)).to_have_text("This certificate is genuine")
    expect(anyone.locator(".govuk-summary-list")).to_contain_text("Pat Okoye")
    expect(anyone.locator("main")).not_to_contain_text(DEMO_LEARNER)
    expect(anyone.locator(".govuk-footer")).to_be_visible()
    visit(anyone, "/certificates/" + "x" * 32, status=404)
    expect(heading(anyone)).to_have_text("Certificate not found")


def test_taking_back_the_attendance_of_someone_booked_again_is_refused_clearly(page: Page) -> None:
    """Kim Ellis attended the demo's past session and holds a place on a session of the same course to come."""
    page.set_viewport_size(PHONE)
    login(page, DEMO_TRAINER, DEMO_PASSWORD)
    visit(page, "/training/")
    visit(page, session_links(page)[0] + "/attendance")
    page.get_by_label("Kim Ellis, Police (demo)").uncheck()
    submit(page, "Save attendance")
    expect_banner(
        page,
        "Kim Ellis has booked another session of this course since: their attendance here cannot be taken back "
        "unless they give that place up first",
    )
    expect(page.get_by_label("Kim Ellis, Police (demo)")).to_be_checked()
    fits(page)


def test_an_out_of_date_register_shows_its_error_summary(page: Page) -> None:
    """A register page left open too long (its one-time form token stale) is shown again with an error summary."""
    page.set_viewport_size(PHONE)
    login(page, DEMO_TRAINER, DEMO_PASSWORD)
    visit(page, "/training/")
    visit(page, session_links(page)[0] + "/attendance")
    page.locator("input[name='form_token']").evaluate("(field) => { field.value = 'stale'; }")
    submit(page, "Save attendance")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("This form was out of date")
    expect(page.get_by_label(OLA)).to_be_checked()
    fits(page)
