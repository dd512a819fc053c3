"""The objective is one lexicographic order, and every part of the solver follows it."""

from __future__ import annotations

import itertools
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.scheduler import check, parse_instance, solve
from portal.scheduler.objective import Score, lexicographic_weights

D1, D2 = "2027-01-11", "2027-01-12"


def test_more_weighted_pupils_beat_everything_below():
    assert Score(101, 0, 0, 10**9) > Score(100, 50, 50, 0)


def test_one_more_request_served_beats_any_number_of_preferred_dates():
    assert Score(100, 5, 0, 10**9) > Score(100, 4, 50, 0)


def test_one_more_preferred_date_beats_any_travel():
    assert Score(100, 5, 3, 10**9) > Score(100, 5, 2, 0)


def test_less_travel_is_better_when_all_else_is_equal():
    assert Score(100, 5, 3, 1000) > Score(100, 5, 3, 1001)
    assert Score(100, 5, 3, 1000) == Score(100, 5, 3, 1000)


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=4), st.data())
def test_one_unit_of_a_level_outweighs_any_change_below_it(maxima, data):
    weights = lexicographic_weights(maxima)
    assert weights[-1] == 1
    level = data.draw(st.integers(min_value=0, max_value=len(maxima) - 1))
    # The worst case for `level`: one unit more there, every level below from its maximum down to zero.
    gain = weights[level] - sum(w * m for w, m in zip(weights[level + 1 :], maxima[level + 1 :], strict=True))
    assert gain > 0


def _far_or_near() -> dict:
    """One cast, two days of three slots. Three near schools want two shows each, preferably on the first day;
    a far school wants three shows and can only host on the first day, which it then fills (nobody can drive
    from it to the near schools in time). Both ways give 600 pupils: serving the far school too is one
    request more (4 served, 0 on a preferred date); leaving it out is three preferred dates more (3 served, 3).
    Weights that let two preferred dates equal one request (2 and 1) choose the second; the order chooses the first.
    """
    places = [(f"s{k}", 51.75 + 0.01 * k) for k in range(3)] + [("far", 52.75)]
    schools = [{"id": i, "name": "", "lat": lat, "lon": -1.25, "hall_capacity": 100} for i, lat in places]
    slots = ["AM", "MID", "PM"]
    near = [
        {"id": f"n{k}", "school": f"s{k}", "production": "drama", "pupils": 200, "dates": [D1, D2], "slots": slots,
         "preferred_dates": [D1]}
        for k in range(3)
    ]  # fmt: skip
    far = {"id": "far", "school": "far", "production": "drama", "pupils": 300, "dates": [D1], "slots": slots}
    return {
        "format": "cse-tour/1",
        "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": 0},
        "slots": [{"id": "AM", "start": "09:15"}, {"id": "MID", "start": "11:00"}, {"id": "PM", "start": "13:30"}],
        "productions": [{"id": "drama", "title": "", "duration_minutes": 60, "audience_cap": 100}],
        "casts": [{"id": "a", "name": "", "max_per_day": 3, "productions": ["drama"], "dates": [D1, D2]}],
        "schools": schools,
        "requests": [*near, far],
    }


def test_the_search_serves_one_more_request_rather_than_three_more_preferred_dates():
    inst = _far_or_near()
    result = check(inst, solve(inst, time_limit=2, deterministic=True))
    assert result.ok
    assert (result.weighted, result.requests_served, result.preferred_served) == (600, 4, 0)


def test_with_two_to_one_weights_the_same_search_would_not(monkeypatch):
    from portal.scheduler import improve

    monkeypatch.setattr(improve, "lexicographic_weights", lambda maxima: [1 + 2 * maxima[1] + maxima[2], 2, 1])
    inst = _far_or_near()
    result = check(inst, solve(inst, time_limit=2, deterministic=True))
    assert (result.requests_served, result.preferred_served) == (3, 3)  # what the order test above rules out


def test_the_flow_serves_one_more_request_rather_than_one_more_preferred_date(build):
    from portal.scheduler.flow import solve_flow
    from portal.scheduler.problem import Problem

    # One cast, one slot a day. The big request fills both days (200 pupils, served 1, on its preferred date 1);
    # sharing with the small one, which can only come on the first day, also gives 200 pupils (served 2, 0).
    inst = build.instance(
        requests=[
            build.request("big", "s1", 200, dates=[D1, D2], slots=["AM"], preferred_dates=[D1]),
            build.request("small", "s2", 100, dates=[D1], slots=["AM"]),
        ]
    )
    inst["casts"][0].update(max_per_day=1, dates=[D1, D2])
    inst["productions"][0]["audience_cap"] = 100
    prob = Problem(parse_instance(inst))
    units = {(prob.requests[r].id, prob.dates[d]) for r, d, _ in solve_flow(prob).units}
    assert units == {("small", D1), ("big", D2)}


def _tiny_travel_free(seed: int) -> dict:
    """One cast, two days of AM and PM, up to five requests at schools a few km apart: travel never binds."""
    rng = random.Random(seed)
    days = [D1, D2]
    requests = []
    for i in range(rng.randint(2, 5)):
        dates = sorted(rng.sample(days, rng.randint(1, 2)))
        requests.append(
            {
                "id": f"r{i}",
                "school": f"s{rng.randint(0, 2)}",
                "production": "drama",
                "pupils": rng.choice([60, 100, 150, 220, 300]),
                "dates": dates,
                "slots": rng.choice([["AM"], ["PM"], ["AM", "PM"]]),
                "preferred_dates": sorted(rng.sample(dates, rng.randint(0, len(dates)))),
                "priority": rng.randint(1, 3),
            }
        )
    return {
        "format": "cse-tour/1",
        "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": 0},
        "slots": [{"id": "AM", "start": "09:15"}, {"id": "PM", "start": "13:30"}],
        "productions": [{"id": "drama", "title": "", "duration_minutes": 60, "audience_cap": 100}],
        "casts": [{"id": "a", "name": "", "max_per_day": rng.randint(1, 2), "productions": ["drama"], "dates": days}],
        "schools": [
            {"id": f"s{k}", "name": "", "lat": 51.75 + 0.01 * k, "lon": -1.25, "hall_capacity": rng.choice([80, 120])}
            for k in range(3)
        ],
        "requests": requests,
    }


def _best_by_brute_force(inst: dict) -> tuple[int, int, int]:
    """The best (weighted, served, preferred) over every way to fill the cast's four slots."""
    places = [(d, s) for d in (D1, D2) for s in ("AM", "PM")]
    choices = [None, *inst["requests"]]
    caps = {s["id"]: min(100, s["hall_capacity"]) for s in inst["schools"]}
    best = (0, 0, 0)
    for pick in itertools.product(choices, repeat=len(places)):
        perfs, left = [], {r["id"]: r["pupils"] for r in inst["requests"]}
        for (d, s), req in zip(places, pick, strict=True):
            if req is None or d not in req["dates"] or s not in req["slots"] or left[req["id"]] <= 0:
                continue
            pupils = min(caps[req["school"]], left[req["id"]])
            left[req["id"]] -= pupils
            perfs.append({"request": req["id"], "date": d, "slot": s, "cast": "a", "pupils": pupils})
        result = check(inst, {"format": "cse-tour-allocation/1", "performances": perfs})
        if result.ok:
            best = max(best, result.score.placement())
    return best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**9))
def test_the_travel_free_flow_finds_the_lexicographic_optimum(seed):
    from portal.scheduler.construct import insert_units
    from portal.scheduler.flow import solve_flow
    from portal.scheduler.problem import Problem
    from portal.scheduler.schedule import Schedule

    inst = _tiny_travel_free(seed)
    prob = Problem(parse_instance(inst))
    flow = solve_flow(prob)
    sched = Schedule(prob)
    assert insert_units(sched, flow.units) == []  # travel never binds: every flow performance finds the cast
    assert sched.score().placement() == _best_by_brute_force(inst)
    assert flow.bound == sched.weighted()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**9))
def test_the_schedule_keeps_the_checkers_score(seed):
    from portal.scheduler.construct import greedy
    from portal.scheduler.problem import Problem
    from portal.scheduler.solver import build_allocation

    inst = _tiny_travel_free(seed)
    inst["travel"]["changeover_minutes"] = 45
    inst["schools"][2]["lat"] = 52.2  # 50 km away: some days cannot mix it with the others
    first = greedy(Problem(parse_instance(inst))).performances()
    inst["pinned"] = [p.to_json() for p in first[::2]]  # pinned ones count toward served and preferred too
    prob = Problem(parse_instance(inst))
    sched = greedy(prob)
    for c, d, s in list(sched.at)[::2]:
        sched.remove(c, d, s)
    assert check(inst, build_allocation(prob, sched, None, 0.0)).score == sched.score()


def test_a_window_that_only_lengthens_the_drives_is_refused(build):
    from portal.scheduler.improve import _apply
    from portal.scheduler.problem import Problem
    from portal.scheduler.schedule import Schedule

    # Two casts, one day; two schools in the north, two 20 km south (close enough to mix within a day).
    inst = build.instance(requests=[build.request(f"r{k}", f"s{k}", 100, dates=[D1]) for k in range(1, 5)])
    inst["casts"].append(dict(inst["casts"][0], id="b"))
    inst["schools"] += [
        {"id": "s3", "name": "", "lat": 51.57, "lon": -1.25, "hall_capacity": 200},
        {"id": "s4", "name": "", "lat": 51.58, "lon": -1.27, "hall_capacity": 200},
    ]
    prob = Problem(parse_instance(inst))
    d, am, pm = prob.date_index[D1], prob.slot_index["AM"], prob.slot_index["PM"]
    short = [(0, d, am, 0), (1, d, pm, 0), (2, d, am, 1), (3, d, pm, 1)]  # each cast stays on its side
    long = [(0, d, am, 0), (2, d, pm, 0), (3, d, am, 1), (1, d, pm, 1)]  # each cast crosses over
    sched = Schedule(prob)
    for r, d_, s, c in short:
        sched.place(r, d_, s, c)
    before = sched.score()
    _apply(sched, short, long)
    assert sched.at == {(c, d_, s): r for r, d_, s, c in short} and sched.score() == before
    sched2 = Schedule(prob)
    for r, d_, s, c in long:
        sched2.place(r, d_, s, c)
    assert sched2.score() < before  # the same pupils, requests and preferred dates, longer drives
    _apply(sched2, long, short)
    assert sched2.at == sched.at and sched2.score() == before  # the other way round is taken
