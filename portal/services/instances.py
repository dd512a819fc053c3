"""Build cse-tour/1 instances from the database, and read allocations back into its ids.

Ids in an instance are the database ids with a prefix (school "s12", request "r40", cast "c3", production "p1");
slots keep their codes, which are unique within a season.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.domain.performances import ACTIVE_STATUSES as ACTIVE_STATUSES_SET
from portal.domain.requests import PUPILS_PER_STAFF
from portal.extensions import db
from portal.models import (
    Cast,
    CastDate,
    Performance,
    Request,
    RequestDate,
    RequestSlot,
    RequestStatus,
    RequestYearGroup,
    Season,
    Slot,
)
from portal.services.performance_queries import in_time_order
from portal.services.schools import locations

ACTIVE_STATUSES = tuple(sorted(ACTIVE_STATUSES_SET))  # for SQL IN (...): the domain's set, in a fixed order
UNKNOWN_HALL = 1000  # no hall size given: the production and the staff numbers cap the audience instead


def live_requests(season: Season) -> list[Request]:
    query = (
        select(Request)
        .where(Request.season_id == season.id, Request.status == RequestStatus.SUBMITTED)
        .order_by(Request.id)
        .options(joinedload(Request.school))
    )
    return list(db.session.scalars(query))


def active_performances(season: Season) -> list[Performance]:
    query = in_time_order(
        select(Performance).where(Performance.season_id == season.id, Performance.status.in_(ACTIVE_STATUSES))
    ).options(contains_eager(Performance.slot))
    return list(db.session.scalars(query))


def performance_entry(performance: Performance) -> dict:
    return {
        "request": f"r{performance.request_id}",
        "date": performance.day.isoformat(),
        "slot": performance.slot.code,
        "cast": f"c{performance.cast_id}",
        "pupils": performance.pupils_planned,
    }


def _schools(requests: list[Request]) -> list[dict]:
    capacity: dict[int, int] = {}
    for request_ in requests:
        seats = request_.school.hall_capacity or UNKNOWN_HALL
        cap = min(seats, request_.staff_in_hall * PUPILS_PER_STAFF)
        capacity[request_.school_id] = min(cap, capacity.get(request_.school_id, cap))
    schools = {request_.school_id: request_.school for request_ in requests}
    where = locations(schools.values())
    return [
        {
            "id": f"s{school.id}",
            "name": school.name,
            "lat": where[school.id][0],
            "lon": where[school.id][1],
            "hall_capacity": capacity[school.id],
        }
        for school in sorted(schools.values(), key=lambda school: school.id)
    ]


BATCH = 2000  # ids per IN (...): well within every database's limit on bound parameters


@dataclass
class RequestParts:
    """Each request's dates (with whether preferred), slot codes and pupils, read as plain rows in three statements:
    a national season's 3,000 requests have about 150,000 dates, which read one request at a time, or as ORM
    objects, took most of the 20 seconds or more that starting an allocation run spent building its instance."""

    dates: dict[int, list[tuple[date, bool]]] = field(default_factory=lambda: defaultdict(list))
    slots: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    pupils: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    # Each cast's dates as the instance writes them, worked out once however many instances the parts serve: a
    # national cast works most days of the year, and checking a school's free places builds an instance per place.
    cast_dates: dict[int, list[str]] = field(default_factory=dict)

    def dates_of_cast(self, cast: Cast) -> list[str]:
        found = self.cast_dates.get(cast.id)
        if found is None:
            # Plain rows, unless the cast's dates are loaded already: as objects, a year of them cost a millisecond
            # or two a cast.
            if "dates" in cast.__dict__:
                days = [cast_date.day for cast_date in cast.dates]
            else:
                days = list(
                    db.session.scalars(select(CastDate.day).where(CastDate.cast_id == cast.id).order_by(CastDate.day))
                )
            found = self.cast_dates[cast.id] = [day.isoformat() for day in days]
        return found

    @classmethod
    def of(cls, requests: list[Request], cast_dates: dict[int, list[str]] | None = None) -> RequestParts:
        """The parts of these requests; cast_dates, when given, is a memo of casts' dates shared with other parts."""
        parts = cls() if cast_dates is None else cls(cast_dates=cast_dates)
        ids = sorted({request_.id for request_ in requests})
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            days = select(RequestDate.request_id, RequestDate.day, RequestDate.preferred)
            for request_id, day, preferred in db.session.execute(
                days.where(RequestDate.request_id.in_(batch)).order_by(RequestDate.request_id, RequestDate.day)
            ):
                parts.dates[request_id].append((day, preferred))
            codes = select(RequestSlot.request_id, Slot.code).join(Slot, Slot.id == RequestSlot.slot_id)
            for request_id, code in db.session.execute(codes.where(RequestSlot.request_id.in_(batch))):
                parts.slots[request_id].append(code)
            pupils = select(RequestYearGroup.request_id, func.sum(RequestYearGroup.pupils))
            pupils = pupils.where(RequestYearGroup.request_id.in_(batch)).group_by(RequestYearGroup.request_id)
            parts.pupils.update({request_id: int(total) for request_id, total in db.session.execute(pupils)})
        return parts


def _request_entry(request_: Request, parts: RequestParts) -> dict:
    dates, slots, pupils = parts.dates[request_.id], parts.slots[request_.id], parts.pupils[request_.id]
    return {
        "id": f"r{request_.id}",
        "school": f"s{request_.school_id}",
        "production": f"p{request_.production_id}",
        "pupils": pupils,
        "dates": [day.isoformat() for day, _preferred in dates],
        "slots": sorted(slots),
        "preferred_dates": [day.isoformat() for day, preferred in dates if preferred],
        "priority": request_.school.priority,
    }


def build_instance(
    season: Season, extra_pins: list[dict] | None = None, include_requests: list[Request] | None = None
) -> dict:
    """The season as a cse-tour/1 instance; every active performance is pinned, so none is ever moved."""
    requests = live_requests(season)
    existing = active_performances(season)
    # A performance keeps its request in the instance even if the request was later withdrawn. Read by id: a
    # performance's request (a foreign key of request and school) is not found in the session without a query.
    known = {request_.id for request_ in requests}
    withdrawn = sorted({performance.request_id for performance in existing} - known)
    if withdrawn:
        query = (
            select(Request).where(Request.id.in_(withdrawn)).order_by(Request.id).options(joinedload(Request.school))
        )
        requests.extend(db.session.scalars(query))
        known.update(withdrawn)
    for request_ in include_requests or []:
        if request_.id not in known:
            known.add(request_.id)
            requests.append(request_)
    pins = [performance_entry(performance) for performance in existing]
    pinned_keys = {(pin["request"], pin["date"], pin["slot"], pin["cast"]) for pin in pins}
    pins += [
        pin for pin in extra_pins or [] if (pin["request"], pin["date"], pin["slot"], pin["cast"]) not in pinned_keys
    ]
    return _instance(season, requests, season.casts, pins)


def build_local_instance(
    season: Season, requests: list[Request], casts: list[Cast], parts: RequestParts | None = None
) -> dict:
    """Only these requests and casts of the season, nothing pinned: enough to check one new performance against
    the performances it could clash with, without reading the whole season. parts, when the caller has read them for
    these requests already (checking many places at once), saves reading them again."""
    unique_requests = {request_.id: request_ for request_ in requests}
    unique_casts = {cast.id: cast for cast in casts}
    return _instance(
        season,
        [unique_requests[key] for key in sorted(unique_requests)],
        [unique_casts[key] for key in sorted(unique_casts)],
        [],
        parts,
    )


def within_caps(instance: dict, entries: list[dict]) -> list[dict]:
    """Performances as the instance can hold them: pupils at most the school's and the production's caps.

    The format has one cap per school, the smallest its live requests allow (a request with fewer staff in the hall
    holds fewer pupils), so a performance booked for a request with more staff can hold more than the instance
    allows. It stays as booked; the scheduler counts it at the instance's cap, which keeps its rules true of the
    pinned performances instead of refusing the season as contradicting itself."""
    hall = {school["id"]: school["hall_capacity"] for school in instance["schools"]}
    audience = {production["id"]: production["audience_cap"] for production in instance["productions"]}
    request_of = {request["id"]: request for request in instance["requests"]}
    held = []
    for entry in entries:
        request = request_of.get(entry["request"])
        if request is None:
            held.append(entry)
            continue
        cap = min(hall[request["school"]], audience.get(request["production"], entry["pupils"]))
        held.append({**entry, "pupils": min(entry["pupils"], cap)} if entry["pupils"] > cap else entry)
    return held


def _instance(
    season: Season, requests: list[Request], casts: list[Cast], pins: list[dict], parts: RequestParts | None = None
) -> dict:
    instance = _unpinned_instance(season, requests, casts, parts)
    instance["pinned"] = within_caps(instance, pins)
    return instance


def _unpinned_instance(
    season: Season, requests: list[Request], casts: list[Cast], parts: RequestParts | None = None
) -> dict:
    if parts is None:
        parts = RequestParts.of(requests)
    return {
        "format": "cse-tour/1",
        "timezone": "Europe/London",
        "travel": {
            "speed_kmh": season.speed_kmh,
            "road_factor": season.road_factor,
            "changeover_minutes": season.changeover_minutes,
        },
        "slots": [{"id": slot.code, "start": slot.starts_at.strftime("%H:%M")} for slot in season.slots],
        "productions": [
            {"id": f"p{p.id}", "title": p.title, "duration_minutes": p.duration_minutes, "audience_cap": p.audience_cap}
            for p in season.productions
        ],
        "casts": [
            {
                "id": f"c{cast.id}",
                "name": cast.name,
                "max_per_day": cast.max_per_day,
                "productions": [f"p{p.id}" for p in cast.productions],
                "dates": parts.dates_of_cast(cast),
            }
            for cast in casts
        ],
        "schools": _schools(requests),
        "requests": [_request_entry(request_, parts) for request_ in requests],
        "pinned": [],
    }


def database_id(instance_id: str) -> int:
    """'r40' -> 40."""
    return int(instance_id[1:])
