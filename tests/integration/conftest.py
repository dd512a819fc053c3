"""Fixtures for the integration suite: signed-in clients per role and a small seeded world."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from portal import create_app
from portal.config import ROOT, normalise_database_url
from portal.extensions import db
from portal.models import Performance, Request, Role, School, Season, TrainingBooking, TrainingSession, User
from portal.models.allocations import AllocationRun
from portal.services import allocations, training_bookings
from portal.services.calendars import feed_token
from tests.conftest import make_test_config
from tests.factories import (
    DEFAULT_PASSWORD,
    make_performance,
    make_production,
    make_request,
    make_school,
    make_season,
    make_user,
    pass_second_factor,
)
from tests.integration.pages import location_path, sign_in
from tests.training_factories import make_learner
from tests.training_factories import make_session as make_training_session


@pytest.fixture
def backend(app) -> str:
    """ "sqlite" or "postgresql": the database this run of the test uses."""
    with app.app_context():
        return db.engine.dialect.name


class FreshContextClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The `session` fixture keeps one app context pushed for the whole test, and Flask reuses an active app context
    for each request: `g` would then leak from one request (and one client) to the next, so Flask-Login's cached
    user, Flask-WTF's cached CSRF token and the CSP nonce would carry over. A fresh context per request gives each
    request its own `g` and its own database session (bound to the test's connection, so still rolled back).
    """

    def open(self, *args, **kwargs):
        # Buffered: a streamed answer (the CSV exports) is read and closed inside this request's own context, as a
        # server does, so the contexts stream_with_context keeps open end before the next request.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def fresh_client(app, session):
    """fresh_client(): a new signed-out browser."""

    def make() -> FreshContextClient:
        return FreshContextClient(app, app.response_class, use_cookies=True)

    return make


@pytest.fixture
def anonymous(fresh_client) -> FreshContextClient:
    return fresh_client()


@pytest.fixture
def login_as(fresh_client):
    """login_as("council") or login_as(user): a new test client signed in through POST /login (CSRF on)."""

    def login(who: Role | str | User, password: str = DEFAULT_PASSWORD, **user_fields):
        user = who if isinstance(who, User) else make_user(who, **user_fields)
        client = fresh_client()
        response = sign_in(client, user.email, password)
        assert response.status_code == 302, f"sign-in as {user.email} failed with {response.status_code}"
        assert not location_path(response).startswith("/login")
        if user.role.value in client.application.config["SECOND_FACTOR_ROLES"]:
            pass_second_factor(user)
        client.user = user
        return client

    return login


@dataclass
class World:
    """Two schools with a request each in one open season (two productions), one user per role, and more."""

    school_a: School
    school_b: School
    season: Season
    request_a: Request
    request_b: Request
    users: dict[str, User]
    pending: User
    target: User  # approved staff at school B, for the admin pages to act on
    performance: Performance  # school A's, provisional
    run: AllocationRun  # queued, so no test starts a real solver job
    feed_token: str  # school A's calendar feed
    training_session: TrainingSession  # the trainer's, with the learner booked on it
    training_booking: TrainingBooking


@pytest.fixture
def world(app, session) -> World:
    school_a, school_b = make_school(name="Alder School"), make_school(name="Birch School")
    season = make_season(productions=[make_production(), make_production()])
    users = {
        "school": make_user(Role.SCHOOL, school=school_a),
        "company": make_user(Role.COMPANY),
        "council": make_user(Role.COUNCIL),
        "admin": make_user(Role.ADMIN),
        "trainer": make_user(Role.TRAINER),
        "learner": make_user(Role.LEARNER),
    }
    training_session = make_training_session(trainer=users["trainer"])
    training_booking = training_bookings.book(make_learner(users["learner"]), training_session, datetime.now(UTC))
    request_a = make_request(school_a, season, created_by=users["school"])
    # Queued only (no job is sent), as on the day after the request deadline.
    run = allocations.start_run(users["company"], season, season.request_deadline + timedelta(days=1))
    return World(
        school_a=school_a,
        school_b=school_b,
        season=season,
        request_a=request_a,
        request_b=make_request(school_b, season),
        users=users,
        # Their address is confirmed, so the council may approve them.
        pending=make_user(Role.SCHOOL, school=school_a, approved=False, email_verified_at=datetime.now(UTC)),
        target=make_user(Role.SCHOOL, school=school_b),
        performance=make_performance(request_a),
        run=run,
        feed_token=feed_token(app.config["SECRET_KEY"], "school", school_a.id, 1),
        training_session=training_session,
        training_booking=training_booking,
    )


def own_databases():
    yield "sqlite"
    if os.environ.get("TEST_DATABASE_URL"):
        yield "postgresql"


@pytest.fixture(params=list(own_databases()))
def committing_app(request, tmp_path):
    """An app on a database of its own, for tests whose concurrent transactions must really commit (races)."""
    if request.param == "postgresql":
        base = normalise_database_url(os.environ["TEST_DATABASE_URL"])
        name = f"own_{uuid.uuid4().hex[:12]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'own.db'}"
    app = create_app(make_test_config(tmp_path, url))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
