"""A season with published performances cannot be changed in a way that would orphan them."""

from datetime import timedelta

import pytest

from portal.models import BlackoutDay, PerformanceStatus, Role
from portal.services import seasons
from portal.services.seasons import SeasonDetails, SeasonError
from tests.factories import make_performance, make_request, make_season, make_user
from tests.integration.pages import location_path, post_form


@pytest.fixture
def booked(session):
    season = make_season()
    performance = make_performance(make_request(season=season), status=PerformanceStatus.CONFIRMED)
    return season, performance, make_user(Role.COMPANY)


def details(season, **overrides) -> SeasonDetails:
    values = dict(
        name=season.name,
        starts_on=season.starts_on,
        ends_on=season.ends_on,
        request_deadline=season.request_deadline,
        production_ids=[p.id for p in season.productions],
        speed_kmh=40,
        road_factor=1.3,
        changeover_minutes=45,
    )
    values.update(overrides)
    return SeasonDetails(**values)


def test_the_season_cannot_shrink_around_a_performance(booked):
    season, performance, company = booked
    with pytest.raises(SeasonError, match="fall outside these dates"):
        seasons.update_season(company, season, details(season, starts_on=performance.day + timedelta(days=1)))


def test_a_requested_production_cannot_be_dropped(booked):
    season, _performance, company = booked
    with pytest.raises(SeasonError, match="unticked"):
        seasons.update_season(company, season, details(season, production_ids=[999]))


def test_a_blackout_cannot_fall_on_a_performance(booked):
    season, performance, company = booked
    with pytest.raises(SeasonError, match="There are performances on"):
        seasons.add_blackout(company, season, performance.day, "INSET day")
    assert season.blackout_days == []


def test_a_cast_cannot_lose_a_day_it_performs_on(booked):
    season, performance, company = booked
    cast = performance.cast
    remaining = [d.day for d in cast.dates if d.day != performance.day]
    with pytest.raises(SeasonError, match="move or cancel them"):
        seasons.save_cast(
            company,
            season,
            cast,
            name=cast.name,
            max_per_day=2,
            production_ids=[p.id for p in season.productions],
            days=remaining,
        )
    assert performance.day in {d.day for d in cast.dates}


def test_a_cancelled_performance_does_not_hold_its_day(booked):
    season, performance, company = booked
    performance.status = PerformanceStatus.CANCELLED
    seasons.add_blackout(company, season, performance.day, "INSET day")
    assert [b.day for b in season.blackout_days] == [performance.day]


def test_a_blackout_day_can_be_removed_again(login_as, session):
    """Taking a day off the list deletes it (it was a 500: the ORM tried to blank the day's season, part of its key)."""
    season = make_season()
    company = make_user(Role.COMPANY)
    seasons.add_blackout(company, season, season.starts_on, "INSET day")
    response = post_form(login_as(company), f"/company/seasons/{season.id}/blackouts/{season.starts_on}/remove")
    assert response.status_code == 302 and location_path(response) == f"/company/seasons/{season.id}"
    assert session.query(BlackoutDay).filter_by(season_id=season.id).count() == 0
