"""The week-by-week choice of a request's dates, and the reference a school quotes."""

from datetime import date

import pytest

from portal.domain.calendars import by_week, week_start, weekdays_in_words
from portal.domain.requests import chosen_days, reference_number, request_reference

MONDAY = date(2027, 1, 4)


def test_days_are_grouped_under_the_monday_of_their_week():
    days = [date(2027, 1, 12), date(2027, 1, 4), date(2027, 1, 8), date(2027, 1, 11)]
    assert by_week(days) == {
        MONDAY: [date(2027, 1, 4), date(2027, 1, 8)],
        date(2027, 1, 11): [date(2027, 1, 11), date(2027, 1, 12)],
    }
    assert week_start(date(2027, 1, 10)) == MONDAY  # a Sunday belongs to the week before


@pytest.mark.parametrize(
    "offsets, words",
    [
        ((0, 1, 2, 3, 4), "Monday to Friday"),
        ((0, 1, 2), "Monday to Wednesday"),
        ((1, 3), "Tuesday and Thursday"),
        ((0, 1, 3, 4), "Monday, Tuesday, Thursday and Friday"),
        ((2,), "Wednesday"),
    ],
)
def test_a_weeks_days_in_words(offsets, words):
    assert weekdays_in_words(date(2027, 1, 4 + offset) for offset in offsets) == words


def test_only_the_days_of_ticked_weeks_are_chosen():
    second_week = date(2027, 1, 11)
    days = {date(2027, 1, 4), date(2027, 1, 6), date(2027, 1, 12), date(2027, 1, 19)}
    assert chosen_days({MONDAY, second_week}, days) == {date(2027, 1, 4), date(2027, 1, 6), date(2027, 1, 12)}
    assert chosen_days(set(), days) == frozenset()


def test_a_reference_comes_from_the_request_number_and_reads_back():
    assert request_reference(42) == "REQ-00042"
    assert request_reference(1234567) == "REQ-1234567"
    for typed in ("REQ-00042", "req-42", "REQ 42", "req42", " REQ-00042 "):
        assert reference_number(typed) == 42, typed
    for typed in ("42", "REQ-", "REQ-4a", "REQ-٤٢", "Reading", ""):
        assert reference_number(typed) is None, typed
