"""Journeys 2, 3 and 4: the company allocates a season, schools confirm, the company tours.

They run on a second portal whose clock stands 30 days after the demo data was loaded (`server_after_deadline`):
the demo's open season ("Demo season") is past its request deadline, so the company can allocate it, and the
"Demo season now touring" has confirmed performances in the past, so the company can record them delivered.
Everything happens through the pages, as a person would do it; axe-core checks every page on the way.

Journey 3 needs the season published: it publishes it itself when journey 2 has not run before it.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import Page, expect

from portal.clock import LONDON
from tests.browser.browsing import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    assert_accessible,
    confirm_email_address,
    expect_banner,
    follow,
    heading,
    login,
    submit,
    visit,
)

pytestmark = pytest.mark.browser

OPEN_SEASON = "Demo season"
TOURING_SEASON = "Demo season now touring"
# Starting a run answers once the scheduler has finished in test mode, or the run's page shows it once the job
# consumer has (production): up to its 5 seconds plus building the model.
SCHEDULER_TIMEOUT_MS = 60_000
PROPOSED = re.compile(r"^(?P<school>.+), (?P<pupils>\d+) pupils")
PROPOSAL_ENTRIES = """() => [...document.querySelectorAll('table')]
  .filter((table) => /^Cast /.test(table.caption?.textContent.trim() ?? ''))
  .flatMap((table) => [...table.querySelectorAll('tbody td')].map((cell) => cell.innerText.trim()))
  .filter((text) => text)"""
PASSWORD = "amber kestrel quarry 2031"
# How a calendar app is told of each status the school sees.
ICS_STATUS = {
    "Provisional": "TENTATIVE",
    "Confirmed": "CONFIRMED",
    "Delivered": "CONFIRMED",
    "Declined": "CANCELLED",
    "Cancelled": "CANCELLED",
}


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def london_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def row_day(row) -> str:
    """The date a schedule row is on, as shown: "Thursday 3 December 2026" (the link also says whose day sheet)."""
    return re.match(r"^\w+day \d+ \w+ \d{4}", row.locator("td").first.inner_text())[0]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def summary_value(page: Page, key: str):
    return page.locator(".govuk-summary-list__row").filter(has=page.get_by_text(key, exact=True)).locator("dd").first


def open_season(page: Page, name: str) -> None:
    visit(page, "/company/")
    follow(page, page.get_by_role("link", name=name, exact=True))
    expect(heading(page)).to_have_text(name)


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def proposal_entries(page: Page) -> list[str]:
    """The texts of the performances in the proposal's calendars, one per cast: "School, 120 pupils", from the week
    shown and each week after it."""
    entries = page.evaluate(PROPOSAL_ENTRIES)
    weeks = page.get_by_role("navigation", name="Weeks of the proposal")
    while (following := weeks.get_by_role("link", name=re.compile(r"^Next week"))).count():
        follow(page, following)
        entries += page.evaluate(PROPOSAL_ENTRIES)
    return entries


def run_scheduler(page: Page, button: str) -> None:
    submit(page, button, timeout=SCHEDULER_TIMEOUT_MS)
    expect(heading(page)).to_have_text(re.compile(r"^Allocation run \d+$"))
    # In production the job consumer runs the scheduler: the run's page waits, then reloads itself with the proposal.
    expect(page.get_by_text("Status: Done")).to_be_visible(timeout=SCHEDULER_TIMEOUT_MS)
    assert_accessible(page)


def ask_to_publish(page: Page) -> None:
    """A run's "Publish to schools" leads to a page that asks first, naming each school to be told."""
    follow(page, page.get_by_role("button", name="Publish to schools"))
    expect(heading(page)).to_have_text("Are you sure you want to publish this allocation to schools?")
    told = page.get_by_role("table", name="Schools told of their provisional performances").locator("tbody tr")
    expect(told.first).to_be_visible()


def publish(page: Page, confirm_by: date) -> None:
    """Publish the run shown (from its page, or from the question it leads to)."""
    if not page.url.endswith("/publish"):
        ask_to_publish(page)
    fill_date(page, "Schools must confirm by", confirm_by)
    submit(page, "Publish to schools")
    expect_banner(page, re.compile(r"^Published \d+ provisional performances\. Schools can now confirm them\.$"))
    expect(heading(page)).to_have_text("Schedule")


def season_first_day(page: Page) -> date:
    """The first day of performances, as the season's page states it: "4 January 2027 to 26 March 2027 (…)"."""
    text = summary_value(page, "Performances").inner_text().strip()
    found = re.match(r"^(\d+ \w+ \d{4}) to ", text)
    assert found, f"the season's dates read {text!r}"
    return datetime.strptime(found[1], "%d %B %Y").date()  # noqa: DTZ007 (a date, no time)


def change_cast(
    page: Page, cast: str, *, most_a_day: int, keep_days: int | None = None, every_day: bool = False
) -> int:
    """Change how many performances a cast can give a day, and untick its days after the first keep_days of the
    season (or tick every day); returns how many days the cast is left with."""
    follow(page, page.get_by_role("link", name=cast, exact=True))
    expect(heading(page)).to_have_text(f"Change {cast}")
    page.get_by_label("Most performances in one day").fill(str(most_a_day))
    days = page.get_by_role("group", name="Days this cast is available").get_by_role("checkbox")
    for day in days.all() if every_day else []:
        day.check()
    for day in days.all()[keep_days:] if keep_days is not None else []:
        day.uncheck()
    kept = sum(1 for day in days.all() if day.is_checked())
    submit(page, "Save cast")
    expect_banner(page, "Cast saved.")
    return kept


def test_the_company_allocates_a_season_pins_reruns_and_publishes(later_person, server_after_deadline) -> None:
    today = london_day(server_after_deadline.now)
    page = later_person()
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    open_season(page, OPEN_SEASON)

    # The season is oversubscribed this time: each cast gives one performance a day, Cast B is free for the first
    # ten days only, and the third Friday is a training day. (With the demo's casts every pupil gets a place.)
    first_day = season_first_day(page)
    casts = page.get_by_role("table", name="Casts").locator("tbody tr")
    change_cast(page, "Cast A", most_a_day=1)
    kept = change_cast(page, "Cast B", most_a_day=1, keep_days=10)
    expect(casts.locator("td:nth-child(3)")).to_have_text(["1", "1"])
    expect(casts.filter(has_text="Cast B").locator("td").nth(1)).to_have_text(str(kept))
    blackout = first_day + timedelta(days=18)
    fill_date(page, "First blackout day", blackout)
    page.get_by_label("Reason (optional)").fill("Staff training day")
    submit(page, "Add blackout days")
    expect_banner(page, "Blackout day added: no performances will be planned on it.")
    expect(page.get_by_role("listitem").filter(has_text=f"{blackout:%A} {blackout.day}")).to_contain_text(
        "Staff training day"
    )

    follow(page, page.get_by_role("button", name="Allocate performances"))
    expect(heading(page)).to_have_text("Allocate performances")
    expect(page.get_by_text("The scheduler has not run for this season yet.")).to_be_visible()

    run_scheduler(page, "Run the scheduler")
    first_run = heading(page).inner_text()
    figures = page.locator("main .govuk-grid-column-one-quarter")
    expect(figures.filter(has_text="pupils reached")).to_have_text(
        re.compile(r"^[1-9]\d*\s+pupils reached$"), use_inner_text=True
    )
    expect(figures.filter(has_text="schools served")).to_have_text(
        re.compile(r"^[1-9]\d*\s+schools served$"), use_inner_text=True
    )
    # 30 schools asked, most for more pupils than a few free days can hold: some pupils are left over, with why.
    unplaced = page.get_by_role("table", name="Requests with pupils not placed")
    expect(page.get_by_role("heading", name=re.compile(r"^Requests with pupils not placed \(\d+\)$"))).to_be_visible()
    reasons = unplaced.locator("tbody tr td:nth-child(3)")
    expect(reasons.first).not_to_be_empty()
    # A calendar per cast, each performance with a box to keep it; nothing on the training day.
    expect(page.get_by_role("table", name=re.compile(r"^Cast A: \d+ days$"))).to_be_visible()
    expect(page.get_by_role("rowheader", name=long_date(blackout))).to_have_count(0)
    expect(page.get_by_role("table", name=re.compile(r"^Cast B: \d+ days$"))).to_be_visible()
    keep = page.get_by_role("table", name=re.compile(r"^Cast B: ")).get_by_role("checkbox").first
    kept = PROPOSED.match(page.locator(f"label[for='{keep.get_attribute('id')}']").inner_text())
    assert kept, "a proposed performance's box is not labelled with its school and pupils"
    keep.check()

    run_scheduler(page, "Run again, keeping the ticked performances")
    expect(heading(page)).not_to_have_text(first_run)
    kept_cell = (
        page.get_by_role("table", name=re.compile(r"^Cast B: "))
        .locator("td")
        .filter(has_text=f"{kept['school']}, {kept['pupils']} pupils")
        .filter(has=page.locator(".govuk-tag", has_text="kept"))
    )
    expect(kept_cell).to_have_count(1)
    expect(kept_cell.get_by_role("checkbox")).to_have_count(0)

    # Publishing asks first, naming the schools told; the confirm-by date is offered two weeks on; ten days given.
    ask_to_publish(page)
    expect(page.get_by_role("group", name="Schools must confirm by").get_by_label("Day")).to_have_value(
        f"{today + timedelta(days=14):%d}"
    )
    publish(page, today + timedelta(days=10))

    # The schedule by week: the first week of the season, every performance provisional until schools confirm.
    week = page.get_by_role("table", name=re.compile(r"^Week beginning "))
    expect(week.get_by_role("row").nth(1)).to_be_visible()
    expect(week.locator("tbody .govuk-tag").first).to_have_text("Provisional")
    # The cast's week: only Cast B.
    page.get_by_label("Cast").select_option(label="Cast B")
    submit(page, "Show")
    week = page.get_by_role("table", name=re.compile(r"^Week beginning "))
    cast_cells = week.locator("tbody tr td:nth-child(3)")
    expect(cast_cells.first).to_have_text("Cast B")
    assert set(cast_cells.all_inner_texts()) == {"Cast B"}

    # A cast's day sheet: where to be, when, whom to ask for, and how to get in.
    first = week.locator("tbody tr").first
    time, school = first.locator("td").nth(1).inner_text(), first.locator("td").nth(3).inner_text()
    follow(page, first.get_by_role("link", name=re.compile(r"day sheet for Cast B")))
    expect(heading(page)).to_have_text(re.compile(r"^Day sheet for \w+day \d+ \w+ \d{4}$"))
    stop = page.get_by_role("heading", level=2, name=f"{time}: {school}")
    expect(stop).to_be_visible()
    expect(summary_value(page, "Arrive by").first).to_have_text(
        re.compile(r"^\s*\d{1,2}:\d\d[ap]m \(starts \d{1,2}:\d\d[ap]m\)\s*$")
    )
    expect(summary_value(page, "DSL attending")).to_contain_text("DSL at ")
    expect(summary_value(page, "Address")).not_to_be_empty()
    expect(summary_value(page, "Access notes")).not_to_be_empty()
    expect(summary_value(page, "Pupils expected")).to_contain_text("at this performance")
    expect(summary_value(page, "Hall")).to_contain_text("staff in the hall")

    # Printed, the day sheet is the sheet alone: no header, navigation, footer, back link or cancel form.
    page.emulate_media(media="print")
    for chrome in (".govuk-generic-header", ".govuk-service-navigation", ".govuk-footer", ".govuk-back-link"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("button", name="Cancel all performances on this day")).to_be_hidden()
    expect(heading(page)).to_be_visible()
    expect(stop).to_be_visible()
    page.emulate_media(media="screen")
    expect(page.locator(".govuk-footer")).to_be_visible()


def ensure_published(company: Page, today: date) -> list[str]:
    """The open demo season published (journey 2 does it; done here when it has not run); returns its proposal."""
    login(company, DEMO_LOGINS["company"], DEMO_PASSWORD)
    open_season(company, OPEN_SEASON)
    follow(company, company.get_by_role("button", name="Allocate performances"))
    published = company.get_by_role("row").filter(has_text="Published")
    if published.count() == 0:
        run_scheduler(company, "Run the scheduler")
        publish(company, today + timedelta(days=10))
        follow(company, company.get_by_role("link", name=OPEN_SEASON))
        follow(company, company.get_by_role("button", name="Allocate performances"))
    follow(company, published.get_by_role("link").first)
    return proposal_entries(company)


def ask_for_account(page: Page, school: str, full_name: str, email: str) -> None:
    visit(page, "/register")
    page.get_by_label("Your school").fill(school)
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Job title").fill("Designated Safeguarding Lead")
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Work phone number").fill("01632 960 432")
    page.get_by_label("Create a password").fill(PASSWORD)
    submit(page, "Ask for an account")
    expect(heading(page)).to_have_text("Check your email")


def approve(council: Page, full_name: str) -> None:
    login(council, DEMO_LOGINS["council"], DEMO_PASSWORD)
    follow(council, council.get_by_role("link", name="Account approvals"))
    follow(council, council.get_by_role("row").filter(has_text=full_name).get_by_role("link"))
    council.get_by_label("Yes, approve it").check()
    submit(council, "Save decision")
    expect_banner(council, f"{full_name}’s account has been approved.")


def expect_status(page: Page, status: str) -> None:
    expect(page.locator("main .govuk-tag").first).to_have_text(status)


def calendar_download(page: Page, link_name: str) -> Calendar:
    """Download a calendar by its link as a person would, and check what the server says it is."""
    link = page.get_by_role("link", name=link_name)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".ics"), download.value.suggested_filename
    body = download.value.path().read_bytes()
    response = page.request.get(link.get_attribute("href"))
    assert response.ok, f"{response.url} answered {response.status}"
    assert response.headers["content-type"].startswith("text/calendar"), response.headers["content-type"]
    text = body.decode()
    assert text.startswith("BEGIN:VCALENDAR"), text[:80]
    assert "BEGIN:VEVENT" in text
    return Calendar.from_ical(body)


def test_a_school_confirms_declines_downloads_and_books(later_person, server_after_deadline) -> None:
    today = london_day(server_after_deadline.now)
    entries = ensure_published(later_person(), today)
    per_school = Counter(PROPOSED.match(entry)["school"] for entry in entries if PROPOSED.match(entry))
    school, count = per_school.most_common(1)[0]
    assert count >= 2, f"no school has two performances to confirm one and decline another: {per_school}"

    # Nobody at that school has an account yet (the council asked on its behalf): a member of staff joins.
    staff = later_person()
    full_name = f"Jordan Ainsley {uuid.uuid4().hex[:6]}"
    email = f"jordan.{uuid.uuid4().hex[:8]}@school.example.org"
    ask_for_account(staff, school, full_name, email)
    confirm_email_address(staff, server_after_deadline.mail_dir, email)  # the council approves confirmed addresses
    approve(later_person(), full_name)
    login(staff, email, PASSWORD)

    follow(staff, staff.get_by_role("link", name="Performances", exact=True))
    expect(heading(staff)).to_have_text("Your performances")
    rows = staff.locator("tbody tr")
    provisional = rows.filter(has=staff.locator(".govuk-tag", has_text="Provisional"))
    expect(staff.locator(".govuk-warning-text")).to_contain_text(
        re.compile(rf"You have {provisional.count()} provisional performances? to confirm")
    )
    # The ones just published, to confirm by the date the company gave (the school may also have some left over
    # from the touring season, whose confirm-by date has passed).
    to_answer = provisional.filter(has_text=long_date(today + timedelta(days=10)))
    expect(to_answer).to_have_count(count)
    first, second = (to_answer.nth(index).get_by_role("link").get_attribute("href") for index in (0, 1))

    # Confirm the first.
    follow(staff, staff.locator(f"a[href='{first}']"))
    expect(heading(staff)).to_have_text(re.compile(r"^Performance on \d+ \w+ \d{4}$"))
    expect_status(staff, "Provisional")
    submit(staff, "Confirm this performance")
    expect_banner(staff, "Performance confirmed. Add it to your calendar and tell your DSL.")
    expect_status(staff, "Confirmed")
    expect(staff.get_by_role("heading", name="Before the day")).to_be_visible()
    confirmed = calendar_download(staff, "Add to your calendar (.ics)")
    assert [str(event.get("STATUS")) for event in confirmed.events] == ["CONFIRMED"]
    assert str(confirmed.events[0].get("SUMMARY")).startswith("Trust Me")

    # Decline the second, saying why.
    follow(staff, staff.get_by_role("link", name="All performances"))
    follow(staff, staff.locator(f"a[href='{second}']"))
    follow(staff, staff.get_by_role("button", name="Decline"))
    expect(heading(staff)).to_have_text(re.compile(r"^Are you sure you want to decline the performance on "))
    staff.get_by_label("Why are you declining? (optional)").fill("The hall is booked for exams that week.")
    submit(staff, "Decline performance")
    expect_banner(staff, "Performance declined. The theatre company has been told.")
    expect_status(staff, "Declined")
    expect(staff.get_by_text("The hall is booked for exams that week.").first).to_be_visible()
    expect(staff.get_by_role("button", name="Confirm this performance")).to_have_count(0)

    # The list shows both; the school's calendar feed is offered as an .ics address that calendar apps subscribe to.
    follow(staff, staff.get_by_role("link", name="All performances"))
    expect(rows.filter(has=staff.locator(f"a[href='{first}']")).locator(".govuk-tag")).to_have_text("Confirmed")
    expect(rows.filter(has=staff.locator(f"a[href='{second}']")).locator(".govuk-tag")).to_have_text("Declined")
    statuses = sorted(ICS_STATUS[tag] for tag in staff.locator("tbody .govuk-tag").all_inner_texts())
    feed_link = staff.get_by_role("link", name="Your school’s calendar feed (.ics)")
    feed_url = feed_link.get_attribute("href")
    assert feed_url.startswith(server_after_deadline.url) and feed_url.endswith(".ics"), feed_url
    feed = staff.request.get(feed_url)
    assert feed.headers["content-type"].startswith("text/calendar")
    # Provisional performances are tentative; a calendar app learns of the decline (cancelled).
    assert sorted(str(event.get("STATUS")) for event in Calendar.from_ical(feed.body()).events) == statuses

    # Pupils of the declined performance still wait. The place just declined is held for other schools, and the
    # allocation may have used every cast's day (journey 2 made the season oversubscribed): the company takes Cast B
    # on for the whole season, which opens places for the pupils still waiting.
    company = later_person()
    login(company, DEMO_LOGINS["company"], DEMO_PASSWORD)
    open_season(company, OPEN_SEASON)
    change_cast(company, "Cast B", most_a_day=2, every_day=True)

    # Free places that fit the request can be booked, first come first served (never the one just declined), from
    # a page that shows the place; it is confirmed at once.
    visit(staff, "/school/performances")
    section = f"Trust Me ({OPEN_SEASON})"
    expect(staff.get_by_role("heading", name=f"Performances you can book now for {section}")).to_be_visible()
    offer = staff.get_by_role("table", name=f"Free places for {section}").locator("tbody tr").first
    offered_day = offer.locator("td").first.inner_text()
    follow(staff, offer.get_by_role("link", name=re.compile(r"^See and book")))
    expect(heading(staff)).to_have_text("Book this performance")
    expect(summary_value(staff, "Date")).to_have_text(offered_day)
    submit(staff, "Book this performance")
    expect_banner(staff, "Performance booked and confirmed.")
    expect_status(staff, "Confirmed")
    expect(summary_value(staff, "When")).to_contain_text(offered_day)
    booked = staff.url.removeprefix(server_after_deadline.url)
    follow(staff, staff.get_by_role("link", name="All performances"))
    expect(rows.filter(has=staff.locator(f"a[href='{booked}']")).locator(".govuk-tag")).to_have_text("Confirmed")


def show_weeks_until(page: Page, first_week: date, wanted) -> None:
    """On a schedule page, show week after week from first_week until the wanted rows are there."""
    weeks = page.get_by_label("Week beginning").locator("option")
    for week in weeks.evaluate_all("options => options.map((option) => option.value)"):
        if week < first_week.isoformat():
            continue
        if page.get_by_label("Week beginning").input_value() != week:
            page.get_by_label("Week beginning").select_option(week)
            submit(page, "Show")
        if wanted.count():
            return
    pytest.fail(f"no week from {first_week} on has the performances wanted ({wanted})")


def test_the_company_records_a_delivery_and_cancels_a_casts_day(later_person, server_after_deadline) -> None:
    loaded_on = london_day(server_after_deadline.loaded_on)
    page = later_person()
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    open_season(page, TOURING_SEASON)
    follow(page, page.get_by_role("button", name="Schedule"))
    # From the week the demo data was loaded on, performances were confirmed or provisional then; now (30 days
    # on) they are in the past. Look week by week for one the school confirmed.
    rows = page.get_by_role("table", name=re.compile(r"^Week beginning ")).locator("tbody tr")
    confirmed = rows.filter(has=page.locator(".govuk-tag", has_text="Confirmed"))
    show_weeks_until(page, monday_of(loaded_on), confirmed)
    delivered_day = row_day(confirmed.first)
    follow(page, confirmed.first.locator("td").nth(3).get_by_role("link"))
    expect(heading(page)).to_have_text(re.compile(r"^Performance at "))
    expect_status(page, "Confirmed")

    # The year groups the school asked for are shown (the others wait behind "Other year groups"), and one audience
    # is bounded: more than that needs a reason.
    attended = page.get_by_role("group", name="Pupils who attended, by year group").get_by_role("textbox")
    attended.first.fill("1000")
    page.get_by_label("Pupils who asked for support afterwards").fill("3")
    submit(page, "Record as delivered")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("1000 pupils is more than one performance here may hold")
    expect(page.get_by_label("Reason for going over the limits")).to_be_visible()
    attended.first.fill("52")
    submit(page, "Record as delivered")
    expect_banner(page, "Delivery recorded.")
    expect_status(page, "Delivered")
    expect(summary_value(page, "Pupils attended")).to_have_text("52")
    expect(summary_value(page, "Asked for support")).to_have_text("3")
    history = page.get_by_role("table", name="Changes to this record")
    expect(history.get_by_role("row").filter(has_text="Recorded as delivered")).to_have_count(1)
    expect(page.get_by_role("button", name="Record as delivered")).to_have_count(0)

    # Another day, still to be played when the data was loaded: the cast is ill, so cancel the day.
    follow(page, page.get_by_role("link", name="Schedule"))
    open_rows = rows.filter(has=page.locator(".govuk-tag", has_text=re.compile(r"^(Confirmed|Provisional)$")))
    other_day = open_rows.filter(has_not_text=delivered_day).first
    show_weeks_until(page, monday_of(loaded_on), other_day)
    day_text = row_day(other_day)
    cast = other_day.locator("td").nth(2).inner_text()
    school = other_day.locator("td").nth(3).inner_text()
    follow(page, other_day.get_by_role("link", name=re.compile(rf"day sheet for {cast}")))
    expect(heading(page)).to_have_text(f"Day sheet for {day_text}")
    # A school may host the cast twice that day (morning and afternoon), so any one of its headings will do.
    expect(page.get_by_role("heading", level=2, name=re.compile(rf": {re.escape(school)}$")).first).to_be_visible()
    # Cancelling the day asks first, listing the schools and who at each is e-mailed; it needs a reason.
    follow(page, page.get_by_role("button", name="Cancel all performances on this day"))
    expect(heading(page)).to_have_text(re.compile(rf"^Are you sure you want to cancel {cast}’s \d+ performances? on "))
    expect(page.get_by_role("table", name="Performances to cancel, and who is told")).to_contain_text(school)
    submit(page, "Cancel all performances on this day")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for cancelling")
    page.get_by_label("Reason for cancelling (the school is told)").fill("Two of the cast are ill.")
    submit(page, "Cancel all performances on this day")
    expect_banner(page, re.compile(r"^Cancelled [1-9]\d* performances?\. The schools have been told\.$"))
    expect(page.get_by_text(f"{cast} has no performances on this day.")).to_be_visible()

    follow(page, page.get_by_role("link", name="Schedule"))
    cancelled = rows.filter(has_text=day_text).filter(has_text=cast)
    expect(cancelled.first).to_be_visible()
    for status in cancelled.locator(".govuk-tag").all_inner_texts():
        assert status in {"Cancelled", "Declined", "Delivered"}, f"{day_text}, {cast}: {status} after cancelling"
    follow(
        page, cancelled.filter(has=page.locator(".govuk-tag", has_text="Cancelled")).first.get_by_role("link").nth(1)
    )
    expect_status(page, "Cancelled")
    expect(page.get_by_text("Two of the cast are ill.").first).to_be_visible()
