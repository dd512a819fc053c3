"""Calendar downloads and subscribable feeds for schools and casts.

A feed's URL carries an HMAC of (kind, owner, version) under the server's secret key: nothing secret is stored,
anyone without the URL cannot guess it (256 bits), and re-issuing bumps the version, which kills the old URL.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.domain.ics import CalendarEvent, calendar_bytes
from portal.extensions import db
from portal.models import CalendarFeed, Performance, PerformanceStatus, Request, Role, User
from portal.services.descriptions import describe
from portal.services.performance_queries import in_time_order

FEED_KINDS = ("school", "cast", "learner")  # "learner": a learner's CSE training (portal.services.training_calendars)
ICS_STATUS = {
    PerformanceStatus.PROVISIONAL: "TENTATIVE",
    PerformanceStatus.CONFIRMED: "CONFIRMED",
    PerformanceStatus.DELIVERED: "CONFIRMED",
    PerformanceStatus.DECLINED: "CANCELLED",
    PerformanceStatus.CANCELLED: "CANCELLED",
}


def _feed(kind: str, owner_id: int) -> CalendarFeed:
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.kind == kind, CalendarFeed.owner_id == owner_id))
    if feed is None:
        feed = CalendarFeed(kind=kind, owner_id=owner_id, version=1)
        db.session.add(feed)
        db.session.flush()
    return feed


def feed_token(secret_key: str, kind: str, owner_id: int, version: int) -> str:
    message = f"calendar-feed:{kind}:{owner_id}:{version}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def current_token(secret_key: str, kind: str, owner_id: int) -> str:
    return current_tokens(secret_key, kind, [owner_id])[owner_id]


def current_tokens(secret_key: str, kind: str, owner_ids: list[int]) -> dict[int, str]:
    """Each owner's feed token, read in one query; a feed never given a new address is at version 1 and needs no row
    (showing an address writes nothing)."""
    query = select(CalendarFeed.owner_id, CalendarFeed.version).where(
        CalendarFeed.kind == kind, CalendarFeed.owner_id.in_(owner_ids)
    )
    versions = dict(db.session.execute(query).all())
    return {owner: feed_token(secret_key, kind, owner, versions.get(owner, 1)) for owner in owner_ids}


def token_is_valid(secret_key: str, kind: str, owner_id: int, token: str) -> bool:
    # hmac.compare_digest refuses non-ASCII text (TypeError): a token of any other characters is simply not a feed.
    if kind not in FEED_KINDS or not token.isascii():
        return False
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.kind == kind, CalendarFeed.owner_id == owner_id))
    version = feed.version if feed is not None else 1
    return hmac.compare_digest(feed_token(secret_key, kind, owner_id, version), token)


def reissue(kind: str, owner_id: int) -> None:
    """Give the feed a new URL; the old one stops working at once."""
    _feed(kind, owner_id).version += 1


def _event(performance: Performance, portal_host: str, for_company: bool) -> CalendarEvent:
    # The school first: held by the performance, describe() then finds it loaded rather than reading it again.
    school, request_ = performance.school, performance.request
    showing = describe(performance)  # the same words as the e-mail that carries this file
    start = showing.start
    production = request_.production
    lines = [
        f"{production.title}: {performance.pupils_planned} pupils, {request_.staff_in_hall} staff in the hall.",
        f"DSL attending: {request_.dsl_name}, {request_.dsl_phone}.",
        f"Cast: {showing.cast}.",
    ]
    if request_.access_notes:
        lines.append(f"Access: {request_.access_notes}")
    if performance.status_reason:
        lines.append(f"Note: {performance.status_reason}")
    title = f"{production.title} at {school.name}" if for_company else f"{production.title} (CSE awareness drama)"
    if performance.status == PerformanceStatus.PROVISIONAL:
        title += " (provisional)"
    return CalendarEvent(
        uid=f"performance-{performance.id}@{portal_host}",
        stamp=performance.updated_at,
        start=start,
        end=start + timedelta(minutes=production.duration_minutes),
        summary=title,
        location=", ".join(part for part in (school.name, school.address or school.town, school.postcode) if part),
        description="\n".join(lines),
        status=ICS_STATUS[performance.status],
        sequence=performance.sequence,
    )


def performances_ics(
    performances: list[Performance], name: str, portal_host: str, for_company: bool, calendar_id: str = "performances"
) -> bytes:
    """calendar_id names the calendar stably, e.g. "school-12" or "performance-40"."""
    events = [_event(p, portal_host, for_company) for p in performances]
    return calendar_bytes(events, name, uid=f"{calendar_id}@{portal_host}")


def feed_performances(kind: str, owner_id: int) -> list[Performance]:
    """Every performance of the school or cast, with what each event names loaded at once (a cast tours over a
    hundred schools a season: one query per performance for its school, slot and request was most of a feed's time)."""
    column = Performance.school_id if kind == "school" else Performance.cast_id
    query = in_time_order(select(Performance).where(column == owner_id)).options(
        selectinload(Performance.school),
        selectinload(Performance.slot),
        selectinload(Performance.cast),
        selectinload(Performance.request).selectinload(Request.production),
    )
    return list(db.session.scalars(query))


def performance_for(user: User, performance_id: int) -> Performance | None:
    """A performance whose calendar file the user may have: the hosting school's approved staff, or company and
    council staff. Administrators manage accounts, not bookings: None for them, as for a performance not there."""
    performance = db.session.get(Performance, performance_id)
    # Allowed roles are named, so a role added later (trainers, learners) sees no school's bookings.
    if performance is None or user.role not in (Role.SCHOOL, Role.COMPANY, Role.COUNCIL):
        return None
    if user.role == Role.SCHOOL and (performance.school_id != user.school_id or not user.is_approved):
        return None
    return performance
