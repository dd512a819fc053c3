"""Staff trained: people who completed CSE training, against the council's target (7,500 by default).

A person is counted once per course level, at their first completion at that level (a session attended or the
e-learning course), however many sessions they attend afterwards; a person trained at both levels counts once at each.
That first completion decides everything the person is counted under: its month, and the agency, job role and
district they gave then. So every breakdown (by level, agency, job role, district, month) splits the total exactly,
and periods that do not overlap add up to the whole programme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from portal.domain.training import CourseLevel

LEVELS = tuple(CourseLevel)


@dataclass
class TrainedCounts:
    """People trained at each level (each person once per level)."""

    by_level: dict[CourseLevel, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def total(self) -> int:
        return sum(self.by_level.values())

    def add(self, level: CourseLevel, people: int) -> None:
        self.by_level[level] += people


@dataclass
class TrainingReach:
    target: int
    totals: TrainedCounts
    by_agency: dict[str, TrainedCounts]
    by_role: dict[str, TrainedCounts]
    by_district: dict[str, TrainedCounts]
    by_month: dict[str, TrainedCounts]

    @property
    def staff_trained(self) -> int:
        return self.totals.total


# People first trained at a level in the period, grouped one way: (level, group name, people).
GroupRows = Iterable[tuple[CourseLevel, str, int]]


def breakdown(rows: GroupRows, names: Iterable[str] = ()) -> dict[str, TrainedCounts]:
    """Counts per group name, in name order; the names given are listed even where nobody has been trained yet (an
    agency nobody from is trained is what the council needs to see)."""
    table: dict[str, TrainedCounts] = {name: TrainedCounts() for name in names}
    for level, name, people in rows:
        table.setdefault(name, TrainedCounts()).add(level, people)
    return dict(sorted(table.items(), key=lambda item: item[0].casefold()))


def months_in_order(rows: GroupRows) -> dict[str, TrainedCounts]:
    """Counts per "YYYY-MM", oldest first: only months in which someone was first trained."""
    table: dict[str, TrainedCounts] = {}
    for level, month, people in rows:
        table.setdefault(month, TrainedCounts()).add(level, people)
    return dict(sorted(table.items()))


def period_within_season(
    start: date | None, end: date | None, season_dates: tuple[date, date] | None
) -> tuple[date | None, date | None]:
    """Training has no seasons: a season chosen on the reach page stands for its dates, narrowed by any from/to."""
    if season_dates is None:
        return start, end
    season_start, season_end = season_dates
    return max(start or season_start, season_start), min(end or season_end, season_end)
