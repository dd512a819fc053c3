"""Requests from learners about their training records (UK GDPR Art. 15 and 17): a copy, or erasure.

A learner with an account gets their training in the copy of their account (portal.services.subject_access) and is
erased with it. People trained through the e-learning course may have no account: they are found by the work e-mail
address of their completions, as parents are by the address they booked with (portal.services.parent_data).

Erasure keeps each completion as an anonymous row (agency, job role, district, level, date): the council's legal
basis is its public task, and the record that someone was trained is what the published figures count, so removing
the row would change them. Only what identifies the person goes (portal.services.retention.anonymise_completions_of).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, func, or_, select

from portal.extensions import db
from portal.models import (
    Learner,
    OutboxMessage,
    TrainingAgency,
    TrainingBooking,
    TrainingCompletion,
    TrainingCourse,
    TrainingJobRole,
    TrainingSession,
    User,
)
from portal.services import audit
from portal.services.retention import anonymise_completions_of
from portal.services.writes import execute_write


def normalised(email: str) -> str:
    return email.strip().lower()


def _learner_ids(user: User):
    return select(Learner.id).where(Learner.user_id == user.id)


def training_emails_of(user: User) -> set[str]:
    """The addresses the person's completions are under: the account's, and any their own bookings' completions
    carry (an address changed since the session)."""
    booked = select(TrainingBooking.id).where(TrainingBooking.learner_id.in_(_learner_ids(user)))
    through_bookings = db.session.scalars(
        select(TrainingCompletion.email).where(TrainingCompletion.booking_id.in_(booked))
    ).all()
    return {normalised(user.email), *through_bookings}


def learner_profiles(user: User) -> list[dict]:
    """The person's learner record with the names of the agency and job role they chose."""
    rows = db.session.execute(
        select(Learner, TrainingAgency.name, TrainingJobRole.name)
        .join(TrainingAgency, TrainingAgency.id == Learner.agency_id)
        .join(TrainingJobRole, TrainingJobRole.id == Learner.job_role_id)
        .where(Learner.user_id == user.id)
        .order_by(Learner.id)
    ).all()
    return [
        {
            "id": learner.id,
            "organisation": learner.organisation,
            "agency": agency,
            "job_role": job_role,
            "district": learner.district,
            "created_at": audit.json_ready(learner.created_at),
            "updated_at": audit.json_ready(learner.updated_at),
        }
        for learner, agency, job_role in rows
    ]


def bookings_of(user: User) -> list[dict]:
    """Every place the person booked, waited for or was offered: the course, the session's date and what became of
    it."""
    rows = db.session.execute(
        select(TrainingBooking, TrainingSession, TrainingCourse)
        .join(TrainingSession, TrainingSession.id == TrainingBooking.session_id)
        .join(TrainingCourse, TrainingCourse.id == TrainingBooking.course_id)
        .where(TrainingBooking.learner_id.in_(_learner_ids(user)))
        .order_by(TrainingBooking.id)
    ).all()
    return [
        {
            "id": booking.id,
            "course": course.title,
            "level": audit.json_ready(course.level),
            "session_date": audit.json_ready(session.day),
            "starts_at": audit.json_ready(session.starts_at),
            "status": audit.json_ready(booking.status),
            "booked_at": audit.json_ready(booking.created_at),
            "cancelled_at": audit.json_ready(booking.cancelled_at),
            "attended_at": audit.json_ready(booking.attended_at),
        }
        for booking, session, course in rows
    ]


def completions_of(emails: set[str], booking_ids=None) -> list[dict]:
    """The completions under these addresses (or of these bookings), with their agency's and job role's names."""
    condition: ColumnElement[bool] = TrainingCompletion.email.in_(sorted(emails))
    if booking_ids is not None:
        condition = or_(condition, TrainingCompletion.booking_id.in_(booking_ids))
    rows = db.session.execute(
        select(TrainingCompletion, TrainingAgency.name, TrainingJobRole.name)
        .join(TrainingAgency, TrainingAgency.id == TrainingCompletion.agency_id)
        .join(TrainingJobRole, TrainingJobRole.id == TrainingCompletion.job_role_id)
        .where(condition)
        .order_by(TrainingCompletion.completed_on, TrainingCompletion.id)
    ).all()
    return [
        {
            "id": completion.id,
            "name": completion.name,
            "email": completion.email,
            "organisation": completion.organisation,
            "agency": agency,
            "job_role": job_role,
            "district": completion.district,
            "level": audit.json_ready(completion.level),
            "completed_on": audit.json_ready(completion.completed_on),
            "source": "session attended" if completion.booking_id is not None else "e-learning",
            "booking_id": completion.booking_id,
            "source_reference": completion.source_reference,
            "certificate_code": completion.certificate_code,
        }
        for completion, agency, job_role in rows
    ]


def training_data_of(user: User) -> dict[str, list[dict]]:
    """The training part of an account holder's copy: learner record, bookings and completions."""
    booked = select(TrainingBooking.id).where(TrainingBooking.learner_id.in_(_learner_ids(user)))
    return {
        "learners": learner_profiles(user),
        "training_bookings": bookings_of(user),
        "training_completions": completions_of({normalised(user.email)}, booked),
    }


def person_training_data(email: str) -> dict[str, list[dict]]:
    """What the portal holds under an address with no account: completions (the e-learning export) and e-mails."""
    address = normalised(email)
    messages = db.session.scalars(
        select(OutboxMessage).where(func.lower(OutboxMessage.to_address) == address).order_by(OutboxMessage.id)
    ).all()
    return {
        "training_completions": completions_of({address}),
        "outbox_messages": [
            {"subject": m.subject, "created_at": m.created_at.isoformat(), "body_text": m.body_text} for m in messages
        ],
    }


def has_training_records(email: str) -> bool:
    first = select(TrainingCompletion.id).where(TrainingCompletion.email == normalised(email)).limit(1)
    return db.session.scalar(first) is not None


def erase_person(email: str) -> int:
    """Anonymise the completions held under an address with no account, and delete e-mails to it; how many
    completions were changed. The rows stay, so the number of staff trained does not change."""
    address = normalised(email)
    changed = anonymise_completions_of({address})
    execute_write(delete(OutboxMessage).where(func.lower(OutboxMessage.to_address) == address))
    audit.record(None, "subject_access.trained_person_erased", "training_completion", None, after={"rows": changed})
    return changed
