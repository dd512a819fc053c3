"""Accounts: registration, sign-in checks, approval by the council, roles and deactivation."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from portal import clock
from portal.domain.passwords import password_problem
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import ApprovalState, Role, School, User
from portal.services import account_mail, audit, sessions

# Checked when the e-mail address is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")
UNCONFIRMED_EMAIL = (
    "You cannot approve this account until its email address is confirmed: the applicant must use the link we "
    "emailed them (they can ask for a new one from their account page)"
)
USER_FIELDS = ("email", "full_name", "role", "school_id", "approval_state", "refusal_reason", "active")


class AccountError(Refused):
    """A change to an account that the rules refuse; field names the form field at fault."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def password_generation(email: str) -> str:
    """A fingerprint of the account's current password hash ("-" for an unknown address). It changes whenever the
    password does, so sign-in failure counts keyed on it start again after a reset."""
    user = find_user_by_email(email)
    return "-" if user is None else hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _new_user(email: str, password: str, **fields) -> User:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError("email", "An account with this email address already exists: sign in instead")
    problem = password_problem(password, email)
    if problem:
        raise AccountError("password", problem)
    user = User(email=email, password_hash=generate_password_hash(password), **fields)
    db.session.add(user)
    db.session.flush()
    return user


def register_school_user(
    *, email: str, password: str, full_name: str, job_title: str, phone: str, school: School
) -> User | None:
    """A member of school staff asks for an account; it waits for the council's approval.

    Returns None when the address already has an account (of any role): its owner is told by e-mail instead, and the
    caller answers exactly as for a new account, so registering never reveals which addresses have one. The password
    rules come first, and the hash is made either way, so neither the answer nor its timing depends on the address."""
    email = normalise_email(email)
    problem = password_problem(password, email)
    if problem:
        raise AccountError("password", problem)
    password_hash = generate_password_hash(password)
    user = User(
        email=email,
        password_hash=password_hash,
        full_name=full_name,
        job_title=job_title,
        phone=phone,
        role=Role.SCHOOL,
        school=school,
    )
    if not add_if_address_is_free(user):
        _registration_repeated(email)
        return None
    audit.record(
        user, "account.registered", "user", user.id, school_id=school.id, after=audit.snapshot(user, USER_FIELDS)
    )
    account_mail.account_awaiting_approval(user)
    return user


def add_if_address_is_free(user: User) -> bool:
    """Insert the new account unless its address is taken, even by a registration racing this one."""
    if find_user_by_email(user.email) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        return False
    return True


def _registration_repeated(email: str) -> None:
    owner = find_user_by_email(email)
    if owner is None:  # anonymised since, or the racing registration was rolled back: nobody to tell
        return
    account_mail.registration_repeated(owner)
    audit.record(None, "account.registration_repeated", "user", owner.id, school_id=owner.school_id, outcome="failed")


def create_user(*, email: str, password: str, role: Role, full_name: str, school: School | None = None) -> User:
    """An account made by an administrator (or the command line), approved from the start."""
    user = _new_user(
        email, password, full_name=full_name, role=role, school=school, approval_state=ApprovalState.APPROVED
    )
    audit.record(
        None, "account.created", "user", user.id, school_id=user.school_id, after=audit.snapshot(user, USER_FIELDS)
    )
    return user


def authenticate(email: str, password: str, now: datetime) -> User | None:
    """The active user with this e-mail and password, or None; failures are audited, never the password."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        audit.record(None, "signin.failed", "user", None, outcome="failed", detail=normalise_email(email)[:254])
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        audit.record(None, "signin.failed", "user", user.id, school_id=user.school_id, outcome="failed")
        return None
    user.last_login_at = now
    audit.record(user, "signin", "user", user.id, school_id=user.school_id)
    return user


def pending_approval_dates() -> list[date]:
    """When each account in the council's approval queue asked, oldest first (the home page's next step says how many
    wait and since when; a national queue can be long)."""
    query = (
        select(User.created_at)
        .where(User.role == Role.SCHOOL, User.approval_state == ApprovalState.PENDING, User.active.is_(True))
        .order_by(User.created_at, User.id)
    )
    return [created_at.date() for created_at in db.session.scalars(query)]


def decide_approval(officer: User, user: User, *, approve: bool, reason: str = "") -> None:
    """Approve a school account, or refuse it with a reason the applicant will read."""
    if user.role != Role.SCHOOL or user.approval_state != ApprovalState.PENDING:
        raise AccountError("decision", "This account has already been decided")
    if not approve and not reason.strip():
        raise AccountError("reason", "Enter the reason for refusing this account")
    if approve and user.email_verified_at is None:
        # Anyone can type someone else's address: approval waits until its owner has followed the e-mailed link.
        raise AccountError("decision", UNCONFIRMED_EMAIL)
    before = audit.snapshot(user, USER_FIELDS)
    user.approval_state = ApprovalState.APPROVED if approve else ApprovalState.REFUSED
    user.refusal_reason = "" if approve else reason.strip()
    user.closed_at = None if approve else clock.now()  # a refused account's details are kept 12 months
    action = "account.approved" if approve else "account.refused"
    (account_mail.account_approved if approve else account_mail.account_refused)(user)
    audit.record(
        officer,
        action,
        "user",
        user.id,
        school_id=user.school_id,
        before=before,
        after=audit.snapshot(user, USER_FIELDS),
    )


def change_role(admin: User, user: User, role: Role, school: School | None, now: datetime) -> None:
    """Give a user another role; school staff need a school, other roles have none. Ends their sessions."""
    if role == Role.SCHOOL and school is None:
        raise AccountError("school", "Select the school this person works at")
    if user.id == admin.id:
        raise AccountError("role", "You cannot change your own role")
    before = audit.snapshot(user, USER_FIELDS)
    user.role = role
    user.school = school if role == Role.SCHOOL else None
    if role != Role.SCHOOL:
        user.approval_state = ApprovalState.APPROVED
    sessions.end_all_sessions(user, now)
    audit.record(
        admin,
        "account.role_changed",
        "user",
        user.id,
        school_id=user.school_id,
        before=before,
        after=audit.snapshot(user, USER_FIELDS),
    )


def set_active(admin: User, user: User, active: bool, now: datetime) -> None:
    """Deactivate (ending every session at once) or reactivate an account."""
    if user.id == admin.id:
        raise AccountError("active", "You cannot deactivate your own account")
    if active and user.anonymised_at is not None:
        raise AccountError("active", "This account’s details have been removed, so it cannot be reactivated")
    before = audit.snapshot(user, USER_FIELDS)
    user.active = active
    user.closed_at = None if active else now  # the retention schedule counts from the closure
    if not active:
        sessions.end_all_sessions(user, now)
    action = "account.reactivated" if active else "account.deactivated"
    audit.record(
        admin, action, "user", user.id, school_id=user.school_id, before=before, after=audit.snapshot(user, USER_FIELDS)
    )


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def get_school_user(user_id: int) -> User | None:
    """A school staff member's account (None for anyone else's), as the council's approval pages load it."""
    user = db.session.get(User, user_id)
    return user if user is not None and user.role == Role.SCHOOL else None


def school_staff(school_id: int) -> list[User]:
    """Everyone with an account at the school, by name."""
    query = select(User).where(User.school_id == school_id).order_by(User.full_name, User.id)
    return list(db.session.scalars(query))


def set_reminder_preference(user: User, wants: bool) -> None:
    """A user turns reminder e-mails off or back on; essential messages are not affected."""
    before = {"wants_reminders": user.wants_reminders}
    user.wants_reminders = wants
    audit.record(
        user,
        "account.reminders_set",
        "user",
        user.id,
        school_id=user.school_id,
        before=before,
        after={"wants_reminders": wants},
    )
