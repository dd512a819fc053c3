"""One new performance checked against only the performances it can clash with, by the scheduler's own check().

A new performance can break a hard rule only where it meets others: its cast's day (one performance per slot,
max_per_day, travel from the performance before it and to the one after), its school's day (one hall per slot),
its request's pupils, and its own audience cap and date, slot and production. So a placement reads those
performances, builds an instance of just their requests and casts, and runs check() on them plus the new one: the
same rule functions as the scheduler's full check, over a handful of rows instead of the whole season. Taking a
freed place uses it (under the cast's lock, where waiting costs everyone behind); moves keep the full check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Cast, Performance, Request, Slot
from portal.scheduler import check
from portal.scheduler.objective import Score
from portal.services.instances import ACTIVE_STATUSES, RequestParts, build_local_instance, performance_entry
from portal.services.performance_queries import in_time_order

ALLOCATION_FORMAT = "cse-tour-allocation/1"


@dataclass(frozen=True)
class Placement:
    cast: Cast
    day: date
    slot: Slot
    pupils: int
    held_until: datetime | None = None  # a freed place offered first to this request, held for it until then


def nearby_performances(request_: Request, casts: list[Cast], days: set[date]) -> list[Performance]:
    """Active performances a new one for this request, by one of these casts on one of these days, could meet:
    the casts' and the school's on those days, and the request's own on any day (they share its pupils)."""
    return _performances_met(request_, {(cast.id, day) for cast in casts for day in days})


def _performances_met(request_: Request, cast_days: set[tuple[int, date]]) -> list[Performance]:
    """The active performances of these (cast id, day) pairs, the school's on those days, and the request's own."""
    days = {day for _cast, day in cast_days}
    same_day = or_(
        *(and_(Performance.cast_id == cast_id, Performance.day == day) for cast_id, day in sorted(cast_days)),
        and_(Performance.school_id == request_.school_id, Performance.day.in_(sorted(days))),
    )
    query = in_time_order(
        select(Performance).where(
            Performance.season_id == request_.season_id,
            Performance.status.in_(ACTIVE_STATUSES),
            or_(same_day, Performance.request_id == request_.id),
        )
    )
    # What the local instance reads of each, loaded with them rather than one performance at a time. (Their casts
    # are the season's, which the caller has mostly loaded already.)
    query = query.options(
        selectinload(Performance.request).selectinload(Request.school), selectinload(Performance.slot)
    )
    return list(db.session.scalars(query))


class PlacementChecks:
    """Many candidate placements of one request, each checked like placement_breaches, with what they could meet
    read once for all of them: the performances of their (cast, day) pairs and the school's on those days in one
    query, their requests' dates, slots and pupils in three more. Read per place, that was four statements or more a
    place, about ninety for a school's free places in a national season."""

    def __init__(
        self, request_: Request, cast_days: set[tuple[Cast, date]], cast_dates: dict[int, list[str]] | None = None
    ) -> None:
        """cast_dates: each cast's dates as instances write them, shared by every round of checks of one request."""
        self.request = request_
        self.nearby = _performances_met(request_, {(cast.id, day) for cast, day in cast_days})
        self.parts = RequestParts.of([request_, *(performance.request for performance in self.nearby)], cast_dates)

    def breaches(self, placement: Placement) -> list[str]:
        """The hard rules this placement would break among the performances it meets (empty when it fits)."""
        instance, entries = _local_state(self.request, placement, self.nearby, self.parts)
        return check(instance, allocation_with(entries, self.request, placement)).breaches


def _local_state(
    request_: Request, placement: Placement, nearby: list[Performance], parts: RequestParts | None = None
) -> tuple[dict, list[dict]]:
    """An instance of the requests and casts the new performance meets, and their performances as entries."""
    met = [
        performance
        for performance in nearby
        if performance.request_id == request_.id
        or (
            performance.day == placement.day
            and (performance.cast_id == placement.cast.id or performance.school_id == request_.school_id)
        )
    ]
    instance = build_local_instance(
        request_.season,
        [request_, *(performance.request for performance in met)],
        [placement.cast, *(performance.cast for performance in met)],
        parts,
    )
    return instance, [performance_entry(performance) for performance in met]


def placement_breaches(request_: Request, placement: Placement, nearby: list[Performance]) -> list[str]:
    """The hard rules a new performance would break among the performances it meets (empty when it fits)."""
    instance, entries = _local_state(request_, placement, nearby)
    return check(instance, allocation_with(entries, request_, placement)).breaches


def placement_gain(request_: Request, placement: Placement, nearby: list[Performance]) -> tuple[list[str], Score]:
    """The hard rules the new performance would break, and what it adds to the scheduler's objective: priority-weighted
    pupils, a request served, a preferred date, and travel (its extra road metres; less is better). Every term
    depends only on the performances it meets (its request's, its cast's day), so the difference is exact."""
    instance, entries = _local_state(request_, placement, nearby)
    with_it = check(instance, allocation_with(entries, request_, placement))
    if with_it.breaches:
        return with_it.breaches, Score()
    before = check(instance, {"format": ALLOCATION_FORMAT, "performances": entries}).score
    after = with_it.score
    return [], Score(
        after.weighted - before.weighted,
        after.requests_served - before.requests_served,
        after.preferred_served - before.preferred_served,
        after.travel_m - before.travel_m,
    )


def allocation_with(entries: list[dict], request_: Request, placement: Placement) -> dict:
    """An allocation of these performances (allocation entries) and the new one."""
    candidate = {
        "request": f"r{request_.id}",
        "date": placement.day.isoformat(),
        "slot": placement.slot.code,
        "cast": f"c{placement.cast.id}",
        "pupils": placement.pupils,
    }
    return {"format": ALLOCATION_FORMAT, "performances": [*entries, candidate]}
