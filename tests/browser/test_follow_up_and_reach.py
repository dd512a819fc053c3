"""Journeys 5 and 6: a school follows a performance up, the council tracks reach; and lesson packs are added.

They run on the session's live portal (demo data loaded today, real clock): the demo school (URN 990101) has
delivered performances in "Demo season now touring", lesson packs for years 8 to 10 with a PDF each, and some
follow-up lessons and questionnaire results already. Everything happens through the pages, as a person would do
it; axe-core checks every page on the way.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from portal import clock
from portal.domain.pdf import simple_pdf
from tests.browser.browsing import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    expect_banner,
    follow,
    heading,
    login,
    submit,
)

pytestmark = pytest.mark.browser

TOURING_SEASON = "Demo season now touring"
OPEN_SEASON = "Demo season"
PRODUCTION = "Trust Me"
DEMO_TARGET = 18_000
CSV_BOM = b"\xef\xbb\xbf"
TINY_PDF = simple_pdf("Sixth form lesson", ["Spot controlling behaviour."])
NOT_A_PDF = b"Lesson 1: talk about the drama.\nLesson 2: where to get help.\n"


def parse_long_date(text: str) -> date:
    """ "Monday 11 January 2027" as a date."""
    found = re.search(r"\w+day (\d+ \w+ \d{4})", text)
    assert found, f"no date in {text!r}"
    return datetime.strptime(found[1], "%d %B %Y").date()  # noqa: DTZ007 (a date, no time)


def number(text: str) -> int:
    """A figure as the page shows it ("12,345") as a number."""
    return int(text.strip().replace(",", ""))


def summary_value(page: Page, key: str) -> Locator:
    return page.locator(".govuk-summary-list__row").filter(has=page.get_by_text(key, exact=True)).locator("dd").first


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def expect_error_summary(page: Page, message: str | re.Pattern, field_id: str) -> None:
    """The GOV.UK error summary lists the message, linking to the field, and the field shows it too."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="There is a problem"))
    expect(summary).to_be_visible()
    link = summary.get_by_role("link", name=message)
    expect(link).to_have_attribute("href", f"#{field_id}")
    expect(page.locator(f"#{field_id}-error")).to_contain_text(message)
    # Choosing the message takes the person to the field (GOV.UK Frontend's error summary moves focus there).
    link.click()
    expect(page.locator(f"#{field_id}")).to_be_focused()


def download(page: Page, link: Locator) -> tuple[str, bytes]:
    """Download a file by its link as a person would; returns the name offered and the bytes."""
    with page.expect_download() as started:
        link.click()
    return started.value.suggested_filename, started.value.path().read_bytes()


def table_rows(table: Locator) -> list[list[str]]:
    """The body rows of a table, each as its header and cells' texts."""
    return table.locator("tbody tr").evaluate_all(
        "rows => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.innerText.trim()))"
    )


# Journey 5: the school follows up.


def open_delivered_performance(page: Page) -> None:
    """Open a delivered performance, one without questionnaire results if there is one."""
    follow(page, page.get_by_role("link", name="Performances", exact=True))
    expect(heading(page)).to_have_text("Your performances")
    delivered = page.locator("tbody tr").filter(has=page.locator(".govuk-tag", has_text="Delivered"))
    links = [row.get_by_role("link").get_attribute("href") for row in delivered.all()]
    assert links, "the demo school has no delivered performance"
    for index, href in enumerate(links):
        if index:
            follow(page, page.get_by_role("link", name="All performances"))
        follow(page, page.locator(f"main a[href='{href}']"))
        expect(heading(page)).to_have_text(re.compile(r"^Performance on \d+ \w+ \d{4}$"))
        if page.get_by_role("button", name="Enter questionnaire results").count():
            return


def test_a_school_downloads_a_pack_and_records_lessons_and_questionnaire_results(page: Page) -> None:
    today = clock.today()  # the live server's clock (PORTAL_FAKE_NOW when set, else the real one)
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)

    # Lesson packs for the production, one a year group, each with its file.
    follow(page, page.get_by_role("link", name="Lesson packs", exact=True))
    expect(heading(page)).to_have_text("Lesson packs")
    for year in (8, 9, 10):
        card = page.locator(".govuk-summary-card").filter(
            has=page.get_by_role(
                "heading", name=f"Trust Me: follow-up lessons for year {year} ({PRODUCTION}, year {year})"
            )
        )
        expect(card.get_by_role("link", name=f"Download trust-me-year-{year}.pdf")).to_be_visible()
    pack_link = page.get_by_role("link", name="Download trust-me-year-9.pdf")
    name, body = download(page, pack_link)
    assert name == "trust-me-year-9.pdf"
    assert body.startswith(b"%PDF-"), body[:20]
    response = page.request.get(pack_link.get_attribute("href"))
    assert response.status == 200, response.status
    assert response.headers["content-type"].startswith("application/pdf"), response.headers
    assert response.headers["content-disposition"].startswith("attachment"), response.headers
    assert response.body() == body

    # A delivered performance: who saw it, and the way to follow it up.
    open_delivered_performance(page)
    performed_on = parse_long_date(summary_value(page, "When").inner_text())
    expect(page.get_by_role("heading", name="After the performance")).to_be_visible()
    follow(page, page.get_by_role("button", name="Record a follow-up lesson"))
    expect(heading(page)).to_have_text("Record a follow-up lesson")
    years = page.get_by_role("group", name="Year group").get_by_role("radio")
    offered = {}
    for label in page.get_by_role("group", name="Year group").locator("label").all_inner_texts():
        found = re.fullmatch(r"Year (\d+) \((\d+) saw the performance\)", label.strip())
        assert found, f"a year group reads {label!r}"
        offered[int(found[1])] = int(found[2])
    assert offered, "no year group is offered"
    expect(years).to_have_count(len(offered))
    year, attended = next(iter(offered.items()))
    year_choice = page.get_by_role("radio", name=f"Year {year} ({attended} saw the performance)", exact=True)

    # More pupils than saw the performance, without saying why: the error summary links to the reason.
    lesson_day = min(performed_on + timedelta(days=1), today)
    fill_date(page, "Date of the lesson", lesson_day)
    year_choice.check()
    page.get_by_label("Pupils in the lesson").fill(str(attended + 5))
    page.get_by_role("group", name="Lesson pack used (optional)").get_by_role(
        "radio", name=f"Trust Me: follow-up lessons for year {year} (year {year})", exact=True
    ).check()
    submit(page, "Record lesson")
    expect_error_summary(
        page,
        f"{attended} pupils in Year {year} saw the performance: say why more took part in this lesson",
        "excess_reason",
    )
    # What was entered is still there; the reason is all that is missing.
    expect(page.get_by_label("Pupils in the lesson")).to_have_value(str(attended + 5))
    expect(year_choice).to_be_checked()
    page.get_by_label("If more pupils took part than saw the performance, say why").fill(
        "Five pupils who were absent on the day joined the lesson."
    )
    submit(page, "Record lesson")
    expect_banner(page, "Lesson recorded. Thank you.")
    lessons = page.get_by_role("table", name="Follow-up lessons recorded")
    expect(
        lessons.get_by_role("row")
        .filter(has_text=f"{lesson_day:%A} {lesson_day.day} {lesson_day:%B %Y}")
        .filter(has_text=f"Year {year}")
        .filter(has=page.get_by_role("cell", name=str(attended + 5), exact=True))
    ).to_have_count(1)

    # Questionnaire results: a count above the number who answered is refused, then the totals are saved.
    follow(page, page.get_by_role("button", name=re.compile(r"^(Enter|Change) questionnaire results$")))
    expect(heading(page)).to_have_text("Questionnaire results")
    answered = min(attended, 40)
    page.get_by_label("Pupils who answered the questionnaire").fill(str(answered))
    page.get_by_label("Before: pupils confident they can spot the signs of grooming").fill(str(answered // 3))
    page.get_by_label("After: pupils confident they can spot the signs of grooming").fill(str(answered + 1))
    page.get_by_label("Before: pupils who know where to get help").fill(str(answered // 2))
    page.get_by_label("After: pupils who know where to get help").fill(str(answered - 1))
    page.get_by_label("4: good").check()
    submit(page, "Save results")
    expect_error_summary(page, "This cannot be more than the number of pupils who answered", "confident_after")
    page.get_by_label("After: pupils confident they can spot the signs of grooming").fill(str(answered - 2))
    submit(page, "Save results")
    expect_banner(page, "Questionnaire results saved.")
    expect(page.get_by_role("button", name="Enter questionnaire results")).to_have_count(0)
    follow(page, page.get_by_role("button", name="Change questionnaire results"))
    expect(page.get_by_label("Pupils who answered the questionnaire")).to_have_value(str(answered))
    expect(page.get_by_label("After: pupils confident they can spot the signs of grooming")).to_have_value(
        str(answered - 2)
    )
    expect(page.get_by_label("4: good")).to_be_checked()


# Journey 6: the council tracks reach.


def headline(page: Page, words: str) -> str:
    """The text of the headline figure that says the words."""
    return page.locator("main p").filter(has_text=words).inner_text()


def headline_figures(page: Page) -> dict[str, int]:
    seen = re.fullmatch(
        r"([\d,]+)\s+pupils have seen the drama \((\d+)% of the ([\d,]+) target\)",
        headline(page, "pupils have seen the drama").strip(),
    )
    discussed = re.fullmatch(
        r"([\d,]+)\s+pupils have discussed it in class \(\d+% of the target\)",
        headline(page, "pupils have discussed it in class").strip(),
    )
    planned = re.fullmatch(
        r"([\d,]+)\s+pupils in confirmed performances still to come",
        headline(page, "pupils in confirmed performances still to come").strip(),
    )
    schools = re.search(r"(\d+) of (\d+) schools reached\.", headline(page, "schools reached"))
    assert seen and discussed and planned and schools, "the headline figures do not read as expected"
    return {
        "seen": number(seen[1]),
        "target": number(seen[3]),
        "discussed": number(discussed[1]),
        "planned": number(planned[1]),
        "schools_reached": int(schools[1]),
        "schools_total": int(schools[2]),
    }


def figures_table(page: Page, caption: str | re.Pattern) -> dict[str, list[int]]:
    """A breakdown table ("By month", …) as {row name: [seen, discussed, planned]}."""
    rows = table_rows(page.get_by_role("table", name=caption, exact=True))
    return {row[0]: [number(cell) for cell in row[1:]] for row in rows if len(row) > 1}


def show_figures(page: Page, season: str, start: date | None = None, end: date | None = None) -> None:
    page.get_by_label("Season", exact=True).select_option(label=season)
    page.get_by_label("From", exact=True).fill(start.isoformat() if start else "")
    page.get_by_label("To", exact=True).fill(end.isoformat() if end else "")
    submit(page, "Show figures")
    expect(heading(page)).to_have_text("Reach of the programme")
    expect(page.get_by_label("Season", exact=True).locator("option:checked")).to_have_text(season)


def change_target(page: Page, target: int) -> None:
    page.get_by_label("Target: pupils who see the drama").fill(str(target))
    submit(page, "Save target")
    expect_banner(page, f"The target is now {target:,} pupils.")


def test_the_council_tracks_reach_filters_exports_and_sets_the_target(page: Page, new_person) -> None:
    login(page, DEMO_LOGINS["council"], DEMO_PASSWORD)
    follow(page, page.get_by_role("link", name="Reach", exact=True))
    expect(heading(page)).to_have_text("Reach of the programme")

    # The headline: seen the drama and discussed in class against the target, what is planned, schools reached.
    everything = headline_figures(page)
    assert everything["target"] == DEMO_TARGET
    assert everything["seen"] > 0 and everything["discussed"] > 0, everything
    assert 0 < everything["schools_reached"] < everything["schools_total"], everything
    seen_text = headline(page, "pupils have seen the drama")
    assert f"{round(100 * everything['seen'] / DEMO_TARGET)}% of the 18,000 target" in seen_text, seen_text

    # Progress over time: a chart with a text alternative, and the same running totals in a table beside it.
    chart = page.get_by_role("img", name="Pupils reached over time", exact=True)
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(re.compile(r"against the target of 18000\b"))
    expect(chart.locator("title")).to_have_text("Pupils reached over time")
    running = page.get_by_role("table", name="Running totals by month")
    expect(running).to_be_visible()
    chart_box, table_box = chart.bounding_box(), running.bounding_box()
    assert table_box["x"] >= chart_box["x"] + chart_box["width"] - 1, (chart_box, table_box)
    last_month = table_rows(running)[-1]
    assert number(last_month[1]) == everything["seen"], last_month
    assert number(last_month[2]) == everything["discussed"], last_month
    by_month = figures_table(page, "By month")
    assert sum(seen for seen, _, _ in by_month.values()) == everything["seen"]

    # Narrowed to a season: the touring season holds every delivery; the open one has none yet.
    show_figures(page, TOURING_SEASON)
    assert "season=" in page.url
    touring = headline_figures(page)
    assert touring["seen"] == everything["seen"], (touring, everything)
    show_figures(page, OPEN_SEASON)
    assert headline_figures(page)["seen"] == 0
    # The figures by district are a link away, for the same period.
    follow(page, page.get_by_role("link", name=re.compile(r"^Reach by district \(0 districts\)$")))
    expect(heading(page)).to_have_text("Reach by district")
    expect(page.get_by_text("No figures for this period.")).to_be_visible()
    follow(page, page.get_by_role("link", name="Reach dashboard"))

    # Narrowed to one month with deliveries: the headline is that month's row of the table by month.
    month_name, (month_seen, _, _) = next((name, row) for name, row in by_month.items() if row[0])
    first = datetime.strptime(month_name, "%B %Y").date()  # noqa: DTZ007 (a date, no time)
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    show_figures(page, "All seasons", first, last)
    expect(page.get_by_label("From", exact=True)).to_have_value(first.isoformat())
    expect(page.get_by_label("To", exact=True)).to_have_value(last.isoformat())
    assert headline_figures(page)["seen"] == month_seen
    assert list(figures_table(page, "By month")) == [month_name]

    # The districts as CSV, for the period shown: the same figures as the table on the page.
    show_figures(page, TOURING_SEASON)
    follow(page, page.get_by_role("link", name=re.compile(r"^Reach by district \(\d+ districts?\)$")))
    assert "season=" in page.url
    districts = figures_table(page, re.compile(r"^Reach by district"))
    assert districts, "no district has figures for the touring season"
    name, body = download(page, page.get_by_role("link", name="Download figures for every district (CSV)"))
    assert name.startswith("reach-districts-") and name.endswith(".csv"), name
    assert body.startswith(CSV_BOM), body[:10]
    lines = body[len(CSV_BOM) :].decode("utf-8").splitlines()
    assert lines[0] == "district,seen_drama,discussed_in_class,planned", lines[0]
    exported = {row[0]: [int(cell) for cell in row[1:]] for row in csv.reader(io.StringIO("\n".join(lines[1:])))}
    assert exported == districts
    assert sum(row[0] for row in exported.values()) == touring["seen"]
    follow(page, page.get_by_role("link", name="Reach dashboard"))

    # A new target, shown in the headline at once; then the demo's target again for the other tests.
    change_target(page, 21_500)
    expect(page.locator("main p").filter(has_text="pupils have seen the drama")).to_contain_text("of the 21,500 target")
    assert headline_figures(page)["target"] == 21_500
    change_target(page, DEMO_TARGET)
    assert headline_figures(page)["target"] == DEMO_TARGET

    # An administrator sees the same dashboard but cannot change the target.
    admin = new_person()
    login(admin, DEMO_LOGINS["admin"], DEMO_PASSWORD)
    follow(admin, admin.get_by_role("link", name="Reach", exact=True))
    expect(heading(admin)).to_have_text("Reach of the programme")
    assert headline_figures(admin)["seen"] == everything["seen"]
    expect(admin.get_by_role("img", name="Pupils reached over time", exact=True)).to_be_visible()
    expect(admin.get_by_label("Target: pupils who see the drama")).to_have_count(0)
    expect(admin.get_by_role("button", name="Save target")).to_have_count(0)


# The company and the council add lesson packs.


@pytest.mark.parametrize("role", ["company", "council"])
def test_staff_add_a_lesson_pack_and_upload_a_pdf(page: Page, role: str) -> None:
    title = f"Trust Me: sixth-form discussion {uuid.uuid4().hex[:6]}"
    login(page, DEMO_LOGINS[role], DEMO_PASSWORD)
    follow(page, page.get_by_role("link", name="Lesson packs", exact=True))
    expect(heading(page)).to_have_text("Lesson packs")
    follow(page, page.get_by_role("button", name="Add a lesson pack"))
    expect(heading(page)).to_have_text("Add a lesson pack")
    page.get_by_label("Production").select_option(label=PRODUCTION)
    page.get_by_role("group", name="Year group").get_by_label("Year 12").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Summary").fill("One lesson for older pupils on healthy relationships.")
    page.get_by_label("PSHE learning objectives").fill("Spot controlling behaviour\nKnow where to get help")
    submit(page, "Save pack")
    expect_banner(page, "Pack saved. Now upload its files.")
    expect(heading(page)).to_have_text(title)
    expect(page.locator(".govuk-caption-l")).to_have_text(f"{PRODUCTION} · Year 12")
    expect(page.get_by_role("listitem").filter(has_text="Spot controlling behaviour")).to_be_visible()
    expect(page.get_by_text("No files yet.")).to_be_visible()

    # A text file renamed .pdf is refused, by its content.
    page.get_by_label("Upload a file").set_input_files(
        {"name": "lesson-plan.pdf", "mimeType": "application/pdf", "buffer": NOT_A_PDF}
    )
    submit(page, "Upload file")
    expect_error_summary(page, "The selected file must be a PDF, Word (.docx) or PowerPoint (.pptx) file", "file")
    expect(page.get_by_text("No files yet.")).to_be_visible()

    # A real PDF is kept, listed, and comes back as it went in.
    page.get_by_label("Upload a file").set_input_files(
        {"name": "sixth-form-lesson.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}
    )
    submit(page, "Upload file")
    expect_banner(page, "File uploaded.")
    file_link = page.get_by_role("link", name="sixth-form-lesson.pdf", exact=True)
    expect(file_link).to_be_visible()
    name, body = download(page, file_link)
    assert name == "sixth-form-lesson.pdf"
    assert body == TINY_PDF
    response = page.request.get(file_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf"), response.headers

    # The list of packs counts the file.
    follow(page, page.get_by_role("link", name="All lesson packs"))
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(row.locator("td")).to_have_text([title, PRODUCTION, "Year 12", "1"])
