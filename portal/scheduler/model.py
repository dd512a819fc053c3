"""Instance dataclasses and the reader of a cse-tour/1 instance's structure.

Whether the pinned performances obey the hard rules among themselves is the referee's question:
`checker.parse_instance` reads an instance with `read_instance`, then asks it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .readers import (
    InstanceError,
    as_dates,
    as_ids,
    as_int,
    as_list,
    as_num,
    as_object,
    as_str,
    as_time,
    check_unique,
    get_field,
    parse_date,
    show,
)

INSTANCE_FORMAT = "cse-tour/1"
ALLOCATION_FORMAT = "cse-tour-allocation/1"


@dataclass(frozen=True)
class Travel:
    """How fast casts move between schools and how long they need to pack up."""

    speed_kmh: float
    road_factor: float
    changeover_minutes: int


@dataclass(frozen=True)
class Slot:
    """A daily performance start time; `start` is minutes after midnight."""

    id: str
    start: int


@dataclass(frozen=True)
class Production:
    """A show a cast can perform."""

    id: str
    title: str
    duration_minutes: int
    audience_cap: int


@dataclass(frozen=True)
class Cast:
    """A touring company of actors with its working days."""

    id: str
    name: str
    max_per_day: int
    productions: tuple[str, ...]
    dates: tuple[str, ...]


@dataclass(frozen=True)
class School:
    """A host school and the most pupils one performance in its hall may hold."""

    id: str
    name: str
    lat: float
    lon: float
    hall_capacity: int


@dataclass(frozen=True)
class Request:
    """A school's wish to show a production to a cohort of pupils."""

    id: str
    school: str
    production: str
    pupils: int
    dates: tuple[str, ...]
    slots: tuple[str, ...]
    preferred_dates: tuple[str, ...] = ()
    priority: int = 1


@dataclass(frozen=True)
class Performance:
    """One performance of a request's production by a cast at a date and slot."""

    request: str
    date: str
    slot: str
    cast: str
    pupils: int

    def to_json(self) -> dict[str, Any]:
        """The allocation-format dict of this performance."""
        return {
            "request": self.request,
            "date": self.date,
            "slot": self.slot,
            "cast": self.cast,
            "pupils": self.pupils,
        }


@dataclass
class Instance:
    """A validated instance with lookups by id."""

    travel: Travel
    slots: list[Slot]
    productions: list[Production]
    casts: list[Cast]
    schools: list[School]
    requests: list[Request]
    pinned: list[Performance]
    slot_by_id: dict[str, Slot] = field(init=False, repr=False)
    production_by_id: dict[str, Production] = field(init=False, repr=False)
    cast_by_id: dict[str, Cast] = field(init=False, repr=False)
    school_by_id: dict[str, School] = field(init=False, repr=False)
    request_by_id: dict[str, Request] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.slot_by_id = {s.id: s for s in self.slots}
        self.production_by_id = {p.id: p for p in self.productions}
        self.cast_by_id = {c.id: c for c in self.casts}
        self.school_by_id = {s.id: s for s in self.schools}
        self.request_by_id = {r.id: r for r in self.requests}

    def capacity(self, request: Request) -> int:
        """The most pupils one performance for this request may hold."""
        cap = self.production_by_id[request.production].audience_cap
        return min(cap, self.school_by_id[request.school].hall_capacity)


# --- the sections of an instance ---------------------------------------------------------------


def _travel(raw: Any) -> Travel:
    obj = as_object(raw, "travel")
    return Travel(
        speed_kmh=as_num(get_field(obj, "speed_kmh", "travel"), "travel.speed_kmh", 0, 1e4, True),
        road_factor=as_num(get_field(obj, "road_factor", "travel"), "travel.road_factor", 0, 100, True),
        changeover_minutes=as_int(get_field(obj, "changeover_minutes", "travel"), "travel.changeover_minutes", 0),
    )


def _slots(raw: Any) -> list[Slot]:
    out = []
    for i, item in enumerate(as_list(raw, "slots", nonempty=True)):
        w = f"slots[{i}]"
        obj = as_object(item, w)
        out.append(Slot(as_str(get_field(obj, "id", w), w + ".id"), as_time(get_field(obj, "start", w), w + ".start")))
    check_unique(out, "slots")
    return out


def _productions(raw: Any) -> list[Production]:
    out = []
    for i, item in enumerate(as_list(raw, "productions")):
        w = f"productions[{i}]"
        obj = as_object(item, w)
        title = get_field(obj, "title", w, "")
        out.append(
            Production(
                id=as_str(get_field(obj, "id", w), w + ".id"),
                title=title if isinstance(title, str) else str(title),
                duration_minutes=as_int(get_field(obj, "duration_minutes", w), w + ".duration_minutes", 1, 1440),
                audience_cap=as_int(get_field(obj, "audience_cap", w), w + ".audience_cap", 1),
            )
        )
    check_unique(out, "productions")
    return out


def _casts(raw: Any, productions: dict) -> list[Cast]:
    out = []
    for i, item in enumerate(as_list(raw, "casts")):
        w = f"casts[{i}]"
        obj = as_object(item, w)
        name = get_field(obj, "name", w, "")
        prods = as_list(get_field(obj, "productions", w), w + ".productions")
        out.append(
            Cast(
                id=as_str(get_field(obj, "id", w), w + ".id"),
                name=name if isinstance(name, str) else str(name),
                max_per_day=as_int(get_field(obj, "max_per_day", w), w + ".max_per_day", 0),
                productions=as_ids(prods, w + ".productions", "production", productions),
                dates=as_dates(get_field(obj, "dates", w), w + ".dates"),
            )
        )
    check_unique(out, "casts")
    return out


def _schools(raw: Any) -> list[School]:
    out = []
    for i, item in enumerate(as_list(raw, "schools")):
        w = f"schools[{i}]"
        obj = as_object(item, w)
        name = get_field(obj, "name", w, "")
        out.append(
            School(
                id=as_str(get_field(obj, "id", w), w + ".id"),
                name=name if isinstance(name, str) else str(name),
                lat=as_num(get_field(obj, "lat", w), w + ".lat", -90, 90),
                lon=as_num(get_field(obj, "lon", w), w + ".lon", -180, 180),
                hall_capacity=as_int(get_field(obj, "hall_capacity", w), w + ".hall_capacity", 0),
            )
        )
    check_unique(out, "schools")
    return out


def _request(obj: dict, w: str, schools: dict, productions: dict, slots: dict) -> Request:
    school = as_str(get_field(obj, "school", w), w + ".school")
    if school not in schools:
        raise InstanceError(f"{w}.school: no school {show(school)}")
    production = as_str(get_field(obj, "production", w), w + ".production")
    if production not in productions:
        raise InstanceError(f"{w}.production: no production {show(production)}")
    dates = as_dates(get_field(obj, "dates", w), w + ".dates")
    preferred = as_dates(get_field(obj, "preferred_dates", w, []), w + ".preferred_dates")
    for i, day in enumerate(preferred):
        if day not in dates:
            raise InstanceError(f"{w}.preferred_dates[{i}]: {show(day)} is not one of the request's dates")
    slot_ids = as_ids(as_list(get_field(obj, "slots", w), w + ".slots"), w + ".slots", "slot", slots)
    if len(set(slot_ids)) != len(slot_ids):
        raise InstanceError(f"{w}.slots: a slot is repeated")
    return Request(
        id=as_str(get_field(obj, "id", w), w + ".id"),
        school=school,
        production=production,
        pupils=as_int(get_field(obj, "pupils", w), w + ".pupils", 0),
        dates=dates,
        slots=slot_ids,
        preferred_dates=preferred,
        priority=as_int(get_field(obj, "priority", w, 1), w + ".priority", 1, 3),
    )


def parse_performance(raw: Any, where: str) -> Performance:
    """Read one performance object; types are checked, references are not."""
    obj = as_object(raw, where)
    return Performance(
        request=as_str(get_field(obj, "request", where), where + ".request"),
        date=parse_date(get_field(obj, "date", where), where + ".date"),
        slot=as_str(get_field(obj, "slot", where), where + ".slot"),
        cast=as_str(get_field(obj, "cast", where), where + ".cast"),
        pupils=as_int(get_field(obj, "pupils", where), where + ".pupils"),
    )


def _pinned(raw: Any, inst_ids: dict[str, dict]) -> list[Performance]:
    out = []
    for i, item in enumerate(as_list(raw, "pinned")):
        w = f"pinned[{i}]"
        perf = parse_performance(item, w)
        for key in ("request", "slot", "cast"):
            if getattr(perf, key) not in inst_ids[key]:
                raise InstanceError(f"{w}.{key}: no {key} {show(getattr(perf, key))}")
        out.append(perf)
    return out


def read_instance(raw: Any) -> Instance:
    """Read a cse-tour/1 instance dict (every field and reference, not the pinned performances' rules).

    Raises InstanceError with a one-line message.
    """
    obj = as_object(raw, "instance")
    fmt = get_field(obj, "format", "")
    if fmt != INSTANCE_FORMAT:
        raise InstanceError(f"format: expected {show(INSTANCE_FORMAT)}, got {show(fmt)}")
    if "timezone" in obj:
        as_str(obj["timezone"], "timezone")
    travel = _travel(get_field(obj, "travel", ""))
    slots = _slots(get_field(obj, "slots", ""))
    productions = _productions(get_field(obj, "productions", ""))
    prod_ids = {p.id: p for p in productions}
    casts = _casts(get_field(obj, "casts", ""), prod_ids)
    schools = _schools(get_field(obj, "schools", ""))
    slot_ids = {s.id: s for s in slots}
    school_ids = {s.id: s for s in schools}
    requests = []
    for i, item in enumerate(as_list(get_field(obj, "requests", ""), "requests")):
        w = f"requests[{i}]"
        requests.append(_request(as_object(item, w), w, school_ids, prod_ids, slot_ids))
    check_unique(requests, "requests")
    ids: dict[str, dict] = {"request": {r.id: r for r in requests}, "slot": slot_ids, "cast": {c.id: c for c in casts}}
    pinned = _pinned(get_field(obj, "pinned", "", []), ids)
    return Instance(travel, slots, productions, casts, schools, requests, pinned)
