"""Invitations: accounts made for someone else, who chooses their own password through an e-mailed, single-use link.

An administrator invites theatre company, council, administrator and trainer accounts (an invited administrator
still sets up the second factor through its own e-mailed link); council officers invite the CSE training's trainers.
A member of school staff invites a colleague at their own school: the account waits for the council's approval like
a registration, and the queue says who invited it. Inviting a colleague answers the same whether or not the address
has an account (its owner is told instead), so it never reveals which addresses have one.

An account is invited when an invitation link was ever issued for it; the invitation is pending until the person
chooses a password through it (which confirms their address) or signs in some other way (a password reset).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import exists, select
from werkzeug.security import generate_password_hash

from portal.extensions import db
from portal.models import AccountToken, ApprovalState, AuditEvent, Role, School, User
from portal.services import account_mail, audit, recovery
from portal.services.account_lists import ApprovalRow, UserRow
from portal.services.accounts import USER_FIELDS, AccountError, add_if_address_is_free, find_user_by_email
from portal.services.accounts import normalise_email as normalised

INVITABLE_ROLES = (Role.COMPANY, Role.COUNCIL, Role.ADMIN, Role.TRAINER)
# Council officers set up the CSE training, so they invite its trainers (and nobody else).
COUNCIL_INVITES = (Role.TRAINER,)
INVITED = "account.invited"
ALREADY_HAS_ACCOUNT = "There is already an account with this email address: find it in the list of users"
HAS_ACCOUNT_ASK_ADMIN = "There is already an account with this email address: ask an administrator to make it a trainer"


def _unguessable_password_hash() -> str:
    """A real hash of a random password nobody is told: the account cannot be signed in to until its owner chooses a
    password, and a sign-in attempt against it takes as long as against any other account."""
    return generate_password_hash(secrets.token_urlsafe(32))


def _send(inviter: User, user: User, now: datetime) -> None:
    token = recovery.issue_invitation_link(user, now)
    account_mail.invitation(user, inviter, token, recovery.LIFETIMES[recovery.INVITE])


def invite_user(admin: User, *, email: str, full_name: str, role: Role, now: datetime) -> User:
    """An administrator invites a theatre company, council, administrator or trainer account, approved from the start;
    a council officer invites trainers only."""
    allowed = COUNCIL_INVITES if admin.role == Role.COUNCIL else INVITABLE_ROLES
    if role not in allowed or admin.role not in (Role.ADMIN, Role.COUNCIL):
        raise AccountError("role", "Select the kind of account")
    user = User(
        email=normalised(email),
        full_name=full_name.strip(),
        role=role,
        approval_state=ApprovalState.APPROVED,
        password_hash=_unguessable_password_hash(),
    )
    if not add_if_address_is_free(user):
        # Only an administrator has the list of users to find it in; an officer asks one to change its role.
        raise AccountError("email", ALREADY_HAS_ACCOUNT if admin.role == Role.ADMIN else HAS_ACCOUNT_ASK_ADMIN)
    _send(admin, user, now)
    audit.record(admin, INVITED, "user", user.id, after=audit.snapshot(user, USER_FIELDS))
    return user


def invite_colleague(inviter: User, *, email: str, full_name: str, job_title: str, now: datetime) -> User | None:
    """A member of school staff invites a colleague at their own school; the council approves the account later.

    None when the address already has an account: its owner is told by e-mail, and the caller answers exactly as for
    a new one. An invitation from the same school not yet taken up is sent again instead (a lost or expired link)."""
    user = User(
        email=normalised(email),
        full_name=full_name.strip(),
        job_title=job_title.strip(),
        role=Role.SCHOOL,
        school=inviter.school,
        password_hash=_unguessable_password_hash(),  # made either way, so the answer takes as long
    )
    if add_if_address_is_free(user):
        _send(inviter, user, now)
        audit.record(
            inviter, INVITED, "user", user.id, school_id=user.school_id, after=audit.snapshot(user, USER_FIELDS)
        )
        return user
    owner = find_user_by_email(user.email)
    if owner is None:  # the racing invitation was rolled back: nobody to tell
        return None
    if owner.school_id == inviter.school_id and owner.approval_state == ApprovalState.PENDING and is_pending(owner):
        resend_invitation(inviter, owner, now)
        return None
    account_mail.invitation_repeated(owner, inviter)
    audit.record(inviter, "account.invitation_repeated", "user", owner.id, school_id=owner.school_id, outcome="failed")
    return None


def is_pending(user: User) -> bool:
    """Whether the user was invited and has not yet chosen a password or signed in (a new link may be sent)."""
    if not user.active or user.email_verified_at is not None or user.last_login_at is not None:
        return False
    invited = exists().where(AccountToken.user_id == user.id, AccountToken.purpose == recovery.INVITE)
    return bool(db.session.scalar(select(invited)))


def pending_ids(users: Iterable[User | UserRow]) -> set[int]:
    """The ids of those users whose invitation is pending (for a list of accounts)."""
    candidates = [u.id for u in users if u.active and u.email_verified_at is None and u.last_login_at is None]
    if not candidates:
        return set()
    query = select(AccountToken.user_id).where(
        AccountToken.user_id.in_(candidates), AccountToken.purpose == recovery.INVITE
    )
    return set(db.session.scalars(query))


def resend_invitation(actor: User, user: User, now: datetime) -> None:
    """A new invitation link, from whoever sends it; the old one stops working."""
    if not is_pending(user):
        raise AccountError("invitation", "This person has already chosen a password")
    _send(actor, user, now)
    audit.record(actor, "account.invitation_resent", "user", user.id, school_id=user.school_id)


def invited_account(token: str | None, now: datetime) -> User | None:
    """The account a live invitation link is for, or None."""
    record = recovery.find_token(token, recovery.INVITE, now)
    return record.user if record is not None else None


def accept_invitation(token: str, password: str, now: datetime) -> User:
    """The invited person chooses a password (confirming their address); a colleague's account goes to the council.

    LinkError when the link is no longer live, AccountError when the password breaks the registration rules."""
    user = recovery.set_password_from_invitation(token, password, now)
    audit.record(user, "account.invitation_accepted", "user", user.id, school_id=user.school_id)
    if user.role == Role.SCHOOL and user.approval_state == ApprovalState.PENDING:
        account_mail.account_awaiting_approval(user, invited_by=inviters([user]).get(user.id))
    return user


def inviters(users: Iterable[User | ApprovalRow]) -> dict[int, User]:
    """Who invited each of the users that were invited (by user id), from the audit log."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    query = (
        select(AuditEvent.object_id, User)
        .join(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.action == INVITED, AuditEvent.object_type == "user", AuditEvent.object_id.in_(ids))
        .order_by(AuditEvent.id)
    )
    # object_id is nullable in general; here it is one of ids.
    return {user_id: inviter for user_id, inviter in db.session.execute(query) if user_id is not None}


def colleagues(school: School) -> list[User]:
    """The school's staff accounts a member may see: active, not refused, and approved or with a confirmed address.

    Invitations not yet taken up are left out, so that inviting an address never shows whether it had an account."""
    query = (
        select(User)
        .where(
            User.school_id == school.id,
            User.role == Role.SCHOOL,
            User.active.is_(True),
            User.approval_state != ApprovalState.REFUSED,
            (User.approval_state == ApprovalState.APPROVED) | User.email_verified_at.is_not(None),
        )
        .order_by(User.full_name, User.id)
    )
    return list(db.session.scalars(query))
