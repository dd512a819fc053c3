"""The rules of preview bookings: who a preview is for, how many seats one booking takes, until when it changes, and
the waiting list's order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal.domain.previews import (
    ADDRESS_SEATS_MAX,
    PARENT_SEATS_MAX,
    Audience,
    PreviewAudience,
    WaitingEntry,
    can_change_booking,
    clean_names,
    confirmation_expires,
    move_up,
    parent_seats_problem,
    school_link_limit,
)

T0 = datetime(2027, 1, 5, 12, tzinfo=UTC)


def test_a_preview_is_for_every_school_a_district_or_the_schools_listed():
    assert Audience(PreviewAudience.ALL_SCHOOLS).includes(7, "Cherwell")
    district = Audience(PreviewAudience.DISTRICT, district="Cherwell")
    assert district.includes(7, "cherwell") and not district.includes(7, "West Oxfordshire")
    listed = Audience(PreviewAudience.SCHOOLS, school_ids=frozenset({3, 4}))
    assert listed.includes(3, "Anywhere") and not listed.includes(7, "Cherwell")


def test_an_audience_needs_its_district_or_its_schools():
    assert Audience(PreviewAudience.DISTRICT, district="  ").problem()
    assert Audience(PreviewAudience.SCHOOLS).problem()
    assert Audience(PreviewAudience.ALL_SCHOOLS).problem() is None


def test_bookings_change_up_to_and_including_the_day():
    day = date(2027, 1, 12)
    assert can_change_booking(day, day - timedelta(days=3))
    assert can_change_booking(day, day)
    assert not can_change_booking(day, day + timedelta(days=1))


def test_one_parent_booking_takes_one_to_a_few_seats():
    assert parent_seats_problem(0, 0, 0, 100)
    assert parent_seats_problem(PARENT_SEATS_MAX + 1, 0, 0, 100)
    assert parent_seats_problem(PARENT_SEATS_MAX, 0, 0, 100) is None


def test_one_address_cannot_take_more_than_its_share_over_several_bookings():
    assert parent_seats_problem(1, ADDRESS_SEATS_MAX, 0, 100) == (
        f"An email address can book at most {ADDRESS_SEATS_MAX} seats for a preview"
    )
    assert parent_seats_problem(1, ADDRESS_SEATS_MAX - 1, 0, 100) is None


def test_one_school_link_takes_at_most_half_the_preview():
    assert school_link_limit(100) == 50
    assert school_link_limit(6) == PARENT_SEATS_MAX  # never below one whole booking
    assert parent_seats_problem(2, 0, 49, 100)
    assert parent_seats_problem(1, 0, 49, 100) is None


def test_an_unconfirmed_booking_lapses_after_two_days():
    assert confirmation_expires(T0) == T0 + timedelta(hours=48)


def test_the_waiting_list_moves_up_first_come_first_served_and_a_booking_too_big_keeps_its_place():
    entries = [
        WaitingEntry(booking_id=3, seats=1, joined_at=T0 + timedelta(minutes=2)),
        WaitingEntry(booking_id=1, seats=3, joined_at=T0),
        WaitingEntry(booking_id=2, seats=2, joined_at=T0 + timedelta(minutes=1)),
    ]
    assert move_up(entries, 6) == [1, 2, 3]
    assert move_up(entries, 2) == [2]
    assert move_up(entries, 3) == [1]
    assert move_up(entries, 0) == []


def test_colleague_names_are_tidied_and_each_booked_once():
    assert clean_names(["  Sam  Jones ", "", "sam jones", "Ali Khan"]) == ["Sam Jones", "Ali Khan"]
