"""Small factory functions for tests: each makes one valid row (and what it needs), flushed, never committed.

Call them inside the `session` fixture, so everything they make is rolled back after the test.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import update
from werkzeug.security import generate_password_hash

from portal.clock import today
from portal.domain.calendars import season_days
from portal.extensions import db
from portal.models import (
    ApprovalState,
    Cast,
    CastDate,
    Performance,
    PerformanceStatus,
    Production,
    Request,
    RequestDate,
    RequestSlot,
    RequestStatus,
    RequestYearGroup,
    Role,
    School,
    Season,
    Slot,
    User,
    UserSession,
)
from portal.models.seasons import SeasonStatus

DEFAULT_PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def _next() -> int:
    return next(_numbers)


# scrypt is slow on purpose (about 0.1 s a check). Users made by factories get a cheap scrypt cost instead, which
# check_password_hash reads from the stored hash, so signing in stays fast; accounts made through the app's own
# registration and `flask users create` keep the real cost (tests/integration/test_passwords.py checks that).
FACTORY_HASH_METHOD = "scrypt:256:8:1"


@cache
def password_hash(password: str) -> str:
    return generate_password_hash(password, method=FACTORY_HASH_METHOD)


def make_school(**overrides) -> School:
    n = _next()
    fields = {
        "urn": f"{5_000_000 + n}",
        "name": f"Test School {n}",
        "phase": "Secondary",
        "district": "Cherwell",
        "town": "Banbury",
        "postcode": "OX16 7DQ",
        "latitude": 52.05,
        "longitude": -1.35,
        "pupils_on_roll": 900,
        "address": f"{n} School Lane, Banbury",
        "hall_capacity": 150,
        "office_phone": "01632 960 000",
        "priority": 1,
    }
    fields.update(overrides)
    school = School(**fields)
    db.session.add(school)
    db.session.flush()
    return school


def make_user(
    role: Role | str,
    school: School | None = None,
    approved: bool = True,
    password: str = DEFAULT_PASSWORD,
    **overrides,
) -> User:
    role = Role(role)
    if role == Role.SCHOOL and school is None:
        school = make_school()
    n = _next()
    fields = {
        "email": f"{role.value}.{n}@example.org",
        "full_name": f"Test {role.value.title()} {n}",
        "job_title": "Tester",
        "phone": "01632 960 001",
        "password_hash": password_hash(password),
        "role": role,
        "school": school if role == Role.SCHOOL else None,
        "approval_state": ApprovalState.APPROVED if approved else ApprovalState.PENDING,
    }
    fields.update(overrides)
    user = User(**fields)
    db.session.add(user)
    db.session.flush()
    return user


def make_production(**overrides) -> Production:
    n = _next()
    fields = {"title": f"Test Production {n}", "duration_minutes": 60, "audience_cap": 120}
    fields.update(overrides)
    production = Production(**fields)
    db.session.add(production)
    db.session.flush()
    return production


def make_season(
    *,
    status: SeasonStatus = SeasonStatus.OPEN,
    starts_on: date | None = None,
    weeks: int = 4,
    request_deadline: date | None = None,
    slot_times: tuple[tuple[str, time], ...] = (("AM", time(9, 15)), ("PM", time(13, 30))),
    cast_names: tuple[str, ...] = ("Cast A", "Cast B"),
    productions: list[Production] | None = None,
    **overrides,
) -> Season:
    """An open season some weeks ahead, with a production, two daily slots and two casts free every day."""
    this_day = today()
    starts_on = starts_on or this_day + timedelta(days=35 - this_day.weekday())  # a Monday five weeks on
    ends_on = starts_on + timedelta(weeks=weeks, days=-3)
    n = _next()
    season = Season(
        name=f"Test Season {n}",
        starts_on=starts_on,
        ends_on=ends_on,
        request_deadline=request_deadline or this_day + timedelta(days=14),
        status=status,
        **overrides,
    )
    season.productions = productions if productions is not None else [make_production()]
    season.slots = [Slot(code=code, starts_at=at) for code, at in slot_times]
    days = season_days(starts_on, ends_on)
    season.casts = [
        Cast(name=name, max_per_day=2, productions=list(season.productions), dates=[CastDate(day=d) for d in days])
        for name in cast_names
    ]
    db.session.add(season)
    db.session.flush()
    return season


def make_request(
    school: School | None = None,
    season: Season | None = None,
    *,
    created_by: User | None = None,
    year_groups: dict[int, int] | None = None,
    days: int = 3,
    **overrides,
) -> Request:
    """A submitted request for the season's first production, on its first few open days, in every slot."""
    school = school or make_school()
    season = season or make_season()
    open_days = season_days(season.starts_on, season.ends_on)[:days]
    fields = {
        "season": season,
        "school": school,
        "production": season.productions[0],
        "status": RequestStatus.SUBMITTED,
        "staff_in_hall": 3,
        "dsl_name": "Dee Ess-Ell",
        "dsl_email": "dsl@example.org",
        "dsl_phone": "01632 960 123",
        "access_notes": "Ground floor hall.",
        "created_by": created_by,
    }
    fields.update(overrides)
    request_ = Request(**fields)
    request_.year_groups = [
        RequestYearGroup(year_group=year, pupils=pupils) for year, pupils in (year_groups or {9: 60}).items()
    ]
    request_.dates = [RequestDate(day=day, preferred=index == 0) for index, day in enumerate(open_days)]
    request_.slots = [RequestSlot(slot_id=slot.id) for slot in season.slots]
    db.session.add(request_)
    db.session.flush()
    return request_


def make_performance(request_: Request, *, cast: Cast | None = None, slot: Slot | None = None, **overrides):
    """A provisional performance of a request, on its first day and slot, by the season's first cast."""
    season = request_.season
    fields = {
        "season_id": season.id,
        "request_id": request_.id,
        "school_id": request_.school_id,
        "cast_id": (cast or season.casts[0]).id,
        "slot_id": (slot or season.slots[0]).id,
        "day": request_.dates[0].day,
        "status": PerformanceStatus.PROVISIONAL,
        "pupils_planned": 60,
    }
    fields.update(overrides)
    performance = Performance(**fields)
    db.session.add(performance)
    db.session.flush()
    return performance


def pass_second_factor(user: User) -> None:
    """As if the user had entered their authenticator app's code in each live session (test_second_factor.py drives
    the real pages)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(second_factor_at=datetime.now(UTC))
    )
    db.session.flush()
