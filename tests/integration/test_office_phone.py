"""The school office's phone number: from the GIAS extract, corrected by the school's staff, on the cast's day sheet."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.models import AuditEvent, PerformanceStatus, Role, School
from tests.factories import make_performance, make_request, make_school, make_user
from tests.gias import HEADER, gias_csv, gias_row
from tests.integration.pages import post_form

PROFILE = {"address": "Finch Road, Kidlington", "office_phone": "01632 960 555", "hall_capacity": "150"}


@pytest.fixture
def staff(session):
    return make_user(Role.SCHOOL, school=make_school(name="Greenfinch Academy", hall_capacity=150, office_phone=""))


def test_staff_give_the_office_phone_and_the_cast_sees_it_on_the_day_sheet(session, login_as, staff):
    school = staff.school
    client = login_as(staff)
    home = client.get("/school/").get_data(as_text=True)
    assert "Tell us your school office’s phone number" in home

    response = post_form(client, "/school/profile", PROFILE)
    assert response.status_code == 302
    session.expire_all()
    assert school.office_phone == "01632 960 555"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "school.profile_updated")).one()
    assert (event.before["office_phone"], event.after["office_phone"]) == ("", "01632 960 555")
    assert "Tell us your school office’s phone number" not in client.get("/school/").get_data(as_text=True)

    performance = make_performance(make_request(school), status=PerformanceStatus.CONFIRMED)
    session.flush()
    sheet = login_as(Role.COMPANY).get(
        f"/company/seasons/{performance.season_id}/casts/{performance.cast_id}/days/{performance.day.isoformat()}"
    )
    assert '<a class="govuk-link" href="tel:01632960555">01632 960 555</a>' in sheet.get_data(as_text=True)


@pytest.mark.parametrize(
    "phone, message",
    [
        ("", "Enter the school office’s phone number"),
        ("call reception", "Enter a phone number, like 01632 960 001"),
        ("0163", "Enter a phone number, like 01632 960 001"),
        ("0" * 41, "Enter a phone number, like 01632 960 001"),
    ],
)
def test_a_phone_that_is_not_a_number_is_refused_and_nothing_changes(session, login_as, staff, phone, message):
    staff.school.office_phone = "01632 960 100"
    session.flush()
    response = post_form(login_as(staff), "/school/profile", {**PROFILE, "office_phone": phone})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in body and message in body
    session.expire_all()
    assert staff.school.office_phone == "01632 960 100"
    assert staff.school.address != PROFILE["address"]


def test_the_directory_fills_a_blank_office_phone_and_keeps_the_number_staff_gave(app, session, tmp_path):
    make_school(urn="7700011", office_phone="")
    make_school(urn="7700012", office_phone="01632 960 777")  # corrected by the school's staff
    session.flush()
    path = tmp_path / "edubasealldata.csv"
    rows = [gias_row(URN=urn, TelephoneNum="01632960100") for urn in ("7700011", "7700012", "7700013")]
    path.write_bytes(gias_csv(rows))
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 0, result.output
    session.expire_all()
    phones = dict(session.execute(select(School.urn, School.office_phone).where(School.urn.like("77000%"))).all())
    assert phones == {"7700011": "01632960100", "7700012": "01632 960 777", "7700013": "01632960100"}


def test_a_download_without_telephone_numbers_imports_and_leaves_phones_alone(app, session, tmp_path):
    make_school(urn="7700021", office_phone="01632 960 321")
    session.flush()
    path = tmp_path / "search-results.csv"
    header = [column for column in HEADER if column != "TelephoneNum"]
    path.write_bytes(gias_csv([gias_row(URN="7700021"), gias_row(URN="7700022")], header=header))
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 0, result.output
    session.expire_all()
    phones = dict(session.execute(select(School.urn, School.office_phone).where(School.urn.like("77000%"))).all())
    assert phones == {"7700021": "01632 960 321", "7700022": ""}


def test_an_office_phone_too_long_for_the_directory_is_named_by_line(app, session, tmp_path):
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(gias_csv([gias_row(URN="7700031"), gias_row(URN="7700032", TelephoneNum="0" * 41)]))
    result = app.test_cli_runner().invoke(args=["schools", "import", str(path)])
    assert result.exit_code == 1
    assert "line 3: TelephoneNum is longer than 40 characters" in result.output
    session.expire_all()
    assert session.scalar(select(School).where(School.urn == "7700031")) is None


def test_a_school_contact_without_a_phone_is_given_on_the_day_sheet_by_e_mail(session, login_as, staff):
    staff.phone = ""  # an invited colleague gives no phone
    with_phone = make_user(Role.SCHOOL, school=staff.school, full_name="Pat Reception", phone="01632 960 777")
    performance = make_performance(make_request(staff.school), status=PerformanceStatus.CONFIRMED)
    session.flush()
    sheet = login_as(Role.COMPANY).get(
        f"/company/seasons/{performance.season_id}/casts/{performance.cast_id}/days/{performance.day.isoformat()}"
    )
    page = sheet.get_data(as_text=True)
    assert f'no phone given, e-mail <a class="govuk-link" href="mailto:{staff.email}">{staff.email}</a>' in page
    assert f"{with_phone.full_name}" in page and 'href="tel:01632960777"' in page
