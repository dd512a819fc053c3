"""The allocation round: run the scheduler over a season, publish, confirm, decline, release, take, move, deliver."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.clock import today
from portal.extensions import db
from portal.jobs import perform_allocation_run
from portal.models import Performance, PerformanceStatus, Role, RunStatus
from portal.scheduler import check
from portal.services import allocations, performances, place_search
from portal.services.instances import build_instance
from tests.factories import make_performance, make_production, make_request, make_school, make_season, make_user

AFTER_DEADLINE = today() + timedelta(days=20)


@pytest.fixture
def company(session):
    return make_user(Role.COMPANY)


def published_season(company, requests=3, pupils=60, year_groups=None):
    season = make_season()
    for _ in range(requests):
        make_request(season=season, year_groups=year_groups or {9: pupils})
    run = allocations.start_run(company, season, AFTER_DEADLINE, time_limit=2)
    perform_allocation_run(run.id)
    created = allocations.publish_run(company, run, AFTER_DEADLINE + timedelta(days=7), AFTER_DEADLINE)
    return season, created


def test_a_run_is_refused_before_the_request_deadline(company):
    season = make_season()
    with pytest.raises(allocations.AllocationError, match="allocate after that"):
        allocations.start_run(company, season, season.request_deadline)


def test_a_second_run_is_refused_while_one_is_queued(company):
    season = make_season()
    make_request(season=season)
    allocations.start_run(company, season, AFTER_DEADLINE)
    with pytest.raises(allocations.AllocationError, match="already running"):
        allocations.start_run(company, season, AFTER_DEADLINE)


def test_a_run_proposes_a_valid_allocation_that_places_every_pupil_it_can(company):
    season = make_season()
    for _ in range(3):
        make_request(season=season, year_groups={9: 60})
    run = allocations.start_run(company, season, AFTER_DEADLINE, time_limit=2)
    perform_allocation_run(run.id)
    db.session.refresh(run)
    assert run.status == RunStatus.DONE
    assert check(run.instance, run.allocation).ok
    assert run.pupils_reached == 180
    assert run.schools_served == 3


def test_publishing_writes_provisional_performances_with_a_confirm_by_date(company):
    season, created = published_season(company)
    assert len(created) == 3
    assert {p.status for p in created} == {PerformanceStatus.PROVISIONAL}
    assert all(p.confirm_by == AFTER_DEADLINE + timedelta(days=7) for p in created)
    assert season.status.value == "published"


def test_publishing_a_second_time_never_moves_a_confirmed_performance(company):
    season, created = published_season(company)
    performances.confirm_performance(company, created[0], AFTER_DEADLINE)
    kept = (created[0].cast_id, created[0].day, created[0].slot_id)
    make_request(season=season, year_groups={8: 60})
    run = allocations.start_run(company, season, AFTER_DEADLINE, time_limit=2)
    perform_allocation_run(run.id)
    allocations.publish_run(company, run, AFTER_DEADLINE + timedelta(days=7), AFTER_DEADLINE)
    db.session.refresh(created[0])
    assert (created[0].cast_id, created[0].day, created[0].slot_id) == kept
    assert created[0].status == PerformanceStatus.CONFIRMED


def test_an_unconfirmed_performance_is_released_after_its_date_once(company):
    _season, created = published_season(company, requests=1)
    late = created[0].confirm_by + timedelta(days=1)
    assert performances.release_unconfirmed_performances(late) == [created[0]]
    assert created[0].status == PerformanceStatus.DECLINED
    assert created[0].status_reason.startswith("not confirmed by ")
    assert performances.release_unconfirmed_performances(late) == []


def test_a_declined_slot_is_offered_to_a_school_still_waiting_and_taken_once(company):
    season, created = published_season(company, requests=1)
    performances.decline_performance(company, created[0], "Hall booked for exams")
    waiting = make_request(season=season, year_groups={9: 60})
    offers = place_search.offers_for_request(waiting, today())
    assert any(
        (o.cast.id, o.day, o.slot.id) == (created[0].cast_id, created[0].day, created[0].slot_id) for o in offers
    )
    offer = offers[0]
    taken = performances.take_offer(company, waiting, offer.cast, offer.day, offer.slot, today())
    assert taken.status == PerformanceStatus.CONFIRMED
    rival = make_request(season=season, year_groups={9: 60})
    with pytest.raises(performances.PerformanceError):
        performances.take_offer(company, rival, offer.cast, offer.day, offer.slot, today())


def test_a_move_that_breaks_a_rule_is_refused_and_changes_nothing(company):
    season, created = published_season(company, requests=2)
    first, second = created
    before = (first.cast_id, first.day, first.slot_id, first.sequence)
    with pytest.raises(performances.PerformanceError, match="breaks a rule"):
        # the second school's hall is not free on a date outside its request
        performances.move_performance(
            company, second, season.casts[0], season.ends_on, season.slots[0], "illness", today()
        )
    assert (first.cast_id, first.day, first.slot_id, first.sequence) == before


def test_a_valid_move_bumps_the_calendar_sequence(company):
    season, created = published_season(company, requests=1)
    performance = created[0]
    request_days = [d.day for d in performance.request.dates]
    target = next(d for d in request_days if d != performance.day)
    performances.move_performance(company, performance, performance.cast, target, performance.slot, "cast ill", today())
    assert performance.day == target
    assert performance.sequence == 1


def test_delivery_records_attendance_per_year_group_as_counts(company):
    _season, created = published_season(company, requests=1, year_groups={8: 30, 9: 30})
    performance = created[0]
    performances.confirm_performance(company, performance, AFTER_DEADLINE)
    performances.record_delivery(company, performance, {8: 30, 9: 25}, 2, performance.day)
    assert performance.status == PerformanceStatus.DELIVERED
    assert performance.pupils_attended == 55
    assert [(a.year_group, a.pupils) for a in performance.attendance] == [(8, 30), (9, 25)]


def test_delivery_cannot_be_recorded_before_the_day(company):
    _season, created = published_season(company, requests=1)
    performance = created[0]
    performances.confirm_performance(company, performance, AFTER_DEADLINE)
    with pytest.raises(performances.PerformanceError, match="before its day"):
        performances.record_delivery(company, performance, {9: 30}, 0, performance.day - timedelta(days=1))


def test_the_instance_pins_every_active_performance(company):
    season, created = published_season(company, requests=2)
    instance = build_instance(season)
    assert len(instance["pinned"]) == 2
    assert {r["id"] for r in instance["requests"]} == {f"r{p.request_id}" for p in created}


def two_requests_with_different_staff(company):
    """A school asking for two productions, with four staff in the hall for one (120 pupils a performance) and one
    for the other (30), and a performance of the first already confirmed for 120 pupils."""
    season = make_season(productions=[make_production(), make_production()])
    school = make_school()
    many_staff = make_request(school, season, staff_in_hall=4, year_groups={9: 240})
    make_request(school, season, staff_in_hall=1, year_groups={10: 60}, production=season.productions[1])
    make_performance(many_staff, pupils_planned=120, status=PerformanceStatus.CONFIRMED)
    return season, school


def test_a_school_s_performance_booked_for_more_staff_does_not_stop_the_season_being_run_again(company):
    season, school = two_requests_with_different_staff(company)
    instance = build_instance(season)
    (hall,) = [entry["hall_capacity"] for entry in instance["schools"] if entry["id"] == f"s{school.id}"]
    assert hall == 30  # the smaller request's cap: the scheduler never plans more than either request allows
    assert [pin["pupils"] for pin in instance["pinned"]] == [30]  # counted at what the instance allows
    run = allocations.start_run(company, season, AFTER_DEADLINE, time_limit=2)
    perform_allocation_run(run.id)
    db.session.refresh(run)
    assert run.status == RunStatus.DONE, run.error
    assert check(run.instance, run.allocation).ok
    created = allocations.publish_run(company, run, AFTER_DEADLINE + timedelta(days=7), AFTER_DEADLINE)
    assert created  # the rest of the first request, and the second, are placed
    booked = db.session.scalars(
        select(Performance.pupils_planned).where(
            Performance.season_id == season.id, Performance.status == PerformanceStatus.CONFIRMED
        )
    )
    assert list(booked) == [120]  # the booked performance itself is unchanged
