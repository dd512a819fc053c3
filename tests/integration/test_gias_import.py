"""The Department for Education's GIAS extract, imported as downloaded, from the command line and the admin page;
and what the scheduler and the day sheets do with a school the directory gives no location."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from portal.models import Role, School
from portal.services import instances, schools
from portal.services.instances import build_instance
from tests.factories import make_request, make_school, make_season
from tests.gias import gias_csv, gias_row
from tests.integration.pages import csrf_token

KEPT = [
    gias_row(URN="7700001", EstablishmentName="Kestrel Academy"),
    gias_row(URN="7700002", EstablishmentName="Merlin School", Easting="", Northing="", NumberOfPupils=""),
    gias_row(URN="7700003", EstablishmentName="Hobby Primary", StatutoryLowAge="4", StatutoryHighAge="11"),
    gias_row(URN="7700004", EstablishmentName="Wiltshire High", **{"LA (name)": "Wiltshire"}),
]


def imported(session) -> dict[str, School]:
    session.expire_all()
    found = session.scalars(select(School).where(School.urn.like("77000%")))
    return {school.urn: school for school in found}


@pytest.fixture
def covering_oxfordshire(app):
    previous = app.config["LOCAL_AUTHORITIES"]
    app.config["LOCAL_AUTHORITIES"] = frozenset({"oxfordshire"})
    yield
    app.config["LOCAL_AUTHORITIES"] = previous


def test_flask_schools_import_reads_a_gias_extract_for_the_covered_authorities(
    app, session, tmp_path, covering_oxfordshire
):
    path = tmp_path / "edubasealldata20261130.csv"
    path.write_bytes(gias_csv(KEPT))
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 schools: 2 new, 0 updated; 2 other establishments passed over." in result.output
    assert "Warning: Merlin School (URN 7700002) has no location" in result.output
    schools_found = imported(session)
    assert sorted(schools_found) == ["7700001", "7700002"]
    assert schools_found["7700001"].latitude == pytest.approx(51.75, abs=0.01)
    assert schools_found["7700002"].latitude is None and schools_found["7700002"].pupils_on_roll is None


def test_a_bad_kept_row_stops_the_command_with_its_line_and_imports_nothing(app, session, tmp_path):
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(gias_csv([*KEPT, gias_row(URN="7700005", Easting="far", Northing="away")]))
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 1
    assert "line 6: Easting and Northing must be numbers" in result.output
    assert imported(session) == {}


def test_an_admin_uploads_a_gias_extract_and_sees_the_schools_to_check(session, login_as, covering_oxfordshire):
    admin = login_as(Role.ADMIN)
    data = {"csrf_token": csrf_token(admin, "/admin/schools/import"), "file": (io.BytesIO(gias_csv(KEPT)), "g.csv")}
    response = admin.post("/admin/schools/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = admin.get("/admin/schools/import").get_data(as_text=True)
    assert "Imported 2 schools: 2 new, 0 updated." in page
    assert "Merlin School (URN 7700002) has no location" in page
    assert "has no number of pupils on roll" in page
    assert sorted(imported(session)) == ["7700001", "7700002"]


def test_a_school_without_a_location_is_placed_at_the_middle_of_its_districts_schools(session):
    north = make_school(district="Vale", latitude=51.70, longitude=-1.40)
    south = make_school(district="Vale", latitude=51.60, longitude=-1.20)
    unknown = make_school(district="Vale", latitude=None, longitude=None, pupils_on_roll=None)
    where = schools.locations([north, unknown])
    assert where[north.id] == (51.70, -1.40)
    vale = session.execute(
        select(School.latitude, School.longitude).where(School.district == "Vale", School.latitude.is_not(None))
    ).all()
    expected = (sum(row[0] for row in vale) / len(vale), sum(row[1] for row in vale) / len(vale))
    assert where[unknown.id] == pytest.approx(expected)
    assert south.id not in where


def test_the_scheduler_gets_a_location_for_every_school(session):
    season = make_season()
    unknown = make_school(district="Nowhere in particular", latitude=None, longitude=None)
    make_request(unknown, season)
    (entry,) = [school for school in build_instance(season)["schools"] if school["id"] == f"s{unknown.id}"]
    assert isinstance(entry["lat"], float) and isinstance(entry["lon"], float)
    assert instances.live_requests(season)
