"""Asking for an account without knowing the school's URN: part of its name shows the matching schools as radios
(no script, no list of every school in the page), the person chooses theirs and asks again. Every page passes axe."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import heading, submit, visit

pytestmark = pytest.mark.browser

PASSWORD = "violet lantern harbour 1987"


def fill_in_the_rest(page: Page) -> None:
    page.get_by_label("Full name").fill("Robin Tanager")
    page.get_by_label("Job title").fill("PSHE lead")
    page.get_by_label("Work email address").fill(f"robin.{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_label("Work phone number").fill("01632 960 654")
    page.get_by_label("Create a password").fill(PASSWORD)


def test_a_person_finds_their_school_by_part_of_its_name(page: Page, base_url: str) -> None:
    visit(page, "/register")
    expect(page.locator("datalist")).to_have_count(0)
    page.get_by_label("Your school").fill("hill")
    fill_in_the_rest(page)
    submit(page, "Ask for an account")
    choices = page.get_by_role("group", name="Which is your school?")
    expect(choices).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose your school from the list")
    assert 1 < choices.get_by_role("radio").count() <= 20

    choices.get_by_label("Yellowhammer Hill School", exact=False).check()
    page.get_by_label("Create a password").fill(PASSWORD)  # a password is never sent back to the page
    submit(page, "Ask for an account")
    expect(heading(page)).to_have_text("Check your email")


def test_a_name_that_matches_nothing_says_so(page: Page, base_url: str) -> None:
    visit(page, "/register")
    page.get_by_label("Your school").fill("no such school anywhere")
    fill_in_the_rest(page)
    submit(page, "Ask for an account")
    expect(page.locator(".govuk-error-summary")).to_contain_text("No school matches “no such school anywhere”")
    expect(page.get_by_role("radio")).to_have_count(0)
