"""Requests from a member of staff about their own data (UK GDPR Art. 15 and 17): a copy of it all, or erasure.

The copy walks the schema rather than a hand-kept list: every table with a foreign key to users gives the rows
that point at the person, so a table added later is included without anyone remembering to. Secrets (password and
token hashes, the authenticator key) are left out: they are not information about the person, and a copy sent by
e-mail must not carry them.

A learner's training is added in words (portal.services.learner_data): the learner record with the names of their
agency and job role, their bookings with the course and the session's date, and their completions, which point at
the person by e-mail address or through a booking rather than at users.id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table, and_, func, or_, select

from portal.domain.data_inventory import DATA_INVENTORY
from portal.extensions import db
from portal.models import OutboxMessage, User
from portal.services import audit, learner_data
from portal.services.retention import anonymise_completions_of, anonymise_user


def tables_pointing_at_users() -> list[tuple[Table, list[str]]]:
    """Each table with the names of its columns that reference users.id, in a stable order."""
    found = []
    for table in sorted(db.metadata.tables.values(), key=lambda table: table.name):
        columns = [
            column.name
            for column in table.columns
            if any(key.column.table.name == "users" and key.column.name == "id" for key in column.foreign_keys)
        ]
        if columns:
            found.append((table, columns))
    return found


def personal_data_of(user: User) -> dict[str, list[dict]]:
    """Every row the portal holds about the person, by table, without secrets."""
    users = db.metadata.tables["users"]
    copy = {"users": _rows(users, select(users).where(users.c.id == user.id))}
    for table, columns in tables_pointing_at_users():
        conditions = [table.c[name] == user.id for name in columns]
        if table.name == "audit_events":  # events about the person, as well as those they caused
            conditions.append(and_(table.c.object_type == "user", table.c.object_id == user.id))
        query = select(table).where(or_(*conditions))
        if table.primary_key.columns:
            query = query.order_by(*table.primary_key.columns)
        copy[table.name] = _rows(table, query)
    outbox = db.metadata.tables[OutboxMessage.__tablename__]
    to_them = select(outbox).where(func.lower(outbox.c.to_address) == user.email.lower()).order_by(outbox.c.id)
    copy[outbox.name] = _rows(outbox, to_them)
    copy.update(learner_data.training_data_of(user))
    return copy


def record_export(actor: User | None, user: User) -> None:
    audit.record(actor, "subject_access.exported", "user", user.id, school_id=user.school_id)


def erase(actor: User | None, user: User, now: datetime) -> None:
    """Remove the person's name and contact details now, as the retention schedule would after 12 months, and
    anonymise their training completions as it would after TRAINING_RECORDS_YEARS: the rows stay, so the number of
    staff trained does not change."""
    training_emails = learner_data.training_emails_of(user)  # before the account's address is replaced
    anonymise_user(user, now)
    anonymise_completions_of(training_emails)
    audit.record(actor, "subject_access.erased", "user", user.id, school_id=user.school_id)


def _rows(table: Table, query) -> list[dict]:
    secrets = set(DATA_INVENTORY[table.name].secrets)
    return [
        {key: audit.json_ready(value) for key, value in row._mapping.items() if key not in secrets}
        for row in db.session.execute(query)
    ]
