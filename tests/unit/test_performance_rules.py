from dataclasses import replace
from datetime import date

import pytest

from portal.domain.performances import PlaceWanted, attendance_refusal, move_refusal, take_refusal

TODAY = date(2027, 1, 11)
TUESDAY, WEDNESDAY = date(2027, 1, 12), date(2027, 1, 13)
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


def test_a_place_within_the_published_allocation_and_the_request_can_be_taken():
    assert take_refusal(PLACE, TODAY) is None


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"season_published": False}, "published"),
        ({"request_live": False}, "withdrawn"),
        ({"pupils_left": 0}, "All your pupils"),
        ({"day": TODAY, "request_days": frozenset({TODAY})}, "has passed"),
        ({"day": date(2027, 1, 8), "request_days": frozenset({date(2027, 1, 8)})}, "has passed"),
        ({"day": WEDNESDAY}, "not one of the dates"),
        ({"slot_requested": False}, "not one of the times"),
        ({"cast_performs": False}, "does not perform"),
        ({"cast_works": False}, "does not perform"),
    ],
)
def test_a_place_outside_the_allocation_or_the_request_is_refused_with_a_reason(change, why):
    assert why in take_refusal(replace(PLACE, **change), TODAY)


def test_a_move_may_be_to_today_or_later_but_not_into_the_past():
    assert move_refusal(TODAY, TODAY) is None
    assert move_refusal(TUESDAY, TODAY) is None
    assert "has passed" in move_refusal(date(2027, 1, 8), TODAY)


def test_attendance_within_the_year_groups_asked_for_and_the_cap_is_accepted():
    assert attendance_refusal({8: 60, 9: 30}, {8, 9}, 90) is None
    assert attendance_refusal({8: 60, 10: 0}, {8, 9}, 90) is None  # an empty box is not a year group attending


def test_attendance_beyond_the_cap_or_in_a_year_group_not_asked_for_is_refused():
    assert attendance_refusal({8: 60, 9: 31}, {8, 9}, 90) == "91 pupils is more than one performance here may hold (90)"
    assert attendance_refusal({9: 10, 11: 5, 12: 5}, {8, 9, 10}, 90) == (
        "The school did not ask for Year 11 and Year 12 (it asked for Year 8, Year 9 and Year 10)"
    )


def test_the_database_s_active_performances_are_the_domain_s():
    from portal.domain.performances import ACTIVE_STATUSES, BOOKED_STATUSES, PerformanceStatus
    from portal.models.performances import ACTIVE

    freed = {status for status in PerformanceStatus if status not in ACTIVE_STATUSES}
    assert ACTIVE.text == f"status NOT IN ({', '.join(repr(s.value) for s in sorted(freed, reverse=True))})"
    assert BOOKED_STATUSES < ACTIVE_STATUSES and PerformanceStatus.DELIVERED not in BOOKED_STATUSES
