"""The referee: the hard rules, one function named after what each checks, and the score of an allocation.

`parse_instance` lives here rather than in model.py: an instance is valid only when its pinned performances obey
the hard rules among themselves, and the rules are the referee's (model.py reads the structure and knows no rules,
so the two modules do not import each other).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .geo import haversine_km, travel_minutes
from .model import ALLOCATION_FORMAT, Instance, Performance, parse_performance, read_instance
from .objective import Score, score_performances
from .readers import InstanceError, as_list, as_object, show


@dataclass
class CheckResult:
    """Breaches of the hard rules (empty when valid), the objective's score and the plain pupils reached."""

    breaches: list[str] = field(default_factory=list)
    score: Score = field(default_factory=Score)
    pupils_reached: int = 0

    @property
    def ok(self) -> bool:
        """True when the allocation breaks no hard rule."""
        return not self.breaches

    @property
    def weighted(self) -> int:
        """Priority-weighted pupils (criterion 1)."""
        return self.score.weighted

    @property
    def requests_served(self) -> int:
        """Requests with at least one performance (criterion 2)."""
        return self.score.requests_served

    @property
    def preferred_served(self) -> int:
        """Requests with a performance on a preferred date (criterion 3)."""
        return self.score.preferred_served

    @property
    def travel_km(self) -> float:
        """Road km between consecutive performances of a cast on a day (criterion 4)."""
        return self.score.travel_km

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


def _names_known(inst: Instance, perf: Performance, place: str) -> list[str]:
    """Rule 1, first half: the request, cast and slot exist."""
    out = []
    if perf.request not in inst.request_by_id:
        out.append(f"{place}: no request {show(perf.request)}")
    if perf.cast not in inst.cast_by_id:
        out.append(f"{place}: no cast {show(perf.cast)}")
    if perf.slot not in inst.slot_by_id:
        out.append(f"{place}: no slot {show(perf.slot)}")
    return out


def _fits_request_and_cast(inst: Instance, perf: Performance, place: str) -> list[str]:
    """Rule 1, second half: the date suits cast and request, the slot the request, the production the cast."""
    request, cast = inst.request_by_id[perf.request], inst.cast_by_id[perf.cast]
    out = []
    if perf.date not in cast.dates:
        out.append(f"{place}: cast {show(cast.id)} does not work on {perf.date}")
    if perf.date not in request.dates:
        out.append(f"{place}: {perf.date} is not one of request {show(request.id)}'s dates")
    if perf.slot not in request.slots:
        out.append(f"{place}: slot {show(perf.slot)} is not one of request {show(request.id)}'s slots")
    if request.production not in cast.productions:
        out.append(f"{place}: cast {show(cast.id)} does not perform {show(request.production)}")
    return out


def _audience_fits_hall(inst: Instance, perf: Performance, place: str) -> list[str]:
    """Rule 4: between 1 pupil and the smaller of the audience cap and the hall capacity."""
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


def _one_show_per_cast_and_hall(inst: Instance, perfs: list[tuple[int, Performance]], label: str) -> list[str]:
    """Rules 2 and 3: a cast and a hall each hold one performance per date and slot; a cast keeps max_per_day."""
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


def _within_cohort(inst: Instance, perfs: list[tuple[int, Performance]]) -> list[str]:
    """Rule 5: a request's performances hold at most its pupils."""
    total: dict[str, int] = defaultdict(int)
    for _, p in perfs:
        total[p.request] += p.pupils
    out = []
    for rid, pupils in total.items():
        wanted = inst.request_by_id[rid].pupils
        if pupils > wanted:
            out.append(f"request {show(rid)}: its performances hold {pupils} pupils but it has {wanted}")
    return out


def _time_to_travel(inst: Instance, perfs: list[tuple[int, Performance]], label: str) -> list[str]:
    """Rule 6: after each performance a cast has time to finish, pack up and drive to its next one that day."""
    days: dict[tuple, list] = defaultdict(list)
    for i, p in perfs:
        days[(p.cast, p.date)].append((inst.slot_by_id[p.slot].start, i, p))
    out = []
    t = inst.travel
    for (cast, day), items in days.items():
        items.sort(key=lambda item: (item[0], item[1]))
        for (s1, _, a), (s2, j, b) in zip(items, items[1:], strict=False):
            if a.slot == b.slot:
                continue  # reported as a slot clash already
            ra, rb = inst.request_by_id[a.request], inst.request_by_id[b.request]
            ready = s1 + inst.production_by_id[ra.production].duration_minutes
            if ra.school != rb.school:
                sa, sb = inst.school_by_id[ra.school], inst.school_by_id[rb.school]
                km = haversine_km(sa.lat, sa.lon, sb.lat, sb.lon)
                ready += t.changeover_minutes + travel_minutes(km, t.road_factor, t.speed_kmh)
            if s2 < ready:
                out.append(
                    f"{label}[{j}]: cast {show(cast)} cannot start at {show(rb.school)} at {_hm(s2)} "
                    f"on {day}: after its {_hm(s1)} performance at {show(ra.school)} "
                    f"it is ready at {_hm(ready)} at the earliest"
                )
    return out


def _pinned_kept(inst: Instance, perfs: list[Performance]) -> list[str]:
    """Rule 7: every pinned performance appears unchanged."""
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


def _evaluate(inst: Instance, perfs: list[Performance], label: str, keeps_pinned: bool) -> CheckResult:
    res = CheckResult()
    known: list[tuple[int, Performance]] = []
    for i, p in enumerate(perfs):
        place = f"{label}[{i}]"
        missing = _names_known(inst, p, place)
        res.breaches += missing
        # The other rules need the references; a performance naming unknown ids is left out of them.
        if not missing:
            res.breaches += _fits_request_and_cast(inst, p, place)
            res.breaches += _audience_fits_hall(inst, p, place)
            known.append((i, p))
    res.breaches += _one_show_per_cast_and_hall(inst, known, label)
    res.breaches += _within_cohort(inst, known)
    res.breaches += _time_to_travel(inst, known, label)
    if keeps_pinned:
        res.breaches += _pinned_kept(inst, perfs)
    res.score = score_performances(inst, [p for _, p in known])
    res.pupils_reached = sum(p.pupils for _, p in known)
    return res


def check_pinned(inst: Instance) -> None:
    """Raise InstanceError when the pinned performances break a hard rule among themselves."""
    breaches = _evaluate(inst, inst.pinned, "pinned", False).breaches
    if breaches:
        extra = f"; {len(breaches) - 1} more breaches" if len(breaches) > 1 else ""
        raise InstanceError(f"{breaches[0]} (pinned performances contradict each other{extra})")


def parse_instance(raw: Any) -> Instance:
    """Validate a cse-tour/1 instance dict, its pinned performances included; raise InstanceError (one line)."""
    inst = read_instance(raw)
    check_pinned(inst)
    return inst


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
    inst = instance if isinstance(instance, Instance) else parse_instance(instance)
    return _evaluate(inst, parse_allocation(allocation), "performances", True)
