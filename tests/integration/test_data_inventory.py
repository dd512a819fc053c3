"""The data inventory covers every table and column of the migrated database, and no column records a pupil."""

from __future__ import annotations

import re

from sqlalchemy import inspect

from portal.domain.data_inventory import DATA_INVENTORY, FORBIDDEN_COLUMN_PATTERN
from portal.services.retention import PERSONAL_REQUEST_FIELDS, PERSONAL_USER_FIELDS

# Alembic's own bookkeeping table.
NOT_OURS = {"alembic_version"}


def database_columns(session) -> dict[str, set[str]]:
    inspector = inspect(session.connection())
    return {
        table: {column["name"] for column in inspector.get_columns(table)}
        for table in inspector.get_table_names()
        if table not in NOT_OURS
    }


def test_every_table_and_column_is_in_the_inventory_and_nothing_else_is(session):
    columns = database_columns(session)
    assert sorted(columns) == sorted(DATA_INVENTORY)
    for table, names in columns.items():
        listed = DATA_INVENTORY[table].columns
        assert len(listed) == len(set(listed)), f"{table}: a column is listed twice"
        assert names == set(listed), f"{table}: missing {names - set(listed)}, stale {set(listed) - names}"


def test_no_column_records_a_pupil_as_a_person(session):
    pattern = re.compile(FORBIDDEN_COLUMN_PATTERN, re.IGNORECASE)
    for table, names in database_columns(session).items():
        assert not [name for name in names if pattern.search(name)], table


def test_every_table_holding_personal_data_has_a_retention_rule():
    for table, entry in DATA_INVENTORY.items():
        if entry.personal:
            assert entry.retention is not None, f"{table} holds personal data with no retention rule"


def test_the_purge_job_removes_exactly_the_personal_columns_of_accounts_and_requests():
    assert set(DATA_INVENTORY["users"].personal) == set(PERSONAL_USER_FIELDS)
    assert set(DATA_INVENTORY["requests"].personal) == set(PERSONAL_REQUEST_FIELDS)
