"""Learners' own data: a copy of their training, erasure that keeps the number of staff trained, the retention
schedule of training records (kept TRAINING_RECORDS_YEARS after a person's last completion, then anonymised), and
the commands for people trained through the e-learning course with no account."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import func, select

from portal.domain.retention import Holding, months_before, rule_for, schedule, training_rules
from portal.domain.training import BookingStatus, CourseLevel
from portal.extensions import db
from portal.models import Learner, OutboxMessage, Role, TrainingBooking, TrainingCompletion, User
from portal.services import subject_access
from portal.services.retention import REMOVED, purge_expired
from portal.services.training_reach import training_reach
from tests.factories import make_user
from tests.training_factories import make_agency, make_course, make_job_role, make_learner, make_session

# The purge runs at 03:40; six years back is 30 November 2020, the last day a completion is still kept.
NOW = datetime(2026, 11, 30, 3, 40, tzinfo=UTC)
LAST_DAY_KEPT = date(2020, 11, 30)
_codes = count(1)


def complete(
    email: str,
    level: CourseLevel = CourseLevel.AWARENESS,
    on: date = date(2026, 6, 1),
    booking: TrainingBooking | None = None,
    **fields,
) -> TrainingCompletion:
    """A completion: of an attended booking (with a certificate code), or an e-learning record."""
    n = next(_codes)
    values = {
        "email": email.lower(),
        "name": "Sam Learner",
        "organisation": "Thames Valley Police",
        "agency": make_agency(),
        "job_role": make_job_role(),
        "district": "Cherwell",
        "level": level,
        "completed_on": on,
        "booking_id": booking.id if booking else None,
        "certificate_code": f"certificate-code-{n}" if booking else None,
        "source_reference": None if booking else f"LMS-{n}",
    }
    values.update(fields)
    completion = TrainingCompletion(**values)
    db.session.add(completion)
    db.session.flush()
    return completion


def book(learner: Learner, status: BookingStatus = BookingStatus.ATTENDED, **session_fields) -> TrainingBooking:
    training_session = make_session(**session_fields)
    booking = TrainingBooking(
        session_id=training_session.id, course_id=training_session.course_id, learner=learner, status=status
    )
    db.session.add(booking)
    db.session.flush()
    return booking


def people_per_level() -> int:
    """Distinct (person, level): what the figures count."""
    pairs = select(TrainingCompletion.email, TrainingCompletion.level).distinct().subquery()
    return db.session.scalar(select(func.count()).select_from(pairs))


def sam_with_training():
    """A learner with an attended session (two completions at one level, one at the other) and a cancelled place."""
    user = make_user(Role.LEARNER, email="sam.learner@example.org", full_name="Sam Learner")
    learner = make_learner(user, organisation="Thames Valley Police", district="Cherwell")
    course = make_course(title="CSE awareness for frontline staff")
    attended = book(learner, course=course, day=date(2026, 3, 4))
    book(learner, BookingStatus.CANCELLED, course=make_course(title="Multi-agency CSE"), day=date(2026, 9, 9))
    completions = [
        complete(user.email, booking=attended, on=date(2026, 3, 4), agency=learner.agency),
        complete("Sam.Learner@example.org", on=date(2026, 5, 1)),  # the e-learning course again, same level
        complete(user.email, CourseLevel.MULTI_AGENCY, on=date(2026, 6, 2)),
    ]
    return user, learner, completions


def test_a_learners_copy_has_their_learner_record_bookings_and_completions(session):
    user, learner, completions = sam_with_training()
    other = complete("someone.else@example.org")

    copy = subject_access.personal_data_of(user)

    assert copy["learners"] == [
        {
            "id": learner.id,
            "organisation": "Thames Valley Police",
            "agency": learner.agency.name,
            "job_role": learner.job_role.name,
            "district": "Cherwell",
            "created_at": learner.created_at.isoformat(),
            "updated_at": learner.updated_at.isoformat(),
        }
    ]
    assert [(b["course"], b["session_date"], b["status"]) for b in copy["training_bookings"]] == [
        ("CSE awareness for frontline staff", "2026-03-04", "attended"),
        ("Multi-agency CSE", "2026-09-09", "cancelled"),
    ]
    assert [c["id"] for c in copy["training_completions"]] == [c.id for c in completions]
    first = copy["training_completions"][0]
    assert first["certificate_code"] == completions[0].certificate_code and first["source"] == "session attended"
    assert copy["training_completions"][1]["source"] == "e-learning"
    assert other.id not in {c["id"] for c in copy["training_completions"]}


def test_erasing_a_learner_removes_them_and_keeps_the_number_of_staff_trained(session):
    user, learner, completions = sam_with_training()
    complete("someone.else@example.org")
    pairs_before, figures_before = people_per_level(), training_reach()
    assert pairs_before == 3 and figures_before.staff_trained == 3

    subject_access.erase(None, user, NOW)
    session.flush()
    session.expire_all()

    assert people_per_level() == pairs_before
    assert training_reach() == figures_before
    assert db.session.scalar(select(func.count()).select_from(TrainingCompletion)) == 4
    for completion in completions:
        assert completion.name == REMOVED and completion.organisation == "" and completion.certificate_code is None
        assert completion.email.endswith("@removed.invalid")
        assert completion.agency_id and completion.job_role_id and completion.district == "Cherwell"
    assert len({completion.email for completion in completions}) == 1  # still one person, counted once per level
    assert learner.organisation == REMOVED and learner.district == "Cherwell"
    assert db.session.get(User, user.id).anonymised_at == NOW
    everything = json.dumps(subject_access.personal_data_of(user)).lower()
    for detail in ("sam learner", "sam.learner@example.org", "thames valley police", "certificate-code-"):
        assert detail not in everything


def test_training_records_are_anonymised_after_the_retention_years_and_not_before(session):
    kept = complete("kept@example.org", on=LAST_DAY_KEPT)
    expired = [
        complete("expired@example.org", on=LAST_DAY_KEPT - timedelta(days=400)),
        complete("expired@example.org", on=LAST_DAY_KEPT - timedelta(days=1)),
    ]
    # Trained long ago and again since: kept while their last completion is, so they are never split in two.
    returning = [complete("returning@example.org", on=date(2019, 1, 7)), complete("returning@example.org")]
    pairs_before, figures_before = people_per_level(), training_reach()

    first = purge_expired(NOW)
    second = purge_expired(NOW)
    session.expire_all()

    assert first.removed[Holding.TRAINING_RECORDS] == 2 and second.removed[Holding.TRAINING_RECORDS] == 0
    assert [c.name for c in expired] == [REMOVED, REMOVED] and expired[0].email == expired[1].email
    assert "expired" not in expired[0].email
    assert kept.email == "kept@example.org" and kept.name == "Sam Learner"
    assert [c.email for c in returning] == ["returning@example.org"] * 2
    assert people_per_level() == pairs_before and training_reach() == figures_before


def test_the_years_kept_are_a_setting(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "TRAINING_RECORDS_YEARS", 2)
    two_years_ago = months_before(NOW, 24).date()
    kept, expired = (
        complete("kept@example.org", on=two_years_ago),
        complete("gone@example.org", on=two_years_ago - timedelta(days=1)),
    )

    assert purge_expired(NOW).removed[Holding.TRAINING_RECORDS] == 1
    session.expire_all()
    assert kept.name == "Sam Learner" and expired.name == REMOVED
    assert rule_for(Holding.TRAINING_RECORDS, 2).cutoff(NOW).date() == two_years_ago
    with pytest.raises(ValueError):
        training_rules(0)


def test_idle_learner_accounts_are_removed_and_those_in_use_kept(session):
    long_ago = NOW - timedelta(days=7 * 366)
    idle = make_learner(make_user(Role.LEARNER, created_at=long_ago, last_login_at=long_ago)).user
    signed_in = make_learner(make_user(Role.LEARNER, created_at=long_ago, last_login_at=NOW - timedelta(days=30)))
    booked = make_learner(make_user(Role.LEARNER, created_at=long_ago, last_login_at=long_ago))
    book(booked, BookingStatus.ATTENDED, day=date(2022, 5, 5))
    trained = make_learner(make_user(Role.LEARNER, created_at=long_ago, last_login_at=long_ago))
    complete(trained.user.email, on=date(2021, 1, 4))  # e-learning under their address, five years ago
    new = make_user(Role.LEARNER)
    school_staff = make_learner(make_user(Role.SCHOOL, created_at=long_ago, last_login_at=long_ago))

    report = purge_expired(NOW)
    session.expire_all()

    assert report.removed[Holding.LEARNER_ACCOUNTS] == 1
    assert idle.anonymised_at == NOW and idle.full_name == REMOVED and not idle.active
    assert db.session.scalar(select(Learner.organisation).where(Learner.user_id == idle.id)) == REMOVED
    for user in (signed_in.user, booked.user, trained.user, new, school_staff.user):
        assert user.anonymised_at is None, user.email
    assert purge_expired(NOW).removed[Holding.LEARNER_ACCOUNTS] == 0


def test_cancelled_and_waiting_places_go_a_year_after_the_session(session):
    learner = make_learner()
    year_ago = (NOW - timedelta(days=366)).date()
    gone = [book(learner, status, day=year_ago) for status in (BookingStatus.CANCELLED, BookingStatus.WAITING)]
    stays = [book(learner, status, day=year_ago) for status in (BookingStatus.BOOKED, BookingStatus.ATTENDED)]
    recent = book(learner, BookingStatus.CANCELLED, day=(NOW - timedelta(days=300)).date())
    gone_ids = [booking.id for booking in gone]

    first = purge_expired(NOW)
    session.expire_all()

    assert first.removed[Holding.TRAINING_BOOKINGS] == 2
    remaining = set(db.session.scalars(select(TrainingBooking.id).where(TrainingBooking.learner_id == learner.id)))
    assert remaining == {stays[0].id, stays[1].id, recent.id}
    assert not remaining & set(gone_ids)
    assert purge_expired(NOW).removed[Holding.TRAINING_BOOKINGS] == 0


def test_flask_purge_expired_follows_the_portal_clock(app, session, monkeypatch):
    completion = complete("clock@example.org", on=LAST_DAY_KEPT)
    runner = app.test_cli_runner()

    monkeypatch.setenv("PORTAL_FAKE_NOW", NOW.isoformat())
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert completion.email == "clock@example.org"

    monkeypatch.setenv("PORTAL_FAKE_NOW", (NOW + timedelta(days=1)).isoformat())
    result = runner.invoke(args=["purge-expired"])
    assert result.exit_code == 0, result.output
    assert f"{rule_for(Holding.TRAINING_RECORDS).what}: 1" in result.output.splitlines()
    session.expire_all()
    assert completion.email.endswith("@removed.invalid") and completion.name == REMOVED


def test_a_person_trained_with_no_account_gets_a_copy_and_can_be_erased(app, session):
    rows = [complete("Pat.Elearner@example.net", name="Pat Elearner"), complete("pat.elearner@example.net")]
    rows.append(complete("pat.elearner@example.net", CourseLevel.MULTI_AGENCY))
    db.session.add(
        OutboxMessage(
            to_address="pat.elearner@example.net",
            subject="Your training",
            body_text="Hi Pat",
            body_html="<p>Hi Pat</p>",
        )
    )
    db.session.flush()
    pairs_before, figures_before = people_per_level(), training_reach()
    runner = app.test_cli_runner()

    exported = runner.invoke(args=["training", "export-person", "--email", " PAT.ELEARNER@example.net "])
    assert exported.exit_code == 0, exported.output
    copy = json.loads(exported.output)
    assert [row["id"] for row in copy["training_completions"]] == [row.id for row in rows]
    assert copy["training_completions"][0]["name"] == "Pat Elearner"
    assert [m["subject"] for m in copy["outbox_messages"]] == ["Your training"]

    refused = runner.invoke(args=["training", "erase-person", "--email", "pat.elearner@example.net"], input="n\n")
    assert refused.exit_code == 1
    session.expire_all()
    assert rows[0].email == "pat.elearner@example.net"

    erased = runner.invoke(args=["training", "erase-person", "--email", "pat.elearner@example.net", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "3 training records" in erased.output
    session.expire_all()
    assert all(row.name == REMOVED and row.email.endswith("@removed.invalid") for row in rows)
    assert people_per_level() == pairs_before and training_reach() == figures_before
    outbox = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.to_address.contains("elearner"))
    assert db.session.scalar(outbox) == 0

    again = runner.invoke(args=["training", "export-person", "--email", "pat.elearner@example.net"])
    assert again.exit_code == 1 and "no training record" in again.output


BAD_INPUT = {
    "not-an-address": "is not an email address",
    "nobody@example.org": "no training record has the email address nobody@example.org",
    "Has.Account@example.org": "has.account@example.org has an account: use flask users",
}


# One case a test: a refusal rolls the session back, test data included.
@pytest.mark.parametrize("email", list(BAD_INPUT))
@pytest.mark.parametrize("command", ["export-person", "erase-person"])
def test_the_commands_refuse_bad_input_with_one_line(app, session, command, email):
    user = make_user(Role.LEARNER, email="has.account@example.org")
    complete(user.email)
    confirm = ["--yes"] if command == "erase-person" else []
    result = app.test_cli_runner().invoke(args=["training", command, "--email", email, *confirm])
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1 and BAD_INPUT[email] in result.output


def test_flask_users_erase_anonymises_a_learners_training_too(app, session):
    user, _learner, completions = sam_with_training()
    figures_before = training_reach()
    result = app.test_cli_runner().invoke(args=["users", "erase", "--email", user.email, "--yes"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert all(completion.name == REMOVED for completion in completions)
    assert training_reach() == figures_before


def test_the_privacy_notice_tells_learners_and_parents_what_is_kept_and_for_how_long(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "TRAINING_RECORDS_YEARS", 4)
    page = client.get("/privacy").get_data(as_text=True).replace("&rsquo;", "’").replace("&#39;", "'")
    for rule in schedule(4):
        assert f"{rule.what}: {rule.kept}." in page
    assert "4 years after the person’s last completed training" in page
    for heading in ("If you book CSE training", "If you book a preview as a parent or carer", "Who sees it"):
        assert heading in page
    assert "public task" in page and "Trainers see the lists of people booked on their own sessions" in page
