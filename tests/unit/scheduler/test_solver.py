"""solve(): always valid, explains what it leaves out, never beats its own bound."""

from __future__ import annotations

import random
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.scheduler import check, solve

DAYS = ["2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14"]
SLOTS = [{"id": "AM", "start": "09:15"}, {"id": "MID", "start": "11:00"}, {"id": "PM", "start": "13:30"}]


def random_instance(seed: int) -> dict:
    """A small random instance: up to 3 casts, 8 schools up to ~150 km apart, 2 productions."""
    rng = random.Random(seed)
    prods = [
        {"id": "p0", "title": "", "duration_minutes": 60, "audience_cap": rng.choice([60, 120])},
        {"id": "p1", "title": "", "duration_minutes": rng.choice([45, 90]), "audience_cap": 100},
    ]
    casts = [
        {
            "id": f"c{i}",
            "name": "",
            "max_per_day": rng.randint(1, 3),
            "productions": rng.sample(["p0", "p1"], rng.randint(1, 2)),
            "dates": sorted(rng.sample(DAYS, rng.randint(1, 4))),
        }
        for i in range(rng.randint(1, 3))
    ]
    schools = [
        {
            "id": f"s{i}",
            "name": "",
            "lat": 51.5 + rng.uniform(-0.7, 0.7),
            "lon": -1.0 + rng.uniform(-1.0, 1.0),
            "hall_capacity": rng.choice([0, 40, 90, 150, 300]),
        }
        for i in range(rng.randint(1, 8))
    ]
    requests = []
    for i in range(rng.randint(0, 10)):
        dates = sorted(rng.sample(DAYS, rng.randint(0, 4)))
        requests.append(
            {
                "id": f"r{i}",
                "school": rng.choice(schools)["id"],
                "production": rng.choice(["p0", "p1"]),
                "pupils": rng.randint(0, 400),
                "dates": dates,
                "slots": [s["id"] for s in rng.sample(SLOTS, rng.randint(1, 3))],
                "preferred_dates": dates[:1],
                "priority": rng.randint(1, 3),
            }
        )
    return {
        "format": "cse-tour/1",
        "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": rng.choice([0, 45])},
        "slots": SLOTS,
        "productions": prods,
        "casts": casts,
        "schools": schools,
        "requests": requests,
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**9))
def test_every_allocation_passes_check(seed):
    inst = random_instance(seed)
    allocation = solve(inst, time_limit=0.05, deterministic=True, seed=seed)
    result = check(inst, allocation)
    assert result.ok, result.breaches
    stats = allocation["stats"]
    assert stats["weighted"] == result.weighted <= stats["bound"]
    assert stats["pupils_reached"] == result.pupils_reached
    missing = {u["request"]: u["pupils"] for u in allocation["unplaced"]}
    for req in inst["requests"]:
        reached = sum(p["pupils"] for p in allocation["performances"] if p["request"] == req["id"])
        assert missing.get(req["id"], 0) == req["pupils"] - reached
    assert all(u["reason"] for u in allocation["unplaced"])


def test_nothing_feasible_gives_an_empty_valid_allocation(build):
    inst = build.instance(
        requests=[
            build.request("r1", "s1", 100, dates=["2027-03-01"]),
            build.request("r2", "s2", 100, slots=[]),
        ]
    )
    inst["casts"][0]["productions"] = []
    inst["productions"].append({"id": "other", "title": "", "duration_minutes": 60, "audience_cap": 100})
    allocation = solve(inst, time_limit=1)
    assert check(inst, allocation).ok
    assert allocation["performances"] == []
    assert [u["request"] for u in allocation["unplaced"]] == ["r1", "r2"]
    assert all("no cast performs" in u["reason"] for u in allocation["unplaced"])


def test_no_casts_at_all_gives_an_empty_valid_allocation(build):
    inst = build.instance(casts=[], requests=[build.request("r1", "s1", 100)])
    allocation = solve(inst, time_limit=1)
    assert allocation["performances"] == [] and allocation["unplaced"][0]["pupils"] == 100


def test_travel_free_optimum_is_reached_on_the_example(tiny):
    allocation = solve(tiny, time_limit=2)
    assert allocation["stats"]["weighted"] == allocation["stats"]["bound"]


def test_large_cohort_reason_counts_performances(build):
    inst = build.instance(requests=[build.request("r1", "s1", 240, dates=["2027-01-11"])])
    inst["schools"][0]["hall_capacity"] = 60
    allocation = solve(inst, time_limit=1)
    reason = allocation["unplaced"][0]["reason"]
    assert reason.startswith("hall holds 60 but the cohort is 240: 4 performances needed, 2 placed")


def test_higher_priority_school_is_served_first(build):
    days = ["2027-01-11"]
    inst = build.instance(
        requests=[
            build.request("low", "s1", 120, dates=days, slots=["AM"], priority=1),
            build.request("high", "s2", 100, dates=days, slots=["AM"], priority=3),
        ]
    )
    allocation = solve(inst, time_limit=1)
    assert [p["request"] for p in allocation["performances"]] == ["high"]


def test_deterministic_solve_is_repeatable(tiny):
    first = solve(tiny, time_limit=0.3, seed=5, deterministic=True)
    second = solve(tiny, time_limit=0.3, seed=5, deterministic=True)
    assert first == second


def test_reason_suggests_a_slot_the_school_does_not_offer(build):
    days = ["2027-01-11"]
    inst = build.instance(
        requests=[
            build.request("first", "s1", 100, dates=days, slots=["AM"], priority=3),
            build.request("second", "s2", 100, dates=days, slots=["AM"], priority=1),
        ]
    )
    allocation = solve(inst, time_limit=1)
    (entry,) = allocation["unplaced"]
    assert entry["request"] == "second"
    assert entry["reason"] == (
        "no cast is free on 2027-01-11, the only date the school can host; "
        "offering the PM slot (13:30) would open 1 of its dates"
    )


def mid_size_instance(seed: int = 7, n_schools: int = 300) -> dict:
    """A region-like instance: 300 schools within ~60 km, ~400 requests, 4 casts over 8 weeks."""
    rng = random.Random(seed)
    days = [f"2027-{m:02d}-{d:02d}" for m in (1, 2) for d in range(1, 29) if (d % 7) not in (2, 3)]
    casts = [
        {
            "id": f"c{i}",
            "name": "",
            "max_per_day": 2,
            "productions": ["p0", "p1"] if i % 2 == 0 else ["p0"],
            "dates": sorted(rng.sample(days, 30)),
        }
        for i in range(4)
    ]
    schools = [
        {
            "id": f"s{i}",
            "name": "",
            "lat": 52.2 + rng.uniform(-0.5, 0.5),
            "lon": -1.6 + rng.uniform(-0.8, 0.8),
            "hall_capacity": rng.choice([60, 120, 150, 240]),
        }
        for i in range(n_schools)
    ]
    requests = []
    for school in schools:
        for prod in ["p0", "p1"] if rng.random() < 0.3 else ["p0"]:
            dates = sorted(rng.sample(days, rng.randint(3, 8)))
            requests.append(
                {
                    "id": f"r{len(requests)}",
                    "school": school["id"],
                    "production": prod,
                    "pupils": rng.randrange(60, 400, 10),
                    "dates": dates,
                    "slots": rng.choice([["AM", "PM"], ["AM"], ["PM"], ["AM", "MID", "PM"]]),
                    "preferred_dates": dates[:1],
                    "priority": rng.choice([1, 1, 2, 3]),
                }
            )
    return {
        "format": "cse-tour/1",
        "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": 45},
        "slots": SLOTS,
        "productions": [
            {"id": "p0", "title": "", "duration_minutes": 60, "audience_cap": 120},
            {"id": "p1", "title": "", "duration_minutes": 75, "audience_cap": 90},
        ],
        "casts": casts,
        "schools": schools,
        "requests": requests,
    }


def test_one_second_limit_gives_a_valid_allocation_within_a_few_seconds():
    inst = mid_size_instance()
    started = time.monotonic()
    allocation = solve(inst, time_limit=1)
    elapsed = time.monotonic() - started
    result = check(inst, allocation)
    assert result.ok, result.breaches[:3]
    assert elapsed < 6, f"solve with time_limit=1 took {elapsed:.1f} s"
    assert allocation["performances"] and allocation["stats"]["weighted"] == result.weighted
    assert result.weighted <= allocation["stats"].get("bound", result.weighted)


def test_without_time_for_the_flow_the_greedy_start_is_returned_without_a_bound(monkeypatch):
    from portal.scheduler import solver

    monkeypatch.setattr(solver, "FLOW_FACTOR", 1e9)  # the flow never looks like it fits
    inst = mid_size_instance(seed=3, n_schools=80)
    allocation = solve(inst, time_limit=0.5)
    result = check(inst, allocation)
    assert result.ok, result.breaches[:3]
    assert "bound" not in allocation["stats"]
    assert allocation["performances"]
    assert {u["request"] for u in allocation["unplaced"]} <= {r["id"] for r in inst["requests"]}


def test_flow_start_and_greedy_keep_every_hard_rule_on_a_mid_size_instance():
    from portal.scheduler import parse_instance
    from portal.scheduler.construct import fill, greedy, insert_units
    from portal.scheduler.flow import solve_flow
    from portal.scheduler.problem import Problem
    from portal.scheduler.schedule import Schedule
    from portal.scheduler.solver import build_allocation

    inst = parse_instance(mid_size_instance(seed=5, n_schools=150))
    prob = Problem(inst)
    flow = solve_flow(prob)
    sched = Schedule(prob)
    insert_units(sched, flow.units)
    fill(sched)
    for candidate in (sched, greedy(prob)):
        allocation = build_allocation(prob, candidate, flow.bound, time.monotonic())
        result = check(inst, allocation)
        assert result.ok, result.breaches[:3]
        assert 0 < result.weighted <= flow.bound


def test_a_search_stopped_by_a_person_returns_the_best_valid_allocation_so_far():
    inst = mid_size_instance(seed=5)
    asked = []
    reports = []

    def stop() -> bool:
        asked.append(True)
        return len(asked) > 2  # a person presses Stop after the search's first steps

    started = time.monotonic()
    allocation = solve(inst, time_limit=120, stop=stop, progress=reports.append)
    elapsed = time.monotonic() - started
    result = check(inst, allocation)
    assert result.ok, result.breaches[:3]
    assert allocation["performances"] and allocation["stats"]["weighted"] == result.weighted
    assert reports and reports[-1]["weighted"] <= result.weighted
    assert len(asked) >= 3  # the search was still going when Stop was pressed
    assert elapsed < 60, f"a stopped search still took {elapsed:.0f} s of its 120"
