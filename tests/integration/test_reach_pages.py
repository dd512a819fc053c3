"""The council's reach dashboard, its CSV exports, the target and the season's cost."""

import csv
import io

import pytest

from portal.extensions import db
from portal.models import PerformanceAttendance, PerformanceStatus, Role
from portal.services.settings import reach_target
from tests.factories import make_performance, make_request, make_school, make_user
from tests.integration.pages import post_form


@pytest.fixture
def delivered(session):
    school = make_school(name="=cmd|' /C calc'!A0", district="Cherwell")
    request_ = make_request(school, year_groups={9: 60})
    performance = make_performance(request_, status=PerformanceStatus.DELIVERED, pupils_attended=58)
    performance.attendance = [PerformanceAttendance(year_group=9, pupils=58)]
    make_user(Role.SCHOOL, school=school, email="dsl.secret@example.org", phone="07700 900123")
    db.session.flush()
    return performance


def rows(response) -> list[list[str]]:
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_dashboard_shows_pupils_who_saw_the_drama(delivered, login_as):
    page = login_as(Role.COUNCIL).get("/reach/")
    assert page.status_code == 200
    assert "pupils have seen the drama" in page.get_data(as_text=True)


def test_exports_are_aggregates_without_contact_details_or_formulas(delivered, login_as):
    council = login_as(Role.COUNCIL)
    for table in ("totals", "districts", "schools", "year-groups", "months", "not-reached", "evaluation"):
        response = council.get(f"/reach/export/{table}.csv")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "dsl.secret@example.org" not in body and "07700 900123" not in body
        for row in rows(response):
            assert not any(cell.startswith(("=", "+", "@")) for cell in row)
    schools = rows(council.get("/reach/export/schools.csv"))
    assert schools[0] == ["urn", "school", "district", "seen_drama", "discussed_in_class", "planned"]
    assert schools[1][1:4] == ["'=cmd|' /C calc'!A0", "Cherwell", "58"]


def test_a_bad_period_is_explained_not_an_error(delivered, login_as):
    page = login_as(Role.COUNCIL).get("/reach/?season=abc&from=2027-02-30")
    assert page.status_code == 200
    assert "Dates must be real dates" in page.get_data(as_text=True)


def test_the_council_changes_the_target_and_admins_cannot(session, login_as):
    council = login_as(Role.COUNCIL)
    assert post_form(council, "/reach/target", {"target": "20000"}).status_code == 302
    assert reach_target() == 20000
    admin = login_as(Role.ADMIN)
    assert admin.get("/reach/").status_code == 200
    assert post_form(admin, "/reach/target", {"target": "5"}).status_code == 403
    assert reach_target() == 20000


def test_the_season_cost_gives_a_cost_per_pupil(delivered, login_as):
    council = login_as(Role.COUNCIL)
    season = delivered.season
    assert post_form(council, f"/council/seasons/{season.id}/cost", {"cost": "5800"}).status_code == 302
    page = council.get(f"/reach/?season={season.id}").get_data(as_text=True)
    assert "£100.00" in page  # £5,800 over 58 pupils


def test_schools_and_company_cannot_see_the_dashboard(session, login_as):
    assert login_as(Role.SCHOOL).get("/reach/").status_code == 403
    assert login_as(Role.COMPANY).get("/reach/export/totals.csv").status_code == 403
