"""The national data set's staff training keeps the portal's training rules, and is the same for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from portal.domain.national_training import TrainingRows, TrainingSetting, training_history
from portal.domain.training import LIVE_STATUSES, PLACE_STATUSES, CourseLevel

TODAY, NOW = date(2026, 11, 30), datetime(2026, 11, 30, 12, tzinfo=UTC)
AGENCIES = ("Schools", "Police", "Health", "Children's social care", "Taxi and private hire licensing", "Other")
ROLES = (
    "Teacher",
    "Designated Safeguarding Lead",
    "Police officer or PCSO",
    "Social worker",
    "Licensed driver",
    "Other",
)


def plan(schools: int = 300, seed: int = 4) -> TrainingRows:
    setting = TrainingSetting(
        districts=[f"District {n % 23}" for n in range(schools)],
        agency_ids={name: n + 1 for n, name in enumerate(AGENCIES)},
        job_role_ids={name: n + 1 for n, name in enumerate(ROLES)},
        course_ids={CourseLevel.AWARENESS: 1, CourseLevel.MULTI_AGENCY: 2},
        trainer_id=7,
        password_hash="hash",
        first_ids={"users": 500, "learners": 1, "training_sessions": 1, "training_bookings": 1},
        first_day=date(2022, 1, 4),
        today=TODAY,
        now=NOW,
        seed=seed,
    )
    return training_history(setting)


def test_the_same_seed_gives_the_same_training():
    assert plan(seed=4) == plan(seed=4)
    assert plan(seed=4) != plan(seed=5)


def test_people_are_counted_once_per_level_from_sessions_and_the_e_learning():
    rows = plan()
    sessions, elearning = rows.tables["training_completions"], rows.elearning
    completions = [(CourseLevel(row["level"]), row["email"]) for row in sessions]
    completions += [(CourseLevel.AWARENESS, row.email) for row in elearning]
    assert set(completions) == rows.counted
    # About 9,000 completions and 7,500 counted for 3,000 schools: 900 and 750 for 300.
    assert 800 <= len(completions) <= 1000 and 650 <= len(rows.counted) <= 850
    assert len(elearning) > 2 * len(sessions) > 0
    assert {level for level, _ in rows.counted} == set(CourseLevel)
    assert len({row.record_id for row in elearning}) == len(elearning)
    assert len({row["certificate_code"] for row in sessions}) == len(sessions)
    assert all(row["booking_id"] and row["source_reference"] is None for row in sessions)
    # A person keeps one agency, job role and district, named as the council's lists name them.
    seen = {}
    for row in sessions:
        person = (AGENCIES[row["agency_id"] - 1], ROLES[row["job_role_id"] - 1], row["district"])
        assert seen.setdefault(row["email"], person) == person
    for row in elearning:
        assert seen.setdefault(row.email, (row.agency, row.job_role, row.district)) == (
            row.agency,
            row.job_role,
            row.district,
        )
        assert date(2022, 1, 4) <= row.completed_on < TODAY


def test_session_completions_are_attended_places_within_capacity():
    rows = plan()
    sessions = {row["id"]: row for row in rows.tables["training_sessions"]}
    bookings = {row["id"]: row for row in rows.tables["training_bookings"]}
    taken = Counter(row["session_id"] for row in bookings.values() if row["status"] in PLACE_STATUSES)
    for session_id, session in sessions.items():
        assert session["places_taken"] == taken[session_id] <= session["capacity"]
        assert (session["venue_address"] == "") != (session["joining_link"] == "")
        assert session["day"].weekday() < 5
    for completion in rows.tables["training_completions"]:
        booking = bookings[completion["booking_id"]]
        session = sessions[booking["session_id"]]
        assert booking["status"] == "attended" and booking["course_id"] == session["course_id"]
        assert completion["completed_on"] == session["day"] < TODAY
        assert session["course_id"] == (1 if completion["level"] == "awareness" else 2)
    live = Counter((row["learner_id"], row["course_id"]) for row in bookings.values() if row["status"] in LIVE_STATUSES)
    assert live and max(live.values()) == 1
    assert all(sessions[row["session_id"]]["day"] > TODAY for row in bookings.values() if row["status"] == "booked")
    learners = {row["id"] for row in rows.tables["learners"]}
    assert {row["learner_id"] for row in bookings.values()} <= learners
    assert len(rows.tables["users"]) == len(learners) and {row["role"] for row in rows.tables["users"]} == {"learner"}
