"""The national data set: about 3,000 schools over England and five years of touring, in an empty database.

The schools come from a GIAS-shaped extract the project makes (portal.domain.national_directory), imported through
the real directory import. Staff accounts, the company's productions and lesson packs go through the services;
the tour history (seasons, casts, requests, performances in every state, attendance, lessons, returns: hundreds of
thousands of rows) is planned by portal.domain.national_tour and written with bulk inserts of SQLAlchemy Core into
the same tables, so every constraint of the database still holds; explicit ids, then PostgreSQL's sequences are
moved past them. The CSE staff training of the same years (portal.domain.national_training: learners, sessions,
their bookings and completions, and e-learning records through the e-learning import's own bulk insert) follows the
same way, so the staff-trained figures are measured at national scale too. Deterministic for a seed and a day.
Flushes, never commits: the command commits.
"""

from __future__ import annotations

import time as clock_time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import bindparam, func, insert, select, text, update
from werkzeug.security import generate_password_hash

from portal.domain.directory_files import read_directory_file
from portal.domain.national_directory import gias_extract, national_directory, read_places
from portal.domain.national_people import school_profiles, school_staff
from portal.domain.national_terms import tour_terms
from portal.domain.national_tour import TABLES, Ids, Tour, TourProduction, TourSchool, season_targets
from portal.domain.national_training import TrainingSetting, training_history
from portal.domain.pdf import simple_pdf
from portal.domain.training import CourseLevel
from portal.extensions import db
from portal.models import ApprovalState, Performance, Production, Role, School, Season, User
from portal.services import accounts, elearning_import, packs, schools, settings, training_courses, training_lists
from portal.services.demo import DEMO_ADMIN_SET_UP_KEY, DEMO_LOGINS, DEMO_PASSWORD
from portal.services.training_courses import CourseDetails
from portal.services.training_demo import DEMO_TRAINER

PLACES = Path(__file__).resolve().parent.parent / "data" / "england-places.csv"
SEASONS = 13
# Tables whose ids the plan chooses (an empty database: from 1); PostgreSQL's sequences are moved past them.
EXPLICIT_IDS: tuple[str, ...] = ("users", "seasons", "slots", "casts", "requests", "performances", "follow_up_lessons")
EXPLICIT_IDS += ("evaluation_returns", "learners", "training_sessions", "training_bookings")
PRODUCTIONS = (
    ("Trust Me", "A drama about how grooming starts online and how young people can get help.", 60, 120),
    ("Breaking the Chain", "Forum theatre: pupils stop the action and change what happens next.", 75, 90),
)
REACH_TARGET = 1_500_000
COURSES = (
    CourseDetails(
        "CSE awareness", CourseLevel.AWARENESS, 180,
        "Know what child sexual exploitation is, spot the warning signs and know who to tell",
        "Everyone who works with children and young people, paid or volunteer",
    ),
    CourseDetails(
        "Multi-agency CSE: acting on concerns", CourseLevel.MULTI_AGENCY, 360,
        "Share information across agencies, make a referral and plan together to protect a child",
        "Designated Safeguarding Leads, police, social workers and health staff who act on concerns",
    ),
)  # fmt: skip
BATCH = 20_000


class NationalDataError(ValueError):
    """The database is not empty: the national data set is only loaded into a new installation."""


@dataclass
class NationalFigures:
    schools: int = 0
    passed_over: int = 0
    warnings: list[str] = field(default_factory=list)
    rows: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    elearning: int = 0  # of the training completions, those imported from the e-learning
    staff_trained: int = 0  # people trained, each once per level
    seconds: float = 0.0


def national_extract(schools_count: int, seed: int) -> bytes:
    """The GIAS-shaped directory file the national data set starts from."""
    places = read_places(PLACES.read_text(encoding="utf-8"))
    return gias_extract(national_directory(places, schools_count, seed))


def _require_empty() -> None:
    for model in (School, Season, User):
        if db.session.scalar(select(func.count()).select_from(model)):
            raise NationalDataError(f"the database already has {model.__tablename__}: use a new, migrated database")


def _insert(table: str, rows: list[dict]) -> None:
    """Bulk insert (executemany); keys the table does not have (a column of a later migration) are left out."""
    target = db.metadata.tables[table]
    if rows and not set(rows[0]) <= set(target.c.keys()):
        rows = [{key: value for key, value in row.items() if key in target.c} for row in rows]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(target), rows[start : start + BATCH])


def _staff(now: datetime) -> dict[Role, User]:
    """The demo logins (company, council, administrator), approved and verified, as the demo data makes them."""
    made: dict[Role, User] = {}
    for email, role, name in DEMO_LOGINS:
        if role == Role.SCHOOL:
            continue
        user = accounts.create_user(email=email, password=DEMO_PASSWORD, role=role, full_name=name)
        user.email_verified_at, user.approval_state = now, ApprovalState.APPROVED
        if role == Role.ADMIN:
            user.totp_secret, user.totp_enabled_at = DEMO_ADMIN_SET_UP_KEY, now
        made[role] = user
    db.session.flush()
    return made


def _productions(company: User, storage: Path) -> list[TourProduction]:
    """Both productions, with a lesson pack (and its file) for each of years 8, 9 and 10."""
    made = []
    for title, summary, minutes, cap in PRODUCTIONS:
        production = Production(title=title, summary=summary, duration_minutes=minutes, audience_cap=cap)
        db.session.add(production)
        db.session.flush()
        pack_ids = {}
        for year in (8, 9, 10):
            name = f"{title}: follow-up lessons for year {year}"
            pack = packs.create_pack(
                company, production=production, year_group=year, title=name, summary=summary, objectives=""
            )
            lines = ["Lesson 1: what happened?", "Lesson 2: who can help?", "Signpost: Childline 0800 1111."]
            packs.add_file(company, pack, f"pack-year-{year}.pdf", simple_pdf(name, lines), storage)
            pack_ids[year] = pack.id
        made.append(TourProduction(production.id, cap, pack_ids, minutes))
    return made


def _school_accounts(seed: int, now: datetime, figures: NationalFigures) -> dict[int, tuple[int, ...]]:
    """Staff accounts for every school; returns each school's approved, active staff."""
    listed = db.session.execute(select(School.id, School.urn).order_by(School.id)).all()
    _update_profiles(school_profiles([school_id for school_id, _ in listed], seed))
    first_id = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    users = school_staff(
        [(school_id, urn) for school_id, urn in listed], seed, generate_password_hash(DEMO_PASSWORD), now, first_id
    )
    _insert("users", users)
    figures.rows["users"] += len(users)
    staff: dict[int, list[int]] = {}
    for user in users:
        if user["approval_state"] == "approved" and user["active"]:
            staff.setdefault(user["school_id"], []).append(user["id"])
    return {school_id: tuple(ids) for school_id, ids in staff.items()}


def _update_profiles(profiles: list[dict]) -> None:
    table = School.__table__
    statement = update(table).where(table.c.id == bindparam("school_id"))
    rows = [{"school_id": p["id"], "hall_capacity": p["hall_capacity"], "priority": p["priority"]} for p in profiles]
    db.session.execute(statement.values(hall_capacity=bindparam("hall_capacity"), priority=bindparam("priority")), rows)


def _tour_schools(staff: dict[int, tuple[int, ...]]) -> list[TourSchool]:
    """The schools as the plan needs them, each where the scheduler's instances put it (one without a location in
    the directory at its district's middle), so that the plan times the casts' travel as an allocation run will."""
    listed = list(db.session.scalars(select(School).order_by(School.id)))
    where = schools.locations(listed)
    return [
        TourSchool(
            school.id, school.urn, school.district, school.pupils_on_roll, school.hall_capacity,
            staff_ids=staff.get(school.id, ()), location=where[school.id],
        )
        for school in listed
    ]  # fmt: skip


def _next_ids() -> dict[str, int]:
    return {
        table: (db.session.scalar(text(f"SELECT max(id) FROM {table}")) or 0) + 1  # noqa: S608 (our table names)
        for table in EXPLICIT_IDS
    }


def _write_tour(tour: Tour, today: date, performances: int, figures: NationalFigures) -> None:
    terms = tour_terms(today, SEASONS)
    for index, (term, target) in enumerate(zip(terms, season_targets(terms, performances), strict=True)):
        rows = tour.season(index, term, target, is_open=index == len(terms) - 1)
        for table in TABLES:
            _insert(table, rows.tables.get(table, []))
            figures.rows[table] += len(rows.tables.get(table, []))
        figures.statuses.update(row["status"] for row in rows.tables.get("performances", []))


def _demo_school_login() -> None:
    """school@example.org: staff at the school whose performances of the touring season are in the most states."""
    touring = db.session.scalar(select(func.max(Performance.season_id)))
    states = func.count(func.distinct(Performance.status))
    query = (
        select(Performance.school_id)
        .where(Performance.season_id == touring)
        .group_by(Performance.school_id)
        .order_by(states.desc(), func.count().desc(), Performance.school_id)
        .limit(1)
    )
    school_id = db.session.scalar(query)
    user = db.session.scalar(
        select(User)
        .where(User.school_id == school_id, User.approval_state == ApprovalState.APPROVED, User.active.is_(True))
        .order_by(User.id)
    )
    if user is not None:
        user.email = next(email for email, role, _ in DEMO_LOGINS if role == Role.SCHOOL)


def _write_training(council: User, first_day: date, today: date, now: datetime, seed: int, figures) -> None:
    """The council's lists, courses and a trainer through the services, then the training history in bulk."""
    training_lists.ensure_default_lists()
    trainer = accounts.create_user(
        email=DEMO_TRAINER[0], password=DEMO_PASSWORD, role=Role.TRAINER, full_name=DEMO_TRAINER[1]
    )
    trainer.email_verified_at, trainer.approval_state = now, ApprovalState.APPROVED
    agencies = {agency.name: agency for agency in training_lists.agencies()}
    job_roles = {job_role.name: job_role for job_role in training_lists.job_roles()}
    courses = {details.level: training_courses.create_course(council, details).id for details in COURSES}
    db.session.flush()
    first_ids = {table: (db.session.scalar(text(f"SELECT max(id) FROM {table}")) or 0) + 1  # noqa: S608 (ours)
                 for table in ("users", "learners", "training_sessions", "training_bookings")}  # fmt: skip
    setting = TrainingSetting(
        list(db.session.scalars(select(School.district).order_by(School.id))),
        {name: agency.id for name, agency in agencies.items()}, {name: role.id for name, role in job_roles.items()},
        courses, trainer.id, db.session.scalar(select(User.password_hash).where(User.id == council.id)) or "",
        first_ids, first_day, today, now, seed,
    )  # fmt: skip
    planned = training_history(setting)
    for table in ("users", "learners", "training_sessions", "training_bookings", "training_completions"):
        _insert(table, planned.tables.get(table, []))
        figures.rows[table] += len(planned.tables.get(table, []))
    figures.elearning = elearning_import.add_completions(planned.elearning, agencies, job_roles)
    figures.rows["training_completions"] += figures.elearning
    figures.staff_trained = len(planned.counted)


def _move_sequences() -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in EXPLICIT_IDS:
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        db.session.execute(text(f"SELECT setval({sequence}, coalesce(max(id), 0) + 1, false) FROM {table}"))  # noqa: S608


def load_national_data(
    *,
    schools_count: int,
    performances: int,
    seed: int,
    today: date,
    now: datetime,
    storage: Path,
    local_authorities: frozenset[str] = frozenset(),
) -> NationalFigures:
    """Fill an empty database with the national data set (NationalDataError if it is not empty)."""
    started, figures = clock_time.perf_counter(), NationalFigures()
    _require_empty()
    found = read_directory_file(national_extract(schools_count, seed), local_authorities)
    schools.import_directory(found.rows)
    figures.schools, figures.passed_over, figures.warnings = len(found.rows), found.passed_over, found.warnings
    staff = _staff(now)
    settings.set_setting(staff[Role.COUNCIL], "reach_target", str(REACH_TARGET))
    productions = _productions(staff[Role.COMPANY], storage)
    school_staff_ids = _school_accounts(seed, now, figures)
    council_id = staff[Role.COUNCIL].id
    tour = Tour(_tour_schools(school_staff_ids), productions, council_id, today, now, seed, Ids(_next_ids()))
    _write_tour(tour, today, performances, figures)
    _demo_school_login()
    _move_sequences()  # before the trainer's account takes the next id of users
    _write_training(staff[Role.COUNCIL], tour_terms(today, SEASONS)[0].starts_on, today, now, seed, figures)
    _move_sequences()
    db.session.flush()
    figures.seconds = clock_time.perf_counter() - started
    return figures
