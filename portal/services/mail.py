"""How the portal's e-mails are addressed, rendered and added to the outbox, for every module that sends one.

Every message has a plain-text and an HTML body, rendered from templates/email/<name>.txt and .html, and is added to
the outbox in the caller's transaction (portal.services.outbox delivers it after the commit). Essential messages go
to everyone concerned; reminders only to people who have not turned them off (User.wants_reminders).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.links import external_url
from portal.models import ApprovalState, Role, User
from portal.services import outbox, settings


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""


def active_staff(query, reminder: bool) -> list[Recipient]:
    query = query.where(User.active.is_(True), User.approval_state == ApprovalState.APPROVED)
    if reminder:
        query = query.where(User.wants_reminders.is_(True))
    return [Recipient(user.email, user.full_name) for user in db.session.scalars(query.order_by(User.id))]


def to_person(user: User) -> list[Recipient]:
    """One person, for a message about their own account, request or booking."""
    return [Recipient(user.email, user.full_name)]


def school_staff(school_id: int, reminder: bool = False) -> list[Recipient]:
    """A school's approved, active staff accounts (for reminders, those who still want them)."""
    return active_staff(select(User).where(User.role == Role.SCHOOL, User.school_id == school_id), reminder)


def role_staff(role: Role) -> list[Recipient]:
    """The team's shared mailbox when one is set (COMPANY_MAILBOX, COUNCIL_MAILBOX), else each active member."""
    mailbox = current_app.config["TEAM_MAILBOXES"].get(role.value)
    if mailbox:
        return [Recipient(mailbox, "")]
    return active_staff(select(User).where(User.role == role), reminder=False)


def council_contact() -> str:
    """The council's programme team as a DSL without an account can reach them: their shared inbox or addresses."""
    return ", ".join(recipient.address for recipient in role_staff(Role.COUNCIL))


def unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    seen, unique = set(), []
    for recipient in recipients:
        if recipient.address.lower() not in seen:
            seen.add(recipient.address.lower())
            unique.append(recipient)
    return unique


def render(name: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of a message; templates see the service's name and the portal's address."""
    config = current_app.config
    context = {
        "service_name": config["SERVICE_NAME"],
        "council_name": config["COUNCIL_NAME"],
        # The same signpost as every page's footer: the administrator's setting, or the configured default.
        "cse_team_name": settings.get_setting("cse_team_name"),
        "cse_team_phone": settings.get_setting("cse_team_phone"),
        "portal_url": config["PORTAL_URL"],
        "account_url": external_url("auth.account"),
        **context,
    }
    env = current_app.jinja_env
    return env.get_template(f"email/{name}.txt").render(context), env.get_template(f"email/{name}.html").render(context)


def send(
    recipients: Iterable[Recipient],
    name: str,
    subject: str,
    *,
    dedupe: str | None = None,
    attachments: list[dict] | None = None,
    **context,
) -> int:
    """Add one message per recipient; with a dedupe prefix, a recipient never gets the same message twice."""
    added = 0
    for recipient in recipients:
        text, html = render(name, recipient=recipient, subject=subject, **context)
        key = f"{dedupe}:{outbox.dedupe_suffix(recipient.address)}" if dedupe else None
        message = outbox.add_message(
            to=recipient.address, subject=subject, text=text, html=html, attachments=attachments, dedupe_key=key
        )
        added += message is not None
    return added
