"""Free places a school's live request could take now: the offers page's list, found with queries on the request's
own future dates and slots, and the facts the rules of taking a place need (domain.performances.take_refusal).
Taking one, under locks, is performances.take_offer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from portal import clock
from portal.domain.performances import PlaceWanted, take_refusal
from portal.domain.requests import audience_cap
from portal.extensions import db
from portal.models import Cast, Performance, Request, RequestStatus, Slot
from portal.models.seasons import CastDate, SeasonStatus, cast_productions
from portal.services import place_offers
from portal.services.instances import ACTIVE_STATUSES
from portal.services.placements import Placement, PlacementChecks


def pupils_remaining(request_: Request) -> int:
    """The request's pupils that no active performance holds yet. Performances of the school's earlier, withdrawn
    requests for the same production in the season count too: withdrawing and asking again never makes more room."""
    placed = db.session.execute(
        select(func.coalesce(func.sum(Performance.pupils_planned), 0))
        .join(Request, Request.id == Performance.request_id)
        .where(
            Request.season_id == request_.season_id,
            Request.school_id == request_.school_id,
            Request.production_id == request_.production_id,
            Performance.status.in_(ACTIVE_STATUSES),
        )
    ).scalar_one()
    return max(0, request_.pupils - placed)


@dataclass(frozen=True)
class RequestTerms:
    """What the rules of taking a place need of the request itself, read once however many places are weighed: a
    national request has dozens of days and hundreds of candidate places, which differ only in cast, day and slot."""

    season_published: bool
    request_live: bool
    pupils_left: int
    days: frozenset[date]
    slot_ids: frozenset[int]
    request_id: int

    @classmethod
    def of(cls, request_: Request, remaining: int) -> RequestTerms:
        return cls(
            season_published=request_.season.status == SeasonStatus.PUBLISHED,
            request_live=request_.status == RequestStatus.SUBMITTED,
            pupils_left=remaining,
            days=frozenset(request_day.day for request_day in request_.dates),
            slot_ids=frozenset(request_slot.slot_id for request_slot in request_.slots),
            request_id=request_.id,
        )

    def place(
        self,
        day: date,
        slot_id: int,
        cast_plays_it_then: tuple[bool, bool],
        declined: frozenset[tuple[date, int]],
        hold: place_offers.Hold | None,
    ) -> PlaceWanted:
        """The place (day, slot) with what the request allows; cast_plays_it_then is whether the cast performs the
        production and whether it works that day."""
        cast_performs, cast_works = cast_plays_it_then
        return PlaceWanted(
            season_published=self.season_published,
            request_live=self.request_live,
            pupils_left=self.pupils_left,
            day=day,
            request_days=self.days,
            slot_requested=slot_id in self.slot_ids,
            cast_performs=cast_performs,
            cast_works=cast_works,
            declined_here=(day, slot_id) in declined,
            held_until=hold.held_for_others(self.request_id) if hold else None,
        )


def place_wanted(
    request_: Request,
    cast: Cast,
    day: date,
    slot: Slot,
    remaining: int,
    declined: frozenset[tuple[date, int]] = frozenset(),
    hold: place_offers.Hold | None = None,
) -> PlaceWanted:
    """What the rules of taking a place (domain.performances.take_refusal) need to know of one place and request:
    declined is the (day, slot id) the school declined, hold the place's live hold."""
    cast_performs = request_.production_id in {production.id for production in cast.productions}
    cast_works = any(cast_date.day == day for cast_date in cast.dates)
    return RequestTerms.of(request_, remaining).place(day, slot.id, (cast_performs, cast_works), declined, hold)


def offers_for_request(
    request_: Request, today: date, now: datetime | None = None, limit: int | None = None
) -> list[Placement]:
    """Free places a school with a live request could take now, each date and time once: all of them places
    take_offer would accept. Never a time the school declined, nor a place held for other schools' requests. Places
    held for this request (offered to it first: held_until says until when) come first, then the soonest; with a
    limit, only the first `limit` of that list, found without checking the places after them."""
    now = now or clock.now()
    # Only the request's dates still to come can be offered (take_refusal refuses the rest): a request of a season
    # that is over costs nothing, and a cast is only asked about the days the school and the cast share.
    future = {request_day.day for request_day in request_.dates if request_day.day > today}
    if not future or request_.status != RequestStatus.SUBMITTED:
        return []
    remaining = pupils_remaining(request_)
    if remaining <= 0:
        return []
    pupils = min(remaining, audience_cap_of(request_))
    declined = place_offers.declined_times(request_.school_id, request_.season_id)
    holds = place_offers.live_holds(request_.season_id, now)
    taken = _taken_times(request_, future)
    open_places: list[OpenPlace] = []
    candidates = _candidate_places(request_, future)
    if not candidates:
        return []
    terms = RequestTerms.of(request_, remaining)
    for cast, day, slot in candidates:
        if taken.rule_out(cast, day, slot):
            continue
        hold = holds.get((cast.id, day, slot.id))
        # Every candidate's cast plays the production and works that day: _candidate_places reads only those.
        wanted = terms.place(day, slot.id, (True, True), declined, hold)
        if not take_refusal(wanted, today):
            open_places.append((cast, day, slot, hold))
    # Places held for this request first (at most a few), then the rest in the order the school reads them.
    offers = _first_fitting(request_, pupils, _by_time(place for place in open_places if place[3] is not None), None)
    rest = _by_time(place for place in open_places if place[3] is None and (place[1], place[2].id) not in offers)
    offers |= _first_fitting(request_, pupils, rest, None if limit is None else max(1, limit - len(offers)))
    return sorted(offers.values(), key=lambda p: (p.held_until is None, p.day, p.slot.starts_at, p.cast.name))[:limit]


OpenPlace = tuple[Cast, date, Slot, place_offers.Hold | None]
Time = tuple[date, int]  # a day and a slot id: one place a school can be offered, whichever cast gives it


def _by_time(places: Iterable[OpenPlace]) -> dict[Time, list[OpenPlace]]:
    """Open places by date and time, in the order they came (the order the school reads them, casts by name)."""
    by_time: dict[Time, list[OpenPlace]] = {}
    for place in places:
        by_time.setdefault((place[1], place[2].id), []).append(place)
    return by_time


def _first_fitting(
    request_: Request, pupils: int, by_time: dict[Time, list[OpenPlace]], wanted: int | None
) -> dict[Time, Placement]:
    """For each of the first `wanted` times (all with None) at which some cast's place fits, the first such place,
    by the same local check as take_offer's. Checked in rounds, each time's next cast at once, so that a round reads
    what its places could meet in a few statements: most first casts fit, and no time after the first `wanted` that
    fit is checked at all. (Reading every cast of those times at once read far more than it saved.)"""
    tried = dict.fromkeys(by_time, 0)
    fitting: dict[Time, Placement] = {}
    cast_dates: dict[int, list[str]] = {}  # each cast's dates as instances write them, for every round
    while pending := _to_try(by_time, tried, fitting, wanted):
        places = {(by_time[time_][tried[time_]][0], time_[0]) for time_ in pending}
        checks = PlacementChecks(request_, places, cast_dates)
        for time_ in pending:
            cast, day, slot, hold = by_time[time_][tried[time_]]
            placement = Placement(cast, day, slot, pupils, hold.until if hold else None)
            if checks.breaches(placement):
                tried[time_] += 1
            else:
                fitting[time_] = placement
    return fitting


def _to_try(
    by_time: dict[Time, list[OpenPlace]], tried: dict[Time, int], fitting: dict[Time, Placement], wanted: int | None
) -> list[Time]:
    """The times still undecided among the first `wanted` that fit or may yet fit: those with a cast left to try."""
    pending: list[Time] = []
    counted = 0
    for time_, places in by_time.items():
        if time_ not in fitting and tried[time_] == len(places):
            continue  # no cast fits at this time
        counted += 1
        if time_ not in fitting:
            pending.append(time_)
        if wanted is not None and counted >= wanted:
            break
    return pending


def _candidate_places(request_: Request, future: set[date]) -> list[tuple[Cast, date, Slot]]:
    """Every (cast, day, slot) of the request's future dates and slots that a cast playing its production works, by
    day, start time and cast name: the order the offers are listed in. One query, on those dates only."""
    slots = sorted((request_slot.slot for request_slot in request_.slots), key=lambda slot: (slot.starts_at, slot.id))
    casts = {cast.id: cast for cast in request_.season.casts}
    working = db.session.execute(
        select(CastDate.cast_id, CastDate.day)
        .join(cast_productions, cast_productions.c.cast_id == CastDate.cast_id)
        .where(
            CastDate.cast_id.in_(casts),
            CastDate.day.in_(sorted(future)),
            cast_productions.c.production_id == request_.production_id,
        )
    ).all()
    by_day: dict[date, list[Cast]] = {}
    for cast_id, day in working:
        by_day.setdefault(day, []).append(casts[cast_id])
    return [
        (cast, day, slot)
        for day in sorted(by_day)
        for slot in slots
        for cast in sorted(by_day[day], key=lambda cast: (cast.name, cast.id))
    ]


@dataclass(frozen=True)
class TakenTimes:
    """What the season's active performances on the request's coming days already use, as plain values read in one
    query: (cast id, day, slot id) of each, (None, day, slot id) where the school's hall is in use (the database's
    unique indexes forbid a second performance there), and how many each cast gives on each day (no cast gives more
    than its max_per_day, hard rule 2). Places these rule out are passed over without asking the checker: on a
    national tour most casts' days are full, and checking each such place cost a read of what it would meet."""

    times: set[tuple[int | None, date, int]]
    per_cast_day: Counter[tuple[int, date]]

    def rule_out(self, cast: Cast, day: date, slot: Slot) -> bool:
        return (
            (cast.id, day, slot.id) in self.times
            or (None, day, slot.id) in self.times
            or self.per_cast_day[(cast.id, day)] >= cast.max_per_day
        )


def _taken_times(request_: Request, future: set[date]) -> TakenTimes:
    rows = db.session.execute(
        select(Performance.cast_id, Performance.day, Performance.slot_id, Performance.school_id).where(
            Performance.season_id == request_.season_id,
            Performance.day.in_(sorted(future)),
            Performance.status.in_(ACTIVE_STATUSES),
        )
    ).all()
    times: set[tuple[int | None, date, int]] = {(cast_id, day, slot_id) for cast_id, day, slot_id, _school in rows}
    times |= {(None, day, slot_id) for _cast, day, slot_id, school_id in rows if school_id == request_.school_id}
    return TakenTimes(times, Counter((cast_id, day) for cast_id, day, _slot, _school in rows))


def audience_cap_of(request_: Request) -> int:
    """The most pupils one performance for this request may hold (production, hall, 30 per member of staff)."""
    return audience_cap(request_.school.hall_capacity, request_.staff_in_hall, request_.production.audience_cap)
