"""The scheduler's check() messages, in a person's words for pages; the scheduler's own messages stay as they are."""

from __future__ import annotations

import re

import pytest

from portal.domain.breaches import explain_breach, explain_unplaced
from portal.scheduler import check

INSTANCE = {
    "format": "cse-tour/1",
    "timezone": "Europe/London",
    "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": 45},
    "slots": [{"id": "AM", "start": "09:15"}, {"id": "PM", "start": "13:30"}, {"id": "LATE AM", "start": "11:00"}],
    "productions": [
        {"id": "p1", "title": "Trust Me", "duration_minutes": 60, "audience_cap": 120},
        {"id": "p2", "title": "Online Lives", "duration_minutes": 60, "audience_cap": 120},
    ],
    "casts": [
        {"id": "c5", "name": "Cast A", "max_per_day": 1, "productions": ["p1"], "dates": ["2027-01-04"]},
        {"id": "c6", "name": "Cast B", "max_per_day": 2, "productions": ["p1"], "dates": ["2027-01-04"]},
    ],
    "schools": [
        {"id": "s1", "name": "Oak School", "lat": 52.0, "lon": -1.0, "hall_capacity": 100},
        {"id": "s2", "name": "Elm School", "lat": 53.5, "lon": -2.5, "hall_capacity": 150},
    ],
    "requests": [
        {
            "id": "r50",
            "school": "s1",
            "production": "p1",
            "pupils": 100,
            "dates": ["2027-01-04"],
            "slots": ["AM", "LATE AM"],
        },
        {
            "id": "r51",
            "school": "s2",
            "production": "p2",
            "pupils": 150,
            "dates": ["2027-01-04"],
            "slots": ["AM", "PM"],
        },
        {"id": "r52", "school": "s2", "production": "p1", "pupils": 100, "dates": ["2027-01-04"], "slots": ["LATE AM"]},
    ],
    "pinned": [{"request": "r50", "date": "2027-01-04", "slot": "AM", "cast": "c6", "pupils": 50}],
}
ALLOCATION = {
    "format": "cse-tour-allocation/1",
    "performances": [
        {"request": "r50", "date": "2027-01-04", "slot": "AM", "cast": "c5", "pupils": 150},
        {"request": "r50", "date": "2027-01-05", "slot": "PM", "cast": "c5", "pupils": 0},
        {"request": "r51", "date": "2027-01-04", "slot": "AM", "cast": "c5", "pupils": 100},
        {"request": "r50", "date": "2027-01-04", "slot": "LATE AM", "cast": "c6", "pupils": 10},
        {"request": "r52", "date": "2027-01-04", "slot": "LATE AM", "cast": "c6", "pupils": 100},
    ],
}
# What must never reach a page: instance ids, positions in a list, ISO dates, 24-hour times, JSON quotes.
PROGRAM_WORDS = re.compile(r'\b[scrp]\d+\b|\[\d+\]|\d{4}-\d\d-\d\d|\b\d\d:\d\d\b|"|max_per_day|_')
BREACHES = check(INSTANCE, ALLOCATION).breaches


def test_the_allocation_breaks_every_kind_of_rule_and_the_scheduler_still_says_so_in_ids():
    assert len(BREACHES) == 11
    assert any('cast "c5" already performs on 2027-01-04 AM (performances[0])' in breach for breach in BREACHES)


@pytest.mark.parametrize("breach", BREACHES)
def test_each_breach_reads_in_names_dates_and_times(breach):
    words = explain_breach(breach, INSTANCE, ALLOCATION["performances"])
    assert not PROGRAM_WORDS.search(words), f"{breach!r} -> {words!r}"
    assert not words[0].islower()


def test_the_words_name_schools_casts_productions_dates_and_times():
    said = {explain_breach(breach, INSTANCE, ALLOCATION["performances"]) for breach in BREACHES}
    assert "Cast A already performs on Monday 4 January 2027 at 9:15am (for Oak School)" in said
    assert "Cast A gives 2 performances on Monday 4 January 2027: it gives at most 1 a day" in said
    assert "Cast A does not perform Online Lives" in said
    assert "The 1:30pm slot is not one of the times Oak School offered" in said
    assert "Tuesday 5 January 2027 is not one of the dates Oak School offered" in said
    assert any(line.startswith("Oak School’s request: its performances would hold 160 pupils") for line in said)
    assert any("the hall at Oak School holds 100" in line for line in said)
    assert any(
        "missing from the proposal" in line and "Monday 4 January 2027 at 9:15am by Cast B" in line for line in said
    )


def test_a_travel_breach_gives_times_as_people_say_them():
    breach = (
        'performances[3]: cast "c6" cannot start at "s2" at 11:00 on 2027-01-04: after its 09:15 performance at "s1" '
        "it is ready at 11:50 at the earliest"
    )
    assert explain_breach(breach, INSTANCE) == (
        "Cast B cannot start at Elm School at 11:00am on Monday 4 January 2027: after its 9:15am performance at "
        "Oak School it can be ready at 11:50am at the earliest"
    )


def test_unplaced_reasons_name_schools_productions_dates_and_slots():
    reason = (
        "no cast is free on 2027-01-04, the only date the school can host; offering the LATE AM slot (11:00) would "
        "open 1 of its dates"
    )
    assert explain_unplaced(reason, INSTANCE) == (
        "No cast is free on Monday 4 January 2027, the only date the school can host; offering the 11:00am slot "
        "would open 1 of its dates"
    )
    assert (
        explain_unplaced("the hall of school s1 holds no pupils", INSTANCE) == "The hall at Oak School holds no pupils"
    )
    assert explain_unplaced("no cast performs p2", INSTANCE) == "No cast performs Online Lives"
