"""Digits of other scripts (Arabic-Indic ١٢, full-width １２), superscripts (²) and non-ASCII tokens: a clear
answer, never a 500, and never read as if they were the digits 0 to 9.

Python's `\\d`, `str.isdigit()` and `int()` accept them, so each place that reads a number or a token a person
typed (or a URL carries) is tried with them here.
"""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.clock import today
from portal.extensions import db
from portal.models import AllocationRun, Role, School, Slot
from portal.services import second_factor
from portal.web.schedule_view import schedule_context
from tests.factories import DEFAULT_PASSWORD, make_season, make_user
from tests.integration.pages import csrf_token, post_form, request_form_data, sign_in

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def body(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("token", ["%C3%A9", "%EF%BC%91" * 64, "a" * 63 + "%C2%B2", "%D9%A1" * 64])
def test_a_feed_address_with_a_non_ascii_token_is_not_found(anonymous, world, token):
    response = anonymous.get(f"/feeds/school/{world.school_a.id}/{token}.ics")
    assert response.status_code == 404


@pytest.mark.parametrize("digits", [ARABIC_INDIC, FULL_WIDTH])
def test_a_second_factor_code_in_other_digits_is_refused_like_a_wrong_code(fresh_client, session, digits):
    secret = pyotp.random_base32(length=32)
    admin = make_user(Role.ADMIN, totp_secret=secret, totp_enabled_at=datetime.now(UTC))
    client = fresh_client()
    assert sign_in(client, admin.email, DEFAULT_PASSWORD).status_code == 302
    # The right code, in the wrong digits: an authenticator app never shows them.
    code = pyotp.TOTP(secret).now().translate(digits)

    response = post_form(client, "/second-factor", {"code": code})

    assert response.status_code == 200
    assert second_factor.WRONG_CODE in body(response)
    assert client.get("/admin/").status_code == 302  # still owes the second factor


def test_an_allocation_pin_with_a_superscript_is_left_out_not_a_crash(login_as, session):
    season = make_season(request_deadline=today() - timedelta(days=1))
    company = login_as(Role.COMPANY)
    pin = f"r1|{season.starts_on.isoformat()}|AM|c{season.casts[0].id}|6²"

    response = post_form(
        company, f"/company/seasons/{season.id}/allocation/runs", {"pin": [pin, pin.translate(ARABIC_INDIC)]}
    )

    assert response.status_code == 302
    run = db.session.scalar(select(AllocationRun).where(AllocationRun.season_id == season.id))
    assert run is not None
    assert [pin for pin in run.instance["pinned"] if pin["request"] == "r1"] == []


DIRECTORY_HEADER = "urn,name,phase,district,town,postcode,latitude,longitude,pupils_on_roll\n"


def import_directory(client, text: str):
    data = {"csrf_token": csrf_token(client), "file": (io.BytesIO(text.encode()), "schools.csv")}
    return client.post("/admin/schools/import", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("880101,Sup School,Secondary,Cherwell,Banbury,OX16 1AA,52.06,-1.33,9²", "pupils_on_roll '9²'"),
        ("880102,Arabic School,Secondary,Cherwell,Banbury,OX16 1AA,52.06,-1.33,٩٠٠", "pupils_on_roll '٩٠٠'"),
        ("８８０１０３,Wide School,Secondary,Cherwell,Banbury,OX16 1AA,52.06,-1.33,900", "urn '８８０１０３'"),
        ("880104,North School,Secondary,Cherwell,Banbury,OX16 1AA,٥٢.06,-1.33,900", "latitude and longitude"),
    ],
    ids=["superscript-pupils", "arabic-pupils", "full-width-urn", "arabic-latitude"],
)
def test_a_directory_row_with_other_digits_is_refused_by_line(login_as, session, row, message):
    admin = login_as(Role.ADMIN)
    response = import_directory(admin, DIRECTORY_HEADER + row + "\n")
    assert response.status_code == 200
    text = body(response)
    assert "govuk-error-summary" in text and "Line 2: " in text and message in text and "Nothing was imported" in text
    assert db.session.query(School).filter(School.urn.in_(["880101", "880102", "880103", "880104"])).count() == 0


@pytest.mark.parametrize("pupils", ["٦٠", "６０", "6²"])
def test_a_pupil_count_in_other_digits_is_not_a_whole_number(login_as, world, pupils):
    client = login_as(world.users["school"])
    data = request_form_data(world.season, production=str(world.season.productions[1].id), year_9=pupils)
    response = post_form(client, f"/school/seasons/{world.season.id}/requests/new", data)
    assert response.status_code == 200
    assert "Year 9 must be a whole number, like 60" in body(response)


@pytest.mark.parametrize("day", [["٣", "٢", "٢٠٢٧"], ["3", "2", "２０２７"], ["3²", "2", "2027"]])
def test_a_date_in_other_digits_is_not_a_real_date(login_as, world, day):
    client = login_as(world.users["company"])
    response = post_form(client, f"/company/seasons/{world.season.id}/blackouts", {"day": day})
    assert response.status_code == 400
    assert "First blackout day must be a real date, like 27 3 2027" in body(response)


@pytest.mark.parametrize("starts_at", ["١٦:٠٠", "１６:００", "1⁶:00", "9" * 5000 + ":00"])
def test_a_slot_time_in_other_digits_is_not_a_time(login_as, world, starts_at):
    client = login_as(world.users["company"])
    before = db.session.query(Slot).filter_by(season_id=world.season.id).count()
    response = post_form(client, f"/company/seasons/{world.season.id}/slots", {"code": "EV", "starts_at": starts_at})
    assert response.status_code == 400
    assert "Start time must be a time on the 24-hour clock" in body(response)
    assert db.session.query(Slot).filter_by(season_id=world.season.id).count() == before


@pytest.mark.parametrize("speed", ["٤٠", "４０", "4e1", "nan", "1_0"])
def test_a_decimal_in_other_digits_is_not_a_number(login_as, world, speed):
    client = login_as(world.users["company"])
    data = {"name": "Digits", "speed_kmh": speed, "road_factor": "1.3", "changeover_minutes": "45"}
    response = post_form(client, f"/company/seasons/{world.season.id}/edit", data)
    assert response.status_code == 200
    assert "Average road speed (km/h) must be a number, like 1.3" in body(response)


def test_a_choice_posted_in_other_digits_is_not_that_choice(login_as, world):
    """A radio button's value, typed in other digits by hand, names no production (int() would read it)."""
    client = login_as(world.users["school"])
    production = str(world.season.productions[1].id).translate(ARABIC_INDIC)
    data = request_form_data(world.season, production=production)
    response = post_form(client, f"/school/seasons/{world.season.id}/requests/new", data)
    assert response.status_code == 200
    assert "govuk-error-summary" in body(response)


def test_a_season_in_the_reach_address_in_other_digits_is_explained(login_as, world):
    season = str(world.season.id).translate(ARABIC_INDIC)
    page = login_as(world.users["council"]).get(f"/reach/?season={season}")
    assert page.status_code == 200
    assert "Select a season from the list" in body(page)


def test_a_cast_in_the_schedule_address_in_other_digits_is_ignored(app, world):
    cast_id = world.season.casts[0].id
    for given, read in ((str(cast_id), cast_id), (str(cast_id).translate(FULL_WIDTH), None)):
        with app.test_request_context(f"/company/seasons/{world.season.id}/schedule?cast={given}"):
            assert schedule_context(world.season)["cast_id"] == read
