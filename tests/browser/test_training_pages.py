"""The CSE training's pages for each role that uses them pass axe-core, in their error states too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import DEMO_LOGINS, DEMO_PASSWORD, expect_banner, follow, heading, login, submit, visit
from tests.browser.crawling import Crawler, shape

pytestmark = pytest.mark.browser


def expect_error_summary(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()


@pytest.mark.every_page
def test_every_page_a_trainer_can_reach_passes_axe(page: Page, base_url: str) -> None:
    login(page, "trainer@example.org", DEMO_PASSWORD)
    visited = {shape(path) for path in Crawler(page, base_url).crawl("/training/")}
    assert {"/training/", "/training/sessions/{id}"} <= visited


@pytest.mark.every_page
def test_every_page_a_learner_can_reach_passes_axe(page: Page, base_url: str) -> None:
    login(page, "learner@example.org", DEMO_PASSWORD)
    visited = {shape(path) for path in Crawler(page, base_url).crawl("/learning/")}
    assert {"/learning/", "/learning/bookings/{id}"} <= visited


def test_the_council_training_forms_show_their_errors_accessibly(page: Page) -> None:
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    visit(page, "/training/courses/new")
    submit(page, "Save course")
    expect_error_summary(page, "Enter the course’s title")
    visit(page, "/training/domains")
    submit(page, "Add the domain")
    expect_error_summary(page, "Enter an e-mail domain, like police.uk")


def test_the_registration_form_shows_its_errors_accessibly(page: Page) -> None:
    visit(page, "/learning/register")
    submit(page, "Register")
    expect_error_summary(page, "Enter your full name", "Select your agency")


def test_a_learner_books_a_place_and_gives_it_up(page: Page) -> None:
    login(page, "learner@example.org", DEMO_PASSWORD)
    visit(page, "/learning/")
    # The demo learner holds a place on the awareness course: its other sessions offer no second place.
    expect(
        page.locator("main").get_by_role("link", name=re.compile(r"^You are booked on another session"))
    ).not_to_have_count(0)
    # Each button also names its session, for screen readers (visually hidden): match the words people see.
    follow(page, page.get_by_role("button", name=re.compile(r"^Book a place\W")).first)
    expect_banner(page, "You have a place.")
    course = heading(page).inner_text()
    submit(page, "Give up this place")
    expect_banner(page, "Cancelled.")
    visit(page, "/learning/")
    expect(
        page.locator("main").get_by_role("button", name=re.compile(r"^Book a place\W+" + re.escape(course)))
    ).not_to_have_count(0)
