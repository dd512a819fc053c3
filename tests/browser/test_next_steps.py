"""Every home page says what to do next; the cast takes its week and its day sheet on the road; the council sees its
progress month by month and where pupils leak out of the pipeline.

They run on the session's live portal (demo data loaded today, real clock): the touring season's unconfirmed
performances must be confirmed within two days (so they show as about to lapse), its last performance before today
waits for its delivery record, and the demo school has a provisional performance to confirm. The school's and the
cast's pages are walked at 1280 and at 375 pixels wide. axe-core checks every page on the way.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from portal import clock
from portal.clock import LONDON
from tests.browser.browsing import DEMO_LOGINS, DEMO_PASSWORD, assert_accessible, follow, heading, login, visit

pytestmark = pytest.mark.browser

TOURING_SEASON = "Demo season now touring"
WIDTHS = [1280, 375]
CSV_BOM = b"\xef\xbb\xbf"
PRINT_CALLS = "() => { window.printed = 0; window.print = () => { window.printed += 1; }; }"
# How the print button shows before the page's script has run: hidden, as the page serves it.
BUTTON_AS_SERVED = """() => {
  const button = document.querySelector('[data-print]').cloneNode(true);
  button.hidden = true;
  document.querySelector('main').append(button);
  const shown = getComputedStyle(button).display;
  button.remove();
  return shown;
}"""


def today() -> date:
    return clock.now().astimezone(LONDON).date()


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def number(text: str) -> int:
    return int(text.replace(",", "").replace("+", "").strip())


def deadline_banner(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile(r"^Deadlines?$"))


def to_do(page: Page) -> Locator:
    return page.locator(".govuk-task-list")


def task(page: Page, title: str | re.Pattern) -> Locator:
    return to_do(page).locator(".govuk-task-list__item").filter(has=page.get_by_role("link", name=title))


def summary_value(page: Page, key: str, within: Locator | None = None) -> Locator:
    rows = (within or page).locator(".govuk-summary-list__row").filter(has=page.get_by_text(key, exact=True))
    return rows.locator("dd").first


def lapsing_table(page: Page) -> Locator:
    return page.get_by_role("table", name=re.compile(r"^Provisional performances whose confirm-by date is near"))


def table_rows(table: Locator) -> list[list[str]]:
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.innerText.trim()))"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_school_staff_start_from_what_to_do_next(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    expect(heading(page)).to_have_text("Your school")

    # The deadline first, as a banner; then the to-do list, before anything else on the page.
    found = re.fullmatch(
        r"Confirm (\d+) performances? by (\d+ \w+ \d{4})", deadline_banner(page).locator("p").first.inner_text()
    )
    assert found, deadline_banner(page).inner_text()
    due, by = int(found[1]), found[2]
    confirm = task(page, re.compile(r"^Confirm \d+ performances?$"))
    expect(confirm).to_contain_text(f"by {by}, or the place is offered to others")
    expect(confirm.locator(".govuk-tag")).to_have_text(re.compile(r"^\s*Due (today|tomorrow|\d+ \w+)\s*$"))
    seasons = page.get_by_role("heading", name="Seasons open for requests")
    assert to_do(page).bounding_box()["y"] < seasons.bounding_box()["y"]

    # The request says where it has got to: performances allocated, waiting to be confirmed.
    requests = page.get_by_role("table", name="Requests")
    touring = requests.locator("tbody tr").filter(has_text=TOURING_SEASON)
    expect(touring.locator(".govuk-tag")).to_have_text("Allocated")

    # The task leads to the performances to confirm, each to be confirmed by the date the banner gives.
    follow(page, confirm.get_by_role("link"))
    expect(heading(page)).to_have_text("Your performances")
    rows = page.get_by_role("table", name="Performances at your school").locator("tbody tr")
    waiting = rows.filter(has=page.locator(".govuk-tag", has_text="Provisional")).filter(has_text=by)
    expect(waiting).to_have_count(due)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_cast_finds_what_to_record_and_takes_its_week_and_day_sheet_on_the_road(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(page, DEMO_LOGINS["company"], DEMO_PASSWORD)
    expect(heading(page)).to_have_text("Tour")

    # Unconfirmed performances about to lapse: a banner, a task and the list.
    expect(deadline_banner(page)).to_contain_text(
        re.compile(r"\d+ performances? \([\d,]+ pupils?\) will be released unless confirmed by \d+ \w+ \d{4}")
    )
    lapsing = task(page, re.compile(r"^\d+ performances? about to lapse unconfirmed$"))
    count = int(re.match(r"\d+", lapsing.get_by_role("link").inner_text())[0])
    expect(lapsing_table(page).locator("tbody tr")).to_have_count(count)
    # A performance played before today without its record: the task goes straight to it.
    record = task(page, re.compile(r"^Record \d+ performances? as delivered or cancelled$"))
    expect(record).to_contain_text(re.compile(r"The earliest was on \w+day \d+ \w+ \d{4}"))
    follow(page, record.get_by_role("link"))
    expect(heading(page)).to_have_text(re.compile(r"^Performance at "))
    expect(page.get_by_role("button", name="Record as delivered")).to_be_visible()

    # The schedule opens on this week, with the weeks either side one link away.
    visit(page, "/company/")
    follow(page, page.get_by_role("link", name=TOURING_SEASON))
    follow(page, page.get_by_role("button", name="Schedule"))
    monday = today() - timedelta(days=today().weekday())
    this_week = page.get_by_text(f"week beginning {long_date(monday)}", exact=False).first
    expect(this_week).to_be_visible()
    weeks = page.get_by_role("navigation", name="Weeks of the season")
    expect(weeks.get_by_role("link", name=re.compile(r"^Previous week"))).to_contain_text(
        f"Week beginning {long_date(monday - timedelta(weeks=1))}"
    )
    expect(weeks.get_by_role("link", name=re.compile(r"^Next week"))).to_contain_text(
        f"Week beginning {long_date(monday + timedelta(weeks=1))}"
    )
    shown = monday
    table = page.get_by_role("table", name=re.compile(r"^Week beginning "))
    while not table.count():  # back to a week with performances
        follow(page, weeks.get_by_role("link", name=re.compile(r"^Previous week")))
        shown -= timedelta(weeks=1)
    expect(table).to_have_accessible_name(f"Week beginning {long_date(shown)}")
    follow(page, weeks.get_by_role("link", name=re.compile(r"^Next week")))
    expect(page.get_by_text(f"eek beginning {long_date(shown + timedelta(weeks=1))}").first).to_be_visible()
    follow(page, weeks.get_by_role("link", name=re.compile(r"^Previous week")))
    expect(table).to_have_accessible_name(f"Week beginning {long_date(shown)}")

    # The day sheet: where, whom to call, who is coming, the hall and how to get in; and a print button.
    follow(page, table.get_by_role("link", name=re.compile(r"day sheet for")).first)
    expect(heading(page)).to_have_text(re.compile(r"^Day sheet for \w+day \d+ \w+ \d{4}$"))
    stop = page.locator(".govuk-summary-list").first
    expect(summary_value(page, "Address", stop)).to_contain_text(re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"))
    office = summary_value(page, "School office", stop)
    expect(office).to_contain_text(
        re.compile(r"^\s*(01632 960 \d{3}|No office number given: call a school contact or the DSL\.)\s*$")
    )
    if office.locator("a").count():
        expect(office.locator("a")).to_have_attribute("href", re.compile(r"^tel:01632960\d{3}$"))
    # Every contact can be reached from the road: a phone number, or their e-mail when they gave none.
    contacts = summary_value(page, "School contacts", stop)
    expect(contacts).to_contain_text(
        re.compile(r"(: 0[\d ]+|no phone given, e-mail \S+@|No staff account at this school)")
    )
    for line in contacts.locator("p").all():
        if "No staff account" not in line.inner_text():
            expect(line.locator("a")).to_have_attribute("href", re.compile(r"^(tel:0\d+|mailto:\S+@\S+)$"))
    dsl = summary_value(page, "DSL attending", stop)
    expect(dsl.locator("a[href^='tel:']")).to_have_text(re.compile(r"^0[\d ]+$"))
    expect(dsl.locator("a[href^='mailto:']")).to_have_text(re.compile(r"^\S+@([\w-]+\.)*example\.org$"))
    expect(summary_value(page, "Year groups asked for", stop)).to_have_text(
        re.compile(r"^\s*(Year \d+: \d+ pupils\s*)+$")
    )
    expect(summary_value(page, "Pupils expected", stop)).to_have_text(re.compile(r"^\s*\d+ at this performance\s*$"))
    expect(summary_value(page, "Hall", stop)).to_contain_text("staff in the hall")
    expect(summary_value(page, "Access notes", stop)).to_be_visible()
    print_button = page.get_by_role("button", name="Print this day sheet")
    expect(print_button).to_be_visible()
    page.evaluate(PRINT_CALLS)
    print_button.click()
    assert page.evaluate("() => window.printed") == 1
    # Without scripts the button could do nothing: the page comes with it hidden, and says how to print instead.
    served = page.request.get(page.url).text()
    assert "data-print hidden>Print this day sheet</button>" in served
    assert page.evaluate(BUTTON_AS_SERVED) == "none"
    assert re.search(r"<noscript><p[^>]*>To print this day sheet, use your browser’s Print command", served)


def test_the_council_sees_what_to_do_the_months_of_its_progress_and_the_pipeline(page: Page) -> None:
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    expect(heading(page)).to_have_text("Programme")

    # Performances about to lapse: a banner, a task, and the list the task leads to.
    expect(deadline_banner(page)).to_contain_text(re.compile(r"will be released unless confirmed by \d+ \w+ \d{4}"))
    lapsing = task(page, re.compile(r"^\d+ performances? about to lapse unconfirmed$"))
    count = int(re.match(r"\d+", lapsing.get_by_role("link").inner_text())[0])
    lapsing.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/council/#about-to-lapse$"))
    expect(lapsing_table(page).locator("tbody tr")).to_have_count(count)

    # Schools not reached yet: the task leads to their list, one link from the reach dashboard, which counts them too.
    not_reached = task(page, re.compile(r"^\d+ schools? not reached yet$"))
    schools = int(re.match(r"\d+", not_reached.get_by_role("link").inner_text())[0])
    follow(page, not_reached.get_by_role("link"))
    expect(page).to_have_url(re.compile(r"/reach/not-reached$"))
    expect(heading(page)).to_have_text("Schools not reached yet")
    expect(page.get_by_role("status")).to_have_text(f"{schools} schools not reached in this period.")
    follow(page, page.get_by_role("link", name="Reach dashboard"))
    expect(page.get_by_role("link", name=f"Schools not reached yet ({schools})")).to_be_visible()

    # The chart: a mark for every month from the first delivery to this month, and six more for the projection,
    # which starts from today where the running total stops.
    running = table_rows(page.get_by_role("table", name="Running totals by month"))
    months = [datetime.strptime(row[0], "%B %Y").date() for row in running]  # noqa: DTZ007 (a month, no time)
    for earlier, later in zip(months, months[1:], strict=False):
        assert (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month) == 1, months
    assert months[-1] == today().replace(day=1), months
    chart = page.get_by_role("img", name="Pupils reached over time", exact=True)
    marks = chart.locator(".app-chart__months line")
    expect(marks).to_have_count(len(months) + 6 + 1)
    expect(chart.get_by_text("Today", exact=True)).to_have_count(1)
    today_x = float(chart.locator("line[stroke-dasharray='2 4']").get_attribute("x1"))
    projection_start = chart.locator("polyline[stroke-dasharray='3 3']").get_attribute("points").split()[0]
    seen_end = chart.locator("polyline[stroke='#1d70b8']").get_attribute("points").split()[-1]
    assert projection_start == seen_end and abs(float(seen_end.split(",")[0]) - today_x) < 0.2

    # Planned is explained, and what the provisional performances would add stands beside it.
    expect(
        page.get_by_text("pupils expected at performances the schools have confirmed, from today on")
    ).to_be_visible()
    more = page.locator("main p").filter(has_text="more pupils if schools confirm their provisional performances")
    provisional_to_come = number(more.locator("span").inner_text())
    assert provisional_to_come > 0

    # The pipeline by district: each step's pupils; delivered and discussed agree with the headline figures.
    seen = number(page.locator("main p").filter(has_text="pupils have seen the drama").locator("span").inner_text())
    discussed = number(
        page.locator("main p").filter(has_text="pupils have discussed it in class").locator("span").inner_text()
    )
    follow(page, page.get_by_role("link", name=re.compile(r"^Pipeline by district \(\d+ districts?\)$")))
    pipeline = table_rows(page.get_by_role("table", name=re.compile("^Pipeline by district")))
    districts = {row[0]: [number(cell) for cell in row[1:]] for row in pipeline}
    follow(page, page.get_by_role("link", name="Reach dashboard"))
    totals = [sum(column) for column in zip(*districts.values(), strict=True)]
    requested, provisional, _confirmed, delivered, discussed_in_pipeline = totals
    assert (delivered, discussed_in_pipeline) == (seen, discussed), (totals, seen, discussed)
    assert requested > 0 and provisional >= provisional_to_come, totals
    steps = ("Requested", "Provisional", "Confirmed", "Delivered", "Discussed")
    assert totals == [number(summary_value(page, step).inner_text().removesuffix(" pupils")) for step in steps]
    # The pipeline by school, on its own pages (the demo's schools fit on one), adds up to the same requests.
    follow(page, page.get_by_role("link", name=re.compile(r"^Pipeline by school \(\d+ schools\)$")))
    schools_table = page.get_by_role("table", name=re.compile("^Pipeline by school"))
    expect(schools_table.locator("tbody tr").first).to_be_visible()
    by_school = table_rows(schools_table)
    assert sum(number(row[2]) for row in by_school) == requested
    follow(page, page.get_by_role("link", name="Reach dashboard"))

    # The same figures as CSV.
    with page.expect_download() as started:
        page.get_by_role("link", name="Download the pipeline by district (CSV)").click()
    body = started.value.path().read_bytes()
    assert started.value.suggested_filename.startswith("reach-pipeline-districts-")
    lines = body[len(CSV_BOM) :].decode("utf-8").splitlines()
    assert lines[0] == "district,requested,provisional,confirmed,delivered,discussed"
    exported = {row[0]: [int(cell) for cell in row[1:]] for row in csv.reader(io.StringIO("\n".join(lines[1:])))}
    assert exported == districts


def test_an_administrator_is_told_the_signposted_number_is_made_up(page: Page) -> None:
    login(page, DEMO_LOGINS["admin"], DEMO_PASSWORD)
    expect(heading(page)).to_have_text("Users")
    signpost = task(page, "Give the real phone number of the CSE team every page signposts")
    expect(signpost).to_contain_text("01632 960 000 is a made-up number, kept for examples")
    assert to_do(page).bounding_box()["y"] < page.get_by_role("table").first.bounding_box()["y"]
    follow(page, signpost.get_by_role("link"))
    expect(heading(page)).to_have_text("Settings")


def test_school_staff_give_the_office_phone_the_cast_calls_on_the_day(page: Page) -> None:
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    visit(page, "/school/profile")
    assert_accessible(page)
    phone = page.get_by_label("School office phone number")
    expect(phone).to_have_attribute("type", "tel")
    expect(phone).to_have_attribute("autocomplete", "tel")
    phone.fill("ring the office")
    page.get_by_role("button", name="Save").click()
    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="There is a problem"))
    expect(summary).to_contain_text("Enter a phone number, like 01632 960 001")
    summary.get_by_role("link", name="Enter a phone number, like 01632 960 001").click()
    expect(phone).to_be_focused()
    assert_accessible(page)
    if not page.get_by_label("School address").input_value():
        page.get_by_label("School address").fill("1 Chalk Lane")
    phone.fill("01632 960 999")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your school’s details have been saved.")).to_be_visible()
    expect(page.get_by_label("School office phone number")).to_have_value("01632 960 999")
    assert_accessible(page)
