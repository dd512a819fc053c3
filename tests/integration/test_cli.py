"""flask commands: schools import, users create, demo load. Each commits its work or, on error, changes nothing."""

from __future__ import annotations

import sqlite3

import pyotp
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from portal.clock import today
from portal.config import ROOT
from portal.models import ApprovalState, Performance, PerformanceStatus, Role, School, Season, User
from portal.services.demo import DEMO_ADMIN_SET_UP_KEY, DEMO_LOGINS, DEMO_PASSWORD, DEMO_SCHOOL_URN, PAST_SEASON
from portal.services.requests import open_days
from tests.integration.pages import location_path, post_form, sign_in

HEADER = "urn,name,phase,district,town,postcode,latitude,longitude,pupils_on_roll\n"
ROWS = [
    "8800001,Kestrel Academy,Secondary,Cherwell,Banbury,OX16 1AA,52.06,-1.34,1100\n",
    "8800002,Lapwing School,Secondary,Oxford,Oxford,OX4 2BB,51.74,-1.22,900\n",
    "8800003,Merlin College,Secondary,West Oxfordshire,Witney,OX28 3CC,51.78,-1.49,1300\n",
]
URNS = ["8800001", "8800002", "8800003", "8800004"]


@pytest.fixture
def cli(app, session):
    runner = app.test_cli_runner()

    def invoke(*args: str):
        return runner.invoke(args=list(args))

    return invoke


def schools_by_urn(session) -> dict[str, School]:
    session.expire_all()
    return {school.urn: school for school in session.scalars(select(School).where(School.urn.in_(URNS)))}


def test_schools_import_loads_a_csv(cli, session, tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    result = cli("schools", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "3 new, 0 updated" in result.output
    schools = schools_by_urn(session)
    assert sorted(schools) == URNS[:3]
    assert schools["8800002"].name == "Lapwing School"
    assert schools["8800002"].pupils_on_roll == 900


def test_schools_import_updates_by_urn_on_a_second_run(cli, session, tmp_path):
    path = tmp_path / "schools.csv"
    path.write_text(HEADER + "".join(ROWS), encoding="utf-8")
    cli("schools", "import", str(path))
    school = schools_by_urn(session)["8800002"]
    school.hall_capacity, school.priority = 220, 3  # kept by staff and council: an import must not touch them
    session.flush()
    renamed = ROWS[1].replace("Lapwing School", "Lapwing Academy").replace(",900", ",950")
    path.write_text(HEADER + ROWS[0] + renamed + ROWS[2] + ROWS[2].replace("8800003", "8800004"), encoding="utf-8")
    result = cli("schools", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "1 new, 3 updated" in result.output
    schools = schools_by_urn(session)
    assert len(schools) == 4
    assert (schools["8800002"].name, schools["8800002"].pupils_on_roll) == ("Lapwing Academy", 950)
    assert (schools["8800002"].hall_capacity, schools["8800002"].priority) == (220, 3)


@pytest.mark.parametrize(
    "bad_row",
    [
        "88X0004,Bad Urn School,Secondary,Oxford,Oxford,OX1 1AA,51.75,-1.25,800\n",
        "8800004,Nowhere School,Secondary,Oxford,Oxford,OX1 1AA,10.0,-1.25,800\n",
        "8800004,,Secondary,Oxford,Oxford,OX1 1AA,51.75,-1.25,800\n",
        "8800001,Duplicate Urn,Secondary,Oxford,Oxford,OX1 1AA,51.75,-1.25,800\n",
    ],
)
def test_a_bad_row_on_line_four_stops_the_import_and_changes_nothing(cli, session, tmp_path, bad_row):
    path = tmp_path / "schools.csv"
    path.write_text(HEADER + ROWS[0] + ROWS[1] + bad_row, encoding="utf-8")  # the bad row is line 4
    result = cli("schools", "import", str(path))
    assert result.exit_code != 0
    message = [line for line in result.output.splitlines() if line.strip()]
    assert len(message) == 1, result.output
    assert "line 4" in message[0]
    assert "Traceback" not in result.output
    assert schools_by_urn(session) == {}


def test_schools_import_of_a_missing_file_fails_cleanly(cli, tmp_path):
    result = cli("schools", "import", str(tmp_path / "missing.csv"))
    assert result.exit_code != 0
    assert "cannot read" in result.output


def test_users_create_makes_an_approved_account_that_can_sign_in(cli, session, fresh_client):
    password = "a council officer's passphrase"
    result = cli("users", "create", "--role", "council", "--email", "Officer@Example.org", "--password", password)
    assert result.exit_code == 0, result.output
    session.expire_all()
    user = session.scalar(select(User).where(User.email == "officer@example.org"))
    assert (user.role, user.approval_state, user.active) == (Role.COUNCIL, ApprovalState.APPROVED, True)
    assert user.password_hash.startswith("scrypt:32768:")  # the full cost, not the factories' cheap one
    assert sign_in(fresh_client(), "officer@example.org", password).status_code == 302


@pytest.mark.parametrize("password", ["short", "elevenchars", "password1234"])
def test_users_create_refuses_a_weak_password(cli, session, password):
    result = cli("users", "create", "--role", "council", "--email", "weak@example.org", "--password", password)
    assert result.exit_code != 0
    assert "Password" in result.output
    session.expire_all()
    assert session.scalar(select(User).where(User.email == "weak@example.org")) is None


def test_users_create_refuses_a_school_user_without_a_school(cli, session):
    result = cli("users", "create", "--role", "school", "--email", "s@example.org", "--password", "x" * 6 + "yz12-98")
    assert result.exit_code != 0
    assert "--school-urn" in result.output


def test_demo_load_twice_creates_the_four_demo_logins_once(cli, session, fresh_client):
    first = cli("demo", "load")
    assert first.exit_code == 0, first.output
    second = cli("demo", "load")
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    session.expire_all()
    emails = [email for email, _role, _name in DEMO_LOGINS]
    counts = dict(
        session.execute(select(User.email, func.count()).where(User.email.in_(emails)).group_by(User.email)).all()
    )
    assert counts == dict.fromkeys(emails, 1)
    for email, role, _name in DEMO_LOGINS:
        user = session.scalar(select(User).where(User.email == email))
        assert user.role == role and user.approval_state == ApprovalState.APPROVED
        assert user.email_verified_at is not None  # the council may approve only confirmed addresses
    assert sign_in(fresh_client(), "school@example.org", DEMO_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "loaded_at", ["2026-11-27T08:00:00+00:00", "2027-05-03T21:30:00+00:00", "2026-12-28T09:00:00+00:00"]
)
def test_the_demo_shows_every_state_of_a_performance_whatever_the_day(cli, session, monkeypatch, loaded_at):
    """A Friday, the evening of a bank holiday Monday, and the bank holiday Monday after Christmas (the last school
    days before it are the Thursday and Wednesday before Christmas): the demo's dates count from the day it is
    loaded."""
    monkeypatch.setenv("PORTAL_FAKE_NOW", loaded_at)
    assert cli("demo", "load").exit_code == 0
    session.expire_all()
    statuses = session.scalars(
        select(Performance.status)
        .join(School, School.id == Performance.school_id)
        .where(School.urn == DEMO_SCHOOL_URN)
        .order_by(Performance.day)
    ).all()
    assert {"delivered", "confirmed", "declined", "provisional"} <= set(statuses), statuses
    # The company's next step waits too: a performance of the last school days, confirmed, to record as delivered.
    touring = session.scalar(select(Season).where(Season.name == PAST_SEASON))
    last_school_days = [day for day in open_days(touring) if day < today()][-2:]
    awaiting = session.scalars(
        select(Performance.day).where(
            Performance.season_id == touring.id,
            Performance.status == PerformanceStatus.CONFIRMED,
            Performance.day < today(),
        )
    ).all()
    assert len(awaiting) == 1 and awaiting[0] in last_school_days, (awaiting, last_school_days)


def test_the_demo_administrator_comes_set_up_and_is_asked_for_a_code(cli, session, fresh_client):
    assert cli("demo", "load").exit_code == 0
    client = fresh_client()
    assert location_path(sign_in(client, "admin@example.org", DEMO_PASSWORD)) == "/admin/"
    assert location_path(client.get("/admin/")) == "/second-factor?next=/admin/"
    page = client.get("/second-factor?next=/admin/")
    assert page.status_code == 200 and "Enter the code from your app" in page.get_data(as_text=True)
    code = pyotp.TOTP(DEMO_ADMIN_SET_UP_KEY).now()  # the key the README's demo logins table gives
    assert location_path(post_form(client, "/second-factor?next=/admin/", {"code": code})) == "/admin/"
    assert client.get("/admin/").status_code == 200
    published = " ".join(DEMO_ADMIN_SET_UP_KEY[i : i + 4] for i in range(0, len(DEMO_ADMIN_SET_UP_KEY), 4))
    assert f"`{published}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_flask_backup_copies_the_sqlite_database_and_checks_the_copy(app, session, tmp_path, backend):
    runner = app.test_cli_runner()
    destination = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(destination)])
    if backend != "sqlite":
        assert result.exit_code == 1 and "pg_dump" in result.output
        return
    assert result.exit_code == 0, result.output
    assert "checked" in result.output
    copy = sqlite3.connect(destination)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    head = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head
    copy.close()
    again = runner.invoke(args=["backup", str(destination)])
    assert again.exit_code == 1 and "already exists" in again.output
