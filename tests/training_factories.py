"""Small factories for the training records: make_course(), make_session(), make_learner(), on the test's session."""

from __future__ import annotations

from datetime import date, time, timedelta

from portal.domain.training import CourseLevel
from portal.extensions import db
from portal.models import Learner, Role, TrainingAgency, TrainingCourse, TrainingJobRole, TrainingSession, User
from tests.factories import make_user

_counter = iter(range(1, 10**9))


def make_course(**overrides) -> TrainingCourse:
    n = next(_counter)
    fields = {
        "title": f"CSE awareness {n}",
        "level": CourseLevel.AWARENESS,
        "length_minutes": 180,
        "learning_outcomes": "Spot the warning signs of CSE and know how to act on them",
        "audience": "Anyone who works with children",
    }
    fields.update(overrides)
    course = TrainingCourse(**fields)
    db.session.add(course)
    db.session.flush()
    return course


def make_session(course: TrainingCourse | None = None, **overrides) -> TrainingSession:
    fields = {
        "course": course or make_course(),
        "day": date.today() + timedelta(days=30),
        "starts_at": time(9, 30),
        "ends_at": time(12, 30),
        "capacity": 20,
        "venue_address": "County Hall, New Road, Oxford OX1 1ND",
        "access_information": "Step-free entrance on New Road; hearing loop in the room",
    }
    fields.update(overrides)
    session = TrainingSession(**fields)
    db.session.add(session)
    db.session.flush()
    return session


def make_agency(name: str | None = None) -> TrainingAgency:
    agency = TrainingAgency(name=name or f"Agency {next(_counter)}")
    db.session.add(agency)
    db.session.flush()
    return agency


def make_job_role(name: str | None = None) -> TrainingJobRole:
    job_role = TrainingJobRole(name=name or f"Job role {next(_counter)}")
    db.session.add(job_role)
    db.session.flush()
    return job_role


def make_learner(user: User | None = None, **overrides) -> Learner:
    fields = {
        "user": user or make_user(Role.LEARNER),
        "organisation": "Thames Valley Police",
        "agency": make_agency(),
        "job_role": make_job_role(),
        "district": "Cherwell",
    }
    fields.update(overrides)
    learner = Learner(**fields)
    db.session.add(learner)
    db.session.flush()
    return learner
