"""Reach: how many pupils have seen the drama and discussed it in class, against the target.

Seen the drama: pupils who attended delivered performances. Discussed in class: for each school, season and year
group, the largest number of pupils in any one delivered follow-up lesson, never more than attended that year
group's performances (so a pack of four lessons does not count a class four times); that count falls on the date
of the first lesson that reached it. Every breakdown splits both totals exactly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Attendance:
    """Pupils of one year group at one delivered performance."""

    school_id: int
    district: str
    season_id: int
    day: date
    year_group: int
    pupils: int


@dataclass(frozen=True)
class Lesson:
    school_id: int
    district: str
    season_id: int
    day: date
    year_group: int
    pupils: int


@dataclass(frozen=True)
class Planned:
    """A confirmed performance still to come (or, with confirmed False, a provisional one the school may confirm)."""

    school_id: int
    district: str
    season_id: int
    day: date
    pupils: int
    confirmed: bool = True


@dataclass(frozen=True)
class Period:
    """What officers report on: a season, a date range, or both (None = no limit)."""

    season_id: int | None = None
    start: date | None = None
    end: date | None = None

    def covers(self, season_id: int, day: date) -> bool:
        return (
            (self.season_id is None or season_id == self.season_id)
            and (self.start is None or day >= self.start)
            and (self.end is None or day <= self.end)
        )


@dataclass
class Figures:
    seen_drama: int = 0
    discussed_in_class: int = 0
    planned: int = 0


@dataclass
class Reach:
    target: int
    totals: Figures
    schools_reached: int
    schools_total: int
    # Pupils in provisional performances from today on: what planned would gain if the schools confirm them all.
    provisional: int = 0
    by_district: dict[str, Figures] = field(default_factory=dict)
    by_school: dict[int, Figures] = field(default_factory=dict)
    by_year_group: dict[int, Figures] = field(default_factory=dict)
    by_month: dict[str, Figures] = field(default_factory=dict)


def discussed_counts(attendance: list[Attendance], lessons: list[Lesson]) -> list[Lesson]:
    """One entry per (school, season, year group): the counted pupils, dated by the first lesson that reached them."""
    attended: dict[tuple, int] = defaultdict(int)
    for row in attendance:
        attended[(row.school_id, row.season_id, row.year_group)] += row.pupils
    best: dict[tuple, Lesson] = {}
    for lesson in sorted(lessons, key=lambda lesson: lesson.day):
        key = (lesson.school_id, lesson.season_id, lesson.year_group)
        counted = min(lesson.pupils, attended.get(key, 0))
        if counted > 0 and (key not in best or counted > best[key].pupils):
            best[key] = Lesson(
                lesson.school_id, lesson.district, lesson.season_id, lesson.day, lesson.year_group, counted
            )
    return sorted(best.values(), key=lambda lesson: (lesson.day, lesson.school_id, lesson.year_group))


def _count(reach: Reach, district: str, school_id: int, day: date, year_group: int | None, **figures: int) -> None:
    """Add figures to the totals and to every breakdown the row belongs to."""
    tables: list[dict[Any, Figures]] = [reach.by_district, reach.by_school, reach.by_month]
    keys: list[Any] = [district, school_id, f"{day:%Y-%m}"]
    if year_group is not None:  # planned performances are not split by year group
        tables.append(reach.by_year_group)
        keys.append(year_group)
    targets = [reach.totals] + [table.setdefault(key, Figures()) for table, key in zip(tables, keys, strict=True)]
    for target in targets:
        for name, value in figures.items():
            setattr(target, name, getattr(target, name) + value)


def compute_reach(
    attendance: list[Attendance],
    lessons: list[Lesson],
    planned: list[Planned],
    *,
    target: int,
    schools_total: int,
    period: Period = Period(),
) -> Reach:
    """The programme's reach in a period, with breakdowns by district, school, year group and month."""
    reach = Reach(target=target, totals=Figures(), schools_reached=0, schools_total=schools_total)
    reached = set()
    for row in attendance:
        if period.covers(row.season_id, row.day) and row.pupils:
            reached.add(row.school_id)
            _count(reach, row.district, row.school_id, row.day, row.year_group, seen_drama=row.pupils)
    for lesson in discussed_counts(attendance, lessons):
        if period.covers(lesson.season_id, lesson.day):
            _count(
                reach,
                lesson.district,
                lesson.school_id,
                lesson.day,
                lesson.year_group,
                discussed_in_class=lesson.pupils,
            )
    for plan in planned:
        if period.covers(plan.season_id, plan.day) and plan.confirmed:
            _count(reach, plan.district, plan.school_id, plan.day, None, planned=plan.pupils)
        elif period.covers(plan.season_id, plan.day):
            reach.provisional += plan.pupils
    reach.schools_reached = len(reached)
    for name in ("by_district", "by_school", "by_year_group", "by_month"):
        setattr(reach, name, dict(sorted(getattr(reach, name).items())))
    return reach


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last inclusive ("2026-11" ... "2027-02"), the months without figures included."""
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def running_totals(by_month: dict[str, Figures], today: date, end: date | None = None) -> list[tuple[str, int, int]]:
    """(month, seen so far, discussed so far) for every month from the first with figures to this month (or to the
    period's end, when that is earlier): a month without deliveries keeps the total of the month before."""
    last = month_key(min(today, end) if end else today)
    reached = [month for month, f in by_month.items() if (f.seen_drama or f.discussed_in_class) and month <= last]
    if not reached:
        return []
    seen = discussed = 0
    totals = []
    for month in months_between(min(reached), last):
        figures = by_month.get(month, Figures())
        seen, discussed = seen + figures.seen_drama, discussed + figures.discussed_in_class
        totals.append((month, seen, discussed))
    return totals


def projection(by_month: dict[str, Figures], target: int, today: date) -> dict:
    """At the pace of the months so far, when the seen-the-drama total would reach the target."""
    months = [month for month, figures in by_month.items() if figures.seen_drama and month <= f"{today:%Y-%m}"]
    seen = sum(by_month[month].seen_drama for month in months)
    if not months or seen == 0:
        return {"per_month": 0, "months_to_target": None}
    per_month = seen / len(months)
    remaining = max(0, target - seen)
    return {"per_month": round(per_month), "months_to_target": math.ceil(remaining / per_month)}


@dataclass(frozen=True)
class Evaluation:
    school_id: int
    district: str
    respondents: int
    confident_before: int
    confident_after: int
    know_help_before: int
    know_help_after: int
    staff_rating: int


EVALUATION_COUNTS = ("respondents", "confident_before", "confident_after", "know_help_before", "know_help_after")


def summarise_evaluations(returns: list[Evaluation]) -> dict:
    """Questionnaire counts added up, with before/after shares and the mean staff rating."""
    counts = {name: sum(getattr(r, name) for r in returns) for name in EVALUATION_COUNTS}
    return evaluation_figures(counts, len(returns), sum(r.staff_rating for r in returns))


def evaluation_figures(counts: dict[str, int], returns: int, rating_sum: int) -> dict:
    """The summary of some returns from their added-up counts, their number and their staff ratings' sum."""
    total: dict = {name: counts[name] for name in EVALUATION_COUNTS}
    total["returns"] = returns
    total["staff_rating"] = round(rating_sum / returns, 1) if returns else None
    respondents = total["respondents"]
    for name in ("confident_before", "confident_after", "know_help_before", "know_help_after"):
        total[f"{name}_share"] = round(total[name] / respondents, 3) if respondents else None
    return total
