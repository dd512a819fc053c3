"""Performances are listed by day and start time everywhere, never by slot id (issue 15, item 3: a slot added later
that starts earlier, 11:00am, was listed after 1:30pm on the schedule and the school's performances)."""

from __future__ import annotations

import re
from datetime import time

import pytest
from icalendar import Calendar

from portal.models import Performance, PerformanceStatus, Role
from portal.services import calendars, performances, reminders, schedules
from portal.services.instances import active_performances
from portal.services.placements import nearby_performances
from tests.factories import make_performance, make_request, make_school, make_season, make_user

# Slots made in this order get ids in this order: PM's id is smaller than MID's, though MID starts earlier.
SLOTS = (("AM", time(9, 15)), ("PM", time(13, 30)), ("MID", time(11, 0)))
IN_TIME_ORDER = ["9:15am", "11:00am", "1:30pm"]


@pytest.fixture
def day_of_three(session):
    """One school's three performances on one day by one cast, made in slot-id order (9:15am, 1:30pm, 11:00am)."""
    season = make_season(slot_times=SLOTS)
    school = make_school(name="Rowan School", hall_capacity=120)
    request_ = make_request(school, season, year_groups={8: 120, 9: 120, 10: 120})
    made = [
        make_performance(request_, slot=slot, status=PerformanceStatus.CONFIRMED, pupils_planned=120)
        for slot in sorted(season.slots, key=lambda slot: slot.id)
    ]
    return season, school, request_, made


def times(performances_) -> list[str]:
    return [performance.slot.label for performance in performances_]


def times_on_page(html: str) -> list[str]:
    return re.findall(r"\b(\d{1,2}:\d\d[ap]m)\b", html)


def test_every_service_lists_performances_by_start_time(day_of_three):
    season, school, request_, made = day_of_three
    assert [p.slot.label for p in made] == ["9:15am", "1:30pm", "11:00am"]  # the ids' order, which is wrong
    day, cast = made[0].day, made[0].cast
    assert times(performances.school_performances(school.id)) == IN_TIME_ORDER
    assert times(schedules.season_performances(season)) == IN_TIME_ORDER
    assert times(active_performances(season)) == IN_TIME_ORDER
    assert times(performances.cast_day_performances(cast, day)) == IN_TIME_ORDER
    assert times(calendars.feed_performances("school", school.id)) == IN_TIME_ORDER
    assert times(calendars.feed_performances("cast", cast.id)) == IN_TIME_ORDER
    assert times(nearby_performances(request_, [cast], {day})) == IN_TIME_ORDER
    assert times(reminders._performances(Performance.season_id == season.id)) == IN_TIME_ORDER


def test_the_schedule_and_the_schools_performances_show_11am_before_1_30pm(day_of_three, login_as):
    season, school, request_, made = day_of_three
    company = login_as(Role.COMPANY)
    schedule = company.get(f"/company/seasons/{season.id}/schedule?week={made[0].day.isoformat()}")
    body = schedule.get_data(as_text=True)
    table = body[body.index("<table") : body.index("</table>")]
    assert times_on_page(table) == IN_TIME_ORDER
    council = login_as(Role.COUNCIL)
    body = council.get(f"/council/seasons/{season.id}/schedule?week={made[0].day.isoformat()}").get_data(as_text=True)
    assert times_on_page(body[body.index("<table") : body.index("</table>")]) == IN_TIME_ORDER

    staff = login_as(make_user(Role.SCHOOL, school=school))
    body = staff.get("/school/performances").get_data(as_text=True)
    table = body[body.index("<table") : body.index("</table>")]
    assert times_on_page(table) == IN_TIME_ORDER


def test_the_school_calendar_feed_lists_events_in_time_order(day_of_three, login_as):
    season, school, request_, made = day_of_three
    staff = login_as(make_user(Role.SCHOOL, school=school))
    body = staff.get("/school/performances").get_data(as_text=True)
    feed = re.search(r'href="https?://[^/"]+(/feeds/school/[^"]+\.ics)"', body)
    assert feed, "the school's feed link is on its performances page"
    events = Calendar.from_ical(staff.get(feed.group(1)).data).events
    assert [event.decoded("DTSTART").strftime("%H:%M") for event in events] == ["09:15", "11:00", "13:30"]
