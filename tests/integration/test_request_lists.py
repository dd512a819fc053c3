"""The company sees a season's requests before it runs the scheduler: searched, sorted, a page at a time, and each
request's page one click away with everything the scheduler reads."""

from __future__ import annotations

import re

import pytest

from portal.domain.requests import request_reference
from portal.models import PerformanceStatus, RequestStatus, Role
from portal.services import request_lists
from tests.factories import make_performance, make_request, make_school, make_season, make_user

ROW_LINK = re.compile(r'<a class="govuk-link" href="/company/requests/(\d+)">([^<]+)</a>')


@pytest.fixture
def season_with_requests(session):
    """Three schools' requests in one season (one withdrawn), and another season's request."""
    season = make_season()
    alder = make_school(name="Alder Academy", town="Banbury", urn="990501", priority=1)
    birch = make_school(name="Birch Hill School", town="Witney", urn="990502", priority=3)
    cedar = make_school(name="Cedar 100% College", town="Bicester", urn="990503", priority=2)
    requests = {
        "alder": make_request(alder, season, year_groups={8: 60, 9: 60}, days=5),
        "birch": make_request(birch, season, year_groups={9: 200}, days=2, access_notes="Unload at the back gate."),
        "cedar": make_request(cedar, season, year_groups={10: 90}, days=9, status=RequestStatus.WITHDRAWN),
    }
    make_request(make_school(name="Alder Other School"), make_season())
    return season, requests


def listed(client, season, **query) -> list[str]:
    response = client.get(f"/company/seasons/{season.id}/requests", query_string=query)
    assert response.status_code == 200
    return [name for _, name in ROW_LINK.findall(response.get_data(as_text=True))]


def test_the_list_shows_the_seasons_requests_with_what_people_compare(login_as, season_with_requests):
    season, requests = season_with_requests
    client = login_as(Role.COMPANY)
    page = client.get(f"/company/seasons/{season.id}/requests").get_data(as_text=True)
    assert [name for _, name in ROW_LINK.findall(page)] == ["Alder Academy", "Birch Hill School", "Cedar 100% College"]
    assert "Alder Other School" not in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Pupils">120</td>' in page
    assert '<td class="govuk-table__cell" data-label="Year groups">8, 9</td>' in page
    assert 'data-label="Dates offered">5 (1 preferred)</td>' in page
    assert "Withdrawn" in page and "Submitted" in page
    assert "3 requests in this season." in page
    assert 'aria-sort="ascending">School</th>' in page


@pytest.mark.parametrize(
    "search, expected",
    [
        ("birch", ["Birch Hill School"]),
        ("WITNEY", ["Birch Hill School"]),
        ("990503", ["Cedar 100% College"]),
        ("100%", ["Cedar 100% College"]),  # a % is a character here, not a wildcard
        ("a%y", []),
        ("nowhere", []),
        ("  alder ", ["Alder Academy"]),
    ],
)
def test_the_list_is_searched_by_school_name_town_and_urn(login_as, season_with_requests, search, expected):
    season, _ = season_with_requests
    assert listed(login_as(Role.COMPANY), season, q=search) == expected


def test_the_list_is_searched_by_reference(login_as, season_with_requests):
    season, requests = season_with_requests
    reference = request_reference(requests["birch"].id)
    client = login_as(Role.COMPANY)
    assert listed(client, season, q=reference) == ["Birch Hill School"]
    assert listed(client, season, q=reference.lower().replace("-", " ")) == ["Birch Hill School"]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("pupils", ["Birch Hill School", "Alder Academy", "Cedar 100% College"]),
        ("dates", ["Birch Hill School", "Alder Academy", "Cedar 100% College"]),
        ("priority", ["Birch Hill School", "Cedar 100% College", "Alder Academy"]),
        ("town", ["Alder Academy", "Cedar 100% College", "Birch Hill School"]),
        ("newest", ["Cedar 100% College", "Birch Hill School", "Alder Academy"]),
        ("oldest", ["Alder Academy", "Birch Hill School", "Cedar 100% College"]),
        ("made-up", ["Alder Academy", "Birch Hill School", "Cedar 100% College"]),
    ],
)
def test_the_list_sorts_by_the_columns_people_compare(login_as, season_with_requests, sort, expected):
    season, _ = season_with_requests
    assert listed(login_as(Role.COMPANY), season, sort=sort) == expected


def test_a_long_list_comes_a_page_at_a_time_with_govuk_pagination(login_as, session, monkeypatch):
    monkeypatch.setattr(request_lists, "PAGE_SIZE", 2)
    season = make_season()
    for letter in "ABCDE":
        make_request(make_school(name=f"{letter} School"), season)
    client = login_as(Role.COMPANY)
    assert listed(client, season) == ["A School", "B School"]
    assert listed(client, season, page="3") == ["E School"]
    assert listed(client, season, page="99") == ["E School"]  # past the end: the last page
    assert listed(client, season, page="nonsense") == ["A School", "B School"]
    page = client.get(f"/company/seasons/{season.id}/requests", query_string={"page": 2, "q": "school"})
    body = page.get_data(as_text=True)
    assert 'class="govuk-pagination"' in body
    assert "Showing 3 to 4 of 5 requests" in body
    # Page links keep the search and the sort.
    assert f'href="/company/seasons/{season.id}/requests?q=school&amp;sort=school&amp;page=3"' in body
    assert 'aria-current="page"' in body


def test_a_requests_page_shows_everything_the_scheduler_uses(login_as, season_with_requests):
    season, requests = season_with_requests
    request_ = requests["birch"]
    performance = make_performance(request_, status=PerformanceStatus.CONFIRMED)
    client = login_as(Role.COMPANY)
    page = client.get(f"/company/requests/{request_.id}").get_data(as_text=True)
    assert "Request from Birch Hill School" in page
    assert request_reference(request_.id) in page
    for shown in (
        "3 of 3",  # the school's priority
        "Unload at the back gate.",  # access notes
        "Dee Ess-Ell",  # the DSL
        "dsl@example.org",
        "01632 960 123",
        "Year 9: 200 pupils",
        "990502",
        "52.0500, -1.3500",
        "Performances needed",
    ):
        assert shown in page, shown
    assert f'href="/company/performances/{performance.id}"' in page
    assert f'href="/company/seasons/{season.id}/requests"' in page  # back to the list


def test_the_season_page_links_to_its_requests(login_as, season_with_requests):
    season, _ = season_with_requests
    page = login_as(Role.COMPANY).get(f"/company/seasons/{season.id}").get_data(as_text=True)
    assert f'href="/company/seasons/{season.id}/requests"' in page
    assert "3 requests" in page


def test_other_roles_cannot_see_the_company_request_pages(login_as, season_with_requests):
    season, requests = season_with_requests
    school = login_as(make_user(Role.SCHOOL, school=requests["alder"].school))
    assert school.get(f"/company/seasons/{season.id}/requests").status_code == 403
    assert school.get(f"/company/requests/{requests['alder'].id}").status_code == 403
    assert login_as(Role.COMPANY).get("/company/requests/987654").status_code == 404
