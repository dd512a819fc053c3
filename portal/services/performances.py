"""Performances after publication: schools confirm or decline, freed slots go first come first served,
the company moves or cancels, and records what was delivered. Every placement is checked with the scheduler's
own check(), so the web app and the scheduler can never disagree about the rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from portal.domain.requests import audience_cap
from portal.extensions import db
from portal.models import Cast, Performance, PerformanceAttendance, PerformanceStatus, Request, Slot
from portal.scheduler import check
from portal.services import audit, notifications
from portal.services.allocations import performance_snapshot
from portal.services.instances import active_performances, build_instance, performance_entry

CHANGEABLE = (PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED)


class PerformanceError(ValueError):
    """A change to a performance that the rules refuse, with a message for the person who tried it."""


class SlotTaken(PerformanceError):
    """Someone else took the slot first."""


@dataclass(frozen=True)
class Placement:
    cast: Cast
    day: date
    slot: Slot
    pupils: int


def school_performances(school_id: int) -> list[Performance]:
    query = (
        select(Performance)
        .where(Performance.school_id == school_id)
        .order_by(Performance.day, Performance.slot_id, Performance.id)
    )
    return list(db.session.scalars(query))


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


def confirm_performance(actor, performance: Performance, today: date) -> None:
    if performance.status != PerformanceStatus.PROVISIONAL:
        raise PerformanceError("Only a provisional performance can be confirmed")
    if performance.confirm_by and performance.confirm_by < today:
        raise PerformanceError(f"This performance had to be confirmed by {performance.confirm_by:%-d %B %Y}")
    before = performance_snapshot(performance)
    performance.status = PerformanceStatus.CONFIRMED
    _record(actor, "performance.confirmed", performance, before)
    notifications.performance_confirmed(performance)


def decline_performance(actor, performance: Performance, reason: str) -> None:
    """A school turns down a performance; its slot goes back to the pool."""
    if performance.status not in CHANGEABLE:
        raise PerformanceError("This performance can no longer be declined")
    before = performance_snapshot(performance)
    performance.status, performance.status_reason = PerformanceStatus.DECLINED, reason.strip()
    performance.sequence += 1
    _record(actor, "performance.declined", performance, before)
    notifications.performance_declined(performance, before)


def release_unconfirmed_performances(today: date) -> list[Performance]:
    """Provisional performances whose confirm-by date has passed become declined; idempotent."""
    query = (
        select(Performance)
        .where(Performance.status == PerformanceStatus.PROVISIONAL, Performance.confirm_by < today)
        .order_by(Performance.id)
    )
    released = list(db.session.scalars(query))
    for performance in released:
        before = performance_snapshot(performance)
        performance.status = PerformanceStatus.DECLINED
        performance.status_reason = f"not confirmed by {performance.confirm_by:%-d %B %Y}"
        performance.sequence += 1
        _record(None, "performance.released", performance, before)
        notifications.performance_released(performance)
    return released


def pupils_remaining(request_: Request) -> int:
    placed = db.session.scalars(
        select(Performance.pupils_planned).where(
            Performance.request_id == request_.id,
            Performance.status.in_(
                (PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED, PerformanceStatus.DELIVERED)
            ),
        )
    )
    return max(0, request_.pupils - sum(placed))


def _season_state(season, request_: Request, moving: Performance | None = None) -> tuple[dict, list[dict]]:
    """The season as an instance (without pins) and its active performances as allocation entries."""
    instance = build_instance(season, include_requests=[request_])
    # The check is of the whole new state, not of a proposal against pins.
    instance["pinned"] = []
    entries = [performance_entry(p) for p in active_performances(season) if moving is None or p.id != moving.id]
    return instance, entries


def _breaches(state: tuple[dict, list[dict]], request_: Request, placement: Placement) -> list[str]:
    instance, entries = state
    candidate = {
        "request": f"r{request_.id}",
        "date": placement.day.isoformat(),
        "slot": placement.slot.code,
        "cast": f"c{placement.cast.id}",
        "pupils": placement.pupils,
    }
    return check(instance, {"format": "cse-tour-allocation/1", "performances": [*entries, candidate]}).breaches


def offers_for_request(request_: Request, today: date) -> list[Placement]:
    """Free (cast, day, slot) places a school with an open request could take now, soonest first."""
    season = request_.season
    remaining = pupils_remaining(request_)
    if remaining == 0 or request_.status.value != "submitted":
        return []
    cap = _audience_cap(request_)
    state = _season_state(season, request_)
    offers = []
    request_days = {d.day for d in request_.dates if d.day > today}
    request_slots = [s.slot for s in request_.slots]
    for cast in season.casts:
        if request_.production not in cast.productions:
            continue
        for cast_date in cast.dates:
            if cast_date.day not in request_days:
                continue
            for slot in request_slots:
                placement = Placement(cast, cast_date.day, slot, min(remaining, cap))
                if not _breaches(state, request_, placement):
                    offers.append(placement)
    return sorted(offers, key=lambda p: (p.day, p.slot.starts_at, p.cast.name))


def _audience_cap(request_: Request) -> int:
    return audience_cap(request_.school.hall_capacity, request_.staff_in_hall, request_.production.audience_cap)


def _lock_cast(cast: Cast) -> None:
    """Serialise placements on one cast: a row lock on PostgreSQL; on SQLite, BEGIN IMMEDIATE already holds the lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT id FROM casts WHERE id = :id FOR UPDATE"), {"id": cast.id})
        db.session.expire_all()


def take_offer(actor, request_: Request, cast: Cast, day: date, slot: Slot, today: date) -> Performance:
    """A school takes a free place, first come first served: it is re-checked under a lock, then confirmed."""
    _lock_cast(cast)
    if day <= today:
        raise PerformanceError("That date has passed")
    remaining = pupils_remaining(request_)
    if remaining == 0:
        raise PerformanceError("All your pupils already have a performance for this request")
    placement = Placement(cast, day, slot, min(remaining, _audience_cap(request_)))
    if _breaches(_season_state(request_.season, request_), request_, placement):
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


def move_performance(actor, performance: Performance, cast: Cast, day: date, slot: Slot, reason: str) -> None:
    """The company moves a performance (illness, a closure); the move must pass the scheduler's check."""
    if performance.status not in CHANGEABLE:
        raise PerformanceError("Only a provisional or confirmed performance can be moved")
    _lock_cast(cast)
    placement = Placement(cast, day, slot, performance.pupils_planned)
    state = _season_state(performance.season, performance.request, moving=performance)
    breaches = _breaches(state, performance.request, placement)
    if breaches:
        raise PerformanceError("That move breaks a rule: " + breaches[0])
    before = performance_snapshot(performance)
    performance.cast_id, performance.day, performance.slot_id = cast.id, day, slot.id
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


def cancel_cast_day(actor, cast: Cast, day: date, reason: str) -> list[Performance]:
    """Cancel every open performance of a cast on one day (the cast is ill, say)."""
    query = (
        select(Performance)
        .where(Performance.cast_id == cast.id, Performance.day == day, Performance.status.in_(CHANGEABLE))
        .order_by(Performance.slot_id)
    )
    cancelled = list(db.session.scalars(query))
    for performance in cancelled:
        cancel_performance(actor, performance, reason)
    return cancelled


def record_delivery(
    actor, performance: Performance, attendance: dict[int, int], support_requests: int, today: date
) -> None:
    """The company records a performance as delivered, with the pupils who attended per year group (counts)."""
    if performance.status != PerformanceStatus.CONFIRMED:
        raise PerformanceError("Only a confirmed performance can be recorded as delivered")
    if performance.day > today:
        raise PerformanceError("A performance cannot be recorded as delivered before its day")
    attended = {year: pupils for year, pupils in attendance.items() if pupils}
    if not attended:
        raise PerformanceError("Enter how many pupils attended in at least one year group")
    total = sum(attended.values())
    if support_requests > total:
        raise PerformanceError("More pupils asked for support than attended")
    before = performance_snapshot(performance)
    performance.attendance = [
        PerformanceAttendance(year_group=year, pupils=pupils) for year, pupils in sorted(attended.items())
    ]
    performance.pupils_attended, performance.support_requests = total, support_requests
    performance.status = PerformanceStatus.DELIVERED
    _record(actor, "performance.delivered", performance, before)
