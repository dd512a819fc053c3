"""The scheduler's clock on a busy machine: the process's start, its share of a core, and a search that keeps
back more time for the phases after it when that share is small."""

from __future__ import annotations

import math
import random
import sys
import time

from portal.scheduler import check, clock, improve, parse_instance, solve, solver
from portal.scheduler.clock import MIN_SHARE, Pace, process_started
from portal.scheduler.problem import Problem
from portal.scheduler.schedule import Schedule
from portal.scheduler.windows import Neighbourhoods, by_date


def test_process_start_is_before_now_and_before_the_clock_module_loaded():
    started = process_started()
    assert started <= clock._IMPORTED <= time.monotonic()
    assert time.monotonic() - started < 3600


def test_a_sleeping_process_has_little_of_a_core_and_a_busy_one_a_whole_core():
    pace = Pace()
    assert pace.share() == 1.0  # too soon to tell
    time.sleep(clock.MIN_SPAN + 0.1)
    assert pace.share() == MIN_SHARE
    assert math.isclose(pace.wall(0.5), 0.5 / MIN_SHARE)
    busy = Pace()
    begun = time.monotonic()
    while time.monotonic() - begun < clock.MIN_SPAN + 0.1:
        pass
    assert busy.share() > MIN_SHARE


def test_the_search_ends_when_its_end_says_and_no_window_runs_past_it(monkeypatch, tiny):
    prob = Problem(parse_instance(tiny))
    given: list[float] = []

    def fake_window(sched, win, by_date, seconds, seed, deterministic, until=math.inf):
        given.append(until)
        time.sleep(0.01)
        return 0.01, False

    monkeypatch.setattr(improve, "solve_window", fake_window)
    # The search loads CP-SAT before it reads the clock; loaded here first, so that a slow first load on a busy
    # machine does not use up the second the search is given.
    from ortools.sat.python import cp_model  # noqa: F401

    end_at = time.monotonic() + 1.0
    improve.improve(prob, Schedule(prob), end_at + 2.0, 1, False, 3.0, 10**9, end=lambda: end_at)
    assert given and all(until == end_at for until in given)
    assert time.monotonic() < end_at + 0.5


def _search_times(monkeypatch, inst: dict, share: float) -> tuple[float, float]:
    """(the search's deadline on a quiet machine, its end) in a solve where the process has `share` of a core."""
    monkeypatch.setattr(Pace, "share", lambda self: share)
    seen: dict[str, float] = {}

    def spy(prob, sched, deadline, *args, end=None):
        seen["deadline"], seen["end"] = deadline, end()
        return sched, 0.0

    monkeypatch.setattr(improve, "improve", spy)
    solve(inst, time_limit=10)
    return seen["deadline"], seen["end"]


def test_a_busy_process_ends_its_search_earlier_to_keep_time_for_the_finish(monkeypatch, tiny):
    deadline, end = _search_times(monkeypatch, tiny, 1.0)
    assert end == deadline  # a whole core: the reserve measured on a quiet machine
    deadline, end = _search_times(monkeypatch, tiny, MIN_SHARE)
    n = len(tiny["requests"])
    cpu, wall = solver.FINISH_CPU_SECONDS + n / 2000, solver.FINISH_SECONDS + n / 1000
    assert math.isclose(deadline - end, cpu / MIN_SHARE - wall)


def test_a_limit_spent_before_solve_is_entered_still_gives_a_valid_allocation_at_once(tiny):
    begun = time.monotonic()
    allocation = solve(tiny, time_limit=1, started=begun - 5)
    assert time.monotonic() - begun < 3
    assert check(tiny, allocation).ok
    assert allocation["stats"]["seconds"] >= 5


def test_a_window_is_not_solved_when_its_model_is_built_past_the_time_it_may_take(tiny):
    prob = Problem(parse_instance(tiny))
    sched = Schedule(prob)
    windows = Neighbourhoods(prob, random.Random(1))
    win = windows.pick(sched)
    work, optimal = improve.solve_window(sched, win, by_date(prob), 2.0, 1, False, until=time.monotonic() - 1)
    assert (work, optimal) == (0.0, False)
    assert not sched.at
    work, _ = improve.solve_window(sched, win, by_date(prob), 2.0, 1, False)
    assert sched.at  # with time, the same window places performances


def test_the_search_is_left_out_where_loading_cp_sat_would_not_fit_at_the_pace(monkeypatch, tiny):
    monkeypatch.delitem(sys.modules, "ortools.sat.python.cp_model", raising=False)
    called: list[bool] = []
    monkeypatch.setattr(improve, "improve", lambda prob, sched, *args, **kwargs: called.append(True) or (sched, 0.0))
    monkeypatch.setattr(Pace, "share", lambda self: MIN_SHARE)  # the import would take 7 s of a 3 s limit
    assert check(tiny, solve(tiny, time_limit=3)).ok
    assert not called
    monkeypatch.setattr(Pace, "share", lambda self: 1.0)
    solve(tiny, time_limit=3)
    assert called
