"""The request form in steps: weeks and their days, preferred dates from the dates given, a check-your-answers page
before anything is saved, a confirmation page with a reference and an acknowledgement e-mail; a school that already
has a request for the season is sent to it before filling the form in; a season's blackout days as a range."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.clock import today
from portal.domain.calendars import bank_holidays_between, season_days, week_start
from portal.domain.requests import request_reference
from portal.extensions import db
from portal.models import BlackoutDay, OutboxMessage, PerformanceStatus, Request, RequestStatus, Role
from portal.services import seasons
from portal.services.seasons import SeasonError
from tests.factories import make_performance, make_production, make_request, make_school, make_season, make_user
from tests.integration.pages import location_path, post_form, request_form_data, send_request_form

CHANGE_LINK = re.compile(
    r'<a class="govuk-link" href="([^"]+)">Change<span class="govuk-visually-hidden"> ([^<]+)</span>'
)


def requests_of(school) -> list[Request]:
    return list(db.session.scalars(select(Request).where(Request.school_id == school.id).order_by(Request.id)))


def messages_to(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.to_address == address).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def form_only(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "preferred_dates"}


@pytest.fixture
def staff(session):
    """School staff at a school with no request yet, and an open season of four weeks with one production."""
    season = make_season()
    user = make_user(Role.SCHOOL, school=make_school(name="Rowan Academy"))
    return user, season


def test_a_new_request_is_saved_only_when_the_check_page_is_sent(login_as, staff):
    user, season = staff
    client = login_as(user)
    new = f"/school/seasons/{season.id}/requests/new"
    data = request_form_data(season)

    response = post_form(client, new, form_only(data))
    assert location_path(response) == f"{new}/preferred-dates"
    # The preferred dates are asked for among the dates given, and only those.
    page = client.get(f"{new}/preferred-dates").get_data(as_text=True)
    offered = set(re.findall(r'name="preferred_dates" type="checkbox" value="([0-9-]+)"', page))
    assert offered == set(data["dates"])
    response = post_form(client, f"{new}/preferred-dates", {"preferred_dates": [data["dates"][1]]})
    assert location_path(response) == f"{new}/check"
    assert requests_of(user.school) == []

    check = client.get(f"{new}/check").get_data(as_text=True)
    assert "Check your answers before sending your request" in check
    changes = dict((hidden, href) for href, hidden in CHANGE_LINK.findall(check))
    assert changes["dates the hall is free"] == f"{new}?change=1#weeks"
    assert changes["preferred dates"] == f"{new}/preferred-dates"
    assert {"production", "pupils", "times of day", "staff in the hall", "DSL attending", "access notes"} <= set(
        changes
    )
    assert requests_of(user.school) == []

    response = post_form(client, f"{new}/check")
    (made,) = requests_of(user.school)
    assert location_path(response) == f"/school/requests/{made.id}/sent"
    assert sorted(day.day.isoformat() for day in made.dates) == data["dates"]
    assert [day.day.isoformat() for day in made.dates if day.preferred] == [data["dates"][1]]
    assert client.get(f"{new}/check").status_code == 302  # the answers are not kept once sent


def test_the_confirmation_page_and_the_email_give_the_reference(login_as, staff):
    user, season = staff
    client = login_as(user)
    response = send_request_form(client, f"/school/seasons/{season.id}/requests/new", request_form_data(season))
    (made,) = requests_of(user.school)
    reference = request_reference(made.id)
    assert re.fullmatch(r"REQ-\d{5,}", reference)

    page = client.get(location_path(response)).get_data(as_text=True)
    assert 'class="govuk-panel govuk-panel--confirmation"' in page
    assert f"<strong>{reference}</strong>" in page
    assert user.email in page

    (message,) = messages_to(user.email)
    assert message.subject == f"Request received: reference {reference}"
    assert reference in message.body_text and reference in message.body_html
    assert f"/school/requests/{made.id}" in message.body_text
    assert "Year 9: 60 pupils" in message.body_text
    assert "3 dates when the hall is free" in message.body_text
    # The reference is on the request's page too, where a person looks for it later.
    assert reference in client.get(f"/school/requests/{made.id}").get_data(as_text=True)


def test_weeks_are_chosen_whole_and_single_days_unticked(login_as, staff):
    user, season = staff
    client = login_as(user)
    days = season_days(season.starts_on, season.ends_on)
    first_week = [day for day in days if week_start(day) == season.starts_on]
    third_week = [day for day in days if week_start(day) == season.starts_on + timedelta(weeks=2)]
    data = request_form_data(season)
    # Weeks one and three ticked, Wednesday of week one unticked; the second week's days are sent too (its hidden
    # boxes stay ticked) but its box is not, so they do not count.
    ticked = [day for day in days if day != first_week[2]]
    data.update(
        weeks=[first_week[0].isoformat(), third_week[0].isoformat()],
        dates=[day.isoformat() for day in ticked],
        preferred_dates=[],
    )
    response = send_request_form(client, f"/school/seasons/{season.id}/requests/new", data)
    assert response.status_code == 302
    (made,) = requests_of(user.school)
    assert [day.day for day in made.dates] == [day for day in first_week + third_week if day != first_week[2]]


def test_the_form_offers_only_the_seasons_performing_days(login_as, session):
    holidays = bank_holidays_between(today() + timedelta(days=30), today() + timedelta(days=400))
    holiday = next(day for day in holidays)
    season = make_season(starts_on=week_start(holiday), weeks=2)
    second_week = season.starts_on + timedelta(weeks=1)
    blackout = next(day for day in season_days(season.starts_on, season.ends_on) if day >= second_week)
    season.blackout_days.append(BlackoutDay(day=blackout, reason="INSET day"))
    db.session.flush()
    client = login_as(make_user(Role.SCHOOL))
    page = client.get(f"/school/seasons/{season.id}/requests/new").get_data(as_text=True)
    offered = set(re.findall(r'name="dates" type="checkbox" value="([0-9-]+)"', page))
    weeks = re.findall(r'name="weeks" type="checkbox" value="([0-9-]+)"', page)
    assert weeks == [week_start(holiday).isoformat(), (week_start(holiday) + timedelta(weeks=1)).isoformat()]
    assert holiday.isoformat() not in offered and blackout.isoformat() not in offered
    assert offered == {day.isoformat() for day in season_days(season.starts_on, season.ends_on, {blackout})}
    assert "Week beginning" in page and 'class="govuk-checkboxes__conditional' in page


def test_a_day_of_an_unticked_week_never_makes_a_request_without_a_week(login_as, staff):
    user, season = staff
    client = login_as(user)
    data = {**request_form_data(season), "weeks": []}
    response = post_form(client, f"/school/seasons/{season.id}/requests/new", form_only(data))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'href="#weeks">Select at least one date when your hall is free' in body


def test_a_change_link_brings_back_the_answers_and_returns_to_the_check_page(login_as, staff):
    user, season = staff
    client = login_as(user)
    new = f"/school/seasons/{season.id}/requests/new"
    data = request_form_data(season, staff_in_hall="3")
    post_form(client, new, form_only(data))
    post_form(client, f"{new}/preferred-dates", {"preferred_dates": data["preferred_dates"]})

    page = client.get(f"{new}?change=1").get_data(as_text=True)
    assert 'value="Dana Lead"' in page and 'name="staff_in_hall" type="text" value="3"' in page
    # Only the staff changed: straight back to the check page, the preferred date kept.
    response = post_form(client, f"{new}?change=1", form_only({**data, "staff_in_hall": "5"}))
    assert location_path(response) == f"{new}/check"
    check = client.get(f"{new}/check").get_data(as_text=True)
    assert re.search(r"Staff in the hall\s*</dt>\s*<dd[^>]*>\s*5\s*</dd>", check)
    assert "Preferred dates" in check and check.count("<li>") >= 1
    # The dates changed: the preferred dates are asked for again.
    fewer = {**data, "staff_in_hall": "5", "dates": data["dates"][:2]}
    response = post_form(client, f"{new}?change=1", form_only(fewer))
    assert location_path(response) == f"{new}/preferred-dates"

    send = post_form(client, f"{new}/check")
    (made,) = requests_of(user.school)
    assert location_path(send) == f"/school/requests/{made.id}/sent"
    assert made.staff_in_hall == 5 and len(made.dates) == 2
    assert [day.day.isoformat() for day in made.dates if day.preferred] == data["preferred_dates"]


def test_answers_too_big_to_keep_between_the_steps_are_refused_not_lost(login_as, staff):
    """The answers wait in the session cookie: a thousand characters of text that JSON escapes (six bytes each)
    would make it bigger than a browser keeps, so the person is asked to shorten it."""
    user, season = staff
    client = login_as(user)
    notes = "".join(chr(0x4E00 + (index * 7919) % 20000) for index in range(1000))
    data = form_only(request_form_data(season, access_notes=notes))
    response = post_form(client, f"/school/seasons/{season.id}/requests/new", data)
    assert response.status_code == 200
    assert "Access notes are too long to keep: shorten them" in response.get_data(as_text=True)
    short = post_form(client, f"/school/seasons/{season.id}/requests/new", {**data, "access_notes": notes[:300]})
    assert location_path(short).endswith("/preferred-dates")


def test_a_preferred_date_must_be_one_of_the_dates_given(login_as, staff):
    user, season = staff
    client = login_as(user)
    new = f"/school/seasons/{season.id}/requests/new"
    data = request_form_data(season)
    post_form(client, new, form_only(data))
    other = season_days(season.starts_on, season.ends_on)[-1].isoformat()
    post_form(client, f"{new}/preferred-dates", {"preferred_dates": [other, data["dates"][2]]})
    post_form(client, f"{new}/check")
    (made,) = requests_of(user.school)
    assert [day.day.isoformat() for day in made.dates if day.preferred] == [data["dates"][2]]


def test_the_later_steps_without_answers_go_back_to_the_form(login_as, staff):
    user, season = staff
    client = login_as(user)
    new = f"/school/seasons/{season.id}/requests/new"
    for step in ("preferred-dates", "check"):
        assert location_path(client.get(f"{new}/{step}")) == new
    assert location_path(post_form(client, f"{new}/check")) == new
    assert requests_of(user.school) == []


def test_a_school_with_a_request_for_the_season_is_sent_to_it_before_filling_the_form_in(login_as, staff):
    user, season = staff
    existing = make_request(user.school, season)
    client = login_as(user)
    response = client.get(f"/school/seasons/{season.id}/requests/new")
    assert location_path(response) == f"/school/requests/{existing.id}"
    page = client.get(f"/school/requests/{existing.id}").get_data(as_text=True)
    assert f"Your school already has a request for {season.name}. You can change it here until" in page
    # After withdrawing it, the school can ask again.
    existing.status = RequestStatus.WITHDRAWN
    db.session.flush()
    assert client.get(f"/school/seasons/{season.id}/requests/new").status_code == 200


def test_with_two_productions_the_form_offers_the_one_not_yet_asked_for(login_as, session):
    season = make_season(productions=[make_production(title="Trust Me"), make_production(title="Lost Signal")])
    user = make_user(Role.SCHOOL)
    existing = make_request(user.school, season, production=season.productions[1])
    page = login_as(user).get(f"/school/seasons/{season.id}/requests/new").get_data(as_text=True)
    productions = re.findall(r'name="production" type="radio" value="(\d+)"', page)
    assert productions == [str(season.productions[0].id)]
    assert f'href="/school/requests/{existing.id}">Lost Signal</a>' in page


def test_changing_a_request_goes_through_the_check_page_and_sends_no_acknowledgement(login_as, session):
    user = make_user(Role.SCHOOL)
    request_ = make_request(user.school, year_groups={9: 60})
    client = login_as(user)
    edit = f"/school/requests/{request_.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert re.search(r'name="year_9"[^>]* value="60"', page)
    kept = {day.day.isoformat() for day in request_.dates}
    assert kept <= set(re.findall(r'name="dates" type="checkbox" value="([0-9-]+)" checked', page))

    data = request_form_data(request_.season, year_9="90")
    response = post_form(client, edit, form_only(data))
    assert location_path(response) == f"{edit}/preferred-dates"
    post_form(client, f"{edit}/preferred-dates", {"preferred_dates": []})
    check = client.get(f"{edit}/check").get_data(as_text=True)
    assert "Check your changes" in check and "Save changes" in check
    response = post_form(client, f"{edit}/check")
    assert location_path(response) == f"/school/requests/{request_.id}"
    assert "Your changes have been saved." in client.get(location_path(response)).get_data(as_text=True)
    db.session.refresh(request_)
    assert request_.pupils == 90
    assert messages_to(user.email) == []


def test_a_withdrawn_request_cannot_be_changed_through_the_steps(login_as, session):
    user = make_user(Role.SCHOOL)
    request_ = make_request(user.school, status=RequestStatus.WITHDRAWN)
    response = post_form(login_as(user), f"/school/requests/{request_.id}/edit", request_form_data(request_.season))
    assert response.status_code == 200
    assert "This request has been withdrawn: make a new one instead" in response.get_data(as_text=True)


@pytest.mark.parametrize("step", ["sent", "edit/preferred-dates", "edit/check"])
def test_another_schools_request_steps_do_not_exist(login_as, session, step):
    other = make_request()
    client = login_as(make_user(Role.SCHOOL))
    assert client.get(f"/school/requests/{other.id}/{step}").status_code == 404


def test_the_council_on_behalf_gets_the_steps_the_confirmation_and_the_email(login_as, staff):
    _, season = staff
    school = make_school(name="Elm Park School")
    officer = make_user(Role.COUNCIL)
    client = login_as(officer)
    url = f"/council/schools/{school.id}/seasons/{season.id}/requests/new"
    response = send_request_form(client, url, request_form_data(season))
    (made,) = requests_of(school)
    assert location_path(response) == f"/council/requests/{made.id}/sent"
    assert made.made_on_behalf
    page = client.get(location_path(response)).get_data(as_text=True)
    assert request_reference(made.id) in page and "Back to Elm Park School" in page
    (message,) = messages_to(officer.email)
    assert "the request you made for Elm Park School" in message.body_text
    assert f"/council/requests/{made.id}" in message.body_text
    # The school now has its request: the council is sent to it too.
    again = client.get(url)
    assert location_path(again) == f"/council/requests/{made.id}"
    assert "Elm Park School already has a request" in client.get(location_path(again)).get_data(as_text=True)


def test_a_half_term_week_is_blacked_out_at_once(login_as, session):
    season = make_season(weeks=3)
    company = make_user(Role.COMPANY)
    monday = season.starts_on + timedelta(weeks=1)
    friday, sunday = monday + timedelta(days=4), monday + timedelta(days=6)
    response = post_form(
        login_as(company),
        f"/company/seasons/{season.id}/blackouts",
        {"day": as_fields(monday), "last_day": as_fields(sunday), "reason": "Half term"},
    )
    assert location_path(response) == f"/company/seasons/{season.id}"
    session.expire_all()
    expected = season_days(monday, friday)  # weekdays only (less any bank holiday)
    assert [blackout.day for blackout in season.blackout_days] == expected
    assert {blackout.reason for blackout in season.blackout_days} == {"Half term"}
    for cast in season.casts:
        assert not {cast_date.day for cast_date in cast.dates} & set(expected)
    assert not set(expected) & set(seasons.open_days(season))


def test_a_blackout_range_skips_days_already_out_and_refuses_days_with_performances(session):
    season = make_season(weeks=3)
    company = make_user(Role.COMPANY)
    monday = season.starts_on + timedelta(weeks=1)
    seasons.add_blackout(company, season, monday + timedelta(days=2), "INSET day")
    added = seasons.add_blackout(company, season, monday, "Half term", monday + timedelta(days=4))
    assert added == [day for day in season_days(monday, monday + timedelta(days=4)) if day != monday + timedelta(2)]

    performance = make_performance(make_request(season=season), status=PerformanceStatus.CONFIRMED)
    with pytest.raises(SeasonError, match="There are performances on"):
        seasons.add_blackout(company, season, performance.day, "", performance.day + timedelta(days=2))
    with pytest.raises(SeasonError) as error:
        seasons.add_blackout(company, season, monday + timedelta(days=4), "", monday)
    assert error.value.field == "last_day"
    with pytest.raises(SeasonError, match="within the season"):
        seasons.add_blackout(company, season, monday, "", season.ends_on + timedelta(days=7))


def test_one_blackout_day_still_works_as_before(login_as, session):
    season = make_season()
    day = season.starts_on + timedelta(days=1)
    client = login_as(make_user(Role.COMPANY))
    response = post_form(client, f"/company/seasons/{season.id}/blackouts", {"day": as_fields(day)})
    assert response.status_code == 302
    assert [blackout.day for blackout in season.blackout_days] == [day]
    page = client.get(location_path(response)).get_data(as_text=True)
    assert "Blackout day added: no performances will be planned on it." in page
    assert db.session.scalar(select(func.count()).select_from(BlackoutDay)) >= 1


def as_fields(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]
