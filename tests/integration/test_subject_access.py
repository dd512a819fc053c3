"""A member of staff's own data: a full copy on request (no secrets), and erasure that leaves no contact details."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, inspect, select

from portal.domain.data_inventory import DATA_INVENTORY
from portal.models import AccountToken, ApiToken, OutboxMessage, Request, Role, UserSession
from portal.services import accounts, subject_access
from tests.factories import make_request, make_user

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)


def person_with_data_everywhere(session):
    """A school user with a request, a session, tokens, an audit trail and an e-mail waiting."""
    user = make_user(Role.SCHOOL, full_name="Jo Example", phone="01632 960 777", email="jo.example@example.org")
    make_request(school=user.school, created_by=user)
    session.add_all(
        [
            UserSession(user=user, token_hash="a" * 64, created_at=NOW, last_seen_at=NOW, authenticated_at=NOW),
            AccountToken(user=user, purpose="reset", token_hash="b" * 64, expires_at=NOW + timedelta(hours=1)),
            ApiToken(user=user, name="Spreadsheet", token_hash="c" * 64),
            OutboxMessage(
                to_address="Jo.Example@example.org", subject="Your account", body_text="Hello Jo", body_html="<p>Jo</p>"
            ),
        ]
    )
    accounts.set_active(make_user(Role.ADMIN), user, False, NOW)
    session.flush()
    return user


def test_the_copy_has_every_table_that_points_at_the_person_and_no_secret(session):
    user = person_with_data_everywhere(session)
    copy = subject_access.personal_data_of(user)

    pointing = {table.name for table, _columns in subject_access.tables_pointing_at_users()}
    assert {"requests", "user_sessions", "account_tokens", "api_tokens", "audit_events"} <= pointing
    # Training completions and bookings point at a learner (or an address), not at users.id: added by learner_data.
    assert pointing | {"users", "outbox_messages", "training_bookings", "training_completions"} == set(copy)
    assert copy["users"][0]["full_name"] == "Jo Example" and copy["users"][0]["phone"] == "01632 960 777"
    assert [row["created_by_id"] for row in copy["requests"]] == [user.id]
    assert [row["name"] for row in copy["api_tokens"]] == ["Spreadsheet"]
    assert [row["subject"] for row in copy["outbox_messages"]] == ["Your account"]
    assert any(row["action"] == "account.deactivated" for row in copy["audit_events"])
    dumped = json.dumps(copy)
    for secret in ("a" * 64, "b" * 64, "c" * 64, user.password_hash):
        assert secret not in dumped
    assert not {"password_hash", "totp_secret", "token_hash"} & {
        key for rows in copy.values() for r in rows for key in r
    }


def test_every_hash_key_or_secret_column_is_kept_out_of_copies(session):
    inspector = inspect(session.connection())
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        for column in inspector.get_columns(table):
            if re.search(r"hash|secret|totp", column["name"]) and column["name"] != "totp_enabled_at":
                assert column["name"] in DATA_INVENTORY[table].secrets, f"{table}.{column['name']}"


def test_erasure_leaves_no_contact_details_and_keeps_the_records(session):
    user = person_with_data_everywhere(session)
    request_id = make_request(school=user.school, created_by=user).id

    subject_access.erase(None, user, NOW)
    session.flush()
    session.expire_all()

    everything = json.dumps(subject_access.personal_data_of(user)).lower()
    for detail in ("jo example", "jo.example@example.org", "01632 960 777", "hello jo"):
        assert detail not in everything
    assert session.get(type(user), user.id).anonymised_at == NOW
    assert session.get(Request, request_id) is not None  # the booking record stays, without the person
    assert session.scalar(select(func.count()).select_from(UserSession).where(UserSession.user_id == user.id)) == 0


def test_flask_users_export_data_and_erase(app, session, tmp_path):
    user = person_with_data_everywhere(session)
    runner = app.test_cli_runner()
    target = tmp_path / "jo.json"
    exported = runner.invoke(args=["users", "export-data", "--email", "JO.EXAMPLE@example.org", "-o", str(target)])
    assert exported.exit_code == 0, exported.output
    assert json.loads(target.read_text(encoding="utf-8"))["users"][0]["email"] == "jo.example@example.org"

    refused = runner.invoke(args=["users", "erase", "--email", user.email], input="n\n")
    assert refused.exit_code == 1
    session.expire_all()
    assert session.get(type(user), user.id).anonymised_at is None
    erased = runner.invoke(args=["users", "erase", "--email", "jo.example@example.org", "--yes"])
    assert erased.exit_code == 0, erased.output
    session.expire_all()
    assert session.get(type(user), user.id).full_name == "Removed"

    unknown = runner.invoke(args=["users", "export-data", "--email", "nobody@example.org"])
    assert unknown.exit_code == 1 and "no account" in unknown.output
