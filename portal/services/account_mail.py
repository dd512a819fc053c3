"""The e-mails about people's accounts: asking for one and its approval, invitations, e-mail confirmation, password
resets and changes, and the second factor's set-up.
"""

from __future__ import annotations

from datetime import timedelta

from portal.links import external_url
from portal.models import Role, User
from portal.services.mail import role_staff, send, to_person

# "... has made you <kind> account."
ACCOUNT_KINDS = {
    Role.SCHOOL: "a school staff",
    Role.COMPANY: "a theatre company",
    Role.COUNCIL: "a council officer",
    Role.ADMIN: "an administrator",
    Role.TRAINER: "a CSE training trainer",
    Role.LEARNER: "a CSE training learner",
}


def account_awaiting_approval(user: User, invited_by: User | None = None) -> int:
    """To the council: a member of school staff has asked for an account (or accepted a colleague's invitation)."""
    return send(
        role_staff(Role.COUNCIL),
        "account_awaiting_approval",
        f"New school account to approve: {user.school.name if user.school else user.email}",
        user=user,
        invited_by=invited_by,
        link=external_url("council.approval_decide", user_id=user.id),
    )


def account_approved(user: User) -> int:
    return send(to_person(user), "account_approved", "Your account has been approved", user=user)


def account_refused(user: User) -> int:
    return send(to_person(user), "account_refused", "Your account request", user=user)


def password_reset(user: User, token: str, lifetime: timedelta) -> int:
    return send(
        to_person(user),
        "password_reset",
        "Reset your password",
        link=external_url("auth.reset_password_link", token=token),
        minutes=int(lifetime.total_seconds() // 60),
    )


def password_changed(user: User, revoked_tokens: int = 0) -> int:
    """The password was changed or reset: signed out elsewhere, and how many personal API tokens stopped working."""
    return send(
        to_person(user),
        "password_changed",
        "Your password was changed",
        user=user,
        revoked_tokens=revoked_tokens,
    )


def registration_repeated(user: User) -> int:
    """To the owner of an address someone tried to register again: they have an account (sign in, or reset)."""
    return send(
        to_person(user),
        "registration_repeated",
        "Someone asked for an account with your email address",
        user=user,
        sign_in_link=external_url("auth.login"),
        reset_link=external_url("auth.forgot_password"),
    )


def second_factor_set_up(user: User, token: str, lifetime: timedelta) -> int:
    return send(
        to_person(user),
        "second_factor_set_up",
        "Set up your authenticator app",
        link=external_url("auth.second_factor_link", token=token),
        minutes=int(lifetime.total_seconds() // 60),
    )


def email_verification(user: User, token: str, lifetime: timedelta) -> int:
    return send(
        to_person(user),
        "email_verification",
        "Confirm your email address",
        link=external_url("auth.verify_email_link", token=token),
        hours=int(lifetime.total_seconds() // 3600),
    )


def invitation(user: User, inviter: User, token: str, lifetime: timedelta) -> int:
    """To someone invited by an administrator, a council officer (trainers) or a colleague: the link to set their
    password."""
    return send(
        to_person(user),
        "invitation",
        "Set a password for your new account",
        user=user,
        inviter=inviter,
        kind=ACCOUNT_KINDS[user.role],
        inviter_is="a council officer" if inviter.role == Role.COUNCIL else "an administrator",
        link=external_url("auth.invitation_link", token=token),
        days=lifetime.days,
    )


def invitation_repeated(owner: User, inviter: User) -> int:
    """To the owner of an address a colleague tried to invite: they have an account already (sign in, or reset)."""
    return send(
        to_person(owner),
        "invitation_repeated",
        "Someone tried to invite you to an account",
        user=owner,
        inviter=inviter,
        sign_in_link=external_url("auth.login"),
        reset_link=external_url("auth.forgot_password"),
    )
