"""No performance lapses unseen, and freed places reach the schools that want them (issue 15, items 1 and 5).

The first journey runs on the portal whose clock stands 30 days on (`server_after_deadline`): the demo's open season is
published there, its requests all made by the council for schools where nobody has an account. The council and the
company are warned before the confirm-by date, and the council confirms and declines for a school; performances of
the touring season nobody confirmed in time are released, and say so. The hourly jobs are run as their operator would
run them (`flask performances ...`), with their clock set to the day they would run on.

The second runs on the session's live portal (real clock): the demo school declines a performance, and the place is
offered first to the school it fits best, whose new member of staff books it from the page that shows it.

E-mails are read as a person reads them, from the .eml files the portal writes (`flask outbox send` delivers them).
"""

from __future__ import annotations

import email
import re
import subprocess
import uuid
from collections import Counter
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from portal import clock
from portal.config import ROOT
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
)
from tests.browser.test_tour_journeys import (
    PASSWORD,
    PROPOSED,
    approve,
    ask_for_account,
    ensure_published,
    expect_status,
    london_day,
    monday_of,
    show_weeks_until,
    summary_value,
)

pytestmark = pytest.mark.browser

PLEASE_CONFIRM = "Your provisional performances: please confirm them"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def flask(env: dict[str, str], clock: datetime, *command: str) -> str:
    """Run a flask command on a live portal's database as its operator would, with the portal's clock at `clock`;
    returns what it printed."""
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *command],
        cwd=ROOT,
        env={**env, "PORTAL_FAKE_NOW": clock.isoformat()},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, f"flask {' '.join(command)}: {result.stdout}\n{result.stderr}"
    return result.stdout


def deliver(env: dict[str, str], clock: datetime) -> None:
    """Send what waits in the outbox (the job consumer does this every minute in production)."""
    flask(env, clock, "outbox", "send")


def mailbox(mail_dir: Path) -> list[EmailMessage]:
    """Every e-mail the portal has sent, oldest first."""
    paths = sorted(mail_dir.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns) if mail_dir.exists() else []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in paths]


def subject(message: EmailMessage) -> str:
    """The subject as the mail program shows it (a long one is folded onto a second line in the file)."""
    return " ".join(str(message["Subject"]).split())


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def inbox(mail_dir: Path, address: str) -> list[EmailMessage]:
    return [message for message in mailbox(mail_dir) if message["To"] == address]


def links_under(text: str, line_start: str, area: str) -> list[str]:
    """The paths of the performance links under each line of an e-mail that starts with line_start."""
    pattern = rf"^{re.escape(line_start)}[^\n]*\n(?:[^\n]*\n)*?\s*https?://[^/\s]+(/{area}/performances/\d+)"
    found = re.findall(pattern, text, re.M)
    assert found, f"no link under {line_start!r} in:\n{text}"
    return found


def fits(page: Page) -> None:
    """Nothing on the page is wider than the screen (a wide table may scroll inside its own box)."""
    width = page.viewport_size["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"


def test_the_council_is_warned_and_answers_for_a_school_without_an_account_and_lapses_say_so(
    later_person, server_after_deadline
) -> None:
    server = server_after_deadline
    today = london_day(server.now)
    entries = ensure_published(later_person(), today)
    per_school = Counter(PROPOSED.match(entry)["school"] for entry in entries if PROPOSED.match(entry))
    # Not the school the school journey gives an account to (the one with most performances).
    school = next(name for name, count in per_school.most_common()[1:] if count >= 2)

    # Nobody at the school has an account: the DSL named on the council's request is asked to confirm.
    deliver(server.env, server.now)
    asked = [m for m in mailbox(server.mail_dir) if subject(m) == PLEASE_CONFIRM and f"{school} has" in body(m)]
    assert asked, f"nobody at {school} was asked to confirm its performances"
    dsl = asked[-1]["To"]
    assert subject(inbox(server.mail_dir, dsl)[0]) == PLEASE_CONFIRM  # their first message from the portal
    text = body(asked[-1])
    assert "Nobody at the school has an account" in text and DEMO_LOGINS["council"] in text
    assert f"{server.url}/register" in text

    # Three days before the confirm-by date, the hourly job warns the council and the company, once.
    three_days_before = server.now + timedelta(days=7)
    assert re.search(r"Warned of [1-9]\d* ", flask(server.env, three_days_before, "performances", "warn-unconfirmed"))
    assert "Warned of 0 " in flask(server.env, three_days_before, "performances", "warn-unconfirmed")
    deliver(server.env, server.now)
    lapse = re.compile(r"^\d+ performances? about to lapse unconfirmed$")
    warnings = [m for m in inbox(server.mail_dir, DEMO_LOGINS["council"]) if lapse.match(subject(m))]
    (warning,) = [m for m in warnings if f"- {school}, " in body(m)]
    assert dsl in body(warning)  # the council can call the DSL
    first, second = links_under(body(warning), f"- {school}, ", "council")[:2]
    to_company = [m for m in inbox(server.mail_dir, DEMO_LOGINS["company"]) if lapse.match(subject(m))]
    assert [m for m in to_company if f"- {school}, " in body(m)]

    # The company sees them on its home page.
    company = later_person()
    login(company, DEMO_LOGINS["company"], DEMO_PASSWORD)
    lapsing = company.get_by_role("table", name=re.compile("confirm-by date is near"))
    expect(lapsing.locator("tbody tr").filter(has_text=school).first).to_be_visible()

    # The council confirms one performance for the school, from the warning's link.
    council = later_person()
    login(council, DEMO_LOGINS["council"], DEMO_PASSWORD)
    visit(council, first)
    expect(heading(council)).to_have_text(f"Performance at {school}")
    expect_status(council, "Provisional")
    submit(council, "Confirm for the school")
    expect_banner(council, f"Performance confirmed for {school}. The school has been told.")
    expect_status(council, "Confirmed")
    history = council.get_by_role("table", name="Changes to this record")
    expect(history.get_by_role("row").filter(has_text="Confirmed by the council for the school")).to_have_count(1)
    expect(council.get_by_role("button", name="Confirm for the school")).to_have_count(0)

    # And declines another, after a page that asks first.
    visit(council, second)
    expect_status(council, "Provisional")
    follow(council, council.get_by_role("button", name="Decline for the school"))
    expect(heading(council)).to_have_text(re.compile(r"^Are you sure you want to decline the performance on .+ for"))
    reason = "Why is the school declining? (optional, the theatre company sees this)"
    council.get_by_label(reason).fill("The hall is closed for building work.")
    submit(council, "Decline for the school")
    expect_banner(council, re.compile(rf"^Performance declined for {re.escape(school)}\. The school and the theatre"))
    expect_status(council, "Declined")
    expect(council.get_by_text("The hall is closed for building work.").first).to_be_visible()
    history = council.get_by_role("table", name="Changes to this record")
    expect(history.get_by_role("row").filter(has_text="Declined by the council for the school")).to_have_count(1)

    # The DSL hears of both.
    deliver(server.env, server.now)
    subjects = [subject(message) for message in inbox(server.mail_dir, dsl)]
    assert any(subject.startswith("Performance confirmed: ") for subject in subjects), subjects
    assert any(subject.startswith(f"Performance declined for {school}: ") for subject in subjects), subjects

    # The touring season's performances nobody confirmed in time are released by the hourly job.
    flask(server.env, server.now, "performances", "release-unconfirmed")
    assert "Released 0 " in flask(server.env, server.now, "performances", "release-unconfirmed")
    deliver(server.env, server.now)
    released = [m for m in mailbox(server.mail_dir) if subject(m).startswith("Performance released")]
    to_dsls = {m["To"] for m in released if m["To"].startswith("dsl.")}
    assert to_dsls, "no DSL of a school without an account was told of a release"
    for address in to_dsls:  # never the first they hear of it: they were asked to confirm first
        assert subject(inbox(server.mail_dir, address)[0]) == PLEASE_CONFIRM, address

    # On the schedule, a released performance says so: not "Declined", which is a school's own answer.
    visit(council, "/council/seasons")
    follow(council, council.get_by_role("link", name="See the schedule for Demo season now touring"))
    rows = council.get_by_role("table", name=re.compile(r"^Week beginning ")).locator("tbody tr")
    lapsed = rows.filter(has=council.locator(".govuk-tag", has_text="Released (not confirmed in time)"))
    show_weeks_until(council, monday_of(london_day(server.loaded_on)), lapsed)
    follow(council, lapsed.first.get_by_role("link").first)
    expect_status(council, "Released (not confirmed in time)")
    expect(council.locator("main")).to_contain_text(re.compile(r"It had to be confirmed by \w+day \d+ \w+ \d{4}\."))
    history = council.get_by_role("table", name="Changes to this record")
    expect(history.get_by_role("row").filter(has_text="Released: not confirmed in time")).to_have_count(1)
    expect(council.get_by_role("button", name="Confirm for the school")).to_have_count(0)

    # A member of the school's staff joins, and on a phone sees what the council answered for the school.
    staff = later_person()
    staff.set_viewport_size(PHONE)
    full_name = f"Morgan Ellis {uuid.uuid4().hex[:6]}"
    address = f"morgan.{uuid.uuid4().hex[:8]}@school.example.org"
    ask_for_account(staff, school, full_name, address)
    confirm_email_address(staff, server.mail_dir, address)
    approve(later_person(), full_name)
    login(staff, address, PASSWORD)
    visit(staff, "/school/performances")
    fits(staff)
    for href, status in ((first, "Confirmed"), (second, "Declined")):
        row = staff.locator("tbody tr").filter(has=staff.locator(f"a[href='{href.replace('/council/', '/school/')}']"))
        expect(row.locator(".govuk-tag")).to_have_text(status)
    follow(staff, staff.locator(f"a[href='{first.replace('/council/', '/school/')}']"))
    fits(staff)
    history = staff.get_by_role("table", name="Changes to this record")
    expect(history.get_by_role("row").filter(has_text="Confirmed by the council for the school")).to_have_count(1)


def test_a_place_a_school_declines_is_offered_first_to_the_school_it_fits_best(
    page: Page, new_person, live_portal
) -> None:
    page.set_viewport_size(PHONE)
    login(page, DEMO_LOGINS["school"], DEMO_PASSWORD)
    visit(page, "/school/performances")
    provisional = page.locator("tbody tr").filter(has=page.locator(".govuk-tag", has_text="Provisional"))
    follow(page, provisional.first.get_by_role("link").first)
    fits(page)
    when = summary_value(page, "When").inner_text()
    day = re.match(r"^\w+day \d+ \w+ \d{4}", when)[0]
    start = re.search(r"\d{1,2}:\d\d[ap]m", when)[0]
    moment = f"{day} at {start}"  # as e-mails write it
    follow(page, page.get_by_role("button", name="Decline"))
    page.get_by_label("Why are you declining? (optional)").fill("The hall is needed for mock exams.")
    submit(page, "Decline performance")
    expect_banner(page, "Performance declined. The theatre company has been told.")

    # It is never offered back to the school that declined it.
    visit(page, "/school/performances")
    fits(page)
    section = "Trust Me (Demo season now touring)"
    expect(page.get_by_role("heading", name=f"Performances you can book now for {section}")).to_be_visible()
    free = page.get_by_role("table", name=f"Free places for {section}")
    expect(free.locator("tbody tr").filter(has_text=day)).to_have_count(0)

    # The council is told whom it is offered to first; that school's DSL (nobody there has an account) is told too.
    deliver(live_portal.env, clock.now())
    (told,) = [
        m for m in inbox(live_portal.mail_dir, DEMO_LOGINS["council"]) if subject(m).startswith(f"Place freed: {day}")
    ]
    assert "Greenfinch Hill Community School declined it." in body(told)
    chosen = re.search(r"^- (.+) \(priority \d\): ", body(told), re.M)[1]
    offered = f"A performance has come free for {chosen}: {moment}"
    (offer,) = [m for m in mailbox(live_portal.mail_dir) if subject(m) == offered]
    assert "until" in body(offer) and f"{live_portal.url}/register" in body(offer)

    # A member of staff there asks for an account, is approved, and books the place from the page that shows it.
    staff = new_person()
    staff.set_viewport_size(PHONE)
    full_name = f"Robin Okoye {uuid.uuid4().hex[:6]}"
    address = f"robin.{uuid.uuid4().hex[:8]}@school.example.org"
    ask_for_account(staff, chosen, full_name, address)
    confirm_email_address(staff, live_portal.mail_dir, address)
    council = new_person()
    council.set_viewport_size(DESKTOP)
    approve(council, full_name)
    login(staff, address, PASSWORD)
    visit(staff, "/school/performances")
    fits(staff)
    places = staff.get_by_role("table", name="Free places for Trust Me (Demo season now touring)").locator("tbody tr")
    times = [re.sub(r"\s+", " ", row) for row in places.evaluate_all("rows => rows.map((row) => row.innerText)")]
    listed = [re.match(r"^.*?\d{4}.*?\d{1,2}:\d\d[ap]m", row, re.S)[0] for row in times]
    assert len(listed) == len(set(listed)), f"a place is listed more than once: {times}"
    held = places.filter(has_text=day).filter(has=staff.locator(".govuk-tag", has_text="Offered to you first"))
    expect(held).to_have_count(1)
    follow(staff, held.get_by_role("link", name=re.compile(r"^See and book")))
    fits(staff)
    expect(heading(staff)).to_have_text("Book this performance")
    expect(summary_value(staff, "Date")).to_have_text(day)
    expect(staff.locator(".govuk-inset-text")).to_contain_text("offered first to your school")
    submit(staff, "Book this performance")
    expect_banner(staff, "Performance booked and confirmed.")
    expect_status(staff, "Confirmed")
    expect(summary_value(staff, "When")).to_contain_text(day)
