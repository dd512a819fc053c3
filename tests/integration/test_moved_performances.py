"""A moved performance: its e-mail, the calendar file attached to it and its history all give the new date, time and
cast (issue 15, item 2: the e-mail and .ics once gave the old time whenever the slot changed, and the history said
"cast id: 6 → 5")."""

from __future__ import annotations

import base64
from datetime import time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from portal.clock import LONDON, today
from portal.extensions import db
from portal.models import OutboxMessage, Performance, PerformanceStatus, Role, User
from portal.services import performances
from tests.factories import make_performance, make_request, make_school, make_season, make_user
from tests.integration.pages import post_form
from tests.integration.statements import counted_statements


@pytest.fixture
def booked(session):
    """A confirmed 9:15am performance by Cast A at Hazel Academy, whose staff get e-mails; the season also has a
    1:30pm slot and Cast B."""
    school = make_school(name="Hazel Academy")
    staff = make_user(Role.SCHOOL, school=school)
    season = make_season(slot_times=(("AM", time(9, 15)), ("PM", time(13, 30))))
    request_ = make_request(school, season, days=5)
    performance = make_performance(request_, status=PerformanceStatus.CONFIRMED)
    return staff, season, performance


def moved_message(address: str) -> OutboxMessage:
    query = select(OutboxMessage).where(
        OutboxMessage.to_address == address, OutboxMessage.subject.startswith("Performance moved")
    )
    (message,) = db.session.scalars(query)
    return message


def long_date(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def test_the_moved_email_and_its_calendar_file_give_the_new_time_and_cast(booked, login_as):
    staff, season, performance = booked
    am, pm = season.slots
    cast_b = season.casts[1]
    new_day = performance.request.dates[2].day
    company = login_as(Role.COMPANY)
    response = post_form(
        company,
        f"/company/performances/{performance.id}/move",
        {
            "cast": str(cast_b.id),
            "day": [str(new_day.day), str(new_day.month), str(new_day.year)],
            "slot": str(pm.id),
            "reason": "The hall is needed in the morning",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]

    message = moved_message(staff.email)
    new_when = f"{long_date(new_day)} at 1:30pm"
    old_when = f"{long_date(performance.request.dates[0].day)} at 9:15am"
    assert message.subject == f"Performance moved to {new_when}"
    assert f"When: {new_when}" in message.body_text
    assert "Cast: Cast B" in message.body_text
    assert f"from {old_when} (Cast A)" in message.body_text
    assert "9:15am" not in message.body_text.split("It is now:")[1]
    assert new_when in message.body_html and "Cast B" in message.body_html

    (attachment,) = message.attachments
    (event,) = Calendar.from_ical(base64.b64decode(attachment["data_base64"])).events
    start = event.decoded("DTSTART")
    assert (start.date(), start.astimezone(LONDON).time()) == (new_day, time(13, 30))
    assert "Cast: Cast B." in str(event["DESCRIPTION"])
    assert int(event["SEQUENCE"]) == 1


def test_the_history_of_a_move_shows_when_and_which_cast_before_and_after_and_who(booked, login_as):
    staff, season, performance = booked
    pm, cast_b = season.slots[1], season.casts[1]
    mover = make_user(Role.COMPANY, full_name="Alex Morgan")
    old_day = performance.day
    performances.move_performance(mover, performance, cast_b, old_day, pm, "Afternoon suits better", today())

    for client, page in (
        (login_as(Role.COMPANY), f"/company/performances/{performance.id}"),
        (login_as(staff), f"/school/performances/{performance.id}"),
        (login_as(Role.COUNCIL), f"/council/performances/{performance.id}"),
    ):
        body = client.get(page).get_data(as_text=True)
        history = body[body.index("Changes to this record") :]
        assert f"When: {long_date(old_day)} at 9:15am → {long_date(old_day)} at 1:30pm" in history, page
        assert "Cast: Cast A → Cast B" in history
        assert "Alex Morgan (theatre company)" in history
        assert "Reason: Afternoon suits better" in history
        for program_words in ("cast id", "slot id", "sequence", "cast_id", "slot_id"):
            assert program_words not in history, (page, program_words)


def test_a_move_to_another_cast_at_the_same_time_still_says_the_time_and_the_new_cast(booked):
    staff, season, performance = booked
    cast_b = season.casts[1]
    company = make_user(Role.COMPANY)
    performances.move_performance(company, performance, cast_b, performance.day, season.slots[0], "Swap", today())
    message = moved_message(staff.email)
    assert "Cast: Cast B" in message.body_text
    assert f"{long_date(performance.day)} at 9:15am" in message.subject


def test_the_school_feed_and_a_download_after_a_move_agree_with_the_email(booked, login_as):
    staff, season, performance = booked
    new_day = performance.day + timedelta(days=1)
    performances.move_performance(
        make_user(Role.COMPANY), performance, season.casts[1], new_day, season.slots[1], "Moved", today()
    )
    school = login_as(staff)
    download = school.get(f"/performances/{performance.id}.ics")
    assert download.status_code == 200
    (event,) = Calendar.from_ical(download.data).events
    assert event.decoded("DTSTART").astimezone(LONDON).time() == time(13, 30)
    assert "Cast: Cast B." in str(event["DESCRIPTION"])


def test_a_performances_history_costs_the_same_statements_however_often_it_moved(booked, login_as):
    """Each move names a slot and a cast; they are read together, not once for every event that names them."""
    staff, season, performance = booked
    mover, performance_id = make_user(Role.COMPANY), performance.id
    client = login_as(staff)  # the school's page: no form listing the season's slots and casts
    path = f"/school/performances/{performance_id}"

    def statements() -> int:
        db.session.expunge_all()  # nothing the test holds keeps a slot or cast in the session
        with counted_statements() as counted:
            assert client.get(path).status_code == 200
        return len(counted)

    def move(n: int) -> None:
        moving = db.session.get(Performance, performance_id)
        season_ = moving.season
        cast, slot = season_.casts[n % 2], season_.slots[n % 2]
        performances.move_performance(
            db.session.get(User, mover.id), moving, cast, moving.day, slot, f"Move {n}", today()
        )

    move(1)
    once = statements()
    for n in range(2, 7):
        move(n)
    assert statements() == once
    assert client.get(path).get_data(as_text=True).count("Cast: Cast A → Cast B") == 3
