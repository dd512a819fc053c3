"""Every migration goes up, down and up again on both backends, and upgrades keep the rows already there."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.config import ROOT
from portal.extensions import db

MIGRATIONS = str(ROOT / "migrations")
# The revision before accounts had closure dates; the upgrade after it must date the accounts already closed.
BEFORE_RETENTION = "a342568c16e4"


def revisions_oldest_first() -> list[str]:
    script = ScriptDirectory(MIGRATIONS)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def test_each_revision_upgrades_downgrades_and_upgrades_again(committing_app):
    with committing_app.app_context():
        downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        for revision in revisions_oldest_first():
            upgrade(directory=MIGRATIONS, revision=revision)
            downgrade(directory=MIGRATIONS, revision="-1")
            upgrade(directory=MIGRATIONS, revision=revision)
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
        downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_accounts_closed_before_the_retention_revision_are_dated_by_it(committing_app):
    insert_user = text(
        "INSERT INTO users (email, full_name, job_title, phone, password_hash, role, approval_state, refusal_reason,"
        " active, wants_reminders, created_at) VALUES (:email, 'Name', '', '', 'x', 'company', :state, :reason,"
        " :active, true, CURRENT_TIMESTAMP)"
    )
    with committing_app.app_context():
        downgrade(directory=MIGRATIONS, revision=BEFORE_RETENTION)
        with db.engine.begin() as connection:
            for email, state, reason, active in (
                ("open@example.org", "approved", "", True),
                ("closed@example.org", "approved", "", False),
                ("refused@example.org", "refused", "Not a school in the county", True),
            ):
                connection.execute(insert_user, {"email": email, "state": state, "reason": reason, "active": active})
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT email, closed_at FROM users ORDER BY email")).all()
    closed = {email: closed_at is not None for email, closed_at in rows}
    assert closed == {"closed@example.org": True, "open@example.org": False, "refused@example.org": True}
