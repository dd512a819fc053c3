"""Demo data for a new installation: schools, an open season with two casts, requests, one login per role.

Dates are worked out from today when the data is first loaded, so a new user always sees a season that is
open for requests. Loading again changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from portal.clock import today
from portal.domain.calendars import season_days
from portal.domain.requests import RequestDraft
from portal.domain.schools_csv import read_directory
from portal.extensions import db
from portal.models import (
    ApprovalState,
    Cast,
    CastDate,
    Performance,
    PerformanceStatus,
    Production,
    Role,
    School,
    Season,
    Slot,
    User,
)
from portal.models.seasons import SeasonStatus
from portal.services import accounts, schools
from portal.services.requests import open_days, submit_request
from portal.services.training_demo import load_demo_training

DEMO_PASSWORD = "tour-demo-password"  # noqa: S105 (published in the README as demo-only)
# The demo administrator's authenticator app set-up key, published in the README: the demo admin comes enrolled, so
# signing in asks for a code at once (a real administrator sets up through a link e-mailed to their own address).
DEMO_ADMIN_SET_UP_KEY = "EJTTJHENV6Z4YWJPLWUM6ZZ2BMKPPHOO"
DEMO_SCHOOLS = Path(__file__).resolve().parent.parent / "data" / "schools-demo.csv"
DEMO_SEASON = "Demo season"
PAST_SEASON = "Demo season now touring"
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
    season = _demo_season_shell(DEMO_SEASON, starts_on, request_deadline=start_from + timedelta(days=21))
    # Part-time casts, so the first allocation has more asked for than it can give, as real tours do.
    cast_a, cast_b = season.casts
    cast_a.dates = [d for d in cast_a.dates if d.day.weekday() in (0, 1, 2)]
    cast_b.dates = [d for d in cast_b.dates if d.day.weekday() in (1, 2, 3) and d.day < starts_on + timedelta(weeks=5)]
    db.session.flush()
    return season


def _demo_season_shell(name: str, starts_on: date, request_deadline: date) -> Season:
    season = Season(
        name=name,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(weeks=12, days=-3),
        request_deadline=request_deadline,
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
            if role == Role.ADMIN:
                user.totp_secret, user.totp_enabled_at = DEMO_ADMIN_SET_UP_KEY, user.created_at


def _demo_login(email: str) -> User:
    """One of the demo logins that _demo_users makes."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise LookupError(f"{email} is not loaded yet: _demo_users makes it")
    return user


def _demo_requests(season: Season, start_from: date) -> None:
    rng = random.Random(2027)
    council = _demo_login("council@example.org")
    days = open_days(season)
    all_schools = list(db.session.scalars(select(School).where(School.urn != DEMO_SCHOOL_URN).order_by(School.urn)))
    for school in all_schools[:30]:
        school.hall_capacity = school.hall_capacity or rng.choice([90, 120, 150, 180])
        chosen = sorted(rng.sample(days, k=min(len(days), rng.randint(3, 8))))
        submit_request(council, school, season, _demo_draft(season, school, chosen, rng), start_from)


def _demo_draft(season: Season, school: School, chosen: list[date], rng: random.Random) -> RequestDraft:
    years = rng.sample([8, 9, 10], k=rng.randint(1, 2))
    return RequestDraft(
        production_id=season.productions[0].id,
        year_groups={year: min((school.pupils_on_roll or 0) // 6, 240) or 60 for year in years},
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


def _demo_past_tour(start_from: date) -> None:
    """A season that started weeks ago: allocated, published, partly delivered, so every page has something."""
    from portal.jobs import perform_allocation_run
    from portal.services import allocations, performances

    rng = random.Random(2026)
    company = _demo_login("company@example.org")
    starts_on = _monday_after(start_from, -7)
    season = _demo_season_shell(PAST_SEASON, starts_on, request_deadline=starts_on - timedelta(days=21))
    council = _demo_login("council@example.org")
    days = open_days(season)
    demo_school = db.session.scalars(select(School).where(School.urn == DEMO_SCHOOL_URN)).one()
    others = list(db.session.scalars(select(School).where(School.urn != DEMO_SCHOOL_URN).order_by(School.urn)))
    for school in others[20:36]:
        school.hall_capacity = school.hall_capacity or rng.choice([120, 150, 180])
        chosen = sorted(rng.sample(days, k=min(len(days), rng.randint(8, 16))))
        draft = _demo_draft(season, school, chosen, rng)
        submit_request(council, school, season, draft, season.request_deadline)
    _demo_school_request(season, demo_school, days, start_from)
    # A school from the open season's list: the last two (Stonechat, Yellowhammer) stay free of requests for the
    # journeys that register a new school there.
    _demo_recent_request(season, others[0], days, start_from)
    published = season.request_deadline + timedelta(days=1)
    run = allocations.start_run(company, season, published, time_limit=5)
    perform_allocation_run(run.id, deterministic=True)
    # Confirm-by two days on: the performances nobody has confirmed yet show as about to lapse at once.
    created = allocations.publish_run(company, run, start_from + timedelta(days=2), published)
    # The demo school's own: its first future performance confirmed, its second declined, the rest left to answer.
    demo_school_future = [p for p in created if p.school_id == demo_school.id and p.day >= start_from]
    declined = demo_school_future[1] if len(demo_school_future) > 2 else None
    awaiting = _awaiting_delivery_record(created, demo_school, start_from)
    for performance in created:
        if performance is declined:
            performances.decline_performance(company, performance, "Hall needed for mock exams")
        elif performance in demo_school_future[2:]:
            continue
        elif performance.day < start_from or performance in demo_school_future[:1] or rng.random() < 0.5:
            performances.confirm_performance(company, performance, published + timedelta(days=1))
        if performance.day < start_from and performance is not awaiting:
            share = rng.uniform(0.8, 1.0)
            years = [group.year_group for group in performance.request.year_groups]
            attendance = {year: int(performance.pupils_planned * share / len(years)) for year in years}
            performances.record_delivery(company, performance, attendance, rng.randint(0, 4), start_from)
    _demo_waiting_request(season, others[1], [p.day for p in demo_school_future[2:]], start_from)


def _demo_waiting_request(season: Season, school: School, asked_days: list[date], start_from: date) -> None:
    """A request the council made after the tour was published, still waiting for a place: mornings on the days the
    demo school has yet to answer, and on one day when neither cast plays. A place the demo school declines is
    offered to it first; and its list of places to book shows that free day once, not once per cast."""
    council = _demo_login("council@example.org")
    busy = set(
        db.session.scalars(
            select(Performance.day).where(
                Performance.season_id == season.id,
                Performance.status.notin_([PerformanceStatus.DECLINED, PerformanceStatus.CANCELLED]),
            )
        )
    )
    free = [day for day in open_days(season) if day > start_from + timedelta(days=2) and day not in busy][:1]
    school.hall_capacity, school.priority = school.hall_capacity or 120, 3
    draft = RequestDraft(
        production_id=season.productions[0].id,
        year_groups={9: 90},
        dates=frozenset(asked_days + free),
        preferred_dates=frozenset(),
        slot_ids=frozenset({season.slots[0].id}),
        staff_in_hall=3,
        dsl_name=f"DSL at {school.name}",
        dsl_email=f"dsl.{school.urn}@example.org",
        dsl_phone="01632 960 " + str(100 + int(school.urn) % 900),
        access_notes="Drama studio on the first floor; the lift is by reception.",
    )
    submit_request(council, school, season, draft, season.request_deadline)


def _demo_recent_request(season: Season, school: School, days: list[date], start_from: date) -> None:
    """A request for only the last two school days before today, so that the tour has a performance there whatever
    day the demo is loaded on (see _awaiting_delivery_record)."""
    council = _demo_login("council@example.org")
    school.hall_capacity, school.priority = school.hall_capacity or 120, 3
    recent = frozenset([day for day in days if day < start_from][-2:])
    draft = RequestDraft(
        production_id=season.productions[0].id,
        year_groups={9: 90},
        dates=recent,
        preferred_dates=recent,
        slot_ids=frozenset(slot.id for slot in season.slots),
        staff_in_hall=3,
        dsl_name=f"DSL at {school.name}",
        dsl_email=f"dsl.{school.urn}@example.org",
        dsl_phone="01632 960 " + str(100 + int(school.urn) % 900),
    )
    submit_request(council, school, season, draft, season.request_deadline)


def _awaiting_delivery_record(created: list[Performance], demo_school: School, start_from: date) -> Performance:
    """The company's latest performance before today (another school's: the demo school keeps its delivered one),
    left confirmed without its delivery record, so that a new user sees that step waiting."""
    past = [p for p in created if p.day < start_from and p.school_id != demo_school.id]
    return max(past, key=lambda p: (p.day, p.slot.starts_at, p.id))


def _demo_school_request(season: Season, school: School, days: list[date], start_from: date) -> None:
    """The demo school's own request: four performances' worth, one already past, so its staff see every state.

    One slot a day and exactly four days (one past, three to come) leave the scheduler one way to place the four
    performances the hall needs, so the demo shows the same states whatever day it is loaded on."""
    council = _demo_login("council@example.org")
    school.hall_capacity, school.priority = 120, 3
    past = [day for day in days if day < start_from][-1:]
    future = [day for day in days if day > start_from + timedelta(days=7)][:3]
    draft = RequestDraft(
        production_id=season.productions[0].id,
        year_groups={8: 160, 9: 160, 10: 160},
        dates=frozenset(past + future),
        preferred_dates=frozenset(future[:2]),
        slot_ids=frozenset({season.slots[0].id}),
        staff_in_hall=4,
        dsl_name="Priya Shah",
        dsl_email="p.shah@greenfinch.example.org",
        dsl_phone="01632 960 101",
        access_notes="Main hall, ground floor. Park in the staff car park by the sports hall.",
    )
    submit_request(council, school, season, draft, season.request_deadline)


def _demo_follow_up(start_from: date, storage: Path) -> None:
    """Lesson packs with a file each, follow-up lessons and questionnaire results for the delivered performances."""
    from portal.domain.pdf import simple_pdf
    from portal.services import lessons, packs
    from portal.services.lessons import LessonDetails

    rng = random.Random(2028)
    company = _demo_login("company@example.org")
    council = _demo_login("council@example.org")
    production = db.session.scalars(select(Production).where(Production.title == "Trust Me")).one()
    pack_ids = {}
    for year in (8, 9, 10):
        title = f"Trust Me: follow-up lessons for year {year}"
        pack = packs.create_pack(
            company,
            production=production,
            year_group=year,
            title=title,
            summary="Two 50-minute PSHE lessons that help pupils talk about what they saw in the drama.",
            objectives="Recognise the signs of grooming, online and offline\nKnow where and how to get help\n"
            "Understand that exploitation is never the young person's fault",
        )
        lines = ["Lesson 1: what happened to Jay?", "Lesson 2: who can help?", "Signpost: Childline 0800 1111."]
        packs.add_file(company, pack, f"trust-me-year-{year}.pdf", simple_pdf(title, lines), storage)
        pack_ids[year] = pack.id
    season = db.session.scalars(select(Season).where(Season.name == PAST_SEASON)).one()
    season.cost_pence = 4_800_000
    delivered = db.session.scalars(
        select(Performance)
        .where(Performance.season_id == season.id, Performance.status == "delivered")
        .order_by(Performance.id)
    )
    for performance in delivered:
        attended = lessons.attended_by_year(performance)
        staff = db.session.scalar(select(User).where(User.school_id == performance.school_id)) or council
        for year, pupils in attended.items():
            day = performance.day + timedelta(days=rng.randint(3, 20))
            if rng.random() < 0.6 and day <= start_from:
                details = LessonDetails(day, year, max(1, int(pupils * rng.uniform(0.7, 1.0))), pack_ids.get(year), "")
                lessons.record_lesson(staff, performance, details, start_from)
        if rng.random() < 0.4 and performance.pupils_attended:
            answered = int(performance.pupils_attended * 0.8)
            counts = {
                "respondents": answered,
                "confident_before": int(answered * 0.35),
                "confident_after": int(answered * 0.8),
                "know_help_before": int(answered * 0.5),
                "know_help_after": int(answered * 0.9),
                "staff_rating": rng.choice([4, 5, 5]),
            }
            lessons.save_evaluation(staff, performance, counts)


def _demo_office_phones() -> None:
    """Fictional office numbers from Ofcom's range kept for drama (01632 960000 to 960999), for all but a few
    schools, so that the day sheet and the schools' to-do lists show both cases."""
    for number, school in enumerate(db.session.scalars(select(School).order_by(School.urn)), start=1):
        if (number % 10 or school.urn == DEMO_SCHOOL_URN) and not school.office_phone:
            school.office_phone = f"01632 960 {number:03d}"


def load_demo_data() -> bool:
    """Load the demo data if it is not there yet; returns whether anything was created."""
    if db.session.scalar(select(Season).where(Season.name == DEMO_SEASON)) is not None:
        return False
    schools.import_directory(read_directory(DEMO_SCHOOLS.read_text(encoding="utf-8")))
    _demo_office_phones()
    start_from = today()
    _demo_users()
    season = _demo_season(start_from)
    _demo_requests(season, start_from)
    _demo_past_tour(start_from)
    _demo_follow_up(start_from, Path(current_app.config["PORTAL_INSTANCE"]) / "lesson-packs")
    load_demo_training(_demo_login("council@example.org"), DEMO_PASSWORD, start_from)
    return True
