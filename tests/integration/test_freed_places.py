"""Freed places reach the schools that want them: offered first, with a hold, to the waiting requests they fit best
(by the scheduler's own rules and objective), listed once, never offered back to the school that declined them, and
booked through a page that shows the place first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.clock import now, today
from portal.domain.freed_places import OFFERED_FIRST_TO
from portal.extensions import db
from portal.models import OutboxMessage, Performance, PerformanceStatus, PlaceOffer, Role
from portal.models.seasons import SeasonStatus
from portal.services import performances, place_search
from portal.services.performances import PerformanceError
from portal.web.filters import london_time
from tests.factories import make_performance, make_request, make_school, make_season, make_user
from tests.integration.html_forms import page_form
from tests.integration.pages import location_path, post_form

PORTAL_URL = "http://127.0.0.1:5000"


def messages_to(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def times_offered(request_) -> set:
    return {(place.day, place.slot.id) for place in place_search.offers_for_request(request_, today())}


def offered_request_ids(performance: Performance) -> set[int]:
    query = select(PlaceOffer.request_id).where(PlaceOffer.freed_performance_id == performance.id)
    return set(db.session.scalars(query))


@pytest.fixture
def season(session):
    """A published season with one cast, so a freed place is the only place at its time."""
    return make_season(status=SeasonStatus.PUBLISHED, cast_names=("Cast A",))


@pytest.fixture
def council(session):
    return make_user(Role.COUNCIL)


def waiting(season, pupils: int = 60, priority: int = 1, **school_fields):
    """A request at a new school whose hall is free on the season's first three days, in both slots."""
    school = make_school(priority=priority, **school_fields)
    return make_request(school, season, year_groups={9: pupils}, dsl_email=f"dsl.{school.urn}@example.org")


def booked(season):
    """A school with a provisional performance on the first day, morning, and a member of staff."""
    request_ = waiting(season)
    staff = make_user(Role.SCHOOL, school=request_.school)
    return staff, make_performance(request_)


def test_a_declined_place_is_offered_first_to_the_requests_it_fits_best_and_the_council_is_told(season, council):
    staff, freed = booked(season)
    first = waiting(season, pupils=60, priority=3)  # 180 weighted pupils
    second = waiting(season, pupils=200)  # 90 pupils: the most one audience in that hall holds (3 staff x 30)
    third = waiting(season, pupils=60)
    fourth = waiting(season, pupils=30)
    account = make_user(Role.SCHOOL, school=first.school)
    performances.decline_performance(staff, freed, "Exams in the hall")

    assert offered_request_ids(freed) == {first.id, second.id, third.id}
    assert fourth.id not in offered_request_ids(freed) and OFFERED_FIRST_TO == 3
    (offer,) = [m for m in messages_to(account.email) if m.subject.startswith("A performance has come free")]
    assert f"{PORTAL_URL}/school/requests/{first.id}/take?cast={freed.cast_id}" in offer.body_text
    held = db.session.scalar(select(PlaceOffer.held_until).where(PlaceOffer.request_id == first.id))
    assert held - now() > timedelta(hours=47) and held - now() <= timedelta(hours=48)
    # Nobody at the second school has an account: its DSL is told, with how to get one.
    (to_dsl,) = [m for m in messages_to(second.dsl_email) if m.subject.startswith("A performance has come free")]
    assert f"{PORTAL_URL}/register" in to_dsl.body_text and "/take?" not in to_dsl.body_text
    (told,) = [m for m in messages_to(council.email) if m.subject.startswith("Place freed")]
    for request_ in (first, second, third):
        assert request_.school.name in told.body_text
    assert fourth.school.name not in told.body_text and freed.school.name in told.body_text


def test_a_place_is_offered_first_where_it_adds_the_least_travel(season):
    """Equal priority and pupils: the cast plays elsewhere that afternoon, so the school beside it comes first."""
    host = waiting(season, latitude=52.05, longitude=-1.35)
    make_performance(host, slot=season.slots[1], status=PerformanceStatus.CONFIRMED)
    staff, freed = booked(season)
    near = [waiting(season, latitude=52.05, longitude=-1.35) for _ in range(OFFERED_FIRST_TO)]
    far = waiting(season, latitude=52.35, longitude=-1.35)  # about 33 km away: in reach, but more driving
    performances.decline_performance(staff, freed, "")
    assert offered_request_ids(freed) == {request_.id for request_ in near}
    assert far.id not in offered_request_ids(freed)


def test_during_the_hold_only_the_requests_offered_the_place_may_take_it(season):
    staff, freed = booked(season)
    chosen = [waiting(season, priority=3) for _ in range(OFFERED_FIRST_TO)]
    other = waiting(season)
    performances.decline_performance(staff, freed, "")
    place = (freed.cast, freed.day, freed.slot)

    assert (freed.day, freed.slot_id) not in times_offered(other)
    with pytest.raises(PerformanceError, match="offered first to the schools it fits best"):
        performances.take_offer(None, other, *place, today())
    listed = place_search.offers_for_request(chosen[1], today())
    held = [p for p in listed if (p.day, p.slot.id) == (freed.day, freed.slot_id)]
    assert held and held[0].held_until is not None
    taken = performances.take_offer(None, chosen[1], *place, today())
    assert taken.status == PerformanceStatus.CONFIRMED


def test_after_the_hold_any_school_whose_request_it_fits_may_take_it(season):
    staff, freed = booked(season)
    for _ in range(OFFERED_FIRST_TO):
        waiting(season, priority=3)
    other = waiting(season)
    performances.decline_performance(staff, freed, "")
    later = now() + timedelta(hours=49)
    assert (freed.day, freed.slot_id) in {
        (p.day, p.slot.id) for p in place_search.offers_for_request(other, today(), later)
    }
    taken = performances.take_offer(None, other, freed.cast, freed.day, freed.slot, today(), later)
    assert taken.school_id == other.school_id


def test_the_hold_lasts_as_long_as_the_setting_says(app, monkeypatch, season):
    monkeypatch.setitem(app.config, "PLACE_HOLD_HOURS", 6)
    staff, freed = booked(season)
    chosen = waiting(season)
    performances.decline_performance(staff, freed, "")
    held = db.session.scalar(select(PlaceOffer.held_until).where(PlaceOffer.request_id == chosen.id))
    assert timedelta(hours=5) < held - now() <= timedelta(hours=6)


def test_a_declined_place_is_never_offered_back_to_the_school_that_declined_it(season):
    staff, freed = booked(season)
    performances.decline_performance(staff, freed, "Exams in the hall")
    own = freed.request
    assert offered_request_ids(freed) == set()  # nobody else waits: no hold, open to every school
    assert (freed.day, freed.slot_id) not in times_offered(own)
    assert place_search.offers_for_request(own, today())  # its other dates are still offered
    with pytest.raises(PerformanceError, match="Your school declined a performance at that time"):
        performances.take_offer(staff, own, freed.cast, freed.day, freed.slot, today())


def test_a_place_released_unconfirmed_is_offered_first_to_others_then_its_school_may_book_it_again(season):
    _staff, lapsed = booked(season)
    lapsed.confirm_by = today() - timedelta(days=1)
    chosen = waiting(season)
    db.session.flush()
    performances.release_unconfirmed_performances(today())
    assert lapsed.released_at is not None and lapsed.status == PerformanceStatus.DECLINED
    assert offered_request_ids(lapsed) == {chosen.id}
    own = lapsed.request
    with pytest.raises(PerformanceError, match="offered first"):
        performances.take_offer(None, own, lapsed.cast, lapsed.day, lapsed.slot, today())
    later = now() + timedelta(hours=49)
    taken = performances.take_offer(None, own, lapsed.cast, lapsed.day, lapsed.slot, today(), later)
    assert taken.school_id == own.school_id


def test_a_place_free_with_two_casts_at_once_is_listed_once(session):
    season = make_season(status=SeasonStatus.PUBLISHED)  # two casts, both free every day
    request_ = make_request(make_school(), season, year_groups={9: 60}, days=2)
    offers = place_search.offers_for_request(request_, today())
    times = [(p.day, p.slot.id) for p in offers]
    assert len(times) == 4 and len(set(times)) == len(times)


def test_the_place_held_for_a_school_is_the_one_it_is_listed(session):
    """Two casts free at the same time, one of them held for this request: the row it sees is the held one."""
    season = make_season(status=SeasonStatus.PUBLISHED)
    staff, freed = booked(season)
    freed.cast_id = season.casts[1].id
    db.session.flush()
    chosen = waiting(season)
    performances.decline_performance(staff, freed, "")
    listed = {(p.day, p.slot.id): p for p in place_search.offers_for_request(chosen, today())}
    assert listed[(freed.day, freed.slot_id)].cast.id == season.casts[1].id
    assert listed[(freed.day, freed.slot_id)].held_until is not None


def test_a_place_in_a_season_not_published_or_in_the_past_is_not_offered(session):
    season = make_season(cast_names=("Cast A",))
    staff, freed = booked(season)
    waiting(season)
    performances.decline_performance(staff, freed, "")
    assert offered_request_ids(freed) == set()


# The booking page


@pytest.fixture
def offered(login_as, season):
    """A declined place offered first to a school whose staff are signed in, and its booking page."""
    staff, freed = booked(season)
    chosen = waiting(season)
    client = login_as(make_user(Role.SCHOOL, school=chosen.school))
    performances.decline_performance(staff, freed, "")
    page = f"/school/requests/{chosen.id}/take?cast={freed.cast_id}&day={freed.day.isoformat()}&slot={freed.slot_id}"
    return client, chosen, freed, page


def school_performances(school_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Performance).where(Performance.school_id == school_id))


def test_the_booking_page_shows_the_place_and_books_nothing_until_sent(offered):
    client, chosen, freed, page = offered
    response = client.get(page)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Book this performance" in text and f"{freed.day:%A} {freed.day.day} {freed.day:%B %Y}" in text
    assert "offered first to your school" in text
    assert school_performances(chosen.school_id) == 0
    listing = client.get("/school/performances").get_data(as_text=True)
    assert "/take?" in listing and "Offered to you first" in listing
    assert 'action="/school/requests/' not in listing  # nothing is booked from the list itself


def test_the_booking_page_books_the_place_once_however_often_it_is_sent(offered):
    client, chosen, freed, page = offered
    form = page_form(client, page)
    responses = [client.post(form.action, data={**form.defaults()}) for _ in range(3)]
    assert location_path(responses[0]).startswith("/school/performances/")
    assert school_performances(chosen.school_id) == 1
    (performance,) = db.session.scalars(select(Performance).where(Performance.school_id == chosen.school_id))
    assert (performance.cast_id, performance.day, performance.slot_id) == (freed.cast_id, freed.day, freed.slot_id)
    assert performance.status == PerformanceStatus.CONFIRMED


def test_a_school_without_the_hold_sees_why_it_cannot_book_and_books_nothing(login_as, offered):
    _client, _chosen, freed, _page = offered
    other = waiting(freed.season)
    client = login_as(make_user(Role.SCHOOL, school=other.school))
    page = f"/school/requests/{other.id}/take?cast={freed.cast_id}&day={freed.day.isoformat()}&slot={freed.slot_id}"
    text = client.get(page).get_data(as_text=True)
    assert "You cannot book this performance" in text and "offered first to the schools it fits best" in text
    response = post_form(client, page, {})
    assert response.status_code == 302 and location_path(response) == "/school/performances"
    assert school_performances(other.school_id) == 0


def test_another_schools_request_or_a_place_of_another_season_is_not_found(login_as, offered):
    client, chosen, freed, page = offered
    stranger = login_as(make_user(Role.SCHOOL))
    assert stranger.get(page).status_code == 404
    elsewhere = make_season(status=SeasonStatus.PUBLISHED)
    wrong = page.replace(f"cast={freed.cast_id}", f"cast={elsewhere.casts[0].id}")
    assert client.get(wrong).status_code == 404
    assert client.get(f"/school/requests/{chosen.id}/take?day=not-a-day").status_code == 404


def test_the_booking_page_says_until_when_the_place_is_held_in_words(offered):
    client, chosen, _freed, page = offered
    held = db.session.scalar(select(PlaceOffer.held_until).where(PlaceOffer.request_id == chosen.id))
    assert f"until {london_time(held)}" in client.get(page).get_data(as_text=True)


def test_the_performances_page_offers_places_only_for_seasons_still_to_come(login_as, session):
    staff = make_user(Role.SCHOOL)
    current = make_season(status=SeasonStatus.PUBLISHED)
    starts_on = today() - timedelta(days=120)
    deadline = starts_on - timedelta(days=14)
    past = make_season(status=SeasonStatus.PUBLISHED, starts_on=starts_on, request_deadline=deadline)
    make_request(staff.school, current, year_groups={9: 60})
    make_request(staff.school, past, year_groups={9: 60})
    page = login_as(staff).get("/school/performances").get_data(as_text=True)
    assert f"({current.name})</h2>" in page
    assert past.name not in page
