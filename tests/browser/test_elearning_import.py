"""A council officer imports e-learning completions: the page, its error state (the bad lines listed, nothing
imported) and the banner with the counts pass axe-core."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import DEMO_LOGINS, DEMO_PASSWORD, expect_banner, follow, heading, login, submit, visit

pytestmark = pytest.mark.browser

HEADER = "Record ID,Email,First name,Last name,Organisation,Agency,Job role,District,Course,Completed on\n"


def choose_file(page: Page, text: str) -> None:
    page.get_by_label("Completion report (CSV)").set_input_files(
        files=[{"name": "completions.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )


def test_a_council_officer_imports_e_learning_completions_and_sees_bad_lines_accessibly(page: Page) -> None:
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    visit(page, "/training/")
    follow(page, page.get_by_role("link", name="Import e-learning completions"))
    expect(heading(page)).to_have_text("Import e-learning completions")

    submit(page, "Import completions")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Select the CSV file of completions to import")).to_be_visible()

    record, day = f"BROWSER-{uuid.uuid4().hex[:12]}", date.today() - timedelta(days=30)
    good = f"{record},browser.learner@example.org,Sam,Vale,Demo Police,police,Teacher,Cherwell,CSE,{day:%d/%m/%Y}\n"
    choose_file(page, HEADER + good + f"{record}-2,not-an-address,Al,Li,,Police,Teacher,Oxford,CSE,{day}\n")
    submit(page, "Import completions")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_contain_text("Nothing was imported")
    expect(summary.get_by_role("link", name="Line 3: Email 'not-an-address' is not an email address")).to_be_visible()

    choose_file(page, HEADER + good)
    submit(page, "Import completions")
    expect_banner(page, "1 e-learning completion added.")
    choose_file(page, HEADER + good)
    submit(page, "Import completions")
    expect_banner(page, "0 e-learning completions added; 1 was imported before.")
