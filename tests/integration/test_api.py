"""The JSON API: reach figures and performances, their filters, bad input, roles, and what never leaves."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.clock import now
from portal.models import FollowUpLesson, PerformanceAttendance, PerformanceStatus, Role
from portal.services import api_tokens
from tests.factories import make_performance, make_request, make_school, make_season, make_user
from tests.integration.conftest import FreshContextClient
from tests.integration.pages import assert_no_traceback


def deliver(performance, attended: dict[int, int]) -> None:
    """Record a performance as delivered with the pupils who attended, per year group."""
    performance.status = PerformanceStatus.DELIVERED
    performance.pupils_attended = sum(attended.values())
    performance.attendance = [PerformanceAttendance(year_group=year, pupils=n) for year, n in attended.items()]


def lesson(session, performance, days_after: int, year_group: int, pupils: int) -> None:
    session.add(
        FollowUpLesson(
            school_id=performance.school_id,
            performance_id=performance.id,
            delivered_on=performance.day + timedelta(days=days_after),
            year_group=year_group,
            pupils=pupils,
        )
    )


@pytest.fixture
def programme(session):
    """Two schools in two districts: three delivered performances, one confirmed ahead, one cancelled; lessons.

    Seen 55 + 35 + 70 + 40 = 200. Discussed: Alder Y9 50 (the later, smaller lesson does not count again),
    Alder Y10 30, Birch Y8 70 (80 in class, but only 70 saw it) = 150. Planned: 60.
    """
    season = make_season(weeks=8)
    alder = make_school(name="Alder School", district="Cherwell")
    birch = make_school(name="Birch School", district="Oxford")
    staff = make_user(Role.SCHOOL, school=alder, full_name="Stacey Staffname", phone="01632 960 999")
    request_a = make_request(alder, season, created_by=staff, year_groups={9: 60, 10: 40}, days=15)
    request_b = make_request(birch, season, year_groups={8: 80}, days=15, dsl_name="Dora Dslname")
    days = [date.day for date in request_a.dates]
    pm, cast_b = season.slots[1], season.casts[1]
    a1 = make_performance(request_a, day=days[0])
    a2 = make_performance(request_a, day=days[14], slot=pm)  # some weeks later: another month
    b1 = make_performance(request_b, day=days[1], cast=cast_b)
    planned = make_performance(request_b, day=days[5], status=PerformanceStatus.CONFIRMED)
    cancelled = make_performance(request_b, day=days[6], status=PerformanceStatus.CANCELLED, pupils_attended=5)
    deliver(a1, {9: 55, 10: 35})
    deliver(a2, {10: 40})
    deliver(b1, {8: 70})
    session.flush()
    lesson(session, a1, 7, 9, 50)
    lesson(session, a1, 14, 9, 20)
    lesson(session, a1, 8, 10, 30)
    lesson(session, b1, 3, 8, 80)
    session.flush()
    return {"season": season, "performances": [a1, a2, b1, planned, cancelled], "days": days, "staff": staff}


@pytest.fixture
def council(login_as):
    return login_as(Role.COUNCIL)


def bearer_client(app, user) -> tuple[FreshContextClient, dict]:
    """A client with no cookies at all, and the Authorization header of a new token of the user."""
    _token, raw = api_tokens.create_token(user, "tests", now())
    return FreshContextClient(app, app.response_class, use_cookies=False), {"Authorization": f"Bearer {raw}"}


def test_reach_gives_the_totals_against_the_target(council, programme):
    body = council.get("/api/v1/reach").get_json()
    assert body["target"] == 18_000
    assert (body["seen_drama"], body["discussed_in_class"], body["planned"]) == (200, 150, 60)
    assert (body["schools_reached"], body["schools_total"]) == (2, 2)
    districts = {row["district"]: row for row in body["by_district"]}
    assert districts["Cherwell"] == {"district": "Cherwell", "seen_drama": 130, "discussed_in_class": 80, "planned": 0}
    assert districts["Oxford"] == {"district": "Oxford", "seen_drama": 70, "discussed_in_class": 70, "planned": 60}


def splits_exactly(body: dict) -> None:
    for name in ("by_district", "by_year_group", "by_month"):
        for figure in ("seen_drama", "discussed_in_class"):
            assert sum(row[figure] for row in body[name]) == body[figure], f"{name} does not split {figure}"
    for name in ("by_district", "by_month"):
        assert sum(row["planned"] for row in body[name]) == body["planned"], f"{name} does not split planned"


@pytest.mark.parametrize("period", ["", "season", "from", "to", "both"])
def test_every_breakdown_splits_both_totals_exactly(council, programme, period):
    days = programme["days"]
    query = {
        "": {},
        "season": {"season": programme["season"].id},
        "from": {"from": days[1].isoformat()},
        "to": {"to": days[10].isoformat()},
        "both": {"from": days[1].isoformat(), "to": days[1].isoformat()},
    }[period]
    response = council.get("/api/v1/reach", query_string=query)
    assert response.status_code == 200
    body = response.get_json()
    assert body["seen_drama"] > 0
    splits_exactly(body)


def test_dates_are_inclusive_at_both_ends(council, programme):
    day = programme["days"][1].isoformat()  # Birch's delivered performance only
    body = council.get("/api/v1/reach", query_string={"from": day, "to": day}).get_json()
    assert (body["seen_drama"], body["schools_reached"]) == (70, 1)


def test_year_groups_run_from_7_to_13_and_carry_no_planned_figure(council, programme):
    rows = council.get("/api/v1/reach").get_json()["by_year_group"]
    assert [row["year_group"] for row in rows] == list(range(7, 14))
    assert all(set(row) == {"year_group", "seen_drama", "discussed_in_class"} for row in rows)
    assert {row["year_group"]: row["seen_drama"] for row in rows if row["seen_drama"]} == {8: 70, 9: 55, 10: 75}


def test_months_are_year_and_month_in_order(council, programme):
    months = [row["month"] for row in council.get("/api/v1/reach").get_json()["by_month"]]
    assert months == sorted(months)
    assert all(re.fullmatch(r"\d{4}-\d{2}", month) for month in months)
    assert f"{programme['days'][0]:%Y-%m}" in months


def test_admin_reads_reach_too(login_as, programme):
    assert login_as(Role.ADMIN).get("/api/v1/reach").get_json()["seen_drama"] == 200


def test_aggregate_answers_carry_no_contact_details(app, council, programme):
    staff = programme["staff"]
    bodies = [council.get("/api/v1/reach").get_data(as_text=True)]
    bodies.append(council.get("/api/v1/performances").get_data(as_text=True))
    client, headers = bearer_client(app, make_user(Role.COUNCIL))
    bodies.append(client.get("/api/v1/reach", headers=headers).get_data(as_text=True))
    for body in bodies:
        for secret in (staff.full_name, staff.email, staff.phone, "Dora Dslname", "Dee Ess-Ell", "01632", "@"):
            assert secret not in body
        assert not re.search(r"\b0\d{3,4} ?\d{3} ?\d{3,4}\b", body), "a phone number"


def test_performances_list_every_field_in_a_stable_order(council, programme):
    body = council.get("/api/v1/performances").get_json()
    assert body["next"] is None
    items = body["items"]
    assert len(items) == 5
    ids = [item["id"] for item in items]
    assert ids == sorted(ids)
    first = next(item for item in items if item["id"] == programme["performances"][0].id)
    assert first == {
        "id": first["id"],
        "season": programme["season"].id,
        "school": {"urn": first["school"]["urn"], "name": "Alder School", "district": "Cherwell"},
        "date": programme["days"][0].isoformat(),
        "slot": "AM",
        "starts_at": "09:15",
        "cast": "Cast A",
        "status": "delivered",
        "released": False,
        "pupils_planned": 60,
        "pupils_attended": 90,
    }


def test_pupils_attended_is_null_until_delivered(council, programme):
    items = council.get("/api/v1/performances").get_json()["items"]
    for item in items:
        assert (item["pupils_attended"] is None) == (item["status"] != "delivered"), item


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "delivered"}, 3),
        ({"status": "confirmed"}, 1),
        ({"status": "provisional"}, 0),
        ({"season": "SEASON"}, 5),
        ({"from": "DAY1", "to": "DAY1"}, 1),
        ({"from": "DAY1"}, 4),
        ({"to": "DAY1"}, 2),
        ({"status": "delivered", "from": "DAY1"}, 2),
    ],
)
def test_performances_filter_by_season_status_and_inclusive_dates(council, programme, query, expected):
    values = {"SEASON": str(programme["season"].id), "DAY1": programme["days"][1].isoformat()}
    query = {name: values.get(value, value) for name, value in query.items()}
    items = council.get("/api/v1/performances", query_string=query).get_json()["items"]
    assert len(items) == expected
    if "status" in query:
        assert {item["status"] for item in items} <= {query["status"]}


def test_the_company_lists_performances_with_a_token_and_no_cookie(app, programme):
    client, headers = bearer_client(app, make_user(Role.COMPANY))
    response = client.get("/api/v1/performances", headers=headers)
    assert response.status_code == 200
    assert len(response.get_json()["items"]) == 5


def test_performances_come_a_hundred_a_page_with_a_link_to_the_next(session, council):
    request_ = make_request(days=5)
    # Cancelled performances hold no slot, so many can share one day and slot.
    for n in range(230):
        make_performance(request_, status=PerformanceStatus.CANCELLED, day=request_.dates[n % 5].day)
    seen, url, pages = [], "/api/v1/performances?status=cancelled", 0
    while url:
        response = council.get(url)
        assert response.status_code == 200
        body = response.get_json()
        seen += body["items"]
        url, pages = body["next"], pages + 1
        if url:
            assert url.startswith("http://localhost/api/v1/performances?")
            assert "status=cancelled" in url
            # Keyset paging: the next page starts after the last id shown, never at an offset.
            assert f"after={seen[-1]['id']}" in url and "page=" not in url
    assert pages == 3
    assert len(seen) == 230
    ids = [item["id"] for item in seen]
    assert ids == sorted(set(ids))


def test_page_links_keep_working_and_lead_on_to_keyset_links(session, council):
    request_ = make_request(days=5)
    made = [
        make_performance(request_, status=PerformanceStatus.CANCELLED, day=request_.dates[n % 5].day).id
        for n in range(205)
    ]
    second = council.get("/api/v1/performances?page=2").get_json()
    assert [item["id"] for item in second["items"]] == sorted(made)[100:200]
    assert second["next"].endswith(f"after={sorted(made)[199]}")
    third = council.get(second["next"]).get_json()
    assert [item["id"] for item in third["items"]] == sorted(made)[200:]
    assert third["next"] is None


def test_a_page_past_the_end_is_empty(council, programme):
    assert council.get("/api/v1/performances?page=9").get_json() == {"items": [], "next": None}
    assert council.get("/api/v1/performances?after=2147483647").get_json() == {"items": [], "next": None}


BAD_INPUT = [
    ("season", "abc"),
    ("season", "1.5"),
    ("season", "-1"),
    ("season", "0"),
    ("season", "99999"),
    ("season", "99999999999999999999"),
    ("from", "2027-02-30"),
    ("from", "31/01/2027"),
    ("to", "2027-1-5"),
    ("to", "yesterday"),
    ("from", "\x00"),
]


@pytest.mark.parametrize("path", ["/api/v1/reach", "/api/v1/performances"])
@pytest.mark.parametrize(("parameter", "value"), BAD_INPUT)
def test_bad_input_is_a_400_that_names_the_parameter(council, programme, path, parameter, value):
    response = council.get(path, query_string={parameter: value})
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter
    assert f"'{parameter}'" in body["message"]
    assert body["error"] == body["message"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("status", "pending"), ("status", "DELIVERED"), ("page", "0"), ("after", "0"), ("after", "x"), ("after", "1e3")],
)
def test_performances_refuse_an_unknown_status_or_page(council, parameter, value):
    response = council.get("/api/v1/performances", query_string={parameter: value})
    assert response.status_code == 400
    assert response.get_json()["parameter"] == parameter


def test_after_and_page_together_are_refused(council):
    response = council.get("/api/v1/performances?after=5&page=2")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "after"


def test_a_range_that_ends_before_it_starts_is_refused(council):
    response = council.get("/api/v1/reach?from=2027-02-01&to=2027-01-31")
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "from"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/api/v1/reach", "/api/v1/performances"]),
    name=st.sampled_from(["season", "from", "to", "status", "page", "after"]),
    value=st.text(max_size=30),
)
def test_no_query_string_gives_a_server_error(council, path, name, value):
    response = council.get(path, query_string={name: value})
    assert response.status_code in {200, 400}
    assert response.is_json
    assert_no_traceback(response)


@pytest.mark.parametrize("path", ["/api/v1/reach", "/api/v1/performances"])
def test_signed_out_callers_get_a_401_in_json_not_a_redirect(anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 401
    assert response.is_json and "message" in response.get_json()
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Location" not in response.headers


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("school", "/api/v1/reach"),
        ("school", "/api/v1/performances"),
        ("company", "/api/v1/reach"),
    ],
)
def test_other_roles_get_a_403_in_json(login_as, role, path):
    response = login_as(role).get(path)
    assert response.status_code == 403
    assert response.is_json and "message" in response.get_json()


def test_an_unknown_api_path_is_a_json_404(council):
    response = council.get("/api/v1/schools")
    assert response.status_code == 404
    assert response.is_json


def test_api_answers_are_never_cached(app, anonymous, council, programme):
    for response in (
        council.get("/api/v1/reach"),
        council.get("/api/v1/performances?status=nonsense"),
        anonymous.get("/api/v1/reach"),
        anonymous.get("/api/v1/openapi.json"),
    ):
        assert response.headers["Cache-Control"] == "no-store"
