"""Build cse-tour/1 instances from the database, and read allocations back into its ids.

Ids in an instance are the database ids with a prefix (school "s12", request "r40", cast "c3", production "p1");
slots keep their codes, which are unique within a season.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.domain.performances import ACTIVE_STATUSES as ACTIVE_STATUSES_SET
from portal.domain.requests import PUPILS_PER_STAFF
from portal.extensions import db
from portal.models import Cast, Performance, Request, RequestStatus, Season
from portal.services.performance_queries import in_time_order
from portal.services.schools import locations

ACTIVE_STATUSES = tuple(sorted(ACTIVE_STATUSES_SET))  # for SQL IN (...): the domain's set, in a fixed order
UNKNOWN_HALL = 1000  # no hall size given: the production and the staff numbers cap the audience instead


def live_requests(season: Season) -> list[Request]:
    query = (
        select(Request)
        .where(Request.season_id == season.id, Request.status == RequestStatus.SUBMITTED)
        .order_by(Request.id)
    )
    return list(db.session.scalars(query))


def active_performances(season: Season) -> list[Performance]:
    query = in_time_order(
        select(Performance).where(Performance.season_id == season.id, Performance.status.in_(ACTIVE_STATUSES))
    )
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


def _request_entry(request_: Request) -> dict:
    return {
        "id": f"r{request_.id}",
        "school": f"s{request_.school_id}",
        "production": f"p{request_.production_id}",
        "pupils": request_.pupils,
        "dates": [day.day.isoformat() for day in request_.dates],
        "slots": sorted(slot.slot.code for slot in request_.slots),
        "preferred_dates": [day.day.isoformat() for day in request_.dates if day.preferred],
        "priority": request_.school.priority,
    }


def build_instance(
    season: Season, extra_pins: list[dict] | None = None, include_requests: list[Request] | None = None
) -> dict:
    """The season as a cse-tour/1 instance; every active performance is pinned, so none is ever moved."""
    requests = live_requests(season)
    existing = active_performances(season)
    # A performance keeps its request in the instance even if the request was later withdrawn.
    known = {request_.id for request_ in requests}
    for request_ in [performance.request for performance in existing] + list(include_requests or []):
        if request_.id not in known:
            known.add(request_.id)
            requests.append(request_)
    pins = [performance_entry(performance) for performance in existing]
    pinned_keys = {(pin["request"], pin["date"], pin["slot"], pin["cast"]) for pin in pins}
    pins += [
        pin for pin in extra_pins or [] if (pin["request"], pin["date"], pin["slot"], pin["cast"]) not in pinned_keys
    ]
    return _instance(season, requests, season.casts, pins)


def build_local_instance(season: Season, requests: list[Request], casts: list[Cast]) -> dict:
    """Only these requests and casts of the season, nothing pinned: enough to check one new performance against
    the performances it could clash with, without reading the whole season."""
    unique_requests = {request_.id: request_ for request_ in requests}
    unique_casts = {cast.id: cast for cast in casts}
    return _instance(
        season,
        [unique_requests[key] for key in sorted(unique_requests)],
        [unique_casts[key] for key in sorted(unique_casts)],
        [],
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


def _instance(season: Season, requests: list[Request], casts: list[Cast], pins: list[dict]) -> dict:
    instance = _unpinned_instance(season, requests, casts)
    instance["pinned"] = within_caps(instance, pins)
    return instance


def _unpinned_instance(season: Season, requests: list[Request], casts: list[Cast]) -> dict:
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
                "dates": [cast_date.day.isoformat() for cast_date in cast.dates],
            }
            for cast in casts
        ],
        "schools": _schools(requests),
        "requests": [_request_entry(request_) for request_ in requests],
        "pinned": [],
    }


def database_id(instance_id: str) -> int:
    """'r40' -> 40."""
    return int(instance_id[1:])
