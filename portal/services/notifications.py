"""The e-mails the portal sends: one function per message, each adding to the outbox in the caller's transaction.

Every message has a plain-text and an HTML body, rendered from templates/email/<name>.txt and .html. Essential
messages go to everyone concerned; reminders only to people who have not turned them off (User.wants_reminders).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from portal.extensions import db
from portal.models import ApprovalState, Performance, PerformanceStatus, Role, School, Slot, User
from portal.services import audit, outbox, settings
from portal.services.calendars import performances_ics

DSL_CHECKLIST = (
    "Pastoral support is ready for pupils who want to talk afterwards",
    "Parents and carers have been told about the performance",
    "The hall is set up, with space for the cast to arrive and set up before the start",
    "The Designated Safeguarding Lead (DSL) attends the performance",
)


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str = ""


def _staff(query, reminder: bool) -> list[Recipient]:
    query = query.where(User.active.is_(True), User.approval_state == ApprovalState.APPROVED)
    if reminder:
        query = query.where(User.wants_reminders.is_(True))
    return [Recipient(user.email, user.full_name) for user in db.session.scalars(query.order_by(User.id))]


def school_staff(school_id: int, reminder: bool = False) -> list[Recipient]:
    """A school's approved, active staff accounts (for reminders, those who still want them)."""
    return _staff(select(User).where(User.role == Role.SCHOOL, User.school_id == school_id), reminder)


def role_staff(role: Role) -> list[Recipient]:
    """The team's shared mailbox when one is set (COMPANY_MAILBOX, COUNCIL_MAILBOX), else each active member."""
    mailbox = current_app.config["TEAM_MAILBOXES"].get(role.value)
    if mailbox:
        return [Recipient(mailbox, "")]
    return _staff(select(User).where(User.role == role), reminder=False)


def performance_recipients(performance: Performance, reminder: bool = False) -> list[Recipient]:
    """The school's staff and the DSL named on the request, unless the DSL is staff who turned reminders off."""
    recipients = school_staff(performance.school_id, reminder)
    dsl = performance.request.dsl_email.strip()
    opted_out = db.session.scalar(select(User.id).where(User.email == dsl.lower(), User.wants_reminders.is_(False)))
    if dsl and not (reminder and opted_out):
        recipients.append(Recipient(dsl, performance.request.dsl_name))
    return _unique(recipients)


def _unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    seen, unique = set(), []
    for recipient in recipients:
        if recipient.address.lower() not in seen:
            seen.add(recipient.address.lower())
            unique.append(recipient)
    return unique


def portal_url(path: str = "") -> str:
    return current_app.config["PORTAL_URL"] + path


def _render(name: str, **context) -> tuple[str, str]:
    """The text and HTML bodies of a message; templates see the service's name and the portal's address."""
    config = current_app.config
    context = {
        "service_name": config["SERVICE_NAME"],
        "council_name": config["COUNCIL_NAME"],
        # The same signpost as every page's footer: the administrator's setting, or the configured default.
        "cse_team_name": settings.get_setting("cse_team_name"),
        "cse_team_phone": settings.get_setting("cse_team_phone"),
        "portal_url": config["PORTAL_URL"],
        "account_url": portal_url("/account"),
        **context,
    }
    env = current_app.jinja_env
    return env.get_template(f"email/{name}.txt").render(context), env.get_template(f"email/{name}.html").render(context)


def _send(
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
        text, html = _render(name, recipient=recipient, subject=subject, **context)
        key = f"{dedupe}:{outbox.dedupe_suffix(recipient.address)}" if dedupe else None
        message = outbox.add_message(
            to=recipient.address, subject=subject, text=text, html=html, attachments=attachments, dedupe_key=key
        )
        added += message is not None
    return added


def _at(start: datetime) -> str:
    """Like "Tuesday 3 March 2026 at 9:15am"."""
    return f"{start:%A %-d %B %Y} at {start:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")


def when(performance: Performance) -> str:
    return _at(datetime.combine(performance.day, performance.slot.starts_at))


def performance_url(performance: Performance) -> str:
    return portal_url(f"/school/performances/{performance.id}")


def _ics(performances: list[Performance]) -> list[dict]:
    host = current_app.config["PORTAL_URL"].split("://", 1)[-1].split("/")[0].split(":")[0] or "localhost"
    data = performances_ics(performances, "CSE awareness drama", host, for_company=False)
    return [outbox.attachment("performance.ics", "text/calendar", data)]


# Accounts


def account_awaiting_approval(user: User) -> int:
    """To the council: a member of school staff has asked for an account."""
    return _send(
        role_staff(Role.COUNCIL),
        "account_awaiting_approval",
        f"New school account to approve: {user.school.name if user.school else user.email}",
        user=user,
        link=portal_url(f"/council/approvals/{user.id}"),
    )


def account_approved(user: User) -> int:
    return _send(
        [Recipient(user.email, user.full_name)], "account_approved", "Your account has been approved", user=user
    )


def account_refused(user: User) -> int:
    return _send([Recipient(user.email, user.full_name)], "account_refused", "Your account request", user=user)


def password_reset(user: User, token: str, lifetime: timedelta) -> int:
    return _send(
        [Recipient(user.email, user.full_name)],
        "password_reset",
        "Reset your password",
        link=portal_url(f"/reset-password/{token}"),
        minutes=int(lifetime.total_seconds() // 60),
    )


def password_changed(user: User, revoked_tokens: int = 0) -> int:
    """The password was changed or reset: signed out elsewhere, and how many personal API tokens stopped working."""
    return _send(
        [Recipient(user.email, user.full_name)],
        "password_changed",
        "Your password was changed",
        user=user,
        revoked_tokens=revoked_tokens,
    )


def registration_repeated(user: User) -> int:
    """To the owner of an address someone tried to register again: they have an account (sign in, or reset)."""
    return _send(
        [Recipient(user.email, user.full_name)],
        "registration_repeated",
        "Someone asked for an account with your email address",
        user=user,
        sign_in_link=portal_url("/login"),
        reset_link=portal_url("/forgot-password"),
    )


def second_factor_set_up(user: User, token: str, lifetime: timedelta) -> int:
    return _send(
        [Recipient(user.email, user.full_name)],
        "second_factor_set_up",
        "Set up your authenticator app",
        link=portal_url(f"/second-factor/link/{token}"),
        minutes=int(lifetime.total_seconds() // 60),
    )


def email_verification(user: User, token: str, lifetime: timedelta) -> int:
    return _send(
        [Recipient(user.email, user.full_name)],
        "email_verification",
        "Confirm your email address",
        link=portal_url(f"/verify-email/{token}"),
        hours=int(lifetime.total_seconds() // 3600),
    )


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


# Schools: performances


def allocation_published(performances: list[Performance]) -> int:
    """To each school: its provisional performances and the date to confirm them by."""
    by_school: dict[int, list[Performance]] = defaultdict(list)
    for performance in performances:
        by_school[performance.school_id].append(performance)
    added = 0
    for school_id, own in sorted(by_school.items()):
        own.sort(key=lambda p: (p.day, p.slot.starts_at))
        added += _send(
            school_staff(school_id),
            "allocation_published",
            "Your provisional performances: please confirm them",
            school=db.session.get(School, school_id),
            performances=[(p, when(p), performance_url(p)) for p in own],
            confirm_by=min(p.confirm_by for p in own if p.confirm_by) if any(p.confirm_by for p in own) else None,
            link=portal_url("/school/performances"),
        )
    return added


def confirm_reminder(school: School, performances: list[Performance], confirm_by: date) -> int:
    """Reminder: provisional performances still to confirm, three working days before the confirm-by date."""
    return _send(
        school_staff(school.id, reminder=True),
        "confirm_reminder",
        f"Reminder: confirm your performances by {confirm_by:%-d %B}",
        dedupe=f"reminder:confirm:{school.id}:{confirm_by.isoformat()}",
        school=school,
        performances=[(p, when(p), performance_url(p)) for p in performances],
        confirm_by=confirm_by,
        link=portal_url("/school/performances"),
    )


def performance_confirmed(performance: Performance) -> int:
    """To the school: the performance is booked, with the calendar entry attached."""
    return _send(
        performance_recipients(performance),
        "performance_confirmed",
        f"Performance confirmed: {when(performance)}",
        attachments=_ics([performance]),
        performance=performance,
        when=when(performance),
        link=performance_url(performance),
    )


def performance_reminder(performance: Performance) -> int:
    """Reminder a week before: the DSL checklist."""
    return _send(
        performance_recipients(performance, reminder=True),
        "performance_reminder",
        f"In a week: the drama at {performance.school.name}, {when(performance)}",
        dedupe=f"reminder:performance:{performance.id}:{performance.day.isoformat()}:7-days",
        performance=performance,
        when=when(performance),
        checklist=DSL_CHECKLIST,
        link=performance_url(performance),
    )


def performance_follow_up(performance: Performance) -> int:
    """After the performance: the lesson pack, and a request to record the follow-up lessons."""
    return _send(
        performance_recipients(performance, reminder=True),
        "performance_follow_up",
        "After the drama: your lesson pack and follow-up lessons",
        dedupe=f"reminder:performance:{performance.id}:follow-up",
        performance=performance,
        when=when(performance),
        link=performance_url(performance),
    )


def performance_moved(performance: Performance, before: dict) -> int:
    previous_slot = db.session.get(Slot, before.get("slot_id")) if before.get("slot_id") else None
    previous = ""
    if before.get("day") and previous_slot is not None:
        previous = _at(datetime.combine(date.fromisoformat(before["day"]), previous_slot.starts_at))
    return _send(
        performance_recipients(performance),
        "performance_moved",
        f"Performance moved to {when(performance)}",
        attachments=_ics([performance]),
        performance=performance,
        when=when(performance),
        previous=previous,
        link=performance_url(performance),
    )


def performance_cancelled(performance: Performance) -> int:
    return _send(
        performance_recipients(performance),
        "performance_cancelled",
        f"Performance cancelled: {when(performance)}",
        attachments=_ics([performance]),
        performance=performance,
        when=when(performance),
        link=portal_url("/school/performances"),
    )


def performance_released(performance: Performance) -> int:
    """To the school: a provisional performance went back to the pool because it was not confirmed in time."""
    return _send(
        performance_recipients(performance),
        "performance_released",
        f"Performance released: {when(performance)} was not confirmed",
        performance=performance,
        when=when(performance),
        link=portal_url("/school/performances"),
    )


# The company


def performance_declined(performance: Performance, before: dict) -> int:
    """To the company: a school declined a provisional performance or cancelled a confirmed one."""
    was_confirmed = before.get("status") == PerformanceStatus.CONFIRMED.value
    return _send(
        role_staff(Role.COMPANY),
        "performance_declined",
        f"{performance.school.name} declined {when(performance)}",
        performance=performance,
        when=when(performance),
        was_confirmed=was_confirmed,
        link=portal_url(f"/company/performances/{performance.id}"),
    )


def slot_taken(performance: Performance) -> int:
    """A school took a freed place: the company is told, the school gets its confirmation and calendar entry."""
    added = _send(
        role_staff(Role.COMPANY),
        "slot_taken",
        f"Freed place taken: {performance.school.name}, {when(performance)}",
        performance=performance,
        when=when(performance),
        link=portal_url(f"/company/performances/{performance.id}"),
    )
    return added + performance_confirmed(performance)
