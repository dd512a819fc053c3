"""Errors and history entries say school names, dates, times and year groups as people do, and who acted by name;
nothing like `request "r50"`, `performances[20]`, `cast "c5"`, `{'8': 180}` or `sequence: 0 → 1` reaches a page
(issue 15, item 8). The allocation run's figures say which one is weighted."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

from portal.clock import today
from portal.extensions import db
from portal.models import AllocationRun, PerformanceStatus, Role, RunStatus
from portal.services import performances, requests
from tests.factories import make_performance, make_request, make_school, make_season, make_user
from tests.integration.pages import post_form

PROGRAM_WORDS = re.compile(r'"[scrp]\d+"|\b[scrp]\d+\b|\[\d+\]|\{\'|\d{4}-\d\d-\d\d|sequence|_id\b|max_per_day')


def long_date(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def history_of(client, page: str) -> str:
    body = client.get(page).get_data(as_text=True)
    return body[body.index("Changes to this record") : body.index("</table>", body.index("Changes to this record"))]


def test_a_refused_move_names_the_cast_the_school_it_meets_the_date_and_the_time(session, login_as):
    season = make_season()
    oak, elm = make_school(name="Oak School"), make_school(name="Elm School")
    ours = make_performance(make_request(oak, season), status=PerformanceStatus.CONFIRMED)
    theirs = make_performance(
        make_request(elm, season), cast=season.casts[1], slot=season.slots[1], status=PerformanceStatus.CONFIRMED
    )
    company = login_as(Role.COMPANY)
    day = theirs.day
    response = post_form(
        company,
        f"/company/performances/{ours.id}/move",
        {
            "cast": str(season.casts[1].id),
            "day": [str(day.day), str(day.month), str(day.year)],
            "slot": str(season.slots[1].id),
            "reason": "Swap casts",
        },
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    summary = body[body.index("govuk-error-summary") : body.index("</ul>", body.index("govuk-error-summary"))]
    assert f"Cast B already performs on {long_date(day)} at 1:30pm (for Elm School)" in summary
    assert not PROGRAM_WORDS.search(summary), summary


def test_a_request_history_shows_year_groups_dates_and_times_in_words_and_who_by_name(session, login_as):
    season = make_season()
    school = make_school(name="Rowan School")
    staff = make_user(Role.SCHOOL, school=school, full_name="Sam Patel")
    request_ = make_request(school, season, year_groups={8: 180}, created_by=staff)
    draft = requests.draft_of(request_)
    first, *_ = sorted(draft.dates)
    council = make_user(Role.COUNCIL, full_name="Jo Whitfield")
    requests.update_request(
        council,
        request_,
        dataclasses.replace(
            draft,
            year_groups={8: 150, 9: 120},
            dates=draft.dates - {first},
            preferred_dates=draft.preferred_dates - {first},
            slot_ids=frozenset({season.slots[1].id}),
            staff_in_hall=9,
        ),
        today(),
    )
    for client, page in (
        (login_as(staff), f"/school/requests/{request_.id}"),
        (login_as(Role.COUNCIL), f"/council/requests/{request_.id}"),
    ):
        history = history_of(client, page)
        assert "Jo Whitfield (council)" in history
        assert "Pupils: Year 8: 180 pupils → Year 8: 150 pupils, Year 9: 120 pupils" in history
        assert f"Dates removed: {first.day} {first:%B %Y}" in history
        assert "Times of day: 9:15am and 1:30pm → 1:30pm" in history
        assert "Staff in the hall: 3 → 9" in history
        assert not PROGRAM_WORDS.search(history), history


def test_the_portals_own_steps_are_shown_as_the_portal_and_people_by_name(session, login_as):
    school = make_school(name="Alder School")
    staff = make_user(Role.SCHOOL, school=school, full_name="Sam Patel")
    request_ = make_request(school, make_season())
    lapsed = make_performance(request_, confirm_by=today() - timedelta(days=1))
    confirmed = make_performance(request_, slot=request_.season.slots[1], confirm_by=today() + timedelta(days=3))
    performances.release_unconfirmed_performances(today())
    performances.confirm_performance(staff, confirmed, today())
    client = login_as(staff)
    assert "The portal (automatic)" in history_of(client, f"/school/performances/{lapsed.id}")
    history = history_of(client, f"/school/performances/{confirmed.id}")
    assert "Sam Patel (school staff)" in history and "Status: Provisional → Confirmed" in history
    assert not PROGRAM_WORDS.search(history), history


def test_a_performance_offered_on_publishing_shows_its_time_and_cast_in_its_history(session, login_as):
    performance = make_performance(make_request(make_school(), make_season()))
    from portal.services import audit
    from portal.services.allocations import performance_snapshot

    audit.record(
        make_user(Role.COMPANY, full_name="Alex Morgan"),
        "performance.published",
        "performance",
        performance.id,
        after=performance_snapshot(performance),
    )
    history = history_of(login_as(Role.COMPANY), f"/company/performances/{performance.id}")
    assert f"When: {long_date(performance.day)} at 9:15am" in history
    assert "Cast: Cast A" in history and "Alex Morgan (theatre company)" in history
    assert not PROGRAM_WORDS.search(history), history


def test_the_run_page_says_which_figure_is_weighted_and_gives_unplaced_reasons_in_words(session, login_as):
    season = make_season()
    school = make_school(name="Birch School")
    request_ = make_request(school, season)
    from portal.services.instances import build_instance

    instance = build_instance(season)
    day = request_.dates[0].day
    run = AllocationRun(
        season=season,
        instance=instance,
        status=RunStatus.DONE,
        finished_at=datetime.now(UTC),
        allocation={
            "format": "cse-tour-allocation/1",
            "performances": [],
            "unplaced": [
                {
                    "request": f"r{request_.id}",
                    "pupils": 60,
                    "reason": f"no cast is free on {day.isoformat()}, the only date the school can host; "
                    f"offering the PM slot (13:30) would open 1 of its dates",
                }
            ],
            "stats": {"pupils_reached": 320, "weighted": 780, "performances": 4, "schools_served": 3, "bound": 900},
        },
    )
    db.session.add(run)
    db.session.flush()
    body = login_as(Role.COMPANY).get(f"/company/seasons/{season.id}/allocation/runs/{run.id}").get_data(as_text=True)
    assert "320</span><br>pupils reached" in body
    assert "of the most possible, weighted by priority" in body
    assert "Pupils reached counts each pupil once" in body
    assert "this run scores 780 of the 900" in body
    unplaced = body[body.index("Requests with pupils not placed") :]
    unplaced = unplaced[: unplaced.index("</table>")]
    assert f"No cast is free on {long_date(day)}, the only date the school can host" in unplaced
    assert "offering the 1:30pm slot would open 1 of its dates" in unplaced
    assert not PROGRAM_WORDS.search(unplaced), unplaced


def test_dates_in_history_never_show_as_iso_or_24_hour_times(session, login_as):
    """The history's own "when" column reads like the rest of the page: "4 January 2027, 1:30pm"."""
    performance = make_performance(make_request(make_school(), make_season()))
    performances.cancel_performance(make_user(Role.COMPANY), performance, "Ill")
    history = history_of(login_as(Role.COMPANY), f"/company/performances/{performance.id}")
    assert re.search(r"\d{1,2} \w+ \d{4}, \d{1,2}:\d\d[ap]m", history)
    assert not re.search(r"\b\d\d:\d\d\b", history)


def test_fields_the_history_does_not_know_yet_still_read_as_words(session, login_as):
    """A field another change adds to the audit log (a time, a yes or no, a date, an id) never shows as stored."""
    from portal.services import audit

    performance = make_performance(make_request(make_school(), make_season()))
    audit.record(
        make_user(Role.COUNCIL, full_name="Jo Whitfield"),
        "performance.confirmed",
        "performance",
        performance.id,
        before={"status": "provisional", "on_behalf": False, "held_until": None, "lapse_warned_on": None},
        after={
            "status": "confirmed",
            "on_behalf": True,
            "held_until": "2027-01-04T13:30:00+00:00",
            "lapse_warned_on": "2027-01-02",
            "offered_request_id": 12,
        },
    )
    history = history_of(login_as(Role.COMPANY), f"/company/performances/{performance.id}")
    assert "Jo Whitfield (council)" in history
    assert "On behalf: No → Yes" in history
    assert "Held until: 4 January 2027 at 1:30pm" in history
    assert "Lapse warned on: 2 January 2027" in history
    assert "12" not in history.split("Jo Whitfield")[1]
    assert not PROGRAM_WORDS.search(history), history
