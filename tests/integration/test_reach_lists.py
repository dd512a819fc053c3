"""The reach tables that list schools (figures by school, the pipeline by school, schools not reached) come a page at
a time: every school shows exactly once across the pages, in every sort and search, in the order the figures give;
odd input in the address never fails; the exports keep every row and agree with the pages."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import FollowUpLesson, PerformanceAttendance, PerformanceStatus, Role, School
from portal.services import reach_exports
from tests.factories import make_performance, make_request, make_school, make_season

ROW = re.compile(r'data-school-id="(\d+)"')
PAGE_SIZE = 3
ODD_PAGES = ["0", "-1", "abc", "1.5", "", "99999999999999999999999999", "9" * 5000, "1e3", "٣"]
ODD_SORTS = ["made-up", "", "seen;drop table schools", "x" * 5000]
ODD_SEARCHES = ["x" * 10_000, "%", "_", "100%", "\\", "'", '"', "   ", "<script>", "Ω"]
PAGES = ["/reach/schools", "/reach/pipeline-schools", "/reach/not-reached"]


@pytest.fixture(autouse=True)
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_PAGE_SIZE", PAGE_SIZE)


@pytest.fixture
def programme(session) -> dict:
    """Eleven schools over three districts: seven seen the drama (two with the same pupils, two sharing a name, one
    never discussing it), one requested only, three never asked."""
    season = make_season(weeks=6)
    places = [("Banbury", "Cherwell"), ("Witney", "West Oxfordshire"), ("Oxford", "Oxford")]
    names = ["Ash School", "Beech 100% Academy", "Cedar School", "Damson College", "Elm School", "Hazel_Academy"]
    names += ["Hazel_Academy", "Juniper School", "Kale School", "Larch School", "Maple School"]
    schools = [
        make_school(name=name, urn=f"97{300 + n}", town=places[n % 3][0], district=places[n % 3][1], priority=1 + n % 3)
        for n, name in enumerate(names)
    ]
    seen = [70, 45, 90, 45, 12, 60, 33]
    for index, pupils in enumerate(seen):
        request_ = make_request(schools[index], season, year_groups={9: 100}, days=10)
        performance = make_performance(
            request_, day=request_.dates[index].day, status=PerformanceStatus.DELIVERED, pupils_attended=pupils
        )
        performance.attendance = [PerformanceAttendance(year_group=9, pupils=pupils)]
        if index != 4:
            lesson_day = performance.day + timedelta(days=7)
            db.session.add(
                FollowUpLesson(
                    school_id=schools[index].id,
                    performance_id=performance.id,
                    delivered_on=lesson_day,
                    year_group=9,
                    pupils=pupils - index,
                )
            )
    make_request(schools[7], season, year_groups={9: 80})
    db.session.flush()
    return {"season": season, "schools": schools}


def walk(client, path: str, **query) -> list[int]:
    """The school ids a list shows, page after page, until there is no next page."""
    ids: list[int] = []
    for page in range(1, 100):
        response = client.get(path, query_string={**query, "page": str(page)})
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        ids += [int(found) for found in ROW.findall(body)]
        if 'rel="next"' not in body:
            return ids
        assert 'class="govuk-pagination"' in body
    raise AssertionError("the list never ended")


def exported(client, table: str, **query) -> list[dict]:
    response = client.get(f"/reach/export/{table}.csv", query_string=query)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def by_name(school: School) -> tuple:
    return (school.name.casefold(), school.urn, school.id)


SCHOOL_KEYS = {
    "name": by_name,
    "district": lambda s: (s.district.casefold(), *by_name(s)),
    "town": lambda s: (s.town.casefold(), *by_name(s)),
    "priority": lambda s: (-s.priority, *by_name(s)),
}


@pytest.mark.parametrize("sort", ["seen", "discussed", "planned", "name", "district"])
def test_every_school_with_figures_shows_once_in_each_sort_as_the_export_counts_it(login_as, programme, sort):
    council = login_as(Role.COUNCIL)
    schools = {school.urn: school for school in programme["schools"]}
    rows = exported(council, "schools")
    assert len(rows) == 7
    column = {"seen": "seen_drama", "discussed": "discussed_in_class", "planned": "planned"}.get(sort)
    if column:
        key = lambda row: (-int(row[column]), *by_name(schools[row["urn"]]))  # noqa: E731
    else:
        key = lambda row: SCHOOL_KEYS[sort](schools[row["urn"]])  # noqa: E731
    expected = [schools[row["urn"]].id for row in sorted(rows, key=key)]
    assert walk(council, "/reach/schools", sort=sort) == expected


@pytest.mark.parametrize(
    "sort", ["requested", "provisional", "confirmed", "delivered", "discussed", "name", "district"]
)
def test_every_school_in_the_pipeline_shows_once_in_each_sort(login_as, programme, sort):
    council = login_as(Role.COUNCIL)
    schools = {school.urn: school for school in programme["schools"]}
    rows = exported(council, "pipeline-schools")
    assert len(rows) == 8
    if sort in ("name", "district"):
        key = lambda row: SCHOOL_KEYS[sort](schools[row["urn"]])  # noqa: E731
    else:
        key = lambda row: (-int(row[sort]), *by_name(schools[row["urn"]]))  # noqa: E731
    assert walk(council, "/reach/pipeline-schools", sort=sort) == [
        schools[row["urn"]].id for row in sorted(rows, key=key)
    ]


@pytest.mark.parametrize("sort", ["priority", "name", "district", "town"])
def test_every_school_not_reached_shows_once_in_each_sort(login_as, programme, sort):
    council = login_as(Role.COUNCIL)
    not_reached = programme["schools"][7:]
    assert walk(council, "/reach/not-reached", sort=sort) == [s.id for s in sorted(not_reached, key=SCHOOL_KEYS[sort])]
    assert sorted(row["urn"] for row in exported(council, "not-reached")) == sorted(s.urn for s in not_reached)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("cedar", ["Cedar School"]),
        ("WITNEY", ["Beech 100% Academy", "Elm School"]),
        ("west oxford", ["Beech 100% Academy", "Elm School"]),
        ("97302", ["Cedar School"]),
        (
            "9730",
            ["Ash School", "Beech 100% Academy", "Cedar School", "Damson College", "Elm School"]
            + ["Hazel_Academy"] * 2,
        ),
        ("100%", ["Beech 100% Academy"]),  # a % is a character here, not a wildcard
        ("h_z", []),  # and so is _
        ("hazel_", ["Hazel_Academy", "Hazel_Academy"]),
        ("  damson   college ", ["Damson College"]),
        ("nowhere", []),
    ],
)
def test_schools_are_found_by_name_town_district_or_urn(login_as, programme, search, expected):
    names = {school.id: school.name for school in programme["schools"]}
    shown = walk(login_as(Role.COUNCIL), "/reach/schools", q=search, sort="name")
    assert [names[school_id] for school_id in shown] == expected


def test_a_search_crosses_pages_and_the_links_keep_it_and_the_period(login_as, programme):
    council = login_as(Role.COUNCIL)
    season = programme["season"]
    page = council.get("/reach/not-reached", query_string={"q": "school", "season": season.id}).get_data(as_text=True)
    assert "4 schools match “school”." in page
    assert f'href="/reach/not-reached?season={season.id}&amp;q=school&amp;sort=priority&amp;page=2"' in page
    assert len(walk(council, "/reach/not-reached", q="school", season=season.id)) == 4
    assert len(walk(council, "/reach/schools", q="cherwell", season=season.id)) == 3


def test_the_period_chooses_the_figures(login_as, programme):
    council = login_as(Role.COUNCIL)
    first_days = programme["season"].starts_on, programme["season"].starts_on + timedelta(days=1)
    period = {"from": first_days[0].isoformat(), "to": first_days[1].isoformat()}
    within = exported(council, "schools", **period)
    assert 0 < len(within) < 7
    assert walk(council, "/reach/schools", **period) != walk(council, "/reach/schools")
    assert sorted(walk(council, "/reach/schools", **period)) == sorted(
        school.id for school in programme["schools"] if school.urn in {row["urn"] for row in within}
    )


def test_page_numbers_past_the_end_show_the_last_page(login_as, programme):
    council = login_as(Role.COUNCIL)
    last = ROW.findall(council.get("/reach/schools?page=3").get_data(as_text=True))
    assert len(last) == 1
    for page in ("4", "1000", "99999999999999999999999999"):
        assert ROW.findall(council.get(f"/reach/schools?page={page}").get_data(as_text=True)) == last


ODD_INPUT = (
    [("page", v) for v in ODD_PAGES]
    + [("sort", v) for v in ODD_SORTS]
    + [("q", v) for v in ODD_SEARCHES]
    + [("season", "abc"), ("season", "99999999999"), ("from", "2027-02-30"), ("to", "x" * 5000)]
)


@pytest.mark.parametrize("path", PAGES)
def test_odd_input_in_the_address_never_fails(login_as, programme, path):
    council = login_as(Role.COUNCIL)
    for name, value in ODD_INPUT:
        response = council.get(path, query_string={name: value})
        assert response.status_code == 200, (name, value)
        body = response.get_data(as_text=True)
        if name in ("page", "sort"):  # the first page in the default order, or the last page for a huge number
            assert len(ROW.findall(body)) > 0
        if name == "q":
            assert "x" * 101 not in body  # a long search is cut to 100 characters
        if name in ("season", "from", "to"):
            assert "Select a season from the list" in body or "Dates must be real dates" in body


def test_the_dashboard_links_to_the_tables_of_schools_for_its_period(login_as, programme):
    season = programme["season"]
    page = login_as(Role.COUNCIL).get(f"/reach/?season={season.id}").get_data(as_text=True)
    assert f'href="/reach/schools?season={season.id}"' in page
    assert "Reach by school (7 schools)" in page
    assert "Schools not reached yet (4)" in page
    assert "Pipeline by school (8 schools)" in page
    assert not ROW.findall(page)  # the dashboard itself no longer lists every school


def test_each_export_streams_every_row(app, login_as, programme):
    council = login_as(Role.COUNCIL)
    # Read as a server reads it, unbuffered, inside the request's own context (the client buffers by default).
    with app.app_context():
        response = FlaskClient.open(council, "/reach/export/schools.csv", buffered=False)
        assert response.is_streamed
        assert response.get_data(as_text=True).lstrip("\ufeff").startswith("urn,")
        response.close()
    for table in reach_exports.EXPORTS:
        assert council.get(f"/reach/export/{table}.csv").status_code == 200
    totals = exported(council, "totals")[0]
    schools = exported(council, "schools")
    for column in ("seen_drama", "discussed_in_class", "planned"):
        assert sum(int(row[column]) for row in schools) == int(totals[column])
    assert int(totals["schools_total"]) - int(totals["schools_reached"]) == len(exported(council, "not-reached"))


def test_schools_and_companies_cannot_see_the_tables_of_schools(login_as, programme):
    for role in (Role.SCHOOL, Role.COMPANY):
        client = login_as(role)
        for path in PAGES:
            assert client.get(path).status_code == 403
