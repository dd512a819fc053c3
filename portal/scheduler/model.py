"""Instance dataclasses and the parser that validates a cse-tour/1 instance."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

INSTANCE_FORMAT = "cse-tour/1"
ALLOCATION_FORMAT = "cse-tour-allocation/1"

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{2}):(\d{2})$")


class InstanceError(ValueError):
    """A malformed instance or allocation; the message is one line naming place and fault."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


# --- small typed readers: each raises InstanceError naming the place -------------------------


def _show(value: Any) -> str:
    """A short JSON rendering of a bad value for an error message."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _get(obj: dict, key: str, where: str, default: Any = ...) -> Any:
    if key not in obj:
        if default is ...:
            raise InstanceError(f"{where}.{key}: missing" if where else f"{key}: missing")
        return default
    return obj[key]


def _place(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise InstanceError(f"{where}: expected an object, got {_show(value)}")
    return value


def _list(value: Any, where: str, nonempty: bool = False) -> list:
    if not isinstance(value, list):
        raise InstanceError(f"{where}: expected a list, got {_show(value)}")
    if nonempty and not value:
        raise InstanceError(f"{where}: empty")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{where}: expected a non-empty string, got {_show(value)}")
    return value


def _int(value: Any, where: str, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{where}: expected an integer, got {_show(value)}")
    if low is not None and value < low:
        raise InstanceError(f"{where}: {value} is below the minimum {low}")
    if high is not None and value > high:
        raise InstanceError(f"{where}: {value} is above the maximum {high}")
    return value


def _num(value: Any, where: str, low: float, high: float, strict_low: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise InstanceError(f"{where}: expected a number, got {_show(value)}")
    if value < low or (strict_low and value == low) or value > high:
        raise InstanceError(f"{where}: {value} is out of range")
    return float(value)


def parse_date(value: Any, where: str) -> str:
    """Validate a YYYY-MM-DD calendar date and return it unchanged."""
    if not isinstance(value, str):
        raise InstanceError(f"{where}: expected a date string, got {_show(value)}")
    try:
        if not _DATE_RE.match(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise InstanceError(f"{where}: {_show(value)} is not a date") from None
    return value


def _time(value: Any, where: str) -> int:
    match = _TIME_RE.match(value) if isinstance(value, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InstanceError(f"{where}: {_show(value)} is not a time (HH:MM)")
    return int(match[1]) * 60 + int(match[2])


def _dates(value: Any, where: str) -> tuple[str, ...]:
    items = _list(value, where)
    seen: set[str] = set()
    for i, item in enumerate(items):
        parse_date(item, f"{where}[{i}]")
        if item in seen:
            raise InstanceError(f"{where}[{i}]: {_show(item)} is repeated")
        seen.add(item)
    return tuple(items)


def _ids(items: list, where: str, kind: str, known: dict) -> tuple[str, ...]:
    out = []
    for i, item in enumerate(items):
        ident = _str(item, f"{where}[{i}]")
        if ident not in known:
            raise InstanceError(f"{where}[{i}]: no {kind} {_show(ident)}")
        out.append(ident)
    return tuple(out)


def _unique(items: list[Any], where: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise InstanceError(f"{where}[{i}].id: {_show(item.id)} is repeated")
        seen.add(item.id)


# --- the sections of an instance ---------------------------------------------------------------


def _travel(raw: Any) -> Travel:
    obj = _object(raw, "travel")
    return Travel(
        speed_kmh=_num(_get(obj, "speed_kmh", "travel"), "travel.speed_kmh", 0, 1e4, True),
        road_factor=_num(_get(obj, "road_factor", "travel"), "travel.road_factor", 0, 100, True),
        changeover_minutes=_int(_get(obj, "changeover_minutes", "travel"), "travel.changeover_minutes", 0),
    )


def _slots(raw: Any) -> list[Slot]:
    out = []
    for i, item in enumerate(_list(raw, "slots", nonempty=True)):
        w = f"slots[{i}]"
        obj = _object(item, w)
        out.append(Slot(_str(_get(obj, "id", w), w + ".id"), _time(_get(obj, "start", w), w + ".start")))
    _unique(out, "slots")
    return out


def _productions(raw: Any) -> list[Production]:
    out = []
    for i, item in enumerate(_list(raw, "productions")):
        w = f"productions[{i}]"
        obj = _object(item, w)
        title = _get(obj, "title", w, "")
        out.append(
            Production(
                id=_str(_get(obj, "id", w), w + ".id"),
                title=title if isinstance(title, str) else str(title),
                duration_minutes=_int(_get(obj, "duration_minutes", w), w + ".duration_minutes", 1, 1440),
                audience_cap=_int(_get(obj, "audience_cap", w), w + ".audience_cap", 1),
            )
        )
    _unique(out, "productions")
    return out


def _casts(raw: Any, productions: dict) -> list[Cast]:
    out = []
    for i, item in enumerate(_list(raw, "casts")):
        w = f"casts[{i}]"
        obj = _object(item, w)
        name = _get(obj, "name", w, "")
        prods = _list(_get(obj, "productions", w), w + ".productions")
        out.append(
            Cast(
                id=_str(_get(obj, "id", w), w + ".id"),
                name=name if isinstance(name, str) else str(name),
                max_per_day=_int(_get(obj, "max_per_day", w), w + ".max_per_day", 0),
                productions=_ids(prods, w + ".productions", "production", productions),
                dates=_dates(_get(obj, "dates", w), w + ".dates"),
            )
        )
    _unique(out, "casts")
    return out


def _schools(raw: Any) -> list[School]:
    out = []
    for i, item in enumerate(_list(raw, "schools")):
        w = f"schools[{i}]"
        obj = _object(item, w)
        name = _get(obj, "name", w, "")
        out.append(
            School(
                id=_str(_get(obj, "id", w), w + ".id"),
                name=name if isinstance(name, str) else str(name),
                lat=_num(_get(obj, "lat", w), w + ".lat", -90, 90),
                lon=_num(_get(obj, "lon", w), w + ".lon", -180, 180),
                hall_capacity=_int(_get(obj, "hall_capacity", w), w + ".hall_capacity", 0),
            )
        )
    _unique(out, "schools")
    return out


def _request(obj: dict, w: str, schools: dict, productions: dict, slots: dict) -> Request:
    school = _str(_get(obj, "school", w), w + ".school")
    if school not in schools:
        raise InstanceError(f"{w}.school: no school {_show(school)}")
    production = _str(_get(obj, "production", w), w + ".production")
    if production not in productions:
        raise InstanceError(f"{w}.production: no production {_show(production)}")
    dates = _dates(_get(obj, "dates", w), w + ".dates")
    preferred = _dates(_get(obj, "preferred_dates", w, []), w + ".preferred_dates")
    for i, day in enumerate(preferred):
        if day not in dates:
            raise InstanceError(f"{w}.preferred_dates[{i}]: {_show(day)} is not one of the request's dates")
    slot_ids = _ids(_list(_get(obj, "slots", w), w + ".slots"), w + ".slots", "slot", slots)
    if len(set(slot_ids)) != len(slot_ids):
        raise InstanceError(f"{w}.slots: a slot is repeated")
    return Request(
        id=_str(_get(obj, "id", w), w + ".id"),
        school=school,
        production=production,
        pupils=_int(_get(obj, "pupils", w), w + ".pupils", 0),
        dates=dates,
        slots=slot_ids,
        preferred_dates=preferred,
        priority=_int(_get(obj, "priority", w, 1), w + ".priority", 1, 3),
    )


def parse_performance(raw: Any, where: str) -> Performance:
    """Read one performance object; types are checked, references are not."""
    obj = _object(raw, where)
    return Performance(
        request=_str(_get(obj, "request", where), where + ".request"),
        date=parse_date(_get(obj, "date", where), where + ".date"),
        slot=_str(_get(obj, "slot", where), where + ".slot"),
        cast=_str(_get(obj, "cast", where), where + ".cast"),
        pupils=_int(_get(obj, "pupils", where), where + ".pupils"),
    )


def _pinned(raw: Any, inst_ids: dict[str, dict]) -> list[Performance]:
    out = []
    for i, item in enumerate(_list(raw, "pinned")):
        w = f"pinned[{i}]"
        perf = parse_performance(item, w)
        for key in ("request", "slot", "cast"):
            if getattr(perf, key) not in inst_ids[key]:
                raise InstanceError(f"{w}.{key}: no {key} {_show(getattr(perf, key))}")
        out.append(perf)
    return out


def parse_instance(raw: Any) -> Instance:
    """Validate a cse-tour/1 instance dict; raise InstanceError with a one-line message."""
    obj = _object(raw, "instance")
    fmt = _get(obj, "format", "")
    if fmt != INSTANCE_FORMAT:
        raise InstanceError(f"format: expected {_show(INSTANCE_FORMAT)}, got {_show(fmt)}")
    if "timezone" in obj:
        _str(obj["timezone"], "timezone")
    travel = _travel(_get(obj, "travel", ""))
    slots = _slots(_get(obj, "slots", ""))
    productions = _productions(_get(obj, "productions", ""))
    prod_ids = {p.id: p for p in productions}
    casts = _casts(_get(obj, "casts", ""), prod_ids)
    schools = _schools(_get(obj, "schools", ""))
    slot_ids = {s.id: s for s in slots}
    school_ids = {s.id: s for s in schools}
    requests = []
    for i, item in enumerate(_list(_get(obj, "requests", ""), "requests")):
        w = f"requests[{i}]"
        requests.append(_request(_object(item, w), w, school_ids, prod_ids, slot_ids))
    _unique(requests, "requests")
    ids = {"request": {r.id: r for r in requests}, "slot": slot_ids, "cast": {c.id: c for c in casts}}
    pinned = _pinned(_get(obj, "pinned", "", []), ids)
    inst = Instance(travel, slots, productions, casts, schools, requests, pinned)
    _check_pinned(inst)
    return inst


def _check_pinned(inst: Instance) -> None:
    """Pinned performances must obey the hard rules among themselves."""
    from .checker import find_breaches  # local: checker imports this module

    breaches = find_breaches(inst, inst.pinned, "pinned", check_pinned=False)
    if breaches:
        extra = f"; {len(breaches) - 1} more breaches" if len(breaches) > 1 else ""
        raise InstanceError(f"{breaches[0]} (pinned performances contradict each other{extra})")
