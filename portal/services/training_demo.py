"""The CSE training's part of the demo data: two courses, sessions to come (one online, one full with a waiting
list) and one past, a trainer and a learner to sign in as, and learners from several agencies, all of whom
attended the past session (each with a completion and a certificate)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from portal.domain.training import BookingStatus, CourseLevel
from portal.extensions import db
from portal.models import ApprovalState, Learner, Role, TrainingBooking, TrainingSession, User
from portal.services import (
    accounts,
    elearning_import,
    training_bookings,
    training_courses,
    training_lists,
    training_register,
)
from portal.services.training_courses import CourseDetails, SessionDetails

DEMO_TRAINER = ("trainer@example.org", "Robin Hale")
DEMO_LEARNER = ("learner@example.org", "Pat Okoye")
DEMO_DOMAINS = ("police.uk", "nhs.net")
# name, agency, job role, district
DEMO_LEARNERS = (
    ("Kim Ellis", "Police", "Police officer or PCSO", "Cherwell"),
    ("Lee Grant", "Health", "Nurse or health visitor", "Oxford"),
    ("Mo Said", "Taxi and private hire licensing", "Licensed driver", "Cherwell"),
    ("Nia Brooks", "Children's social care", "Social worker", "West Oxfordshire"),
    ("Ola Reyes", "Youth services", "Youth worker", "Oxford"),
    ("Ray Dunn", "Hotels and night-time economy", "Hotel or venue staff", "Oxford"),
)


def load_demo_training(council: User, password: str, start_from: date) -> None:
    """Load the training demo (the caller commits); the lists of agencies and job roles come first."""
    training_lists.ensure_default_lists()
    # People who took the council's e-learning course, as the learning system's report would bring them in.
    elearning_import.add_demo_completions(training_lists.agencies(), training_lists.job_roles(), start_from)
    for domain in DEMO_DOMAINS:
        training_lists.add_domain(council, domain)
    trainer = _account(*DEMO_TRAINER, Role.TRAINER, password)
    awareness = training_courses.create_course(
        council,
        CourseDetails(
            "CSE awareness", CourseLevel.AWARENESS, 180,
            "Know what child sexual exploitation is, spot the warning signs and know who to tell",
            "Everyone who works with children and young people, paid or volunteer",
        ),
    )  # fmt: skip
    multi_agency = training_courses.create_course(
        council,
        CourseDetails(
            "Multi-agency CSE: acting on concerns", CourseLevel.MULTI_AGENCY, 360,
            "Share information across agencies, make a referral and plan together to protect a child",
            "Designated Safeguarding Leads, police, social workers and health staff who act on concerns",
        ),
    )  # fmt: skip
    venue = "County Hall, New Road, Oxford OX1 1ND"
    access = "Step-free entrance on New Road; hearing loop in the council chamber"
    soon = SessionDetails(start_from + timedelta(days=14), time(9, 30), time(12, 30), 3, venue, access, "", trainer)
    online = SessionDetails(
        start_from + timedelta(days=21), time(13, 30), time(16, 30), 40, "", "", "https://meet.example.org/cse", trainer
    )
    later = SessionDetails(start_from + timedelta(days=35), time(9, 0), time(15, 0), 20, venue, access, "", trainer)
    full = training_courses.create_session(council, awareness, soon)
    training_courses.create_session(council, awareness, online)
    training_courses.create_session(council, multi_agency, later)
    people = [_learner(name, agency, role, district, password) for name, agency, role, district in DEMO_LEARNERS]
    people.insert(0, _learner(DEMO_LEARNER[1], "Schools", "Teacher", "Cherwell", password, DEMO_LEARNER[0]))
    now = datetime.now(UTC)
    past = TrainingSession(
        course=awareness, trainer=trainer, day=start_from - timedelta(days=30), starts_at=time(9, 30),
        ends_at=time(12, 30), capacity=20, venue_address=venue, access_information=access,
    )  # fmt: skip
    db.session.add(past)
    db.session.flush()
    # Everyone attended, the demo learner too (their certificate is on their page): booked, then marked on the
    # register as the trainer marks it, so each has a completion the reach figures count and a certificate code.
    booked = [
        TrainingBooking(
            session_id=past.id, course_id=awareness.id, learner=learner, status=BookingStatus.BOOKED,
            created_at=now - timedelta(days=40),
        )
        for learner in people
    ]  # fmt: skip
    db.session.add_all(booked)
    past.places_taken = len(booked)
    db.session.flush()
    for booking in booked:
        training_register.mark_attended(trainer, booking, now - timedelta(days=30))
    for learner in people[:5]:  # three places, then two on the waiting list
        training_bookings.book(learner, full, now)


def _account(email: str, name: str, role: Role, password: str) -> User:
    user = accounts.create_user(email=email, password=password, role=role, full_name=name)
    user.email_verified_at, user.approval_state = user.created_at, ApprovalState.APPROVED
    return user


def _learner(name: str, agency: str, job_role: str, district: str, password: str, email: str = "") -> Learner:
    address = email or name.lower().replace(" ", ".") + "@example.org"
    user = _account(address, name, Role.LEARNER, password)
    found_agency = training_lists.agency_named(agency)
    found_role = next(role for role in training_lists.job_roles() if role.name == job_role)
    assert found_agency is not None
    learner = Learner(
        user=user, organisation=f"{agency} (demo)", agency=found_agency, job_role=found_role, district=district
    )
    db.session.add(learner)
    db.session.flush()
    return learner
