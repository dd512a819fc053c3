"""Journey 7, the CSE training, walked through the pages as people do it; axe-core checks every page on the way.

A new learner registers, confirms their address and is approved by a council officer, then books a place and adds
it to their calendar; a council officer sets up a course with one place, which one learner gives up and the next on
the waiting list accepts, before the officer cancels the session; and the council's own training pages (trainers,
agencies, the staff-trained figures). Each journey uses its own people, course and names, so the demo data the other
browser tests read stays as it was.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from portal import clock
from portal.clock import LONDON
from portal.domain.training import OFFER_HOURS
from tests.browser.browsing import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    confirm_email_address,
    expect_banner,
    follow,
    heading,
    login,
    submit,
    visit,
    wait_for_mailed_link,
)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple 42"
# The demo's multi-agency course has one session, five weeks on, with plenty of places.
MULTI_AGENCY = "Multi-agency CSE: acting on concerns"
CHECKING = "The council is checking your account. You can book as soon as it is approved; we will email you."


def unique() -> str:
    return uuid.uuid4().hex[:8]


def summary_value(page: Page, key: str):
    return page.locator(".govuk-summary-list__row").filter(has=page.get_by_text(key, exact=True)).locator("dd").first


def expect_error_summary(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()


def register_learner(page: Page, mail_dir, full_name: str, email: str) -> None:
    """Register for the training, confirm the address from the e-mailed link and sign in."""
    visit(page, "/learning/register")
    expect(heading(page)).to_have_text("Register for CSE training")
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Organisation").fill("Riverside Youth Club")
    page.get_by_label("Agency").select_option(label="Youth services")
    page.get_by_label("Job role").select_option(label="Youth worker")
    page.get_by_label("District you work in").fill("Cherwell")
    page.get_by_label("Create a password").fill(PASSWORD)
    submit(page, "Register")
    expect(heading(page)).to_have_text("Check your email")
    confirm_email_address(page, mail_dir, email)
    login(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/learning/$"))
    expect(heading(page)).to_have_text("Your CSE training")


def book_button(page: Page, course: str, wording: str = "Book a place"):
    """The button on the learner's home page for a session of the course (its hidden words name the session)."""
    return page.locator("main").get_by_role("button", name=re.compile(rf"^{wording}\W+{re.escape(course)}, "))


def expect_calendar_file(page: Page, link_text: str) -> None:
    link = page.get_by_role("link", name=link_text)
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200, f"{link_text} answered {response.status}"
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.text().startswith("BEGIN:VCALENDAR")


def test_a_new_learner_registers_is_approved_books_a_place_and_adds_it_to_their_calendar(
    page: Page, new_person, live_portal
) -> None:
    full_name = f"Jo Marsh {unique()}"
    email = f"jo.{unique()}@riverside-youth.example.org"  # a domain the council does not list
    register_learner(page, live_portal.mail_dir, full_name, email)
    expect(page.locator("main .govuk-inset-text")).to_have_text(CHECKING)
    expect(book_button(page, MULTI_AGENCY)).to_have_count(0)

    council = new_person()
    login(council, DEMO_LOGINS["council"], DEMO_PASSWORD)
    visit(council, "/training/")
    follow(council, council.get_by_role("link", name="Learners to approve"))
    expect(heading(council)).to_have_text("Learners to approve")
    waiting = council.locator("main li").filter(has_text=email)
    expect(waiting).not_to_contain_text("address not confirmed yet")
    follow(council, waiting.get_by_role("link", name=full_name))
    expect(heading(council)).to_have_text(f"Approve or refuse {full_name}")
    expect(summary_value(council, "Email address confirmed")).to_have_text("Yes")
    expect(summary_value(council, "Agency")).to_have_text("Youth services")
    council.get_by_label("Yes, approve them").check()
    submit(council, "Save decision")
    expect_banner(council, f"{full_name} has been approved.")
    expect(council.locator("main li").filter(has_text=email)).to_have_count(0)

    visit(page, "/learning/")
    expect(page.locator("main .govuk-inset-text")).to_have_count(0)
    follow(page, book_button(page, MULTI_AGENCY))
    expect_banner(page, "You have a place.")
    expect(heading(page)).to_have_text(MULTI_AGENCY)
    expect(summary_value(page, "Your booking")).to_have_text("Booked")
    expect_calendar_file(page, "Add this session to your calendar (.ics)")

    follow(page, page.locator("a.govuk-back-link"))
    expect(heading(page)).to_have_text("Your CSE training")
    expect(page.locator("main li").filter(has_text=MULTI_AGENCY)).to_contain_text("booked")
    expect_calendar_file(page, "Your CSE training calendar feed (.ics)")


def add_course_with_one_place(council: Page, title: str) -> str:
    """A council officer adds a course and a session of it with one place, a few weeks on; the session's path."""
    visit(council, "/training/")
    follow(council, council.get_by_role("link", name="Add a course"))
    expect(heading(council)).to_have_text("Add a course")
    council.get_by_label("Title", exact=True).fill(title)
    council.get_by_role("group", name="Level").get_by_label("CSE awareness").check()
    council.get_by_label("Length in minutes").fill("120")
    council.get_by_label("Learning outcomes").fill("Recognise online grooming and know who to tell")
    council.get_by_label("Who it is for").fill("Youth workers and volunteers")
    submit(council, "Save course")
    expect_banner(council, "Course saved.")
    expect(heading(council)).to_have_text(title)
    expect(council.locator("main")).to_contain_text("This course has no sessions yet.")

    follow(council, council.get_by_role("link", name="Add a session"))
    expect(heading(council)).to_have_text("Add a session")
    day = clock.today() + timedelta(days=25)
    date_group = council.get_by_role("group", name="Date")
    date_group.get_by_label("Day").fill(str(day.day))
    date_group.get_by_label("Month").fill(str(day.month))
    date_group.get_by_label("Year").fill(str(day.year))
    council.get_by_label("Start time").fill("10:00")
    council.get_by_label("End time").fill("12:00")
    council.get_by_label("Places").fill("1")
    council.get_by_label("Venue address (for a session in person)").fill("Banbury Town Hall, Bridge Street, OX16 5QB")
    council.get_by_label("Access information (optional)").fill("Lift to the first floor")
    submit(council, "Save session")
    expect_banner(council, "Session saved: learners can book it now.")
    expect(council.get_by_role("heading", level=1)).to_contain_text(f"{day.day} {day:%B %Y}")
    expect(summary_value(council, "Places taken")).to_have_text("0 of 1")
    return council.url


def test_a_place_given_up_is_offered_to_the_first_waiting_and_a_cancelled_session_says_so(
    page: Page, new_person, live_portal
) -> None:
    title = f"Online grooming: spotting the signs {unique()}"
    council = new_person()
    login(council, DEMO_LOGINS["council"], DEMO_PASSWORD)
    session_path = add_course_with_one_place(council, title)

    # Addresses on a domain the council lists are approved as soon as they are confirmed.
    first_email, second_email = (f"{who}.{unique()}@thamesvalley.police.uk" for who in ("ash", "bo"))
    first = page
    register_learner(first, live_portal.mail_dir, f"Ash Carter {unique()}", first_email)
    expect(first.locator("main .govuk-inset-text")).to_have_count(0)
    follow(first, book_button(first, title))
    expect_banner(first, "You have a place.")
    first_booking = first.url

    second = new_person()
    second_name = f"Bo Lindqvist {unique()}"
    register_learner(second, live_portal.mail_dir, second_name, second_email)
    expect(book_button(second, title)).to_have_count(0)
    follow(second, book_button(second, title, "Join the waiting list"))
    expect_banner(second, "The session is full: you are on its waiting list.")
    expect(summary_value(second, "Your booking")).to_have_text("On the waiting list")
    expect(second.get_by_role("button", name="Leave the waiting list")).to_be_visible()

    visit(first, first_booking)
    submit(first, "Give up this place")
    expect_banner(first, "Cancelled.")
    expect(summary_value(first, "Your booking")).to_have_text("Cancelled")

    # The second learner opens the booking from the e-mail that offers them the place.
    offered_at = clock.now()
    visit(second, wait_for_mailed_link(live_portal.mail_dir, second_email, f"A place is free: {title}"))
    expect(summary_value(second, "Your booking")).to_have_text("Place offered")
    deadline = (offered_at + timedelta(hours=OFFER_HOURS)).astimezone(LONDON)
    offer = second.locator("main p").filter(has_text="A place has come free")
    expect(offer).to_contain_text(f"Accept it by {deadline.day} {deadline:%B %Y}, ")
    submit(second, "Accept the place")
    expect_banner(second, "You have a place.")
    expect(summary_value(second, "Your booking")).to_have_text("Booked")
    second_booking = second.url

    visit(council, session_path)
    expect(summary_value(council, "Places taken")).to_have_text("1 of 1")
    booked = council.get_by_role("table", name="Who is booked")
    expect(booked.get_by_role("row").filter(has_text=second_name)).to_contain_text("Booked")
    follow(council, council.get_by_role("link", name="Cancel the session"))
    expect(heading(council)).to_have_text("Are you sure you want to cancel this session?")
    submit(council, "Cancel the session")
    expect_error_summary(council, "Enter the reason for cancelling")
    reason = "The trainer is unwell; we will add a new date soon"
    council.get_by_label("Reason for cancelling (everyone booked is told)").fill(reason)
    submit(council, "Cancel the session")
    expect_banner(council, "Session cancelled. 1 person booked, offered a place or waiting has been emailed.")
    expect(heading(council)).to_have_text(title)
    expect(council.get_by_role("table", name="Sessions").locator(".govuk-tag")).to_have_text("Cancelled")

    visit(second, second_booking)
    expect(second.locator("main .govuk-warning-text")).to_contain_text(f"This session is cancelled: {reason}")
    expect(summary_value(second, "Your booking")).to_have_text("Cancelled")
    expect(second.get_by_role("link", name="Add this session to your calendar (.ics)")).to_have_count(0)
    visit(second, "/learning/")
    expect(book_button(second, title, "(Book a place|Join the waiting list)")).to_have_count(0)


def test_a_council_officer_invites_a_trainer_keeps_the_agencies_and_reads_the_staff_trained(page: Page) -> None:
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    visit(page, "/training/")
    follow(page, page.get_by_role("link", name="Trainers"))
    expect(heading(page)).to_have_text("Trainers")
    submit(page, "Send invitation")
    expect_error_summary(page, "Enter the trainer’s full name", "Enter the trainer’s email address")
    name, email = f"Sam Okafor {unique()}", f"sam.{unique()}@trainers.example.org"
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    submit(page, "Send invitation")
    expect_banner(page, f"We have emailed {email} a link to choose a password. It works for 3 days.")
    trainer = page.get_by_role("row").filter(has_text=email)
    expect(trainer).to_contain_text(name)
    expect(trainer.locator(".govuk-tag")).to_have_text("Invitation not yet accepted")
    expect(page.get_by_role("row").filter(has_text="trainer@example.org").locator(".govuk-tag")).to_have_count(0)

    follow(page, page.locator("a.govuk-back-link"))
    follow(page, page.get_by_role("link", name="Agencies", exact=True))
    expect(heading(page)).to_have_text("Agencies")
    submit(page, "Add to the list")
    expect_error_summary(page, "Enter the name to add")
    agency = f"Faith groups {unique()}"
    page.get_by_label("Add an agency").fill(agency)
    submit(page, "Add to the list")
    expect_banner(page, f"{agency} is on the list: new learners can choose it.")
    row = page.get_by_role("row").filter(has_text=agency)
    expect(row.locator(".govuk-tag")).to_have_count(0)
    follow(page, row.get_by_role("button", name=re.compile(r"^Stop offering it\W+" + re.escape(agency))))
    expect_banner(page, f"{agency} is no longer offered to new learners.")
    expect(row.locator(".govuk-tag")).to_have_text("Not offered")
    follow(page, row.get_by_role("button", name=re.compile(r"^Offer it again\W+" + re.escape(agency))))
    expect_banner(page, f"{agency} is back on the list.")
    expect(row.locator(".govuk-tag")).to_have_count(0)

    visit(page, "/reach/")
    follow(page, page.get_by_role("link", name="Staff trained by level, agency, job role, district and month"))
    expect(heading(page)).to_have_text("Staff trained")
    for caption in ("agency", "job role", "district", "month"):
        table = page.get_by_role("table", name=f"Staff trained by {caption}")
        expect(table).to_be_visible()
        expect(table.get_by_role("columnheader", name="Staff trained")).to_be_visible()
    # The demo's learners attended its past session: Ola Reyes is counted under Youth services, in Oxford.
    agencies = page.get_by_role("table", name="Staff trained by agency")
    expect(agencies.get_by_role("row").filter(has_text="Youth services")).to_be_visible()
    districts = page.get_by_role("table", name="Staff trained by district")
    expect(districts.get_by_role("rowheader", name="Oxford", exact=True)).to_be_visible()
