"""The e-mails about schools' requests and performances: one function per message, each adding to the outbox in the
caller's transaction through portal.services.mail.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from portal.domain.requests import request_reference
from portal.extensions import db
from portal.links import external_url, portal_host
from portal.models import Performance, PerformanceStatus, Role, School, User
from portal.models.requests import Request, RequestStatus
from portal.services import outbox
from portal.services.calendars import performances_ics
from portal.services.descriptions import describe, describe_placement
from portal.services.mail import Recipient, council_contact, role_staff, school_staff, send, to_person, unique

DSL_CHECKLIST = (
    "Pastoral support is ready for pupils who want to talk afterwards",
    "Parents and carers have been told about the performance",
    "The hall is set up, with space for the cast to arrive and set up before the start",
    "The Designated Safeguarding Lead (DSL) attends the performance",
)


def performance_recipients(performance: Performance, reminder: bool = False) -> list[Recipient]:
    """The school's staff and the DSL named on the request, unless the DSL is staff who turned reminders off."""
    recipients = school_staff(performance.school_id, reminder)
    dsl = performance.request.dsl_email.strip()
    opted_out = db.session.scalar(select(User.id).where(User.email == dsl.lower(), User.wants_reminders.is_(False)))
    if dsl and not (reminder and opted_out):
        recipients.append(Recipient(dsl, performance.request.dsl_name))
    return unique(recipients)


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
    return unique(recipient for request_ in requests for recipient in dsl_of(request_)), True


def when(performance: Performance) -> str:
    """Like "Tuesday 3 March 2026 at 9:15am": where the performance is now (descriptions.py, as its calendar file)."""
    return describe(performance).when


def performance_url(performance: Performance) -> str:
    return external_url("school.performance_detail", performance_id=performance.id)


def _ics(performances: list[Performance]) -> list[dict]:
    data = performances_ics(performances, "CSE awareness drama", portal_host(), for_company=False)
    return [outbox.attachment("performance.ics", "text/calendar", data)]


# Schools: requests


def request_received(request_: Request, sender: User) -> int:
    """To the person who sent a request (school staff, or a council officer for the school): it has arrived, with
    its reference and what happens next."""
    reference = request_reference(request_.id)
    area = "council" if sender.role == Role.COUNCIL else "school"
    return send(
        to_person(sender),
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
        added += send(
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
    return send(
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
    return send(
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
    return send(
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
    return send(
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
    return send(
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
    return send(
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
    return send(
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
    added = send(
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
        added += send(
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
    added = send(
        role_staff(Role.COMPANY),
        "slot_taken",
        f"Freed place taken: {performance.school.name}, {when(performance)}",
        performance=performance,
        when=when(performance),
        link=external_url("company.performance_detail", performance_id=performance.id),
    )
    return added + performance_confirmed(performance)
