"""The training rules: who is approved at once, who may book, the waiting list, offers and cancellations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from portal.domain.training import (
    CANCELLATION_CUT_OFF_HOURS,
    LAST_CALL_HOURS,
    OFFER_HOURS,
    BookingStatus,
    SessionFacts,
    SessionStatus,
    Waiting,
    acceptance_refusal,
    approved_at_once,
    booking_refusal,
    cancellation_refusal,
    first_waiting,
    offer_deadline,
    session_change_refusal,
    status_on_booking,
)

# Tuesday 1 December 2026 at 9:30 in England is 9:30 UTC (GMT).
SESSION = SessionFacts(SessionStatus.SCHEDULED, date(2026, 12, 1), time(9, 30), capacity=2, places_taken=1)
START = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("email", "approved"),
    [
        ("pc.jones@thamesvalley.police.uk", True),
        ("Nurse@NHS.NET", True),
        ("head@school.example.sch.uk", True),
        ("someone@notpolice.uk", False),
        ("someone@police.uk.example.com", False),
        ("someone@gmail.com", False),
    ],
)
def test_addresses_on_listed_domains_and_their_subdomains_are_approved_at_once(email, approved):
    assert approved_at_once(email, ["police.uk", "@nhs.net", " sch.uk "]) is approved


def test_nothing_is_approved_at_once_when_the_council_lists_no_domain():
    assert not approved_at_once("a@police.uk", []) and not approved_at_once("a@police.uk", [""])


def test_only_an_approved_learner_may_book_a_scheduled_session_before_its_last_call():
    early = START - timedelta(days=3)
    assert booking_refusal(SESSION, learner_approved=True, now=early) is None
    assert "approved" in booking_refusal(SESSION, learner_approved=False, now=early)
    cancelled = SessionFacts(SessionStatus.CANCELLED, SESSION.day, SESSION.starts_at, 2, 0)
    assert "cancelled" in booking_refusal(cancelled, learner_approved=True, now=early)
    last_call = START - timedelta(hours=LAST_CALL_HOURS)
    assert booking_refusal(SESSION, True, last_call - timedelta(minutes=1)) is None
    assert booking_refusal(SESSION, True, last_call) is not None


def test_a_place_while_there_is_one_then_the_waiting_list():
    assert status_on_booking(SESSION) == BookingStatus.BOOKED
    full = SessionFacts(SessionStatus.SCHEDULED, SESSION.day, SESSION.starts_at, capacity=2, places_taken=2)
    assert status_on_booking(full) == BookingStatus.WAITING


def test_a_freed_place_is_held_for_its_hours_but_never_past_the_last_call():
    now = START - timedelta(days=5)
    assert offer_deadline(SESSION, now) == now + timedelta(hours=OFFER_HOURS)
    close = START - timedelta(hours=10)
    assert offer_deadline(SESSION, close) == START - timedelta(hours=LAST_CALL_HOURS)
    assert offer_deadline(SESSION, START - timedelta(hours=LAST_CALL_HOURS)) is None


def test_the_first_to_join_the_waiting_list_is_offered_the_place():
    moment = START - timedelta(days=9)
    waiting = [Waiting(7, moment + timedelta(hours=1)), Waiting(9, moment), Waiting(5, moment)]
    assert first_waiting(waiting) == Waiting(5, moment)
    assert first_waiting([]) is None


def test_a_booked_place_can_be_cancelled_up_to_the_cut_off_and_a_waiting_place_at_any_time():
    cut_off = START - timedelta(hours=CANCELLATION_CUT_OFF_HOURS)
    assert cancellation_refusal(BookingStatus.BOOKED, SESSION, cut_off) is None
    assert cancellation_refusal(BookingStatus.BOOKED, SESSION, cut_off + timedelta(seconds=1)) is not None
    assert cancellation_refusal(BookingStatus.WAITING, SESSION, START) is None
    assert cancellation_refusal(BookingStatus.OFFERED, SESSION, START) is None
    assert cancellation_refusal(BookingStatus.ATTENDED, SESSION, cut_off) is not None
    assert cancellation_refusal(BookingStatus.CANCELLED, SESSION, cut_off) is not None


def test_an_offer_can_be_accepted_until_its_deadline():
    deadline = START - timedelta(days=1)
    assert acceptance_refusal(BookingStatus.OFFERED, deadline, deadline - timedelta(seconds=1)) is None
    assert acceptance_refusal(BookingStatus.OFFERED, deadline, deadline) is not None
    assert acceptance_refusal(BookingStatus.WAITING, None, deadline) is not None


def test_a_session_keeps_its_times_in_order_and_its_capacity_above_the_places_taken():
    assert session_change_refusal(10, 4, time(9), time(12)) is None
    assert session_change_refusal(10, 4, time(12), time(12)) is not None
    assert session_change_refusal(3, 4, time(9), time(12)) is not None
    assert session_change_refusal(0, 0, time(9), time(12)) is not None
