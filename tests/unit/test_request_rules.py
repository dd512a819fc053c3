from datetime import date

from portal.domain.requests import (
    RequestDraft,
    audience_cap,
    can_change_request,
    performances_needed,
    request_problems,
)

MONDAY = date(2027, 1, 11)
TUESDAY = date(2027, 1, 12)
OPEN = {MONDAY, TUESDAY}


def draft(**overrides) -> RequestDraft:
    values = dict(
        production_id=1,
        year_groups={8: 120, 9: 100},
        dates=frozenset(OPEN),
        preferred_dates=frozenset({TUESDAY}),
        slot_ids=frozenset({10}),
        staff_in_hall=4,
    )
    values.update(overrides)
    return RequestDraft(**values)


def problems(**overrides) -> dict[str, str]:
    return request_problems(draft(**overrides), open_days=OPEN, slot_ids={10, 11}, production_ids={1})


def test_a_complete_request_has_no_problems():
    assert problems() == {}


def test_a_request_needs_pupils_in_at_least_one_year_group():
    assert "year_groups" in problems(year_groups={8: 0})
    assert "year_groups" in problems(year_groups={})


def test_year_groups_outside_7_to_13_are_refused():
    assert "year_groups" in problems(year_groups={6: 30})


def test_dates_must_be_days_the_company_performs():
    assert "dates" in problems(dates=frozenset({date(2027, 1, 16)}))
    assert "dates" in problems(dates=frozenset(), preferred_dates=frozenset())


def test_preferred_dates_must_be_among_the_free_dates():
    assert "preferred_dates" in problems(dates=frozenset({MONDAY}), preferred_dates=frozenset({TUESDAY}))


def test_slots_and_production_must_be_the_seasons_own():
    assert "slots" in problems(slot_ids=frozenset({99}))
    assert "slots" in problems(slot_ids=frozenset())
    assert "production" in problems(production_id=2)


def test_at_least_one_member_of_staff_is_in_the_hall():
    assert "staff_in_hall" in problems(staff_in_hall=0)


def test_requests_can_change_up_to_and_including_the_deadline_day():
    assert can_change_request(MONDAY, MONDAY)
    assert not can_change_request(MONDAY, TUESDAY)


def test_audience_is_capped_by_hall_staff_and_production():
    assert audience_cap(hall_capacity=150, staff_in_hall=5, production_cap=120) == 120
    assert audience_cap(hall_capacity=90, staff_in_hall=5, production_cap=120) == 90
    assert audience_cap(hall_capacity=150, staff_in_hall=2, production_cap=120) == 60
    assert audience_cap(hall_capacity=None, staff_in_hall=10, production_cap=120) == 120


def test_large_cohorts_need_several_performances():
    assert performances_needed(240, 60) == 4
    assert performances_needed(241, 60) == 5
    assert performances_needed(0, 60) == 0
