"""Council officers look over requests and performances across every school: a season at a time (the latest unless
they choose), searched by school name, URN, town, district or reference, sorted, a page at a time with every row
exactly once; odd input never fails; a page costs the same queries however many rows it shows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.domain.requests import request_reference
from portal.models import PerformanceStatus, RequestStatus, Role
from portal.services import programme_lists
from tests.factories import make_performance, make_request, make_school, make_season
from tests.integration.statements import counted_statements

REQUEST_LINK = re.compile(r'href="/council/requests/(\d+)">')
PERFORMANCE_LINK = re.compile(r'href="/council/performances/(\d+)">')
PAGE_SIZE = 3


@pytest.fixture(autouse=True)
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_PAGE_SIZE", PAGE_SIZE)


@pytest.fixture
def programme(session):
    """Eight schools' requests and performances in the latest season; one request in an older season."""
    season = make_season()
    older_start = season.starts_on - timedelta(weeks=10)
    older = make_season(starts_on=older_start, request_deadline=older_start - timedelta(weeks=2))
    places = [("Banbury", "Cherwell"), ("Witney", "West Oxfordshire"), ("Bicester", "Cherwell")]
    requests, performances = [], []
    for n, name in enumerate(["Ash", "Beech 100%", "Cedar", "Damson", "Elm", "Fir", "Gorse", "Holly"]):
        school = make_school(
            name=f"{name} School", urn=f"99{700 + n}", town=places[n % 3][0], district=places[n % 3][1]
        )
        withdrawn = {"status": RequestStatus.WITHDRAWN} if n == 5 else {}
        request_ = make_request(school, season, days=4, year_groups={9: 30 * (n + 1)}, **withdrawn)
        requests.append(request_)
        status = [PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED, PerformanceStatus.DELIVERED][n % 3]
        performances.append(
            make_performance(
                request_,
                day=request_.dates[n // 2].day,
                slot=season.slots[n % 2],
                status=status,
                pupils_planned=30 * (n + 1),
            )
        )
    old_request = make_request(make_school(name="Old Oak School"), older)
    return {"season": season, "older": older, "requests": requests, "performances": performances, "old": old_request}


def walk(client, path: str, link: re.Pattern, **query) -> list[int]:
    ids: list[int] = []
    for page in range(1, 100):
        response = client.get(path, query_string={**query, "page": str(page)})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        ids += [int(found) for found in link.findall(body)]
        pages = body.split('aria-label="Pages of the list"')  # not the schedule's links to other weeks
        if len(pages) == 1 or 'rel="next"' not in pages[1]:
            return ids
    raise AssertionError("the list never ended")


@pytest.mark.parametrize("sort", list(programme_lists.REQUEST_SORTS))
def test_every_request_of_the_latest_season_shows_once_in_each_sort(login_as, programme, sort):
    shown = walk(login_as(Role.COUNCIL), "/council/requests", REQUEST_LINK, sort=sort)
    requests = programme["requests"]
    assert sorted(shown) == sorted(request_.id for request_ in requests)
    by_id = {request_.id: request_ for request_ in requests}
    if sort == "pupils":
        assert [by_id[i].pupils for i in shown] == sorted((r.pupils for r in requests), reverse=True)
    if sort == "school":
        assert [by_id[i].school.name for i in shown] == sorted(r.school.name for r in requests)


def test_all_seasons_or_one_season_is_chosen(login_as, programme):
    client = login_as(Role.COUNCIL)
    every = walk(client, "/council/requests", REQUEST_LINK, season="all")
    assert sorted(every) == sorted([r.id for r in programme["requests"]] + [programme["old"].id])
    assert walk(client, "/council/requests", REQUEST_LINK, season=programme["older"].id) == [programme["old"].id]
    # A season that is not there, or not a number, means the latest.
    for odd in ("999999", "abc", "", "-1", "1" * 400):
        assert len(walk(client, "/council/requests", REQUEST_LINK, season=odd)) == 8


@pytest.mark.parametrize(
    ("search", "names"),
    [
        ("cedar", ["Cedar School"]),
        ("witney", ["Beech 100% School", "Elm School", "Holly School"]),
        ("west oxfordshire", ["Beech 100% School", "Elm School", "Holly School"]),
        ("99703", ["Damson School"]),
        ("100%", ["Beech 100% School"]),
        ("%", ["Beech 100% School"]),
        ("_", []),
        ("x" * 10_000, []),
    ],
)
def test_requests_are_found_by_school_name_town_district_or_urn(login_as, programme, search, names):
    shown = walk(login_as(Role.COUNCIL), "/council/requests", REQUEST_LINK, q=search, sort="school")
    by_id = {request_.id: request_.school.name for request_ in programme["requests"]}
    assert [by_id[i] for i in shown] == names


def test_a_request_is_found_by_its_reference(login_as, programme):
    wanted = programme["requests"][4]
    client = login_as(Role.COUNCIL)
    assert walk(client, "/council/requests", REQUEST_LINK, q=request_reference(wanted.id)) == [wanted.id]


def test_the_requests_page_shows_status_and_keeps_the_season_in_its_links(login_as, programme):
    season = programme["season"]
    page = login_as(Role.COUNCIL).get("/council/requests", query_string={"page": "2", "sort": "school"})
    body = page.get_data(as_text=True)
    assert "8 requests." in body and "Showing 4 to 6 of 8 requests" in body
    assert f'href="/council/requests?season={season.id}&amp;sort=school&amp;page=3"' in body
    fir = login_as(Role.COUNCIL).get("/council/requests?q=fir").get_data(as_text=True)
    assert "Withdrawn" in fir


@pytest.mark.parametrize("sort", list(programme_lists.PERFORMANCE_SORTS))
def test_every_performance_shows_once_in_each_sort(login_as, programme, sort):
    shown = walk(login_as(Role.COUNCIL), "/council/performances", PERFORMANCE_LINK, sort=sort)
    performances = programme["performances"]
    assert sorted(shown) == sorted(p.id for p in performances)
    by_id = {p.id: p for p in performances}
    keys = {
        "soonest": lambda p: (p.day, p.slot.starts_at, p.id),
        "latest": lambda p: (-p.day.toordinal(), -p.slot.starts_at.hour, p.id),
        "school": lambda p: (p.school.name, p.day, p.slot.starts_at, p.id),
        "district": lambda p: (p.school.district, p.school.name, p.day, p.slot.starts_at, p.id),
        "pupils": lambda p: (-p.pupils_planned, p.day, p.slot.starts_at, p.id),
    }
    assert shown == [p.id for p in sorted(by_id.values(), key=keys[sort])]


def test_performances_are_found_by_school_and_shown_by_status(login_as, programme):
    client = login_as(Role.COUNCIL)
    performances = programme["performances"]
    delivered = [p.id for p in performances if p.status == PerformanceStatus.DELIVERED]
    assert sorted(walk(client, "/council/performances", PERFORMANCE_LINK, status="delivered")) == sorted(delivered)
    assert walk(client, "/council/performances", PERFORMANCE_LINK, q="gorse") == [performances[6].id]
    cherwell_delivered = [
        p.id for p in performances if p.status == PerformanceStatus.DELIVERED and p.school.district == "Cherwell"
    ]
    shown = walk(client, "/council/performances", PERFORMANCE_LINK, q="cherwell", status="delivered")
    assert sorted(shown) == sorted(cherwell_delivered)
    assert len(walk(client, "/council/performances", PERFORMANCE_LINK, status="made-up")) == 8
    assert walk(client, "/council/performances", PERFORMANCE_LINK, season=programme["older"].id) == []


@pytest.mark.parametrize("path", ["/council/requests", "/council/performances"])
@pytest.mark.parametrize(
    ("name", "value"),
    [("page", "0"), ("page", "-3"), ("page", "abc"), ("page", "9" * 400), ("sort", "made-up"), ("sort", "x" * 900)]
    + [("q", "x" * 10_000), ("q", "'; select"), ("season", "x" * 900), ("status", "x" * 900)],
)
def test_odd_input_never_fails(login_as, programme, path, name, value):
    assert login_as(Role.COUNCIL).get(path, query_string={name: value}).status_code == 200


@pytest.mark.parametrize(
    ("path", "link"), [("/council/requests", REQUEST_LINK), ("/council/performances", PERFORMANCE_LINK)]
)
def test_a_full_page_costs_no_more_queries_than_a_page_of_one(login_as, programme, monkeypatch, path, link):
    client = login_as(Role.COUNCIL)
    counts = []
    for size in (1, 50):
        monkeypatch.setitem(client.application.config, "LIST_PAGE_SIZE", size)
        client.get(path)
        with counted_statements() as statements:
            body = client.get(path).get_data(as_text=True)
        counts.append(len(statements))
    assert len(link.findall(body)) == 8
    # No more for fifty rows than for one: one fewer, as a first page that holds the whole list is not counted.
    assert counts[1] == counts[0] - 1


def test_the_council_navigation_links_to_both_lists(login_as, session):
    page = login_as(Role.COUNCIL).get("/council/").get_data(as_text=True)
    assert 'href="/council/requests"' in page and 'href="/council/performances"' in page


def test_other_roles_cannot_see_the_lists(login_as, session):
    for role in (Role.SCHOOL, Role.COMPANY):
        client = login_as(role)
        assert client.get("/council/requests").status_code == 403
        assert client.get("/council/performances").status_code == 403


def test_performances_open_on_the_latest_season_that_has_any(login_as, programme):
    newest = make_season(starts_on=programme["season"].starts_on + timedelta(weeks=20))
    newest_request = make_request(make_school(name="Newest School"), newest)
    client = login_as(Role.COUNCIL)
    assert walk(client, "/council/requests", REQUEST_LINK) == [newest_request.id]
    assert sorted(walk(client, "/council/performances", PERFORMANCE_LINK)) == sorted(
        p.id for p in programme["performances"]
    )
    assert walk(client, "/council/performances", PERFORMANCE_LINK, season=newest.id) == []


# A season's schedule, a week at a time: a national tour's week holds hundreds of performances ---------------------

SCHEDULE_ROW = re.compile(r'href="/(?:company|council)/performances/(\d+)">')


@pytest.mark.parametrize("role", [Role.COMPANY, Role.COUNCIL])
def test_a_long_week_of_the_schedule_comes_a_page_at_a_time_in_time_order(login_as, programme, role):
    season, made = programme["season"], programme["performances"]
    week = min(p.day for p in made) - timedelta(days=min(p.day for p in made).weekday())
    in_week = [p for p in made if p.day <= week + timedelta(days=6)]
    path = f"/{role.value}/seasons/{season.id}/schedule"
    client = login_as(role)
    shown = walk(client, path, SCHEDULE_ROW, week=week.isoformat())
    assert shown == [p.id for p in sorted(in_week, key=lambda p: (p.day, p.slot.starts_at, p.cast_id, p.id))]
    assert len(shown) > PAGE_SIZE
    page = client.get(path, query_string={"week": week.isoformat(), "page": "2"}).get_data(as_text=True)
    assert f"Showing 4 to {min(6, len(in_week))} of {len(in_week)} performances this week" in page
    assert f"week={week.isoformat()}" in page and "page=3" in page or len(in_week) <= 6


def test_the_schedule_is_searched_by_school_and_keeps_the_search_from_week_to_week(login_as, programme):
    season, made = programme["season"], programme["performances"]
    gorse = made[6]
    week = gorse.day - timedelta(days=gorse.day.weekday())
    client = login_as(Role.COMPANY)
    path = f"/company/seasons/{season.id}/schedule"
    assert walk(client, path, SCHEDULE_ROW, week=week.isoformat(), q="gorse") == [gorse.id]
    assert walk(client, path, SCHEDULE_ROW, week=week.isoformat(), q="99706") == [gorse.id]
    page = client.get(path, query_string={"week": week.isoformat(), "q": "gorse"}).get_data(as_text=True)
    assert "1 performance this week match “gorse”." in page
    assert walk(client, path, SCHEDULE_ROW, week=week.isoformat(), q="x" * 10_000) == []
    for odd in ("0", "-1", "abc", "9" * 400):
        assert client.get(path, query_string={"week": week.isoformat(), "page": odd}).status_code == 200


@pytest.mark.parametrize("sort", list(programme_lists.PERFORMANCE_SORTS))
def test_pages_read_from_the_end_of_the_list_are_the_list_backwards(programme, sort):
    """A page in the second half is read in the reverse order from the end; the pages still join up into the one
    list, in order, each row once (pages of 3, 3 and 2, with ties on day, school and district)."""
    from portal.domain.listings import ListQuery

    whole = [p.id for p in programme_lists.performances(ListQuery(sort=sort, size=100), None).rows]
    paged = [
        p.id
        for page in range(1, 4)
        for p in programme_lists.performances(ListQuery(sort=sort, size=PAGE_SIZE, page=page), None).rows
    ]
    assert len(whole) == 8 and paged == whole
    assert [p.id for p in programme_lists.performances(ListQuery(sort=sort, size=5, page=2), None).rows] == whole[5:]
