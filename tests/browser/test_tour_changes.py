"""Issue 15, items 2, 3, 8 and 9, walked as the company and a school would.

- Item 9: opening a season and publishing an allocation each ask first ("Are you sure"), saying who will be told;
  so does cancelling a performance (cancelling a cast's day: test_tour_journeys.py); a delivery record can be
  corrected, audited, and the council's reach figure follows.
- Item 3: a season whose 11:00am slot was added after its 1:30pm one lists 9:15am, 11:00am, 1:30pm on the schedule
  and on the school's performances (at 1280px and at 375px).
- Item 2: a performance moved to another time and cast: its e-mail, the calendar file attached and its history all
  give the new date, time and cast.
- Item 8: a refused move names the school, date and time; history says who by name; the run page says which figure
  is weighted.

They run on the portal whose clock stands 30 days after the demo data was loaded (`server_after_deadline`). The first
test sets up a week-long season of its own there, as the company would (one school, the demo's Greenfinch Hill, asks
for 360 pupils on one day, so all three of the day's times are used); the others use it, setting it up first if
they run alone.
"""

from __future__ import annotations

import email
import json
import re
import subprocess
import time as clock_time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from portal.clock import LONDON
from portal.config import ROOT
from portal.domain.calendars import bank_holidays_between
from tests.browser.browsing import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    expect_banner,
    follow,
    heading,
    login,
    submit,
    visit,
)
from tests.browser.test_tour_journeys import (
    TOURING_SEASON,
    fill_date,
    london_day,
    long_date,
    monday_of,
    open_season,
    publish,
    run_scheduler,
    show_weeks_until,
    summary_value,
)

pytestmark = pytest.mark.browser

SEASON = "Three times a day week"
SCHOOL = "Greenfinch Hill Community School"  # the demo school: Sam Patel's, hall of 120
STAFF = "Sam Patel"
DSL_NAME, DSL_EMAIL = "Morgan Reed", "morgan.reed@greenfinch.example.org"
IN_TIME_ORDER = ["9:15am", "11:00am", "1:30pm"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
# What a page must never show a person: the scheduler's ids and positions, ISO dates, stored dictionaries.
PROGRAM_WORDS = re.compile(r'"[scrp]\d+"|\b[scrp]\d+\b|\[\d+\]|\{\'|\d{4}-\d\d-\d\d|sequence|_id\b')


@dataclass(frozen=True)
class OwnSeason:
    id: int
    day: date  # its first day: the one day the school asked for


def first_free_monday(after: date) -> date:
    """A Monday at least three weeks on whose week has no bank holiday."""
    monday = monday_of(after + timedelta(days=21)) + timedelta(days=7)
    while bank_holidays_between(monday, monday + timedelta(days=4)):
        monday += timedelta(days=7)
    return monday


def season_id(page: Page) -> int:
    return int(re.search(r"/company/seasons/(\d+)", page.url)[1])


def add_cast(company: Page, name: str, day: date) -> None:
    """A cast free on the season's first day only, up to three performances a day."""
    follow(company, company.get_by_role("button", name="Add a cast"))
    company.get_by_label("Cast name").fill(name)
    company.get_by_label("Most performances in one day").fill("3")
    for box in company.get_by_role("group", name="Days this cast is available").get_by_role("checkbox").all():
        if box.get_attribute("value") != day.isoformat():
            box.uncheck()
    submit(company, "Save cast")
    expect_banner(company, "Cast saved.")


def create_and_open_season(company: Page, today: date) -> OwnSeason:
    """The company makes the week, adds an 11:00am slot after the usual 9:15am and 1:30pm, two casts, and opens it:
    opening asks first and says who sees it."""
    day = first_free_monday(today)
    visit(company, "/company/")
    follow(company, company.get_by_role("button", name="Create a season"))
    company.get_by_label("Season name").fill(SEASON)
    fill_date(company, "First day of performances", day)
    fill_date(company, "Last day of performances", day + timedelta(days=4))
    fill_date(company, "Request deadline", today)
    company.get_by_role("group", name="Productions").get_by_label(re.compile(r"Trust Me")).check()
    submit(company, "Save season")
    expect_banner(company, "Season created. Add its casts, then open it for requests.")
    company.get_by_label("Slot name").fill("MID")
    company.get_by_label("Start time").fill("11:00")
    submit(company, "Add slot")
    expect_banner(company, "Slot added.")
    add_cast(company, "North cast", day)
    add_cast(company, "South cast", day)

    follow(company, company.get_by_role("button", name="Open for requests"))
    expect(heading(company)).to_have_text(f"Are you sure you want to open {SEASON} for requests?")
    expect(company.get_by_text("Nobody is emailed.")).to_be_visible()
    expect(summary_value(company, "Times of day")).to_have_text("9:15am, 11:00am, 1:30pm")
    submit(company, "Open for requests")
    expect_banner(company, f"{SEASON} is open: schools can now request performances.")
    return OwnSeason(season_id(company), day)


def request_one_day(school: Page, season: OwnSeason) -> None:
    """Greenfinch Hill asks for three year groups of 120 on the season's first day, at any of its three times."""
    login(school, DEMO_LOGINS["school"], DEMO_PASSWORD)
    visit(school, f"/school/seasons/{season.id}/requests/new")
    production = school.get_by_role("group", name="Which production do you want?").get_by_role("radio")
    if production.count():
        production.first.check()
    for year in (8, 9, 10):
        school.get_by_label(f"Year {year}", exact=True).fill("120")
    weeks = school.get_by_role("group", name="Which weeks is your hall free?").get_by_role("checkbox")
    weeks.first.check()
    for box in school.locator("input[name='dates']").all():
        if box.is_visible() and box.get_attribute("value") != season.day.isoformat():
            box.uncheck()
    for box in (
        school.get_by_role("group", name="At which times of day is your hall free?").get_by_role("checkbox").all()
    ):
        box.check()
    school.get_by_label("Number of staff in the hall").fill("4")
    school.get_by_label("Name of the Designated Safeguarding Lead who will attend").fill(DSL_NAME)
    school.get_by_label("DSL’s email address").fill(DSL_EMAIL)
    school.get_by_label("DSL’s phone number").fill("01632 960 404")
    submit(school, "Continue")
    while school.get_by_role("button", name="Continue", exact=True).count():
        submit(school, "Continue")
    submit(school, "Send request")
    expect(heading(school)).to_have_text("Request sent")


def allocate_and_publish(company: Page, season: OwnSeason, today: date) -> None:
    """After the deadline (brought forward to yesterday), run the scheduler and publish: publishing asks first,
    naming the school and who there is e-mailed. The run's page says which figure is weighted."""
    visit(company, f"/company/seasons/{season.id}")
    follow(company, company.get_by_role("button", name="Change season details"))
    fill_date(company, "Request deadline", today - timedelta(days=1))
    submit(company, "Save season")
    expect_banner(company, "Season saved.")
    follow(company, company.get_by_role("button", name="Allocate performances"))
    run_scheduler(company, "Run the scheduler")
    figures = company.locator("main .govuk-grid-column-one-quarter")
    expect(figures.filter(has_text="pupils reached")).to_have_text(
        re.compile(r"^360\s+pupils reached$"), use_inner_text=True
    )
    expect(figures.filter(has_text="weighted by priority")).to_be_visible()
    expect(company.get_by_text(re.compile(r"^Pupils reached counts each pupil once\."))).to_be_visible()

    follow(company, company.get_by_role("button", name="Publish to schools"))
    expect(heading(company)).to_have_text("Are you sure you want to publish this allocation to schools?")
    told = company.get_by_role("table", name="Schools told of their provisional performances").locator("tbody tr")
    expect(told).to_have_count(1)
    expect(told.first.locator("td")).to_have_text([SCHOOL, "3", re.compile(STAFF)])
    publish(company, today + timedelta(days=10))


def ensure_season(company: Page, school: Page, today: date) -> OwnSeason:
    """The week set up, requested, allocated and published (once per server), with the company signed in."""
    login(company, DEMO_LOGINS["company"], DEMO_PASSWORD)
    visit(company, "/company/")
    existing = company.get_by_role("link", name=SEASON, exact=True)
    if existing.count():
        follow(company, existing)
        found = re.match(r"^(\d+ \w+ \d{4}) to ", summary_value(company, "Performances").inner_text().strip())
        return OwnSeason(season_id(company), datetime.strptime(found[1], "%d %B %Y").date())  # noqa: DTZ007 (a date)
    season = create_and_open_season(company, today)
    request_one_day(school, season)
    allocate_and_publish(company, season, today)
    return season


def signed_in_as_school(school: Page) -> None:
    """Greenfinch Hill's Sam Patel, signed in (once: setting the season up may have signed them in already)."""
    visit(school, "/school/")
    if "/login" in school.url:
        login(school, DEMO_LOGINS["school"], DEMO_PASSWORD)


def school_rows(page: Page, day: date):
    """The school's performances on the day, as its Performances page lists them."""
    table = page.get_by_role("table", name="Performances at your school")
    return table.locator("tbody tr").filter(has_text=long_date(day))


def schedule_rows(page: Page, season: OwnSeason):
    visit(page, f"/company/seasons/{season.id}/schedule?week={season.day.isoformat()}")
    table = page.get_by_role("table", name=re.compile(r"^Week beginning "))
    return table.locator("tbody tr").filter(has_text=SCHOOL)


def test_opening_and_publishing_ask_first_and_times_are_listed_by_start_time(later_person, server_after_deadline):
    today = london_day(server_after_deadline.now)
    company, school = later_person(), later_person()
    season = ensure_season(company, school, today)

    rows = schedule_rows(company, season)
    expect(rows).to_have_count(3)
    expect(rows.locator("td:nth-child(2)")).to_have_text(IN_TIME_ORDER)

    signed_in_as_school(school)
    for size in (DESKTOP, PHONE):
        school.set_viewport_size(size)
        visit(school, "/school/performances")
        expect(school_rows(school, season.day).locator("td:nth-child(2)")).to_have_text(IN_TIME_ORDER)
    school.set_viewport_size(DESKTOP)


def open_performance(company: Page, season: OwnSeason, at: str) -> None:
    row = schedule_rows(company, season).filter(has=company.locator("td:nth-child(2)", has_text=at))
    row = row.filter(has=company.locator(".govuk-tag", has_text=re.compile(r"^(Provisional|Confirmed)$")))
    follow(company, row.first.get_by_role("link", name=SCHOOL))
    expect(heading(company)).to_have_text(f"Performance at {SCHOOL}")


def deliver_outbox(server) -> None:
    """Send what waits in the outbox, as the job consumer does every minute (`flask outbox send`, on its settings)."""
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "outbox", "send"],
        cwd=ROOT,
        env={**server.env, "PORTAL_FAKE_NOW": server.now.isoformat()},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"flask outbox send: {result.stdout}\n{result.stderr}"


def received(mail_dir: Path, address: str, subject: str, timeout: float = 10) -> email.message.EmailMessage:
    """The e-mail with this subject the portal sent the address, as the person's inbox shows it."""
    deadline = clock_time.monotonic() + timeout
    while clock_time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns, reverse=True):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == address and message["Subject"] == subject:
                return message
        clock_time.sleep(0.2)
    pytest.fail(f"no e-mail {subject!r} reached {address}")


def test_cancelling_asks_first_and_a_move_gives_the_new_time_and_cast_everywhere(later_person, server_after_deadline):
    today = london_day(server_after_deadline.now)
    company, school = later_person(), later_person()
    season = ensure_season(company, school, today)
    when = long_date(season.day)

    # Cancelling the 9:15am performance asks first, naming who is e-mailed; without a reason it asks again.
    open_performance(company, season, "9:15am")
    follow(company, company.get_by_role("button", name="Cancel this performance"))
    expect(heading(company)).to_have_text(f"Are you sure you want to cancel the performance at {SCHOOL} on {when}?")
    expect(company.get_by_text(re.compile(rf"^We will email {STAFF} and {DSL_NAME} at once"))).to_be_visible()
    submit(company, "Cancel performance")
    expect(company.locator(".govuk-error-summary")).to_contain_text("Enter the reason for cancelling")
    company.get_by_label("Reason for cancelling (the school is told)").fill("The hall is needed for a visit.")
    submit(company, "Cancel performance")
    expect_banner(company, "Performance cancelled. The school has been told.")
    expect(company.locator("main .govuk-tag").first).to_have_text("Cancelled")

    # The 1:30pm performance cannot move to 11:00am (the school's hall is in use): the refusal is in words.
    open_performance(company, season, "1:30pm")
    detail = company.url
    was_cast = summary_value(company, "Cast").inner_text().strip()
    new_cast = "South cast" if was_cast == "North cast" else "North cast"
    company.get_by_role("group", name="Cast", exact=True).get_by_label(new_cast).check()
    company.get_by_role("group", name="Time", exact=True).get_by_label(re.compile(r"11:00am")).check()
    company.get_by_label("Reason (the school is told)").fill("The cast must leave by lunchtime.")
    submit(company, "Move performance")
    refusal = company.locator(".govuk-error-summary")
    expect(refusal).to_contain_text(re.compile(rf"That move breaks a rule: .*{when} at 11:00am"))
    expect(refusal).to_contain_text(SCHOOL)
    assert not PROGRAM_WORDS.search(refusal.inner_text()), refusal.inner_text()

    # To 9:15am with the other cast, freed by the cancellation: the page, the e-mail and its calendar file agree.
    company.get_by_role("group", name="Time", exact=True).get_by_label(re.compile(r"9:15am")).check()
    submit(company, "Move performance")
    expect_banner(company, "Performance moved. The school has been told.")
    assert company.url == detail
    expect(summary_value(company, "When")).to_have_text(f"{when}, 9:15am")
    expect(summary_value(company, "Cast")).to_have_text(new_cast)
    moved = company.get_by_role("table", name="Changes to this record").get_by_role("row").filter(has_text="Moved")
    expect(moved).to_contain_text(f"When: {when} at 1:30pm → {when} at 9:15am")
    expect(moved).to_contain_text(f"Cast: {was_cast} → {new_cast}")
    expect(moved).to_contain_text("Alex Morgan (theatre company)")

    deliver_outbox(server_after_deadline)
    message = received(server_after_deadline.mail_dir, DSL_EMAIL, f"Performance moved to {when} at 9:15am")
    text = message.get_body(("plain",)).get_content()
    assert f"from {when} at 1:30pm ({was_cast})" in text, text
    assert f"When: {when} at 9:15am" in text and f"Cast: {new_cast}" in text, text
    (attachment,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(attachment.get_payload(decode=True)).events
    start = event.decoded("DTSTART").astimezone(LONDON)
    assert (start.date(), start.strftime("%H:%M")) == (season.day, "09:15")
    assert f"Cast: {new_cast}." in str(event["DESCRIPTION"])

    # The school reads the same on its phone: the move in its history, in words, with who moved it.
    signed_in_as_school(school)
    school.set_viewport_size(PHONE)
    visit(school, "/school/performances")
    rows = school_rows(school, season.day)
    expect(rows.locator("td:nth-child(2)")).to_have_text(["9:15am", "9:15am", "11:00am"])
    follow(school, rows.filter(has_not=school.locator(".govuk-tag", has_text="Cancelled")).first.get_by_role("link"))
    history = school.get_by_role("table", name="Changes to this record")
    expect(history).to_contain_text(f"When: {when} at 1:30pm → {when} at 9:15am")
    expect(history).to_contain_text("Alex Morgan (theatre company)")
    assert not PROGRAM_WORDS.search(history.inner_text()), history.inner_text()


def seen_drama(council: Page) -> int:
    response = council.request.get("/api/v1/reach")
    assert response.ok, response.status
    return json.loads(response.body())["seen_drama"]


def test_the_company_corrects_a_delivery_record_and_the_reach_figure_follows(later_person, server_after_deadline):
    loaded_on = london_day(server_after_deadline.loaded_on)
    council = later_person()
    login(council, DEMO_LOGINS["council"], DEMO_PASSWORD)
    seen_before = seen_drama(council)

    page = later_person()
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    open_season(page, TOURING_SEASON)
    follow(page, page.get_by_role("button", name="Schedule"))
    rows = page.get_by_role("table", name=re.compile(r"^Week beginning ")).locator("tbody tr")
    delivered = rows.filter(has=page.locator(".govuk-tag", has_text="Delivered"))
    show_weeks_until(page, monday_of(loaded_on) - timedelta(days=21), delivered)
    follow(page, delivered.first.locator("td").nth(3).get_by_role("link"))
    attended = int(summary_value(page, "Pupils attended").inner_text())

    follow(page, page.get_by_role("button", name="Correct the delivery record"))
    expect(heading(page)).to_have_text("Correct the delivery record")
    first = page.get_by_role("group", name="Pupils who attended, by year group").get_by_role("textbox").first
    counted = int(first.input_value())
    first.fill(str(counted - 2))
    submit(page, "Save the corrected record")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are correcting the record")
    page.get_by_label("Why are you correcting the record?").fill("The school’s register had two fewer.")
    submit(page, "Save the corrected record")
    expect_banner(page, "Delivery record corrected. The reach figures count the new numbers.")
    expect(summary_value(page, "Pupils attended")).to_have_text(str(attended - 2))
    corrected = page.get_by_role("table", name="Changes to this record").get_by_role("row")
    corrected = corrected.filter(has_text="Delivery record corrected")
    expect(corrected).to_contain_text(
        re.compile(rf"Pupils who attended: Year \d+: {counted} pupils.* → .*{counted - 2}")
    )
    expect(corrected).to_contain_text("Reason for the correction: The school’s register had two fewer.")
    expect(corrected).to_contain_text("Alex Morgan (theatre company)")

    assert seen_drama(council) == seen_before - 2
