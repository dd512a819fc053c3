"""The national data set's CSE staff training over the same years as its tour, as rows for the portal's tables.

Pure: plain values in, rows out (portal.services.national_data writes them with bulk inserts, the e-learning through
the e-learning import's own bulk insert). About three in four people took the council's e-learning course (imported
from the learning system, one record each; a fifth of them again a year or more later); the rest have a learner
account and attended sessions, of the awareness course, the multi-agency course, or the awareness course and the
multi-agency one after it, some after doing the e-learning first. So a person often has more than one completion, and
the staff-trained figures count each person once per level (about 1.2 completions for each person counted).

What it makes keeps the portal's rules: every session completion is an attended booking of a past session within
its capacity (places taken counted), with its certificate code; an e-learning completion has a Record ID and no
booking; a person has one e-mail, agency, job role and district throughout (districts are the schools' districts,
agencies and job roles the names on the council's lists); upcoming sessions hold booked places, one live place per
learner and course.
"""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from portal.domain.elearning import CompletionRow
from portal.domain.national_people import FIRST_NAMES, LAST_NAMES
from portal.domain.training import CourseLevel

PEOPLE_PER_SCHOOL = 2.4  # 3,000 schools: about 7,200 people, 7,500 counted at the two levels, 9,000 completions
ELEARNING_SHARE, ELEARNING_AGAIN = 0.72, 0.25
MULTI_AGENCY_FIRST, MULTI_AGENCY_AFTER, ELEARNING_BEFORE = 0.4, 0.3, 0.5
SESSION_FILL = 0.75  # sessions are planned for this share of their places
# level: (capacity, starts, ends)
SESSION_TIMES = {
    CourseLevel.AWARENESS: (30, time(9, 30), time(12, 30)),
    CourseLevel.MULTI_AGENCY: (20, time(9, 0), time(15, 0)),
}
UPCOMING = ((14, 0.7), (28, 0.4))  # sessions to come: days from today, share of places booked
ELEARNING_PREFIX = "NAT-ELEARN-"
# Each agency's share of the people trained and the job roles its people give, by the names of the portal's lists.
AGENCIES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("Schools", 0.34, ("Teacher", "Teacher", "Designated Safeguarding Lead")),
    ("Police", 0.10, ("Police officer or PCSO",)),
    ("Health", 0.14, ("Nurse or health visitor", "Nurse or health visitor", "Doctor")),
    ("Children's social care", 0.10, ("Social worker",)),
    ("Early help", 0.07, ("Family support or early help worker",)),
    ("Voluntary sector", 0.07, ("Volunteer", "Youth worker")),
    ("Youth services", 0.06, ("Youth worker",)),
    ("Taxi and private hire licensing", 0.07, ("Licensed driver",)),
    ("Hotels and night-time economy", 0.03, ("Hotel or venue staff",)),
    ("Other", 0.02, ("Other",)),
)


@dataclass(frozen=True)
class TrainingSetting:
    """What the training plan starts from: the lists' ids by name, the courses, the trainer, ids to use, the dates."""

    districts: list[str]  # one per school, so people are spread as the schools are
    agency_ids: dict[str, int]
    job_role_ids: dict[str, int]
    course_ids: dict[CourseLevel, int]
    trainer_id: int
    password_hash: str
    first_ids: dict[str, int]  # users, learners, training_sessions, training_bookings
    first_day: date
    today: date
    now: datetime
    seed: int


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    organisation: str
    agency: str
    job_role: str
    district: str


@dataclass
class TrainingRows:
    """Rows by table (TABLES: an order that keeps the foreign keys), and the e-learning completions as an import
    reads them."""

    tables: dict[str, list[dict]] = field(default_factory=dict)
    elearning: list[CompletionRow] = field(default_factory=list)
    counted: set[tuple[CourseLevel, str]] = field(default_factory=set)  # (level, e-mail): the staff-trained figure

    def add(self, table: str, row: dict) -> None:
        self.tables.setdefault(table, []).append(row)


TABLES = ("users", "learners", "training_sessions", "training_bookings", "training_completions")


def _person(rng: random.Random, n: int, setting: TrainingSetting) -> Person:
    listed = [agency for agency in AGENCIES if agency[0] in setting.agency_ids] or [
        (name, 1.0, ()) for name in setting.agency_ids
    ]
    agency, _, roles = rng.choices(listed, weights=[weight for _, weight, _ in listed])[0]
    roles = tuple(role for role in roles if role in setting.job_role_ids) or tuple(sorted(setting.job_role_ids))
    first, last = rng.choice(FIRST_NAMES.split()), rng.choice(LAST_NAMES.split())
    domain = "".join(ch for ch in agency.lower() if ch in string.ascii_lowercase) or "agency"
    district = rng.choice(setting.districts)
    return Person(
        f"{first}.{last}.{n}@{domain}.example.org".lower(),
        f"{first} {last}",
        f"{agency}, {district}",
        agency,
        rng.choice(roles),
        district,
    )


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


class _Plan:
    def __init__(self, setting: TrainingSetting):
        self.setting, self.rng, self.rows = setting, random.Random(f"{setting.seed}:training"), TrainingRows()
        self.next_ids = dict(setting.first_ids)
        self.sessions: dict[CourseLevel, list[dict]] = {}
        self.learners: dict[str, tuple[int, Person]] = {}  # e-mail -> learner id

    def take(self, table: str) -> int:
        self.next_ids[table] += 1
        return self.next_ids[table] - 1

    def elearning(self, person: Person, day: date) -> None:
        number = len(self.rows.elearning) + 1
        self.rows.elearning.append(CompletionRow(
            number + 1, f"{ELEARNING_PREFIX}{number:06d}", person.email, person.name, person.organisation,
            person.agency, person.job_role, person.district, day,
        ))  # fmt: skip
        self.rows.counted.add((CourseLevel.AWARENESS, person.email))

    def plan_sessions(self, level: CourseLevel, attendances: int) -> None:
        """Past sessions spread evenly over the years, enough for the attendances at SESSION_FILL."""
        capacity = SESSION_TIMES[level][0]
        count = max(1, math.ceil(attendances / (capacity * SESSION_FILL)))
        last = self.setting.today - timedelta(days=7)
        span = (last - self.setting.first_day).days
        days = [self.setting.first_day + timedelta(days=round((n + 0.5) * span / count)) for n in range(count)]
        self.sessions[level] = [self._session(level, _weekday(day)) for day in days]

    def _session(self, level: CourseLevel, day: date) -> dict:
        capacity, starts, ends = SESSION_TIMES[level]
        session_id = self.take("training_sessions")
        online = session_id % 3 == 0
        row = {
            "id": session_id, "course_id": self.setting.course_ids[level], "trainer_id": self.setting.trainer_id,
            "day": day, "starts_at": starts, "ends_at": ends, "capacity": capacity, "places_taken": 0,
            "venue_address": "" if online else f"Council training room, {self.rng.choice(self.setting.districts)}",
            "access_information": "" if online else "Step-free entrance; hearing loop in the room",
            "joining_link": f"https://meet.example.org/cse-{session_id}" if online else "",
            "status": "scheduled", "cancel_reason": "", "sequence": 0,
            "created_at": datetime.combine(day - timedelta(days=60), time(10), tzinfo=UTC),
        }  # fmt: skip
        row["updated_at"] = row["created_at"]
        self.rows.add("training_sessions", row)
        return row

    def attend(self, person: Person, level: CourseLevel, after: date | None = None) -> date | None:
        """A place attended on a session of the level with room (after `after`), with its completion; its day."""
        open_ = [
            s for s in self.sessions[level] if s["places_taken"] < s["capacity"] and (after is None or s["day"] > after)
        ]
        if not open_:
            return None
        session = self.rng.choice(open_)
        session["places_taken"] += 1
        learner_id = self._learner(person, session["day"])
        finished = datetime.combine(session["day"], session["ends_at"], tzinfo=UTC)
        booking_id = self.take("training_bookings")
        self.rows.add("training_bookings", self._booking(booking_id, session, learner_id, "attended", finished))
        self.rows.add("training_completions", {
            "email": person.email, "name": person.name, "organisation": person.organisation,
            **self._lists(person), "district": person.district, "level": level.value, "completed_on": session["day"],
            "booking_id": booking_id,
            "certificate_code": "".join(self.rng.choices(string.ascii_letters + string.digits, k=32)),
            "source_reference": None, "created_at": finished,
        })  # fmt: skip
        self.rows.counted.add((level, person.email))
        return session["day"]

    def _booking(self, booking_id: int, session: dict, learner_id: int, status: str, at: datetime | None) -> dict:
        booked = datetime.combine(session["day"] - timedelta(days=self.rng.randint(7, 40)), time(11), tzinfo=UTC)
        return {
            "id": booking_id, "session_id": session["id"], "course_id": session["course_id"],
            "learner_id": learner_id, "status": status, "offer_expires_at": None,
            "created_at": min(booked, self.setting.now), "cancelled_at": None, "attended_at": at,
            "updated_at": at or min(booked, self.setting.now),
        }  # fmt: skip

    def _lists(self, person: Person) -> dict[str, int]:
        return {
            "agency_id": self.setting.agency_ids[person.agency],
            "job_role_id": self.setting.job_role_ids[person.job_role],
        }

    def _learner(self, person: Person, first_session: date) -> int:
        if person.email in self.learners:
            return self.learners[person.email][0]
        user_id, learner_id = self.take("users"), self.take("learners")
        created = datetime.combine(first_session - timedelta(days=45), time(12), tzinfo=UTC)
        self.rows.add("users", {
            "id": user_id, "email": person.email, "full_name": person.name, "job_title": person.job_role, "phone": "",
            "password_hash": self.setting.password_hash, "role": "learner", "school_id": None,
            "approval_state": "approved", "refusal_reason": "", "email_verified_at": created + timedelta(minutes=5),
            "active": True, "wants_reminders": True, "created_at": created, "last_login_at": created, "closed_at": None,
        })  # fmt: skip
        self.rows.add("learners", {
            "id": learner_id, "user_id": user_id, "organisation": person.organisation,
            **self._lists(person), "district": person.district, "created_at": created, "updated_at": created,
        })  # fmt: skip
        self.learners[person.email] = (learner_id, person)
        return learner_id

    def upcoming(self) -> None:
        """Sessions to come at each level, part booked by learners (one live place per learner and course)."""
        learners = sorted(learner_id for learner_id, _ in self.learners.values())
        for level in SESSION_TIMES:
            free = list(learners)
            self.rng.shuffle(free)
            for days, share in UPCOMING:
                session = self._session(level, _weekday(self.setting.today + timedelta(days=days)))
                for _ in range(min(len(free), round(session["capacity"] * share))):
                    session["places_taken"] += 1
                    row = self._booking(self.take("training_bookings"), session, free.pop(), "booked", None)
                    self.rows.add("training_bookings", row)


def _weekday(day: date) -> date:
    """The day, or the Monday after it when it falls at a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def training_history(setting: TrainingSetting) -> TrainingRows:
    """The programme's training so far: e-learning records, learners, sessions, bookings and completions."""
    plan = _Plan(setting)
    rng, first, last = plan.rng, setting.first_day, setting.today - timedelta(days=1)
    people = [_person(rng, n + 1, setting) for n in range(round(len(setting.districts) * PEOPLE_PER_SCHOOL))]
    draws = [rng.random() < ELEARNING_SHARE for _ in people]
    online = [person for person, draw in zip(people, draws, strict=True) if draw]
    attending = [person for person, draw in zip(people, draws, strict=True) if not draw]
    for person in online:
        day = _day_between(rng, first, last)
        plan.elearning(person, day)
        again = day + timedelta(days=rng.randint(365, 900))
        if rng.random() < ELEARNING_AGAIN and again <= last:
            plan.elearning(person, again)
    routes = [(person, rng.random() < MULTI_AGENCY_FIRST, rng.random()) for person in attending]
    multi = sum(first_multi or draw < MULTI_AGENCY_AFTER for _, first_multi, draw in routes)
    plan.plan_sessions(CourseLevel.AWARENESS, len(routes) - sum(first_multi for _, first_multi, _ in routes))
    plan.plan_sessions(CourseLevel.MULTI_AGENCY, multi)
    for person, first_multi, draw in routes:
        if first_multi:
            plan.attend(person, CourseLevel.MULTI_AGENCY)
            continue
        attended = plan.attend(person, CourseLevel.AWARENESS)
        if attended is not None and draw < MULTI_AGENCY_AFTER:
            plan.attend(person, CourseLevel.MULTI_AGENCY, after=attended)
        before = attended - timedelta(days=rng.randint(60, 700)) if attended is not None else None
        if before is not None and before >= first and rng.random() < ELEARNING_BEFORE:
            plan.elearning(person, before)
    plan.upcoming()
    return plan.rows
