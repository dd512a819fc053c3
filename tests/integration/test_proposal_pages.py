"""A run's proposal at national scale (20 casts over a season) is shown a week at a time, and its requests with
pupils not placed a page at a time; the figures stay whole, and performances kept in any week stay kept when the
scheduler runs again."""

from __future__ import annotations

import copy
import re
from datetime import timedelta

import pytest

from portal.domain.calendars import week_start
from portal.extensions import db
from portal.models import Role, RunStatus
from portal.services import allocations
from tests.factories import make_request, make_school, make_season, make_user

PAGE_SIZE = 2


@pytest.fixture(autouse=True)
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_PAGE_SIZE", PAGE_SIZE)


@pytest.fixture
def proposal(session):
    """A finished run proposing a performance in each of three weeks, one of them kept, and five requests short."""
    season = make_season(weeks=6)
    for n in range(5):
        make_request(make_school(name=f"Plover School {n}"), season, year_groups={9: 60})
    run = allocations.start_run(make_user(Role.COMPANY), season, season.request_deadline + timedelta(days=1))
    instance = copy.deepcopy(run.instance)
    requests, cast, slot = instance["requests"], instance["casts"][0]["id"], instance["slots"][0]["id"]
    first = week_start(season.starts_on)
    days = [first + timedelta(days=7 * n) for n in range(3)]
    entries = [
        {"request": requests[n]["id"], "date": day.isoformat(), "slot": slot, "cast": cast, "pupils": 60}
        for n, day in enumerate(days)
    ]
    instance["pinned"] = [{key: entries[2][key] for key in ("request", "date", "slot", "cast", "pupils")}]
    run.instance = instance
    unplaced = [
        {"request": r["id"], "pupils": 10 + n, "reason": "no free day in the hall"} for n, r in enumerate(requests)
    ]
    stats = {"pupils_reached": 180, "schools_served": 3, "performances": 3, "weighted": 180, "bound": 200}
    run.allocation = {"performances": entries, "unplaced": unplaced, "stats": stats}
    run.status = RunStatus.DONE
    db.session.flush()
    return season, run, days, entries


def page_of(client, season, run, **query) -> str:
    response = client.get(f"/company/seasons/{season.id}/allocation/runs/{run.id}", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def unplaced_rows(body: str) -> int:
    table = body[body.index('id="unplaced"') : body.index("</table>", body.index('id="unplaced"'))]
    return table.count('<tr class="govuk-table__row"><td')


def shown_pins(body: str) -> list[str]:
    return re.findall(r'name="pin" type="checkbox" value="([^"]+)"', body)


def test_the_proposal_opens_on_its_first_week_and_the_others_are_a_link_away(login_as, proposal):
    season, run, days, entries = proposal
    client = login_as(Role.COMPANY)
    body = page_of(client, season, run)
    first_pin = "|".join(str(entries[0][key]) for key in ("request", "date", "slot", "cast", "pupils"))
    assert "Week 1 of the 3 weeks" in body and shown_pins(body) == [first_pin]
    assert f"week={days[1].isoformat()}" in body and 'aria-label="Weeks of the proposal"' in body
    assert ">180<" in body and ">3<" in body  # the figures are the whole run's
    second = page_of(client, season, run, week=days[1].isoformat())
    assert "Week 2 of the 3 weeks" in second and len(shown_pins(second)) == 1
    mid_week = page_of(client, season, run, week=(days[1] + timedelta(days=3)).isoformat())
    assert "Week 2 of the 3 weeks" in mid_week
    for odd in ("2099-01-04", "not a date", "", "9" * 500, "2027-02-30"):
        assert "Week 1 of the 3 weeks" in page_of(client, season, run, week=odd)


def test_kept_performances_of_every_week_stay_kept(login_as, proposal):
    season, run, _days, entries = proposal
    body = page_of(login_as(Role.COMPANY), season, run)
    kept = "|".join(str(entries[2][key]) for key in ("request", "date", "slot", "cast", "pupils"))
    assert f'<input type="hidden" name="pin" value="{kept}">' in body  # in the third week, not shown
    assert kept not in shown_pins(body)


def test_requests_with_pupils_not_placed_come_a_page_at_a_time(login_as, proposal):
    season, run, days, _entries = proposal
    client = login_as(Role.COMPANY)
    body = page_of(client, season, run)
    assert "Requests with pupils not placed (5)" in body and "60 pupils in 5 requests could not be placed" in body
    assert unplaced_rows(body) == PAGE_SIZE
    last = page_of(client, season, run, page="3", week=days[2].isoformat())
    assert unplaced_rows(last) == 1 and "Week 3 of the 3 weeks" in last
    assert f"week={days[2].isoformat()}" in last and "#unplaced" in last
    for odd in ("-1", "abc", "9" * 400):
        assert unplaced_rows(page_of(client, season, run, page=odd)) >= 1


def test_the_casts_calendars_come_a_page_at_a_time_in_the_week_shown(login_as, proposal, monkeypatch):
    season, run, days, _entries = proposal
    monkeypatch.setattr(allocations, "CASTS_PER_PAGE", 1)
    client = login_as(Role.COMPANY)
    names = [cast["name"] for cast in run.instance["casts"]]
    first = page_of(client, season, run, week=days[1].isoformat())
    assert f"{names[0]}: " in first and f"{names[1]}: " not in first
    assert 'aria-label="Casts of the proposal"' in first and f"week={days[1].isoformat()}" in first
    assert "casts=2" in first
    second = page_of(client, season, run, week=days[1].isoformat(), casts="2")
    assert f"{names[1]}: " in second and f"{names[0]}: " not in second and "Week 2 of the 3 weeks" in second
    for odd in ("0", "-3", "x", "9" * 300):
        assert f"{names[0]}: " in page_of(client, season, run, casts=odd) or f"{names[1]}: " in page_of(
            client, season, run, casts=odd
        )
