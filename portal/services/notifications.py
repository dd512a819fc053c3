"""The e-mails the portal sends: one function per message, each adding to the outbox in the caller's transaction.

Every message has a plain-text and an HTML body, rendered from templates/email/<name>.txt and .html. Essential
messages go to everyone concerned; reminders only to people who have not turned them off (User.wants_reminders).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from portal.domain.requests import request_reference
from portal.extensions import db
from portal.links import external_url, portal_host
from portal.models import ApprovalState, Performance, PerformanceStatus, Role, School, User
from portal.models.requests import Request, RequestStatus
from portal.services import audit, outbox, settings
from portal.services.calendars import performances_ics
from portal.services.descriptions import describe, describe_placement

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


def dsl_of(request_: Request) -> list[Recipient]:
    """The Designated Safeguarding Lead named on a request (none once the retention purge removed the details)."""
    address = request_.dsl_email.strip()
    return [Recipient(address, request_.dsl_name)] if address else []


def school_or_dsls(school_id: int, requests: Iterable[Request], reminder: bool = False) -> tuple[list[Recipient], bool]:
    """Who hears about a school's performances to confirm, and whether nobody at the school has an account: its
    staff; or, when none has an active approved account (the council asked for the school), the DSLs named on these
    requests, who have no account either and are told how the council can act for them."""
    if school_staff(school_id):
        return school_staff(school_id, reminder), False
    return _unique(recipient for request_ in requests for recipient in dsl_of(request_)), True


def council_contact() -> str:
    """The council's programme team as a DSL without an account can reach them: their shared inbox or addresses."""
    return ", ".join(recipient.address for recipient in role_staff(Role.COUNCIL))


def _unique(recipients: Iterable[Recipient]) -> list[Recipient]:
    seen, unique = set(), []
    for recipient in recipients:
        if recipient.address.lower() not in seen:
            seen.add(recipient.address.lower())
            unique.append(recipient)
    return unique


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
        "account_url": external_url("auth.account"),
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


def when(performance: Performance) -> str:
    """Like "Tuesday 3 March 2026 at 9:15am": where the performance is now (descriptions.py, as its calendar file)."""
    return describe(performance).when


def performance_url(performance: Performance) -> str:
    return external_url("school.performance_detail", performance_id=performance.id)


def _ics(performances: list[Performance]) -> list[dict]:
    data = performances_ics(performances, "CSE awareness drama", portal_host(), for_company=False)
    return [outbox.attachment("performance.ics", "text/calendar", data)]


# Accounts

# "... has made you <kind> account."
ACCOUNT_KINDS = {
    Role.SCHOOL: "a school staff",
    Role.COMPANY: "a theatre company",
    Role.COUNCIL: "a council officer",
    Role.ADMIN: "an administrator",
}


def account_awaiting_approval(user: User, invited_by: User | None = None) -> int:
    """To the council: a member of school staff has asked for an account (or accepted a colleague's invitation)."""
    return _send(
        role_staff(Role.COUNCIL),
        "account_awaiting_approval",
        f"New school account to approve: {user.school.name if user.school else user.email}",
        user=user,
        invited_by=invited_by,
        link=external_url("council.approval_decide", user_id=user.id),
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
        link=external_url("auth.reset_password_link", token=token),
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
        sign_in_link=external_url("auth.login"),
        reset_link=external_url("auth.forgot_password"),
    )


def second_factor_set_up(user: User, token: str, lifetime: timedelta) -> int:
    return _send(
        [Recipient(user.email, user.full_name)],
        "second_factor_set_up",
        "Set up your authenticator app",
        link=external_url("auth.second_factor_link", token=token),
        minutes=int(lifetime.total_seconds() // 60),
    )


def email_verification(user: User, token: str, lifetime: timedelta) -> int:
    return _send(
        [Recipient(user.email, user.full_name)],
        "email_verification",
        "Confirm your email address",
        link=external_url("auth.verify_email_link", token=token),
        hours=int(lifetime.total_seconds() // 3600),
    )


def invitation(user: User, inviter: User, token: str, lifetime: timedelta) -> int:
    """To someone invited by an administrator or a colleague: the link to set their password."""
    return _send(
        [Recipient(user.email, user.full_name)],
        "invitation",
        "Set a password for your new account",
        user=user,
        inviter=inviter,
        kind=ACCOUNT_KINDS[user.role],
        link=external_url("auth.invitation_link", token=token),
        days=lifetime.days,
    )


def invitation_repeated(owner: User, inviter: User) -> int:
    """To the owner of an address a colleague tried to invite: they have an account already (sign in, or reset)."""
    return _send(
        [Recipient(owner.email, owner.full_name)],
        "invitation_repeated",
        "Someone tried to invite you to an account",
        user=owner,
        inviter=inviter,
        sign_in_link=external_url("auth.login"),
        reset_link=external_url("auth.forgot_password"),
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


# Schools: requests


def request_received(request_: Request, sender: User) -> int:
    """To the person who sent a request (school staff, or a council officer for the school): it has arrived, with
    its reference and what happens next."""
    reference = request_reference(request_.id)
    area = "council" if sender.role == Role.COUNCIL else "school"
    return _send(
        [Recipient(sender.email, sender.full_name)],
        "request_received",
        f"Request received: reference {reference}",
        dedupe=f"request:{request_.id}:received",
        request_=request_,
        reference=reference,
        on_behalf=area == "council",
        link=external_url(f"{area}.request_detail", request_id=request_.id),
    )


# Schools: performances


def _live_requests(school_id: int, season_id: int) -> list[Request]:
    query = select(Request).where(
        Request.school_id == school_id, Request.season_id == season_id, Request.status == RequestStatus.SUBMITTED
    )
    return list(db.session.scalars(query.order_by(Request.id)))


def published_recipients(school_id: int, season_id: int | None = None) -> list[Recipient]:
    """Who is told of a school's provisional performances when an allocation is published: its staff, or, when
    nobody at the school has an account, the DSL of each of its requests in the season (the page that asks the
    company to confirm publishing names them from here too)."""
    return school_or_dsls(school_id, _live_requests(school_id, season_id) if season_id else [])[0]


def allocation_published(performances: list[Performance]) -> int:
    """To each school: its provisional performances and the date to confirm them by. A school without an account
    (the council asked for it) is told through the DSL of its request, and how the council can confirm for it."""
    by_school: dict[int, list[Performance]] = defaultdict(list)
    for performance in performances:
        by_school[performance.school_id].append(performance)
    added = 0
    for school_id, own in sorted(by_school.items()):
        own.sort(key=lambda p: (p.day, p.slot.starts_at))
        recipients, no_account = school_or_dsls(school_id, {p.request_id: p.request for p in own}.values())
        added += _send(
            recipients,
            "allocation_published",
            "Your provisional performances: please confirm them",
            school=db.session.get(School, school_id),
            performances=[(p, when(p), performance_url(p)) for p in own],
            confirm_by=min(p.confirm_by for p in own if p.confirm_by) if any(p.confirm_by for p in own) else None,
            link=external_url("school.performances_list"),
            no_account=no_account,
            council_contact=council_contact(),
            register_link=external_url("auth.register"),
        )
    return added


def confirm_reminder(school: School, performances: list[Performance], confirm_by: date) -> int:
    """Reminder: provisional performances still to confirm, three working days before the confirm-by date (to the
    DSL when nobody at the school has an account: then it is the only way they hear of it, so always sent)."""
    recipients, no_account = school_or_dsls(
        school.id, {p.request_id: p.request for p in performances}.values(), reminder=True
    )
    return _send(
        recipients,
        "confirm_reminder",
        f"Reminder: confirm your performances by {confirm_by:%-d %B}",
        dedupe=f"reminder:confirm:{school.id}:{confirm_by.isoformat()}",
        school=school,
        performances=[(p, when(p), performance_url(p)) for p in performances],
        confirm_by=confirm_by,
        link=external_url("school.performances_list"),
        no_account=no_account,
        council_contact=council_contact(),
        register_link=external_url("auth.register"),
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
    """The new date, time and cast, and where it was: the same words as the attached calendar entry and history."""
    now = describe(performance)
    previous = describe_placement(
        date.fromisoformat(before["day"]), before.get("slot_id"), before.get("cast_id"), performance.school_id
    )
    return _send(
        performance_recipients(performance),
        "performance_moved",
        f"Performance moved to {now.when}",
        attachments=_ics([performance]),
        performance=performance,
        when=now.when,
        cast=now.cast,
        previous=previous.when,
        previous_cast=previous.cast,
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
        link=external_url("school.performances_list"),
    )


def performance_released(performance: Performance) -> int:
    """To the school: a provisional performance went back to the pool because it was not confirmed in time. The DSL
    is told only when nobody at the school has an account, as they were asked to confirm it: never a first message."""
    recipients, no_account = school_or_dsls(performance.school_id, [performance.request])
    return _send(
        recipients,
        "performance_released",
        f"Performance released: {when(performance)} was not confirmed",
        performance=performance,
        when=when(performance),
        no_account=no_account,
        council_contact=council_contact(),
        link=external_url("school.performances_list"),
    )


# The company


def performance_declined(performance: Performance, before: dict, on_behalf: bool = False) -> int:
    """To the company: a school declined a provisional performance or cancelled a confirmed one. When the council did
    it for the school, the school (its staff, or the DSL when it has no account) is told too."""
    was_confirmed = before.get("status") == PerformanceStatus.CONFIRMED.value
    added = _send(
        role_staff(Role.COMPANY),
        "performance_declined",
        f"{performance.school.name} declined {when(performance)}",
        performance=performance,
        when=when(performance),
        was_confirmed=was_confirmed,
        on_behalf=on_behalf,
        link=external_url("company.performance_detail", performance_id=performance.id),
    )
    if on_behalf:
        recipients, no_account = school_or_dsls(performance.school_id, [performance.request])
        added += _send(
            recipients,
            "performance_declined_for_school",
            f"Performance declined for {performance.school.name}: {when(performance)}",
            performance=performance,
            when=when(performance),
            no_account=no_account,
            link=external_url("school.performances_list"),
        )
    return added


def slot_taken(performance: Performance) -> int:
    """A school took a freed place: the company is told, the school gets its confirmation and calendar entry."""
    added = _send(
        role_staff(Role.COMPANY),
        "slot_taken",
        f"Freed place taken: {performance.school.name}, {when(performance)}",
        performance=performance,
        when=when(performance),
        link=external_url("company.performance_detail", performance_id=performance.id),
    )
    return added + performance_confirmed(performance)
