"""Taking a freed place (POST /school/requests/<id>/take): only within the published allocation and the request.

Each refusal is a clear message (a flash on the performances page, or 409 when someone else got there first) and
creates nothing. The rules are re-checked under the lock by take_offer itself, not only by the offers page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.clock import today
from portal.domain.requests import RequestDraft
from portal.extensions import db
from portal.models import Performance, PerformanceStatus, RequestSlot, Role
from portal.models.seasons import SeasonStatus
from portal.services import place_search
from portal.services.instances import ACTIVE_STATUSES
from portal.services.requests import submit_request, withdraw_request
from tests.factories import make_performance, make_production, make_request, make_school, make_season, make_user
from tests.integration.pages import location_path, post_form
from tests.integration.statements import counted_statements

REFUSED = "/school/performances"


@pytest.fixture
def school(session):
    return make_school()


@pytest.fixture
def staff(login_as, school):
    return login_as(make_user(Role.SCHOOL, school=school))


def published_request(school, **season_fields):
    season = make_season(status=SeasonStatus.PUBLISHED, **season_fields)
    return make_request(school, season, year_groups={9: 60})


def take(client, request_, *, cast=None, day=None, slot=None):
    season = request_.season
    place = {
        "cast": str((cast or season.casts[0]).id),
        "day": (day or request_.dates[0].day).isoformat(),
        "slot": str((slot or season.slots[0]).id),
    }
    return post_form(client, f"/school/requests/{request_.id}/take", place)


def same_draft(request_) -> RequestDraft:
    """What the school asked for, to ask again."""
    return RequestDraft(
        production_id=request_.production_id,
        year_groups={group.year_group: group.pupils for group in request_.year_groups},
        dates=frozenset(d.day for d in request_.dates),
        preferred_dates=frozenset(),
        slot_ids=frozenset(s.slot_id for s in request_.slots),
        staff_in_hall=request_.staff_in_hall,
        dsl_name=request_.dsl_name,
        dsl_email=request_.dsl_email,
        dsl_phone=request_.dsl_phone,
    )


def school_pupils_placed(school) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(Performance.pupils_planned), 0)).where(
            Performance.school_id == school.id, Performance.status.in_(ACTIVE_STATUSES)
        )
    )


def assert_refused(client, response, school, message: str) -> None:
    assert response.status_code == 302 and location_path(response) == REFUSED
    assert message in client.get(REFUSED).get_data(as_text=True)
    assert school_pupils_placed(school) == 0


def test_a_school_takes_a_free_place_in_a_published_season(staff, school):
    request_ = published_request(school)
    response = take(staff, request_)
    assert response.status_code == 302 and location_path(response).startswith("/school/performances/")
    (performance,) = db.session.scalars(select(Performance).where(Performance.school_id == school.id))
    assert (performance.status, performance.pupils_planned) == (PerformanceStatus.CONFIRMED, 60)


def test_no_place_can_be_taken_in_a_season_still_open_for_requests(staff, school):
    request_ = make_request(school, make_season(status=SeasonStatus.OPEN), year_groups={9: 60})
    assert_refused(staff, take(staff, request_), school, "once the theatre company has published")


def test_no_place_can_be_taken_for_a_withdrawn_request(staff, school):
    request_ = published_request(school, request_deadline=today() + timedelta(days=3))
    withdraw_request(staff.user, request_, today(), request_.created_at)
    db.session.flush()
    assert_refused(staff, take(staff, request_), school, "This request has been withdrawn")


def test_no_place_can_be_taken_once_every_pupil_of_the_request_has_one(staff, school):
    request_ = published_request(school)
    make_performance(request_, day=request_.dates[1].day, pupils_planned=60, status=PerformanceStatus.CONFIRMED)
    response = take(staff, request_)
    assert response.status_code == 302 and location_path(response) == REFUSED
    assert "All your pupils already have a performance" in staff.get(REFUSED).get_data(as_text=True)
    assert school_pupils_placed(school) == 60


def test_no_place_can_be_taken_on_a_date_that_has_passed(staff, school):
    monday_two_weeks_ago = today() - timedelta(days=today().weekday() + 14)
    request_ = make_request(
        school,
        make_season(
            status=SeasonStatus.PUBLISHED,
            starts_on=monday_two_weeks_ago,
            request_deadline=monday_two_weeks_ago - timedelta(days=7),
        ),
        year_groups={9: 60},
        days=15,
    )
    past_day = request_.dates[0].day  # one of the request's dates and the cast's: only its being past is wrong
    assert_refused(staff, take(staff, request_, day=past_day), school, "That date has passed")


def test_no_place_can_be_taken_on_a_date_the_request_did_not_offer(staff, school):
    request_ = published_request(school)
    cast = request_.season.casts[0]
    other_day = next(d.day for d in cast.dates if d.day not in {r.day for r in request_.dates})
    assert_refused(staff, take(staff, request_, day=other_day), school, "not one of the dates your hall is free")


def test_no_place_can_be_taken_in_a_slot_the_request_did_not_offer(staff, school):
    request_ = published_request(school)
    morning, afternoon = request_.season.slots
    request_.slots = [RequestSlot(slot_id=morning.id)]
    db.session.flush()
    assert_refused(staff, take(staff, request_, slot=afternoon), school, "not one of the times your hall is free")


def test_no_place_can_be_taken_with_a_cast_that_does_not_play_the_production(staff, school):
    season = make_season(status=SeasonStatus.PUBLISHED, productions=[make_production(), make_production()])
    request_ = make_request(school, season, year_groups={9: 60})
    other_cast = season.casts[1]
    other_cast.productions = [season.productions[1]]
    db.session.flush()
    assert_refused(staff, take(staff, request_, cast=other_cast), school, "does not perform this production")


def test_a_place_someone_else_took_answers_409_and_creates_nothing(staff, school):
    request_ = published_request(school)
    rival = make_request(make_school(), request_.season, year_groups={9: 60})
    make_performance(rival, status=PerformanceStatus.CONFIRMED)
    response = take(staff, request_)
    assert response.status_code == 409
    assert school_pupils_placed(school) == 0


def test_withdrawing_and_asking_again_in_an_open_season_never_books_a_place(staff, school):
    """The review's exploit: ask, take, withdraw, ask again, take again, in a season never allocated."""
    request_ = make_request(school, make_season(status=SeasonStatus.OPEN), year_groups={9: 60})
    for _attempt in range(3):
        take(staff, request_)
        withdraw_request(staff.user, request_, today(), request_.created_at)
        request_ = submit_request(staff.user, school, request_.season, same_draft(request_), today())
    assert_refused(staff, take(staff, request_), school, "once the theatre company has published")


def test_withdrawing_and_asking_again_never_gives_more_than_the_requests_pupils(staff, school):
    """In a published season whose deadline the company moved later, a school may withdraw and ask again: the
    performances of its withdrawn request still count against the pupils of its new one."""
    first = published_request(school, request_deadline=today() + timedelta(days=3))
    assert take(staff, first).status_code == 302
    withdraw_request(staff.user, first, today(), first.created_at)
    second = submit_request(staff.user, school, first.season, same_draft(first), today())
    response = take(staff, second, day=second.dates[1].day)
    assert response.status_code == 302 and location_path(response) == REFUSED
    assert school_pupils_placed(school) == 60
    assert place_search.offers_for_request(second, today()) == []


def test_the_offers_page_shows_the_first_places_of_the_full_list_without_checking_the_rest(school):
    request_ = make_request(school, make_season(status=SeasonStatus.PUBLISHED), year_groups={8: 150, 9: 150}, days=5)
    make_performance(request_, pupils_planned=60)  # the first cast's first day and slot are taken
    db.session.flush()
    every = place_search.offers_for_request(request_, today())
    assert len(every) == 9  # 5 days x 2 slots, less the time the school's hall is in use
    for limit in (1, 3, 9, 20):
        assert place_search.offers_for_request(request_, today(), limit=limit) == every[:limit]


def offers_statements(school, days: int, neighbours: int) -> tuple[int, int]:
    """How many places the offers list shows for a request on its first `days` days, with `neighbours` other schools
    each given a performance by the first cast on one of those days, and how many statements finding them sent."""
    season = make_season(status=SeasonStatus.PUBLISHED)
    request_ = make_request(school, season, year_groups={8: 150, 9: 150}, days=days)
    for n in range(neighbours):
        other = make_request(make_school(), season, year_groups={9: 60}, days=days)
        make_performance(other, slot=season.slots[n % 2], day=other.dates[n // 2 % days].day)
    db.session.flush()
    db.session.expire_all()
    with counted_statements() as statements:
        shown = place_search.offers_for_request(request_, today(), limit=12)
    return len(shown), len(statements)


def test_the_offers_list_reads_the_same_few_statements_however_many_places_it_checks(school):
    few_shown, few = offers_statements(school, days=2, neighbours=1)
    many_shown, many = offers_statements(make_school(), days=10, neighbours=8)
    assert (few_shown, many_shown) == (4, 12)
    # Read per place, the performances each could meet, their requests' dates, slots and pupils, and their casts
    # were four statements or more a place, so the longer list sent dozens more.
    assert many <= few + 2


def test_a_request_whose_dates_have_all_passed_costs_only_a_look_at_its_dates(school):
    starts_on = today() - timedelta(days=90)
    past = make_season(
        status=SeasonStatus.PUBLISHED, starts_on=starts_on, request_deadline=starts_on - timedelta(days=14)
    )
    request_ = make_request(school, past, year_groups={9: 60}, days=5)
    db.session.flush()
    db.session.expire_all()
    with counted_statements() as statements:
        assert place_search.offers_for_request(request_, today()) == []
    assert len(statements) <= 2  # the request and its dates: nothing of the season's casts or performances
