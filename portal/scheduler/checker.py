"""The referee: hard-rule breaches and objective components of an allocation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .geo import haversine_km, travel_minutes
from .model import (
    ALLOCATION_FORMAT,
    Instance,
    InstanceError,
    Performance,
    as_list,
    as_object,
    parse_performance,
    show,
)


@dataclass
class CheckResult:
    """Breaches of the hard rules (empty when valid) and the objective components."""

    breaches: list[str] = field(default_factory=list)
    weighted: int = 0
    pupils_reached: int = 0
    requests_served: int = 0
    preferred_served: int = 0
    travel_km: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the allocation breaks no hard rule."""
        return not self.breaches

    def key(self) -> tuple[int, int, int, float]:
        """Lexicographic objective: larger is better."""
        return (self.weighted, self.requests_served, self.preferred_served, -self.travel_km)

    def summary(self) -> list[str]:
        """Objective components as printable lines."""
        return [
            f"weighted: {self.weighted}",
            f"pupils_reached: {self.pupils_reached}",
            f"requests_served: {self.requests_served}",
            f"preferred_served: {self.preferred_served}",
            f"travel_km: {self.travel_km:.1f}",
        ]


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _rule1(inst: Instance, perf: Performance, place: str) -> list[str]:
    """References exist and the date, slot and production fit request and cast."""
    request = inst.request_by_id.get(perf.request)
    cast = inst.cast_by_id.get(perf.cast)
    out = []
    if request is None:
        out.append(f"{place}: no request {show(perf.request)}")
    if cast is None:
        out.append(f"{place}: no cast {show(perf.cast)}")
    if perf.slot not in inst.slot_by_id:
        out.append(f"{place}: no slot {show(perf.slot)}")
    if out:
        return out
    if perf.date not in cast.dates:
        out.append(f"{place}: cast {show(cast.id)} does not work on {perf.date}")
    if perf.date not in request.dates:
        out.append(f"{place}: {perf.date} is not one of request {show(request.id)}'s dates")
    if perf.slot not in request.slots:
        out.append(f"{place}: slot {show(perf.slot)} is not one of request {show(request.id)}'s slots")
    if request.production not in cast.productions:
        out.append(f"{place}: cast {show(cast.id)} does not perform {show(request.production)}")
    return out


def _rule4(inst: Instance, perf: Performance, place: str) -> list[str]:
    """Audience between 1 and the smaller of audience cap and hall capacity."""
    request = inst.request_by_id[perf.request]
    cap = inst.capacity(request)
    if perf.pupils < 1:
        return [f"{place}: {perf.pupils} pupils; a performance needs at least 1"]
    if perf.pupils > cap:
        prod = inst.production_by_id[request.production]
        hall = inst.school_by_id[request.school].hall_capacity
        return [
            f"{place}: {perf.pupils} pupils exceed the limit of {cap} "
            f"(audience cap {prod.audience_cap}, hall of {show(request.school)} holds {hall})"
        ]
    return []


def _clashes(inst: Instance, perfs: list[tuple[int, Performance]], label: str) -> list[str]:
    """Rules 2 and 3: one performance per cast/school slot, max_per_day per cast."""
    out = []
    cast_slot: dict[tuple, int] = {}
    school_slot: dict[tuple, int] = {}
    per_day: dict[tuple, int] = defaultdict(int)
    for i, p in perfs:
        school = inst.request_by_id[p.request].school
        key = (p.cast, p.date, p.slot)
        if key in cast_slot:
            out.append(
                f"{label}[{i}]: cast {show(p.cast)} already performs on {p.date} {p.slot} ({label}[{cast_slot[key]}])"
            )
        else:
            cast_slot[key] = i
        skey = (school, p.date, p.slot)
        if skey in school_slot:
            out.append(
                f"{label}[{i}]: school {show(school)} already hosts a performance on {p.date} "
                f"{p.slot} ({label}[{school_slot[skey]}])"
            )
        else:
            school_slot[skey] = i
        per_day[(p.cast, p.date)] += 1
    for (cast, day), count in per_day.items():
        limit = inst.cast_by_id[cast].max_per_day
        if count > limit:
            out.append(f"cast {show(cast)} gives {count} performances on {day}; its max_per_day is {limit}")
    return out


def _rule5(inst: Instance, perfs: list[tuple[int, Performance]]) -> list[str]:
    """A request's performances hold at most its pupils."""
    total: dict[str, int] = defaultdict(int)
    for _, p in perfs:
        total[p.request] += p.pupils
    out = []
    for rid, pupils in total.items():
        wanted = inst.request_by_id[rid].pupils
        if pupils > wanted:
            out.append(f"request {show(rid)}: its performances hold {pupils} pupils but it has {wanted}")
    return out


def _cast_days(inst: Instance, perfs: list[tuple[int, Performance]]) -> dict[tuple, list]:
    """Each cast's performances on each date, in order of start time."""
    days: dict[tuple, list] = defaultdict(list)
    for i, p in perfs:
        days[(p.cast, p.date)].append((inst.slot_by_id[p.slot].start, i, p))
    for items in days.values():
        items.sort(key=lambda t: (t[0], t[1]))
    return days


def _travel(inst: Instance, perfs: list[tuple[int, Performance]], label: str) -> tuple[list[str], float]:
    """Rule 6 over consecutive performances of a cast on a date, and the travel km."""
    out, km_total = [], 0.0
    t = inst.travel
    for (cast, day), items in _cast_days(inst, perfs).items():
        for (s1, _, a), (s2, j, b) in zip(items, items[1:], strict=False):
            if a.slot == b.slot:
                continue  # reported as a slot clash already
            ra, rb = inst.request_by_id[a.request], inst.request_by_id[b.request]
            ready = s1 + inst.production_by_id[ra.production].duration_minutes
            if ra.school != rb.school:
                sa, sb = inst.school_by_id[ra.school], inst.school_by_id[rb.school]
                km = haversine_km(sa.lat, sa.lon, sb.lat, sb.lon)
                km_total += km * t.road_factor
                ready += t.changeover_minutes + travel_minutes(km, t.road_factor, t.speed_kmh)
            if s2 < ready:
                out.append(
                    f"{label}[{j}]: cast {show(cast)} cannot start at {show(rb.school)} at {_hm(s2)} "
                    f"on {day}: after its {_hm(s1)} performance at {show(ra.school)} "
                    f"it is ready at {_hm(ready)} at the earliest"
                )
    return out, km_total


def find_breaches(
    inst: Instance, perfs: list[Performance], label: str = "performances", check_pinned: bool = True
) -> list[str]:
    """Every hard-rule breach of these performances, one message each."""
    return _evaluate(inst, perfs, label, check_pinned).breaches


def _evaluate(inst: Instance, perfs: list[Performance], label: str, check_pinned: bool) -> CheckResult:
    res = CheckResult()
    good: list[tuple[int, Performance]] = []
    for i, p in enumerate(perfs):
        res.breaches += _rule1(inst, p, f"{label}[{i}]")
        # Later rules need the references; a performance naming unknown ids is left out of them.
        if p.request in inst.request_by_id and p.cast in inst.cast_by_id and p.slot in inst.slot_by_id:
            res.breaches += _rule4(inst, p, f"{label}[{i}]")
            good.append((i, p))
    res.breaches += _clashes(inst, good, label)
    res.breaches += _rule5(inst, good)
    travel_breaches, res.travel_km = _travel(inst, good, label)
    res.breaches += travel_breaches
    if check_pinned:
        res.breaches += _rule7(inst, perfs)
    _objective(inst, good, res)
    return res


def _rule7(inst: Instance, perfs: list[Performance]) -> list[str]:
    """Every pinned performance appears unchanged."""
    available: dict[Performance, int] = defaultdict(int)
    for p in perfs:
        available[p] += 1
    out = []
    for i, pin in enumerate(inst.pinned):
        if available[pin] > 0:
            available[pin] -= 1
        else:
            out.append(
                f"pinned[{i}]: missing from the performances (request {show(pin.request)}, {pin.date} "
                f"{pin.slot}, cast {show(pin.cast)}, {pin.pupils} pupils)"
            )
    return out


def _objective(inst: Instance, perfs: list[tuple[int, Performance]], res: CheckResult) -> None:
    served, preferred = set(), set()
    for _, p in perfs:
        request = inst.request_by_id[p.request]
        res.pupils_reached += p.pupils
        res.weighted += p.pupils * request.priority
        served.add(p.request)
        if p.date in request.preferred_dates:
            preferred.add(p.request)
    res.requests_served = len(served)
    res.preferred_served = len(preferred)


def parse_allocation(raw: Any) -> list[Performance]:
    """Read an allocation's performances; structural faults raise InstanceError."""
    obj = as_object(raw, "allocation")
    fmt = obj.get("format")
    if fmt != ALLOCATION_FORMAT:
        raise InstanceError(f"format: expected {show(ALLOCATION_FORMAT)}, got {show(fmt)}")
    if "performances" not in obj:
        raise InstanceError("performances: missing")
    items = as_list(obj["performances"], "performances")
    return [parse_performance(item, f"performances[{i}]") for i, item in enumerate(items)]


def check(instance: Instance | dict, allocation: dict) -> CheckResult:
    """Breaches and objective components of `allocation` for `instance`."""
    from .model import parse_instance

    inst = instance if isinstance(instance, Instance) else parse_instance(instance)
    return _evaluate(inst, parse_allocation(allocation), "performances", True)
