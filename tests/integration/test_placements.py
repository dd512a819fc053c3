"""Taking a place checks the new performance against only what it meets (its cast's day, its school's day, its
request), with the scheduler's own rules; those rules still bite, and a fault elsewhere in the season no longer
blocks every place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.clock import today
from portal.extensions import db
from portal.jobs import perform_allocation_run
from portal.models import PerformanceStatus, Role
from portal.models.seasons import SeasonStatus
from portal.services import allocations, performances
from portal.services.performances import Placement, SlotTaken
from portal.services.placements import nearby_performances, placement_breaches
from tests.factories import make_performance, make_production, make_request, make_school, make_season, make_user


@pytest.fixture
def season(session):
    return make_season(status=SeasonStatus.PUBLISHED)


def waiting_request(season, **school_fields):
    return make_request(make_school(**school_fields), season, year_groups={9: 60})


def take_first_place(request_, slot_index: int = 1):
    season = request_.season
    day, slot = request_.dates[0].day, season.slots[slot_index]
    return performances.take_offer(None, request_, season.casts[0], day, slot, today())


def test_a_cast_cannot_be_given_a_place_it_cannot_travel_to_from_its_morning_show(season):
    far = waiting_request(season, latitude=53.8, longitude=-1.5)  # about 195 km north: over three hours away
    make_performance(far, status=PerformanceStatus.CONFIRMED)  # the cast's morning show, first day
    with pytest.raises(SlotTaken):
        take_first_place(waiting_request(season))


def test_a_cast_is_never_given_more_shows_in_a_day_than_its_limit(season):
    season.casts[0].max_per_day = 1
    make_performance(waiting_request(season), status=PerformanceStatus.CONFIRMED)
    with pytest.raises(SlotTaken):
        take_first_place(waiting_request(season))


def test_a_school_hall_holds_one_performance_at_a_time_whichever_cast_plays(session):
    season = make_season(status=SeasonStatus.PUBLISHED, productions=[make_production(), make_production()])
    school = make_school()
    other_show = make_request(school, season, production=season.productions[1], year_groups={9: 60})
    make_performance(other_show, cast=season.casts[1], slot=season.slots[1], status=PerformanceStatus.CONFIRMED)
    with pytest.raises(SlotTaken):
        take_first_place(make_request(school, season, year_groups={9: 60}))


def test_a_fault_elsewhere_in_the_season_does_not_stop_a_school_taking_a_free_place(season):
    """A performance left on a date its request no longer offers breaks a rule, far from the place wanted."""
    elsewhere = waiting_request(season)
    stale = make_performance(elsewhere, cast=season.casts[1], status=PerformanceStatus.CONFIRMED)
    stale.day = season.ends_on
    db.session.flush()
    taken = take_first_place(waiting_request(season))
    assert taken.status == PerformanceStatus.CONFIRMED


def test_the_local_check_agrees_with_the_full_check_on_every_place_of_an_allocated_season(session):
    """A season allocated by the scheduler, some performances declined: every (cast, day, slot) a waiting request
    could ask for is accepted by the local check exactly when the whole season's check accepts it."""
    company = make_user(Role.COMPANY)
    season = make_season()
    for index in range(6):
        make_request(make_school(latitude=52.0 + index * 0.05), season, year_groups={9: 150}, days=6)
    after_deadline = season.request_deadline + timedelta(days=1)
    run = allocations.start_run(company, season, after_deadline, time_limit=2)
    perform_allocation_run(run.id, deterministic=True)
    created = allocations.publish_run(company, run, after_deadline + timedelta(days=7), after_deadline)
    for performance in created[::3]:
        performances.decline_performance(company, performance, "Hall needed for exams")
    waiting = make_request(make_school(latitude=52.3), season, year_groups={9: 60}, days=6)
    full = performances._season_state(season, waiting)
    nearby = nearby_performances(waiting, season.casts, {d.day for d in waiting.dates})
    verdicts = []
    for cast in season.casts:
        for day in (d.day for d in waiting.dates):
            for slot in season.slots:
                placement = Placement(cast, day, slot, 60)
                local = not placement_breaches(waiting, placement, nearby)
                assert local == (not performances._breaches(full, waiting, placement)), (cast.name, day, slot.code)
                verdicts.append(local)
    assert True in verdicts and False in verdicts  # both kinds of place were compared
