"""Large-neighbourhood search: re-solve a window of dates x casts exactly with CP-SAT.

Travel only couples one cast's performances on one date, so a window frees every
non-pinned performance of some casts on some dates and re-optimises them with everything
else fixed. Travel is modelled per cast, date and pair of slots without pairwise clauses:
a cast holds at most one performance per slot, so "B at the later slot" excludes the sum
of the earlier-slot variables at schools incompatible with B (or, when shorter, the earlier
slot being busy minus the compatible ones).
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from collections.abc import Callable

from .objective import Score, lexicographic_weights
from .problem import Problem
from .schedule import Schedule
from .windows import Neighbourhoods, Window

SUB_SECONDS = 2.0
SUB_DETERMINISTIC = 0.5


def _window_perfs(sched: Schedule, win: Window) -> list[tuple[int, int, int, int]]:
    casts, requests = set(win.casts), win.requests
    return [
        (r, d, s, c)
        for day in win.dates
        for (c, d, s), r in sched.on_date.get(day, {}).items()
        if c in casts and (requests is None or r in requests)
    ]


def _fixed(sched: Schedule, win: Window, freed: list) -> dict[tuple[int, int], list[tuple[int, int, str]]]:
    """What stays on each of the window's cast days: pinned performances, and those of requests it does not move."""
    gone = {(c, d, s) for _, d, s, c in freed}
    return {
        (c, d): [item for item in sched.day.get((c, d), ()) if (c, d, item[0]) not in gone]
        for c in win.casts
        for d in win.dates
    }


def _candidates(sched: Schedule, win: Window, freed: list, fixed: dict, by_date: list) -> list:
    """Placements (r, d, s, c) the window may use once its own performances are removed."""
    prob = sched.prob
    casts, requests = set(win.casts), win.requests
    out = []
    freed_school = {(prob.req_school[r], d, s) for r, d, s, _ in freed}
    for d in win.dates:
        for r, s in by_date[d]:
            if requests is not None and r not in requests:
                continue
            school = prob.req_school[r]
            if (school, d, s) in sched.school_busy and (school, d, s) not in freed_school:
                continue
            for c in prob.casts_for(prob.req_prod[r], d):
                if c in casts and _fits_day(prob, fixed[(c, d)], r, s, c):
                    out.append((r, d, s, c))
    return out


def _fits_day(prob: Problem, items: list, r: int, s: int, c: int) -> bool:
    """Can cast c give r at slot s beside what stays on its day?"""
    if len(items) >= prob.cast_max[c]:
        return False
    school, prod = prob.req_school[r], prob.req_prod[r]
    return all(s2 != s and prob.compatible(s2, sc2, p2, s, school, prod) for s2, sc2, p2 in items)


def _travel_constraints(model, prob: Problem, x: dict) -> None:
    """Forbid incompatible pairs of one cast's performances on one day."""
    from ortools.sat.python.cp_model import LinearExpr

    groups: dict[tuple[int, int], dict[int, dict[tuple[int, str], list]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for (r, d, s, c), var in x.items():
        groups[(c, d)][s][(prob.req_school[r], prob.req_prod[r])].append(var)
    # The casts of one date meet the same schools: each pair is judged once per window, not once per cast.
    compatible: dict[tuple, bool] = {}
    for by_slot in groups.values():
        slots = sorted(by_slot, key=lambda s: prob.slot_start[s])
        for i, s1 in enumerate(slots):
            busy1 = [v for vs in by_slot[s1].values() for v in vs]
            for s2 in slots[i + 1 :]:
                for (school2, prod2), vars2 in by_slot[s2].items():
                    bad: list = []
                    good: list = []
                    for (school1, prod1), vars1 in by_slot[s1].items():
                        key = (s1, school1, prod1, s2, school2, prod2)
                        ok = compatible.get(key)
                        if ok is None:
                            ok = compatible[key] = prob.compatible(s1, school1, prod1, s2, school2, prod2)
                        (good if ok else bad).extend(vars1)
                    if not bad:
                        continue
                    if len(bad) <= len(good) + len(busy1):
                        model.add_at_most_one(vars2 + bad)
                    else:
                        model.add(LinearExpr.sum(vars2) + LinearExpr.sum(busy1) - LinearExpr.sum(good) <= 1)


def _build(prob: Problem, cands: list, fixed: dict, outside: list[int], pref_done: set[int]):
    """The CP-SAT model of one window; returns (model, x) with x keyed by (r, d, s, c)."""
    from ortools.sat.python import cp_model
    from ortools.sat.python.cp_model import LinearExpr

    model = cp_model.CpModel()
    x = {key: model.new_bool_var("") for key in cands}
    by_cast_slot, by_cast_day, by_school = (defaultdict(list) for _ in range(3))
    for (r, d, s, c), var in x.items():
        by_cast_slot[(c, d, s)].append(var)
        by_cast_day[(c, d)].append(var)
        by_school[(prob.req_school[r], d, s)].append(var)
    for vs in list(by_cast_slot.values()) + list(by_school.values()):
        if len(vs) > 1:
            model.add_at_most_one(vs)
    for (c, d), vs in by_cast_day.items():
        room = prob.cast_max[c] - len(fixed[(c, d)])
        if len(vs) > room:
            model.add(LinearExpr.sum(vs) <= room)
    _travel_constraints(model, prob, x)
    _objective(model, prob, x, outside, pref_done)
    return model, x


def _objective(model, prob: Problem, x: dict, outside: list[int], pref_done: set[int]) -> None:
    """The first three criteria of the objective, weighted so that the order is exactly lexicographic.

    Travel (the fourth) is left to the acceptance test and the polish: it would need a variable per pair of
    consecutive performances, which the window model avoids.
    """
    from ortools.sat.python.cp_model import LinearExpr

    by_req: dict[int, list] = defaultdict(list)
    for (r, d, _, _), var in x.items():
        by_req[r].append((d, var))
    pupil_terms, pupil_max, served, preferred = [], 0, [], []
    for r, items in by_req.items():
        n_in = LinearExpr.sum([v for _, v in items])
        room = prob.req_units[r] - outside[r]
        model.add(n_in <= room)
        cap, left = prob.req_cap[r], prob.req_left[r] - outside[r] * prob.req_cap[r]
        pupils = model.new_int_var(0, min(left, cap * room), "")
        model.add(pupils <= cap * n_in)  # full audiences, the last one holds what is left
        pupil_terms.append(prob.req_weight[r] * pupils)
        pupil_max += prob.req_weight[r] * min(left, cap * room)
        if outside[r] == 0 and prob.req_pinned_count[r] == 0:
            got = model.new_bool_var("")
            model.add(got <= n_in)
            served.append(got)
        pref = [v for d, v in items if d in prob.req_pref[r]]
        if pref and r not in pref_done:
            got = model.new_bool_var("")
            model.add(got <= LinearExpr.sum(pref))
            preferred.append(got)
    w_pupils, w_served, w_pref = lexicographic_weights([pupil_max, len(served), len(preferred)])
    model.maximize(
        w_pupils * LinearExpr.sum(pupil_terms) + w_served * LinearExpr.sum(served) + w_pref * LinearExpr.sum(preferred)
    )


def _preferred_outside(sched: Schedule, freed: list, cands: list) -> set[int]:
    """The window's requests already on a preferred date outside it (pinned or placed)."""
    prob = sched.prob
    inside: dict[int, int] = defaultdict(int)  # performances on a preferred date that the window frees
    for r, d, _, _ in freed:
        if d in prob.req_pref[r]:
            inside[r] += 1
    return {r for r in {key[0] for key in cands} if prob.req_pinned_pref[r] or sched.pref_count[r] > inside[r]}


def solve_window(
    sched: Schedule,
    win: Window,
    by_date: list,
    seconds: float,
    seed: int,
    deterministic: bool,
    until: float = math.inf,
) -> tuple[float, bool]:
    """Re-optimise one window in place (only if not worse); return CP-SAT's deterministic time, and whether
    it proved the window optimal (or had nothing to decide).

    CP-SAT gets `seconds`, and never past `until` (a `time.monotonic()` value) once the model is built: building
    a large window takes a second or more on a busy machine. Without 0.05 s left then, the window is not solved.
    """
    from ortools.sat.python import cp_model

    prob = sched.prob
    freed = _window_perfs(sched, win)
    outside = list(sched.count)
    for r, *_ in freed:
        outside[r] -= 1
    fixed = _fixed(sched, win, freed)
    # Requests already fully served outside the window get no variables.
    cands = [k for k in _candidates(sched, win, freed, fixed, by_date) if outside[k[0]] < prob.req_units[k[0]]]
    if not cands:
        return 0.0, True
    model, x = _build(prob, cands, fixed, outside, _preferred_outside(sched, freed, cands))
    for key in freed:
        if key in x:
            model.add_hint(x[key], 1)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.linearization_level = 2  # the LP relaxation proves these assignment-like windows fast
    # Presolve (probing, clique merging over the travel constraints) took 2-3 s of a 2 s window on national
    # shapes with three slots, so many windows ended without even the hinted solution (UNKNOWN).
    params.cp_model_presolve = False
    params.random_seed = seed
    if deterministic:
        params.max_deterministic_time = SUB_DETERMINISTIC
    else:
        seconds = min(seconds, until - time.monotonic())
        if seconds < 0.05:
            return 0.0, False
        params.max_time_in_seconds = seconds
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [key for key, var in x.items() if solver.boolean_value(var)]
        _apply(sched, freed, chosen)
    return solver.deterministic_time, status == cp_model.OPTIMAL


def _apply(sched: Schedule, freed: list, chosen: list) -> None:
    """Swap the window's performances for `chosen` if that is valid and not worse in the whole order.

    Not worse includes travel: a window that keeps the first three criteria but lengthens the drives is refused.
    """
    before = sched.score()
    for _, d, s, c in freed:
        sched.remove(c, d, s)
    placed = []
    for r, d, s, c in chosen:
        if not sched.can_place(r, d, s, c):
            break
        sched.place(r, d, s, c)
        placed.append((r, d, s, c))
    if len(placed) == len(chosen) and sched.score() >= before:
        return
    for _, d, s, c in placed:
        sched.remove(c, d, s)
    for r, d, s, c in freed:
        sched.place(r, d, s, c)


def _ceiling(prob: Problem, bound: int) -> tuple[int, int, int]:
    """First three criteria no schedule can beat (`Score.placement`): reaching them ends the search early."""
    served = preferred = 0
    for r in range(len(prob.requests)):
        live = prob.req_units[r] > 0 and bool(prob.req_cands[r])
        served += bool(prob.req_pinned_count[r]) or live
        preferred += prob.req_pinned_pref[r] or (live and any(d in prob.req_pref[r] for d, _ in prob.req_cands[r]))
    return Score(bound + prob.pinned_score.weighted, served, preferred).placement()


def improve(
    prob: Problem,
    sched: Schedule,
    deadline: float,
    seed: int,
    deterministic: bool,
    budget: float,
    bound: int,
    on_improve: Callable[[Schedule], None] | None = None,
    stop: Callable[[], bool] | None = None,
    end: Callable[[], float] | None = None,
) -> tuple[Schedule, float]:
    """LNS in place until the deadline or the deterministic work budget; returns work spent.

    `on_improve` is called with the schedule after each window that raised its pupils, requests or dates; `stop`
    before each window: when it answers True the search ends there, keeping the best schedule found. `end`, if
    given, is asked before each window for the time the search must end by (a `time.monotonic()` value) in place of
    `deadline`: the caller's reserve for what follows the search grows when the machine is busy.
    """
    if not prob.dates or not prob.casts:
        return sched, 0.0
    from ortools.sat.python import cp_model  # noqa: F401  (loading it takes a while: before the clock is read)

    ceiling = _ceiling(prob, bound)
    if end is None:

        def end() -> float:
            return deadline

    windows = Neighbourhoods(prob, random.Random(seed), budget if deterministic else end() - time.monotonic())
    rng = windows.rng
    spent = 0.0
    while sched.score().placement() < ceiling:
        if stop is not None and stop():
            break
        if deterministic:
            if spent >= budget:
                break
            seconds = math.inf
        else:
            until = end()
            seconds = min(SUB_SECONDS, until - time.monotonic())
            if seconds < 0.05:
                break
        win = windows.pick(sched)
        sub_seed = rng.randrange(1 << 30)
        before = sched.score()
        begun = time.monotonic()
        work, optimal = solve_window(
            sched, win, windows.by_date, seconds, sub_seed, deterministic, math.inf if deterministic else until
        )
        spent += max(work, 0.01)
        improved = sched.score().placement() > before.placement()
        took = max(work, 0.01) if deterministic else time.monotonic() - begun
        windows.feedback(win, optimal, sched.score().weighted - before.weighted, work, sched, took)
        if improved and on_improve is not None:
            on_improve(sched)
    return sched, spent  # windows are only ever accepted when not worse
