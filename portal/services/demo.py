"""Demo data for a new installation: schools, an open season with two casts, requests, one login per role.

Dates are worked out from today when the data is first loaded, so a new user always sees a season that is
open for requests. Loading again changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import select

from portal.clock import today
from portal.domain.calendars import season_days
from portal.domain.requests import RequestDraft
from portal.domain.schools_csv import read_directory
from portal.extensions import db
from portal.models import ApprovalState, Cast, CastDate, Production, Role, School, Season, Slot
from portal.models.seasons import SeasonStatus
from portal.services import accounts, schools
from portal.services.requests import open_days, submit_request

DEMO_PASSWORD = "tour-demo-password"  # noqa: S105 (published in the README as demo-only)
DEMO_SCHOOLS = Path(__file__).resolve().parent.parent / "data" / "schools-demo.csv"
DEMO_SEASON = "Demo season"
DEMO_SCHOOL_URN = "990101"
DEMO_LOGINS = (
    ("school@example.org", Role.SCHOOL, "Sam Patel"),
    ("company@example.org", Role.COMPANY, "Alex Morgan"),
    ("council@example.org", Role.COUNCIL, "Jo Whitfield"),
    ("admin@example.org", Role.ADMIN, "Chris Okafor"),
)


def _monday_after(day: date, weeks: int) -> date:
    return day + timedelta(days=7 * weeks - day.weekday())


def _demo_season(start_from: date) -> Season:
    starts_on = _monday_after(start_from, 6)
    season = Season(
        name=DEMO_SEASON,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(weeks=12, days=-3),
        request_deadline=start_from + timedelta(days=21),
        status=SeasonStatus.OPEN,
    )
    production = db.session.scalar(select(Production).where(Production.title == "Trust Me"))
    if production is None:
        production = Production(
            title="Trust Me",
            summary="A drama about how grooming starts online and how young people can get help.",
            duration_minutes=60,
            audience_cap=120,
        )
    season.productions = [production]
    season.slots = [Slot(code="AM", starts_at=time(9, 15)), Slot(code="PM", starts_at=time(13, 30))]
    days = season_days(season.starts_on, season.ends_on)
    season.casts = [
        Cast(name=name, max_per_day=2, productions=[production], dates=[CastDate(day=day) for day in days])
        for name in ("Cast A", "Cast B")
    ]
    db.session.add(season)
    db.session.flush()
    return season


def _demo_users() -> None:
    school = db.session.scalar(select(School).where(School.urn == DEMO_SCHOOL_URN))
    for email, role, name in DEMO_LOGINS:
        if accounts.find_user_by_email(email) is None:
            user = accounts.create_user(
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                full_name=name,
                school=school if role == Role.SCHOOL else None,
            )
            user.email_verified_at = user.created_at
            user.approval_state = ApprovalState.APPROVED


def _demo_requests(season: Season, start_from: date) -> None:
    rng = random.Random(2027)
    council = accounts.find_user_by_email("council@example.org")
    days = open_days(season)
    all_schools = list(db.session.scalars(select(School).where(School.urn != DEMO_SCHOOL_URN).order_by(School.urn)))
    for school in all_schools[:30]:
        school.hall_capacity = school.hall_capacity or rng.choice([90, 120, 150, 180])
        chosen = sorted(rng.sample(days, k=min(len(days), rng.randint(4, 12))))
        years = rng.sample([8, 9, 10], k=rng.randint(1, 2))
        draft = RequestDraft(
            production_id=season.productions[0].id,
            year_groups={year: min(school.pupils_on_roll // 6, 240) or 60 for year in years},
            dates=frozenset(chosen),
            preferred_dates=frozenset(chosen[:2]),
            slot_ids=frozenset(slot.id for slot in rng.sample(season.slots, k=rng.randint(1, 2))),
            staff_in_hall=rng.randint(3, 6),
            dsl_name=f"DSL at {school.name}",
            dsl_email=f"dsl.{school.urn}@example.org",
            dsl_phone="01632 960 " + str(100 + int(school.urn) % 900),
            access_notes=rng.choice(
                ["", "Hall is on the ground floor; park by the sports hall.", "Step-free access by the main gate."]
            ),
        )
        submit_request(council, school, season, draft, start_from)


def load_demo_data() -> bool:
    """Load the demo data if it is not there yet; returns whether anything was created."""
    if db.session.scalar(select(Season).where(Season.name == DEMO_SEASON)) is not None:
        return False
    schools.import_directory(read_directory(DEMO_SCHOOLS.read_text(encoding="utf-8")))
    start_from = today()
    _demo_users()
    season = _demo_season(start_from)
    _demo_requests(season, start_from)
    return True
