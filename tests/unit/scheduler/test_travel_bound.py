"""The travel-aware bound: never below what an allocation can reach, below the flow bound when travel binds."""

from __future__ import annotations

import itertools
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.scheduler import check, parse_instance

D1, D2 = "2027-01-11", "2027-01-12"


def _bound(inst: dict):
    from portal.scheduler.problem import Problem
    from portal.scheduler.travel_bound import travel_bound

    prob = Problem(parse_instance(inst))
    result = travel_bound(prob, seconds=30)
    return result, prob.pinned_score.weighted


def test_two_schools_too_far_apart_for_one_day_give_one_performance(build):
    far = {"id": "s3", "name": "Far", "lat": 52.75, "lon": -1.25, "hall_capacity": 200}  # ~111 km north
    inst = build.instance(
        requests=[build.request("r1", "s1", 100, dates=[D1]), build.request("r3", "s3", 90, dates=[D1], priority=2)]
    )
    inst["schools"].append(far)
    result, _ = _bound(inst)
    assert result.flow_bound == 100 + 180  # travel-free, the cast gives both
    assert result.bound == 180 and result.converged  # it can only give the better one


def _tiny(seed: int) -> dict:
    """Two casts on one day (AM, PM), up to five requests at schools 2 to 60 km apart, maybe a pinned one."""
    rng = random.Random(seed)
    schools = [
        {"id": f"s{k}", "name": "", "lat": 51.75 + rng.uniform(0, 0.5), "lon": -1.25, "hall_capacity": 100}
        for k in range(4)
    ]
    requests = [
        {
            "id": f"r{i}",
            "school": f"s{rng.randint(0, 3)}",
            "production": "drama",
            "pupils": rng.choice([60, 100, 150, 200]),
            "dates": [D1],
            "slots": rng.choice([["AM"], ["PM"], ["AM", "PM"]]),
            "priority": rng.randint(1, 3),
        }
        for i in range(rng.randint(1, 5))
    ]
    casts = [
        {"id": c, "name": "", "max_per_day": rng.randint(1, 2), "productions": ["drama"], "dates": [D1]} for c in "ab"
    ]
    inst = {
        "format": "cse-tour/1",
        "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": rng.choice([45, 120])},
        "slots": [{"id": "AM", "start": "09:15"}, {"id": "PM", "start": "13:30"}],
        "productions": [{"id": "drama", "title": "", "duration_minutes": 60, "audience_cap": 100}],
        "casts": casts,
        "schools": schools,
        "requests": requests,
        "pinned": [],
    }
    if rng.random() < 0.4:
        first = requests[0]
        inst["pinned"] = [{"request": "r0", "date": D1, "slot": first["slots"][0], "cast": "a", "pupils": 60}]
    return inst


def _best_by_brute_force(inst: dict) -> int:
    """The most weighted pupils over every way to fill the two casts' AM and PM."""
    places = [(c, s) for c in "ab" for s in ("AM", "PM")]
    pinned = {(p["cast"], p["slot"]) for p in inst["pinned"]}
    best = 0
    for pick in itertools.product([None, *inst["requests"]], repeat=len(places)):
        perfs = list(inst["pinned"])
        left = {r["id"]: r["pupils"] for r in inst["requests"]}
        for p in perfs:
            left[p["request"]] -= p["pupils"]
        for (c, s), req in zip(places, pick, strict=True):
            if req is None or (c, s) in pinned or left[req["id"]] <= 0:
                continue
            pupils = min(100, left[req["id"]])
            left[req["id"]] -= pupils
            perfs.append({"request": req["id"], "date": D1, "slot": s, "cast": c, "pupils": pupils})
        result = check(inst, {"format": "cse-tour-allocation/1", "performances": perfs})
        if result.ok:
            best = max(best, result.weighted)
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**9))
def test_the_bound_is_never_below_the_best_allocation(seed):
    inst = _tiny(seed)
    result, pinned = _bound(inst)
    assert result.bound <= result.flow_bound
    assert result.bound + pinned >= _best_by_brute_force(inst)


def test_gives_up_at_once_when_the_rounds_it_needs_cannot_fit_in_its_time(build):
    """min_rounds: no round follows the first pricing when that many at its pace would overrun; still a bound."""
    from portal.scheduler.problem import Problem
    from portal.scheduler.travel_bound import travel_bound

    far = {"id": "s3", "name": "Far", "lat": 52.75, "lon": -1.25, "hall_capacity": 200}
    inst = build.instance(
        requests=[build.request("r1", "s1", 100, dates=[D1]), build.request("r3", "s3", 90, dates=[D1], priority=2)]
    )
    inst["schools"].append(far)
    prob = Problem(parse_instance(inst))
    hurried = travel_bound(prob, seconds=1e-9, min_rounds=10)
    assert not hurried.converged and len(hurried.history) == 1  # the first pricing only
    assert 180 <= hurried.bound <= hurried.flow_bound
    assert travel_bound(prob, seconds=30, min_rounds=10).converged  # with time enough it runs its rounds
