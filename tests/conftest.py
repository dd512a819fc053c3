"""Shared fixtures: an app per database backend, a transaction rolled back per test, logins and factories."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from limits.storage import MemoryStorage
from sqlalchemy import text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.config import ROOT, load_config
from portal.extensions import db, limiter
from portal.jobs import configure_jobs

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


class ConnectionBoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks the engine per table; tests pin it to one connection instead."""

    def get_bind(self, *args, **kwargs):
        return self.bind


def make_test_config(tmp_path: Path, database_url: str) -> dict:
    config = load_config(
        {"PORTAL_ENV": "test", "PORTAL_INSTANCE": str(tmp_path), "DATABASE_URL": database_url, "SECRET_KEY": "t" * 48}
    )
    config["TESTING"] = True
    return config


def worker_database_url(url: str) -> str:
    """Under pytest-xdist each worker has a PostgreSQL database of its own: `test` becomes `test_gw0`, made if missing.

    Workers would otherwise reset and migrate one database under each other's tests.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine

    from portal.config import normalise_database_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_postgresql(url: str) -> None:
    """Start the PostgreSQL test database empty, so migrations build it from nothing."""
    from sqlalchemy import create_engine

    from portal.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def app(request, tmp_path_factory):
    """The portal on a migrated database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""
    tmp_path = tmp_path_factory.mktemp(f"instance-{request.param}")
    if request.param == "postgresql":
        url = worker_database_url(os.environ["TEST_DATABASE_URL"])
        reset_postgresql(url)
    else:
        url = f"sqlite:///{tmp_path / 'portal.db'}"
    application = create_app(make_test_config(tmp_path, url))
    with application.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield application
    with application.app_context():
        db.engine.dispose()


def bind_process_globals(app) -> None:
    """Give the test app back the two process-wide objects create_app binds to the app it builds.

    A test that built a production app a moment ago (test_headers, test_sessions) leaves the job queue queueing (so
    mail for a consumer that never runs) and the rate limiter counting in Redis database 13, which every xdist worker
    shares: one worker's reset would then clear another's counts mid-test.
    """
    configure_jobs(app)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory") and not isinstance(limiter._storage, MemoryStorage):
        limiter._storage = MemoryStorage()
        limiter._limiter = type(limiter._limiter)(limiter._storage)


@contextmanager
def rolled_back_session(app):
    """A database session whose work is rolled back at the end, even what views commit."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"class_": ConnectionBoundSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
        )
        bind_process_globals(app)
        limiter.reset()
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def session(app):
    """A database session whose work is rolled back after the test, even what views commit."""
    with rolled_back_session(app) as rolled_back:
        yield rolled_back


@pytest.fixture
def client(app, session):
    return app.test_client()
