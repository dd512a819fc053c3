"""The register's rules: attendance is marked from the session's day on and never on a cancelled session; saving the
ticks changes only what differs; a course's length in words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.domain.training import SessionStatus
from portal.domain.training_register import attendance_changes, attendance_refusal, course_length

DAY = date(2026, 12, 1)


def test_attendance_is_marked_from_the_sessions_day_on():
    assert attendance_refusal(SessionStatus.SCHEDULED, DAY, DAY) is None
    assert attendance_refusal(SessionStatus.SCHEDULED, DAY, DAY + timedelta(days=40)) is None
    refusal = attendance_refusal(SessionStatus.SCHEDULED, DAY, DAY - timedelta(days=1))
    assert refusal == "You can mark who attended from the day of the session, Tuesday 1 December 2026, not before"


def test_a_cancelled_session_has_nobody_to_mark():
    assert "cancelled" in attendance_refusal(SessionStatus.CANCELLED, DAY, DAY + timedelta(days=1))


def test_saving_the_ticks_changes_only_what_differs():
    register = {1: False, 2: True, 3: True, 4: False}
    changes = attendance_changes(register, [1, 2])
    assert changes.attended == {1} and changes.not_attended == {3} and changes.count == 2
    assert attendance_changes({1: True, 2: True, 3: False, 4: False}, [1, 2]).count == 0  # the same ticks again


def test_ticks_of_bookings_not_on_the_register_change_nothing():
    assert attendance_changes({1: False}, [1, 99, -5]).attended == {1}
    assert attendance_changes({}, [7]).count == 0


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(15, "15 minutes"), (60, "1 hour"), (61, "1 hour 1 minute"), (180, "3 hours"), (390, "6 hours 30 minutes")],
)
def test_a_courses_length_in_words(minutes, words):
    assert course_length(minutes) == words
