"""The search's windows on tours with casts allowed three performances a day."""

from __future__ import annotations

import random

from portal.scheduler import check, parse_instance, solve
from portal.scheduler.problem import Problem
from portal.scheduler.schedule import Schedule
from portal.scheduler.windows import SWEEP_ROUNDS, Neighbourhoods

SLOTS3 = [{"id": "AM", "start": "09:00"}, {"id": "MID", "start": "11:15"}, {"id": "PM", "start": "13:45"}]
DAYS = ["2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14"]


def three_a_day_instance(max_per_day: int = 3) -> dict:
    """Two casts (one allowed three a day), twelve schools within a few km, each wanting two performances."""
    rng = random.Random(3)
    schools = [
        {
            "id": f"s{i}",
            "name": "",
            "lat": 52.2 + rng.uniform(-0.03, 0.03),
            "lon": -1.6 + rng.uniform(-0.05, 0.05),
            "hall_capacity": 120,
        }
        for i in range(12)
    ]
    requests = [
        {
            "id": f"r{i}",
            "school": f"s{i}",
            "production": "drama",
            "pupils": 240,
            "dates": rng.sample(DAYS, 2),
            "slots": ["AM", "MID", "PM"],
            "priority": 1 + i % 3,
        }
        for i in range(12)
    ]
    return {
        "format": "cse-tour/1",
        "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": 45},
        "slots": SLOTS3,
        "productions": [{"id": "drama", "title": "", "duration_minutes": 60, "audience_cap": 120}],
        "casts": [
            {"id": "two", "name": "", "max_per_day": 2, "productions": ["drama"], "dates": DAYS},
            {"id": "three", "name": "", "max_per_day": max_per_day, "productions": ["drama"], "dates": DAYS},
        ],
        "schools": schools,
        "requests": requests,
    }


def _one_a_day(prob: Problem) -> Schedule:
    """Each cast gives one performance a day, so every cast day has room."""
    sched = Schedule(prob)
    for c in range(len(prob.casts)):
        for d in range(len(prob.dates)):
            for r in range(len(prob.requests)):
                if (d, 0) in prob.req_cands[r] and sched.can_place(r, d, 0, c):
                    sched.place(r, d, 0, c)
                    break
    return sched


def test_the_search_starts_with_a_day_window_on_each_date_with_room_then_room_windows():
    prob = Problem(parse_instance(three_a_day_instance()))
    sched = _one_a_day(prob)
    windows = Neighbourhoods(prob, random.Random(1))
    first = [windows.pick(sched) for _ in range(len(prob.dates))]
    assert [w.kind for w in first] == ["day"] * len(prob.dates)
    assert [w.dates for w in first] == [[d] for d in range(len(prob.dates))]
    assert all(w.casts == [0, 1] and w.requests is None for w in first)
    for win in first:  # proved optimal with no gain: the dates are done, and the sweep is over
        windows.feedback(win, True, 0, 0.1, sched)
    assert windows._next_sweep(sched, windows._spare_days(sched)) is None  # a round that gained nothing ends it
    assert windows._rounds < SWEEP_ROUNDS
    room = windows._room_window(sched, (1, 0))
    assert room.kind == "room" and 1 in room.casts and 0 in room.dates and len(room.dates) <= 2


def test_without_casts_allowed_three_a_day_there_is_no_sweep():
    prob = Problem(parse_instance(three_a_day_instance(max_per_day=2)))
    windows = Neighbourhoods(prob, random.Random(1))
    kinds = {windows.pick(_one_a_day(prob)).kind for _ in range(20)}
    assert not kinds & {"day", "room"}


def test_three_a_day_allocations_pass_the_checker():
    inst = three_a_day_instance()
    allocation = solve(inst, time_limit=3, seed=2, deterministic=True)
    result = check(inst, allocation)
    assert result.ok, result.breaches
    assert allocation["stats"]["weighted"] == result.weighted <= allocation["stats"]["bound"]
