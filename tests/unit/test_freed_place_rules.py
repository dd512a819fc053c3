"""The rules of freed places and lapses, without the app: who is offered a place first, holds, and status words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from portal.domain.freed_places import OFFERED_FIRST_TO, Candidate, best_candidates, hold_ends
from portal.domain.performances import (
    RELEASED_LABEL,
    PlaceWanted,
    moment_label,
    status_label,
    take_refusal,
)

TODAY = date(2027, 1, 11)
TUESDAY = date(2027, 1, 12)
PLACE = PlaceWanted(
    season_published=True,
    request_live=True,
    pupils_left=60,
    day=TUESDAY,
    request_days=frozenset({TUESDAY}),
    slot_requested=True,
    cast_performs=True,
    cast_works=True,
)


def candidate(request_id: int, school_id: int, weighted: int, served: int = 1, preferred: int = 0, travel_m: int = 0):
    return Candidate(request_id, school_id, (weighted, served, preferred, -travel_m))


def test_the_place_goes_first_to_the_most_priority_weighted_pupils_then_a_school_not_yet_served():
    found = [
        candidate(1, 10, weighted=60),
        candidate(2, 20, weighted=180),  # priority 3, 60 pupils
        candidate(3, 30, weighted=90, served=0),  # has a performance already
        candidate(4, 40, weighted=90, served=1),
        candidate(5, 50, weighted=30),
    ]
    assert [c.request_id for c in best_candidates(found, freed_by_school_id=99)] == [2, 4, 3]


def test_between_equals_less_travel_wins_and_then_the_request_made_first():
    found = [candidate(7, 70, 90, travel_m=12_000), candidate(6, 60, 90, travel_m=0), candidate(5, 55, 90, travel_m=0)]
    assert [c.request_id for c in best_candidates(found, freed_by_school_id=99, limit=2)] == [5, 6]


def test_never_the_school_that_gave_the_place_up_and_one_request_per_school():
    found = [candidate(1, 10, 300), candidate(2, 20, 200), candidate(3, 20, 190), candidate(4, 30, 100)]
    assert [c.request_id for c in best_candidates(found, freed_by_school_id=10)] == [2, 4]


def test_at_most_a_few_are_offered_it_first():
    found = [candidate(n, n, 100 - n) for n in range(1, 10)]
    assert len(best_candidates(found, freed_by_school_id=0)) == OFFERED_FIRST_TO


def test_a_hold_lasts_the_hours_set_from_when_the_place_was_freed():
    freed = datetime(2027, 1, 4, 9, 30, tzinfo=UTC)
    assert hold_ends(freed, 48) == freed + timedelta(hours=48)
    assert hold_ends(freed, -5) == freed  # a nonsense setting holds nothing


def test_a_time_the_school_declined_is_refused_to_it():
    assert "Your school declined" in take_refusal(replace(PLACE, declined_here=True), TODAY)


def test_a_place_held_for_other_schools_is_refused_with_the_time_it_opens_in_words():
    held = datetime(2027, 1, 6, 15, 0, tzinfo=UTC)
    refusal = take_refusal(replace(PLACE, held_until=held), TODAY)
    assert "Wednesday 6 January 2027 at 3:00pm" in refusal and "offered first" in refusal


def test_the_older_rules_come_first():
    assert "has passed" in take_refusal(replace(PLACE, day=TODAY, declined_here=True), TODAY)


def test_moments_are_said_in_englands_time():
    assert moment_label(datetime(2027, 7, 1, 14, 5, tzinfo=UTC)) == "Thursday 1 July 2027 at 3:05pm"


def test_a_release_reads_as_such_and_a_decline_as_a_decline():
    assert status_label("declined", released=True) == RELEASED_LABEL == "Released (not confirmed in time)"
    assert status_label("declined", released=False) == "Declined"
    assert status_label("confirmed", released=False) == "Confirmed"
