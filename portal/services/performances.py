"""Performances after publication: schools confirm or decline, freed slots go first come first served,
the company moves or cancels, and records what was delivered. Every placement is checked with the scheduler's
own check(), so the web app and the scheduler can never disagree about the rules: a freed place against the
performances it meets (placements.py), a move against the whole season."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from portal import clock
from portal.domain.breaches import explain_breach
from portal.domain.performances import BOOKED_STATUSES, attendance_refusal, move_refusal, take_refusal
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import Cast, Performance, PerformanceAttendance, PerformanceStatus, Request, Slot
from portal.models.users import Role
from portal.scheduler import check
from portal.services import audit, notifications, place_offers
from portal.services.allocations import performance_snapshot
from portal.services.instances import active_performances, build_instance, performance_entry, within_caps
from portal.services.performance_queries import in_time_order
from portal.services.place_search import audience_cap_of, place_wanted, pupils_remaining
from portal.services.placements import Placement, allocation_with, nearby_performances, placement_breaches

CHANGEABLE = tuple(sorted(BOOKED_STATUSES))  # a performance still to come (domain BOOKED_STATUSES)


class PerformanceError(Refused):
    """A change to a performance that the rules refuse, with a message for the person who tried it."""


class SlotTaken(PerformanceError):
    """Someone else took the slot first."""


class AttendanceOverLimits(PerformanceError):
    """Attendance beyond what the request and the hall allow, recorded without a reason for the exception: the
    message says which limit, the form then asks for the reason."""


def school_performances(school_id: int) -> list[Performance]:
    """Every performance at the school (about 100 over five years at most), each with its slot (one query)."""
    query = in_time_order(select(Performance).where(Performance.school_id == school_id))
    return list(db.session.scalars(query.options(contains_eager(Performance.slot))))


def get_school_performance(school_id: int, performance_id: int) -> Performance | None:
    return db.session.scalar(
        select(Performance).where(Performance.id == performance_id, Performance.school_id == school_id)
    )


def _record(actor, action: str, performance: Performance, before: dict | None) -> None:
    audit.record(
        actor,
        action,
        "performance",
        performance.id,
        school_id=performance.school_id,
        before=before,
        after=performance_snapshot(performance),
    )


def awaiting_confirmation(performance: Performance, today: date) -> bool:
    """Provisional and still in time to confirm (after the confirm-by date it goes back to the pool)."""
    return performance.status == PerformanceStatus.PROVISIONAL and (
        performance.confirm_by is None or performance.confirm_by >= today
    )


def _on_behalf(actor) -> bool:
    """A council officer acting for the school (recorded as such, like a request made on its behalf)."""
    return actor is not None and actor.role == Role.COUNCIL


def confirm_performance(actor, performance: Performance, today: date) -> None:
    """The school, or the council on its behalf, confirms a provisional performance by its confirm-by date."""
    if performance.status != PerformanceStatus.PROVISIONAL:
        raise PerformanceError("Only a provisional performance can be confirmed")
    if performance.confirm_by and performance.confirm_by < today:
        raise PerformanceError(f"This performance had to be confirmed by {performance.confirm_by:%-d %B %Y}")
    before = performance_snapshot(performance)
    performance.status = PerformanceStatus.CONFIRMED
    action = "performance.confirmed_on_behalf" if _on_behalf(actor) else "performance.confirmed"
    _record(actor, action, performance, before)
    notifications.performance_confirmed(performance)


def decline_performance(actor, performance: Performance, reason: str, now: datetime | None = None) -> None:
    """A school (or the council on its behalf) turns down a performance; its place is offered first to the waiting
    requests it fits best, then to every school."""
    if performance.status not in CHANGEABLE:
        raise PerformanceError("This performance can no longer be declined")
    before = performance_snapshot(performance)
    performance.status, performance.status_reason = PerformanceStatus.DECLINED, reason.strip()
    performance.sequence += 1
    on_behalf = _on_behalf(actor)
    _record(actor, "performance.declined_on_behalf" if on_behalf else "performance.declined", performance, before)
    notifications.performance_declined(performance, before, on_behalf=on_behalf)
    _offer_freed_place(performance, now or clock.now())


def release_unconfirmed_performances(today: date, now: datetime | None = None) -> list[Performance]:
    """Provisional performances whose confirm-by date has passed go back to the pool (declined, marked released, and
    offered first to the waiting requests they fit best); idempotent."""
    query = (
        select(Performance)
        .where(Performance.status == PerformanceStatus.PROVISIONAL, Performance.confirm_by < today)
        .order_by(Performance.id)
    )
    released = list(db.session.scalars(query))
    now = now or clock.now()
    for performance in released:
        before = performance_snapshot(performance)
        performance.status = PerformanceStatus.DECLINED
        performance.status_reason = f"not confirmed by {performance.confirm_by:%-d %B %Y}"
        performance.released_at = now
        performance.sequence += 1
        _record(None, "performance.released", performance, before)
        notifications.performance_released(performance)
        _offer_freed_place(performance, now)
    return released


def _offer_freed_place(performance: Performance, now: datetime) -> None:
    # freed_places builds on this module's rules (pupils_remaining, place_wanted), so it is imported here.
    from portal.services.freed_places import offer_freed_place

    offer_freed_place(performance, now)


def _season_state(season, request_: Request, moving: Performance | None = None) -> tuple[dict, list[dict]]:
    """The season as an instance (without pins) and its active performances as allocation entries."""
    instance = build_instance(season, include_requests=[request_])
    # The check is of the whole new state, not of a proposal against pins.
    instance["pinned"] = []
    entries = [performance_entry(p) for p in active_performances(season) if moving is None or p.id != moving.id]
    return instance, within_caps(instance, entries)


def _breaches(state: tuple[dict, list[dict]], request_: Request, placement: Placement) -> list[str]:
    """The rules the placement breaks, in words: names, dates and times, not the scheduler's ids."""
    instance, entries = state
    allocation = allocation_with(entries, request_, placement)
    return [
        explain_breach(breach, instance, allocation["performances"]) for breach in check(instance, allocation).breaches
    ]


def _lock(cast: Cast, request_: Request | None = None) -> None:
    """Serialise placements on one cast (and changes to one request's pupils): row locks on PostgreSQL, taken in
    that order everywhere; on SQLite, BEGIN IMMEDIATE already holds the database's write lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT id FROM casts WHERE id = :id FOR UPDATE"), {"id": cast.id})
        if request_ is not None:
            db.session.execute(text("SELECT id FROM requests WHERE id = :id FOR UPDATE"), {"id": request_.id})
        db.session.expire_all()


def take_offer(
    actor, request_: Request, cast: Cast, day: date, slot: Slot, today: date, now: datetime | None = None
) -> Performance:
    """A school takes a free place, first come first served, and it is confirmed at once.

    Under the locks, every rule of the offers page is checked again (a published season, a live request with pupils
    left, a later date and a slot of the request's, a cast that plays it that day, not a time the school declined,
    not a place held for other schools), then the new performance is checked against only the performances it
    meets (placements.py): a refusal never waits for the whole season."""
    _lock(cast, request_)
    remaining = pupils_remaining(request_)
    declined = place_offers.declined_times(request_.school_id, request_.season_id)
    hold = place_offers.hold_on(cast.id, day, slot.id, now or clock.now())
    refusal = take_refusal(place_wanted(request_, cast, day, slot, remaining, declined, hold), today)
    if refusal:
        raise PerformanceError(refusal)
    placement = Placement(cast, day, slot, min(remaining, audience_cap_of(request_)))
    if placement_breaches(request_, placement, nearby_performances(request_, [cast], {day})):
        raise SlotTaken("Sorry, that performance has just been taken or no longer fits: choose another")
    performance = Performance(
        season_id=request_.season_id,
        request_id=request_.id,
        school_id=request_.school_id,
        cast_id=cast.id,
        slot_id=slot.id,
        day=day,
        pupils_planned=placement.pupils,
        status=PerformanceStatus.CONFIRMED,
    )
    try:
        with db.session.begin_nested():
            db.session.add(performance)
    except IntegrityError:
        raise SlotTaken("Sorry, that performance has just been taken: choose another") from None
    _record(actor, "performance.taken", performance, None)
    notifications.slot_taken(performance)
    return performance


def move_performance(
    actor, performance: Performance, cast: Cast, day: date, slot: Slot, reason: str, today: date
) -> None:
    """The company moves a performance (illness, a closure) to today or later; the move must pass the scheduler's
    full check of the season."""
    if performance.status not in CHANGEABLE:
        raise PerformanceError("Only a provisional or confirmed performance can be moved")
    refusal = move_refusal(day, today)
    if refusal:
        raise PerformanceError(refusal)
    _lock(cast)
    placement = Placement(cast, day, slot, performance.pupils_planned)
    state = _season_state(performance.season, performance.request, moving=performance)
    breaches = _breaches(state, performance.request, placement)
    if breaches:
        raise PerformanceError("That move breaks a rule: " + breaches[0])
    before = performance_snapshot(performance)
    performance.cast_id, performance.day, performance.slot_id = cast.id, day, slot.id
    # The relationships too, or whatever reads performance.slot next (an e-mail, a calendar file) gives the old time.
    performance.cast, performance.slot = cast, slot
    performance.status_reason = reason.strip()
    performance.sequence += 1
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise SlotTaken("That slot was taken a moment ago: choose another") from None
    _record(actor, "performance.moved", performance, before)
    notifications.performance_moved(performance, before)


def cancel_performance(actor, performance: Performance, reason: str) -> None:
    if performance.status not in CHANGEABLE:
        raise PerformanceError("Only a provisional or confirmed performance can be cancelled")
    if not reason.strip():
        raise PerformanceError("Enter the reason for cancelling")
    before = performance_snapshot(performance)
    performance.status, performance.status_reason = PerformanceStatus.CANCELLED, reason.strip()
    performance.sequence += 1
    _record(actor, "performance.cancelled", performance, before)
    notifications.performance_cancelled(performance)


def cast_day_performances(cast: Cast, day: date) -> list[Performance]:
    """A cast's provisional and confirmed performances on one day, in time order: what cancelling the day cancels."""
    query = in_time_order(
        select(Performance).where(
            Performance.cast_id == cast.id, Performance.day == day, Performance.status.in_(CHANGEABLE)
        )
    )
    return list(db.session.scalars(query))


def cancel_cast_day(actor, cast: Cast, day: date, reason: str) -> list[Performance]:
    """Cancel every open performance of a cast on one day (the cast is ill, say)."""
    if not reason.strip():
        raise PerformanceError("Enter the reason for cancelling")
    cancelled = cast_day_performances(cast, day)
    for performance in cancelled:
        cancel_performance(actor, performance, reason)
    return cancelled


def attendance_limits(performance: Performance) -> tuple[list[int], int]:
    """The year groups the performance's request asked for, and the most pupils one audience there may hold."""
    request_ = performance.request
    return [group.year_group for group in request_.year_groups], audience_cap_of(request_)


def record_delivery(
    actor,
    performance: Performance,
    attendance: dict[int, int],
    support_requests: int,
    today: date,
    over_limits_reason: str = "",
) -> None:
    """The company records a performance as delivered, with the pupils who attended per year group (counts).

    Counts are bounded by the year groups the request asked for and by one audience's cap (production, hall, 30 per
    member of staff); a real exception needs a reason, which the audit log keeps with the record."""
    if performance.status != PerformanceStatus.CONFIRMED:
        raise PerformanceError("Only a confirmed performance can be recorded as delivered")
    if performance.day > today:
        raise PerformanceError("A performance cannot be recorded as delivered before its day")
    attended, refusal = checked_attendance(performance, attendance, support_requests, over_limits_reason)
    reason = over_limits_reason.strip()
    before = performance_snapshot(performance)
    performance.attendance = [
        PerformanceAttendance(year_group=year, pupils=pupils) for year, pupils in sorted(attended.items())
    ]
    performance.pupils_attended, performance.support_requests = sum(attended.values()), support_requests
    performance.status = PerformanceStatus.DELIVERED
    if refusal:
        _record_over_limits(actor, performance, before, refusal, reason)
    else:
        _record(actor, "performance.delivered", performance, before)


def checked_attendance(
    performance: Performance, attendance: dict[int, int], support_requests: int, over_limits_reason: str
) -> tuple[dict[int, int], str | None]:
    """The year groups that attended (counts above 0) and which limit they go over, if any (with its reason given);
    raises when the counts cannot be right, or go over a limit without a reason (recording and correcting both)."""
    attended = {year: pupils for year, pupils in attendance.items() if pupils}
    if not attended:
        raise PerformanceError("Enter how many pupils attended in at least one year group")
    if support_requests > sum(attended.values()):
        raise PerformanceError("More pupils asked for support than attended")
    years_asked, cap = attendance_limits(performance)
    refusal = attendance_refusal(attended, set(years_asked), cap)
    if refusal and not over_limits_reason.strip():
        raise AttendanceOverLimits(refusal)
    return attended, refusal


def _record_over_limits(actor, performance: Performance, before: dict, refusal: str, reason: str) -> None:
    """Audit a delivery record beyond the limits: which limit (detail), the pupils and the reason given."""
    audit.record(
        actor,
        "performance.delivered_over_limits",
        "performance",
        performance.id,
        school_id=performance.school_id,
        before={**before, "pupils_attended": None, "over_limits_reason": None},
        after={
            **performance_snapshot(performance),
            "pupils_attended": performance.pupils_attended,
            "over_limits_reason": reason,
        },
        detail=refusal,
    )
