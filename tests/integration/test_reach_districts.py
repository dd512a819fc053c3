"""The reach tables by district (figures, the pipeline, questionnaire results) come a page at a time, one link from
the dashboard: every district shows exactly once across the pages, in every sort, in the order the figures give;
a search finds districts by name; odd input in the address never fails; the dashboard no longer lists them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from portal.clock import today
from portal.domain.reach import Period
from portal.domain.reach_lists import DISTRICT_EVALUATION_SORTS, DISTRICT_FIGURE_SORTS, DISTRICT_PIPELINE_SORTS
from portal.extensions import db
from portal.models import EvaluationReturn, FollowUpLesson, PerformanceAttendance, PerformanceStatus, Role
from portal.services import reach
from tests.factories import make_performance, make_request, make_school, make_season

ROW = re.compile(r'<th scope="row" class="govuk-table__header">([^<]+)</th>')
PAGE_SIZE = 2
DISTRICTS = ["Cherwell", "West Oxfordshire", "Oxford", "Vale of White Horse", "South Oxfordshire"]
LISTS = {
    "/reach/districts": DISTRICT_FIGURE_SORTS,
    "/reach/pipeline-districts": DISTRICT_PIPELINE_SORTS,
    "/reach/evaluation-districts": DISTRICT_EVALUATION_SORTS,
}


@pytest.fixture(autouse=True)
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_PAGE_SIZE", PAGE_SIZE)


@pytest.fixture
def programme(session) -> dict:
    """A school in each of five districts, each seen the drama by a different number of pupils (two the same)."""
    season = make_season(weeks=6)
    for index, (district, pupils) in enumerate(zip(DISTRICTS, [70, 45, 90, 45, 12], strict=True)):
        school = make_school(name=f"{district} School", district=district)
        request_ = make_request(school, season, year_groups={9: 100}, days=10)
        performance = make_performance(
            request_, day=request_.dates[index].day, status=PerformanceStatus.DELIVERED, pupils_attended=pupils
        )
        performance.attendance = [PerformanceAttendance(year_group=9, pupils=pupils)]
        lesson_day = performance.day + timedelta(days=7)
        db.session.add(
            FollowUpLesson(
                school_id=school.id, performance_id=performance.id, delivered_on=lesson_day, year_group=9, pupils=pupils
            )
        )
        db.session.add(
            EvaluationReturn(
                performance_id=performance.id,
                respondents=pupils,
                confident_before=1,
                confident_after=2,
                know_help_before=1,
                know_help_after=2,
                staff_rating=4,
            )
        )
    db.session.flush()
    return {"season": season}


def walk(client, path: str, **query) -> list[str]:
    """The districts a list shows, page after page, until there is no next page."""
    names: list[str] = []
    for page in range(1, 100):
        response = client.get(path, query_string={**query, "page": str(page)})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        names += ROW.findall(body)
        if 'rel="next"' not in body:
            return names
    raise AssertionError("the list never ended")


@pytest.mark.parametrize("path", list(LISTS))
def test_every_district_shows_once_across_the_pages_in_each_sort(login_as, programme, path):
    client = login_as(Role.COUNCIL)
    for sort in LISTS[path]:
        shown = walk(client, path, sort=sort)
        assert sorted(shown) == sorted(DISTRICTS), sort
    assert walk(client, path, sort="name") == sorted(DISTRICTS)


def test_districts_sorted_by_pupils_seen_follow_the_figures(login_as, programme):
    figures = reach.programme_reach(Period(), today()).by_district
    shown = walk(login_as(Role.COUNCIL), "/reach/districts", sort="seen")
    expected = sorted(figures, key=lambda name: (-figures[name].seen_drama, name))
    assert shown == expected and shown[0] == "Oxford" and shown[-1] == "South Oxfordshire"


@pytest.mark.parametrize("path", list(LISTS))
def test_a_district_is_found_by_its_name(login_as, programme, path):
    client = login_as(Role.COUNCIL)
    assert walk(client, path, q="oxfordshire") == ["South Oxfordshire", "West Oxfordshire"]
    assert walk(client, path, q="%") == [] and walk(client, path, q="x" * 10_000) == []


@pytest.mark.parametrize("path", list(LISTS))
@pytest.mark.parametrize(
    ("name", "value"), [("page", "-1"), ("page", "9" * 5000), ("sort", "made-up"), ("season", "abc"), ("from", "x")]
)
def test_odd_input_on_a_district_list_never_fails(login_as, programme, path, name, value):
    response = login_as(Role.COUNCIL).get(path, query_string={name: value})
    assert response.status_code == 200


def test_the_dashboard_links_to_the_district_lists_instead_of_listing_them(login_as, programme):
    body = login_as(Role.COUNCIL).get("/reach/").get_data(as_text=True)
    for path in LISTS:
        assert f'href="{path}?season=' in body or f'href="{path}"' in body
    assert "Vale of White Horse" not in body  # no district's row on the dashboard
    assert "/reach/export/districts" in body and "/reach/export/pipeline-districts" in body
