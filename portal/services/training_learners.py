"""Learners: people who work with children register for the council's training (a school's staff join with the
account they have), approved at once on the council's listed e-mail domains once their address is confirmed, and
otherwise by a council officer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from portal.domain.passwords import password_problem
from portal.domain.training import approved_at_once
from portal.extensions import db
from portal.models import ApprovalState, Learner, Role, TrainingAgency, TrainingJobRole, User
from portal.services import audit, training_lists, training_mail
from portal.services.accounts import USER_FIELDS, AccountError, add_if_address_is_free, normalise_email
from portal.services.accounts import _registration_repeated as tell_owner_of_repeat

LEARNER_FIELDS = ("organisation", "agency_id", "job_role_id", "district")


@dataclass(frozen=True)
class LearnerDetails:
    organisation: str
    agency: TrainingAgency
    job_role: TrainingJobRole
    district: str


def learner_of(user: User) -> Learner | None:
    """The user's learner record (a learner account's, or school staff who have joined the training), if any."""
    return db.session.scalar(select(Learner).where(Learner.user_id == user.id))


def learner_approved(learner: Learner) -> bool:
    """Whether the learner may book: an active, approved account (school staff: approved for their school)."""
    user = learner.user
    return user.active and user.approval_state == ApprovalState.APPROVED


def register_learner(*, email: str, password: str, full_name: str, details: LearnerDetails) -> User | None:
    """Someone who works with children registers for the training; their address must then be confirmed.

    As registering for an account: None when the address has an account already (its owner is told by e-mail), and
    the caller answers the same either way, so registering never reveals which addresses have one."""
    email = normalise_email(email)
    problem = password_problem(password, email)
    if problem:
        raise AccountError("password", problem)
    user = User(
        email=email,
        password_hash=generate_password_hash(password),
        full_name=full_name.strip(),
        job_title=details.job_role.name,
        role=Role.LEARNER,
    )
    if not add_if_address_is_free(user):
        tell_owner_of_repeat(email)
        return None
    learner = _add_learner(user, details)
    audit.record(user, "account.registered", "user", user.id, after=audit.snapshot(user, USER_FIELDS))
    audit.record(user, "training.learner_joined", "learner", learner.id, after=audit.snapshot(learner, LEARNER_FIELDS))
    return user


def join_as_school_staff(user: User, details: LearnerDetails) -> Learner:
    """School staff book training with the account they have: their approval for their school stands."""
    if user.role != Role.SCHOOL:
        raise AccountError("Only school staff accounts can join the training without registering")
    existing = learner_of(user)
    if existing is not None:
        return existing
    learner = _add_learner(user, details)
    audit.record(
        user, "training.learner_joined", "learner", learner.id, school_id=user.school_id,
        after=audit.snapshot(learner, LEARNER_FIELDS),
    )  # fmt: skip
    return learner


def change_details(learner: Learner, details: LearnerDetails) -> None:
    before = audit.snapshot(learner, LEARNER_FIELDS)
    learner.organisation, learner.district = details.organisation.strip(), details.district.strip()
    learner.agency, learner.job_role = details.agency, details.job_role
    db.session.flush()
    audit.record(
        learner.user, "training.learner_changed", "learner", learner.id, before=before,
        after=audit.snapshot(learner, LEARNER_FIELDS),
    )  # fmt: skip


def approve_if_listed(user: User, now: datetime) -> bool:
    """On a confirmed address: approve a learner at once when it is on a domain the council lists. Whether it did."""
    if user.role != Role.LEARNER or user.approval_state != ApprovalState.PENDING or user.email_verified_at is None:
        return False
    if not approved_at_once(user.email, training_lists.listed_domains()):
        return False
    user.approval_state = ApprovalState.APPROVED
    audit.record(None, "account.approved", "user", user.id, detail="on a listed e-mail domain")
    training_mail.learner_approved(user)
    return True


def pending_learners() -> list[User]:
    """Learner accounts waiting for a council officer, oldest first."""
    query = (
        select(User)
        .where(User.role == Role.LEARNER, User.approval_state == ApprovalState.PENDING, User.active.is_(True))
        .order_by(User.created_at, User.id)
    )
    return list(db.session.scalars(query))


def pending_learner(user_id: int) -> User | None:
    """A learner account waiting for a council officer; None for any other account."""
    user = db.session.get(User, user_id)
    pending = user is not None and user.role == Role.LEARNER and user.approval_state == ApprovalState.PENDING
    return user if pending else None


def decide_learner(officer: User, user: User, *, approve: bool, reason: str, now: datetime) -> None:
    """A council officer approves a learner whose address is not on a listed domain, or refuses them with a reason."""
    if user.role != Role.LEARNER or user.approval_state != ApprovalState.PENDING:
        raise AccountError("decision", "This account has already been decided")
    if not approve and not reason.strip():
        raise AccountError("reason", "Enter the reason for refusing this account")
    if approve and user.email_verified_at is None:
        raise AccountError("decision", "You cannot approve this account until its email address is confirmed")
    before = audit.snapshot(user, USER_FIELDS)
    user.approval_state = ApprovalState.APPROVED if approve else ApprovalState.REFUSED
    user.refusal_reason = "" if approve else reason.strip()
    user.closed_at = None if approve else now
    (training_mail.learner_approved if approve else training_mail.learner_refused)(user)
    audit.record(
        officer, "account.approved" if approve else "account.refused", "user", user.id, before=before,
        after=audit.snapshot(user, USER_FIELDS),
    )  # fmt: skip


def _add_learner(user: User, details: LearnerDetails) -> Learner:
    learner = Learner(
        user=user,
        organisation=details.organisation.strip(),
        agency=details.agency,
        job_role=details.job_role,
        district=details.district.strip(),
    )
    db.session.add(learner)
    db.session.flush()
    return learner
