"""flask restore: a checked copy of a backup into the configured SQLite database, then the reach figures rebuilt; a
file that is not a sound portal database at the current migration is refused and the database left as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from portal import create_app
from portal.clock import today
from portal.config import ROOT
from portal.domain.reach import Period
from portal.extensions import db
from portal.models import School
from portal.services import reach
from tests.conftest import make_test_config
from tests.factories import make_school


@pytest.fixture
def portal_of_its_own(tmp_path):
    """A portal on a SQLite database of its own, so that restoring into it leaves the suite's database alone."""
    application = create_app(make_test_config(tmp_path, f"sqlite:///{tmp_path / 'portal.db'}"))
    with application.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        yield application
        db.session.remove()
        db.engine.dispose()


def school_names() -> list[str]:
    db.session.remove()
    return list(db.session.scalars(select(School.name).order_by(School.name)))


@pytest.fixture
def backed_up(portal_of_its_own, tmp_path) -> Path:
    """A backup holding one school, taken before a second school was added and its figures cached."""
    make_school(name="Kestrel Academy")
    db.session.commit()
    runner = portal_of_its_own.test_cli_runner()
    destination = tmp_path / "backup.db"
    assert runner.invoke(args=["backup", str(destination)]).exit_code == 0
    make_school(name="Lapwing School")
    assert reach.programme_reach(Period(), today()).schools_total == 2
    db.session.commit()
    return destination


def restore(app, source: Path, *extra: str, answer: str | None = None):
    return app.test_cli_runner().invoke(args=["restore", str(source), *extra], input=answer)


def test_restore_brings_the_backup_back_and_rebuilds_the_reach_figures(portal_of_its_own, backed_up):
    result = restore(portal_of_its_own, backed_up, "--yes")
    assert result.exit_code == 0, result.output
    assert "checked" in result.output and "Reach figures rebuilt" in result.output
    assert school_names() == ["Kestrel Academy"]
    assert reach.programme_reach(Period(), today()).schools_total == 1  # not the cached 2


def test_restore_asks_first(portal_of_its_own, backed_up):
    result = restore(portal_of_its_own, backed_up, answer="n\n")
    assert result.exit_code == 1
    assert school_names() == ["Kestrel Academy", "Lapwing School"]


def make_sqlite(path: Path, *statements: str) -> Path:
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda tmp: tmp / "missing.db", "no backup file"),
        (lambda tmp: (tmp / "notes.db").write_text("not a database " * 100) and tmp / "notes.db", "not a readable"),
        (lambda tmp: make_sqlite(tmp / "other.db", "CREATE TABLE t (x)"), "not a portal database"),
        (
            lambda tmp: make_sqlite(
                tmp / "old.db",
                "CREATE TABLE alembic_version (version_num VARCHAR(32))",
                "INSERT INTO alembic_version VALUES ('b54cfdb1c839')",
            ),
            "is at migration b54cfdb1c839, not",
        ),
        (lambda tmp: tmp / "portal.db", "the portal's own database"),
    ],
)
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(portal_of_its_own, backed_up, tmp_path, make, reason):
    result = restore(portal_of_its_own, make(tmp_path), "--yes")
    assert result.exit_code == 1
    assert reason in result.output
    assert school_names() == ["Kestrel Academy", "Lapwing School"]


def test_restore_of_postgresql_is_pg_restore(app, session, backend, tmp_path):
    if backend != "postgresql":
        pytest.skip("the suite's own SQLite database is never restored over; see the tests above")
    result = restore(app, tmp_path / "backup.db", "--yes")
    assert result.exit_code == 1 and "pg_restore" in result.output and "flask reach rebuild" in result.output
