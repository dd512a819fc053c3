"""Pages that only read take no write lock: on SQLite they are served beside a writer, and what they write for their
own records (a session's last-seen time, stored figures) gives way to a real writer instead of failing the page."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from portal.database import WriteWhileReading, declare_writes, restore_writes
from portal.extensions import db
from portal.models import Role, UserSession
from portal.services.writes import bookkeeping
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.integration.pages import sign_in


def sqlite_file(app) -> str:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the write lock at BEGIN is SQLite's")
    return db.engine.url.database


def signed_in_council_officer(app):
    with app.app_context():
        email = make_user(Role.COUNCIL).email
        db.session.commit()
    client = app.test_client()
    assert sign_in(client, email, DEFAULT_PASSWORD).status_code == 302
    return client


def test_a_signed_in_page_is_served_while_another_writer_holds_the_lock(committing_app):
    client = signed_in_council_officer(committing_app)
    with committing_app.app_context():
        path = sqlite_file(committing_app)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a booking half way through its transaction
    try:
        assert client.get("/council/").status_code == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_form_still_waits_for_the_write_lock(committing_app):
    with committing_app.app_context():
        path = sqlite_file(committing_app)
        token = declare_writes(True)
        try:
            db.session.execute(select(UserSession.id)).all()
            writer = sqlite3.connect(path, isolation_level=None, timeout=0)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                writer.execute("BEGIN IMMEDIATE")  # the form's transaction holds the lock from its start
            writer.close()
        finally:
            db.session.rollback()
            restore_writes(token)


def test_bookkeeping_gives_way_to_a_writer_that_came_first_and_the_page_reads_on(committing_app):
    client = signed_in_council_officer(committing_app)
    with committing_app.app_context():
        path = sqlite_file(committing_app)
        record = db.session.scalars(select(UserSession)).one()
        seen = record.last_seen_at
        db.session.rollback()
        token = declare_writes(False)
        try:
            db.session.execute(select(UserSession.id)).all()  # the page's snapshot starts here
            writer = sqlite3.connect(path, isolation_level=None)
            writer.execute("UPDATE users SET job_title = 'Programme officer'")  # another request commits a change
            writer.close()
            later = seen + timedelta(minutes=5)
            assert bookkeeping(update(UserSession).values(last_seen_at=later)) is False
            assert db.session.scalar(select(UserSession.last_seen_at)) == seen  # still reading, nothing written
        finally:
            db.session.rollback()
            restore_writes(token)
    assert client.get("/council/").status_code == 200


def test_a_reading_page_that_writes_beyond_bookkeeping_is_refused_in_tests(app, session, world):
    token = declare_writes(False)
    try:
        with pytest.raises(WriteWhileReading):
            session.execute(update(UserSession).values(ended_at=None))
        assert bookkeeping(update(UserSession).where(UserSession.id == -1).values(ended_at=None)) is True
    finally:
        restore_writes(token)
