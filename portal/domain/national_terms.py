"""The national data set's seasons: English school terms, one season each, the last one still open for requests.

A season is a term (autumn, spring, summer) less its half-term week (blackout days) and England's bank holidays.
Requests close five weeks before the term starts; the company publishes a week later and schools have two weeks to
confirm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

REQUEST_DEADLINE_BEFORE_START = timedelta(weeks=5)
PUBLISHED_AFTER_DEADLINE = timedelta(weeks=1)
CONFIRM_WITHIN = timedelta(weeks=2)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _monday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _friday_on_or_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 4) % 7)


@dataclass(frozen=True)
class Term:
    name: str
    starts_on: date
    ends_on: date
    half_term: tuple[date, ...]  # the weekdays of its half-term week

    @property
    def request_deadline(self) -> date:
        return self.starts_on - REQUEST_DEADLINE_BEFORE_START

    @property
    def published_on(self) -> date:
        return self.request_deadline + PUBLISHED_AFTER_DEADLINE

    @property
    def confirm_by(self) -> date:
        return self.published_on + CONFIRM_WITHIN


def _term(name: str, starts_on: date, ends_on: date, half_term_day: date) -> Term:
    monday = _monday_on_or_before(half_term_day)
    return Term(name, starts_on, ends_on, tuple(monday + timedelta(days=n) for n in range(5)))


def school_year_terms(year: int) -> list[Term]:
    """The terms of the school year starting in September of `year` (dates as most English schools keep them)."""
    return [
        _term(f"Autumn {year}", _monday_on_or_after(date(year, 9, 2)), _friday_on_or_before(date(year, 12, 19)),
              date(year, 10, 27)),
        _term(f"Spring {year + 1}", _monday_on_or_after(date(year + 1, 1, 5)),
              _friday_on_or_before(date(year + 1, 3, 31)), date(year + 1, 2, 17)),
        _term(f"Summer {year + 1}", _monday_on_or_after(date(year + 1, 4, 15)),
              _friday_on_or_before(date(year + 1, 7, 20)), _monday_on_or_before(date(year + 1, 5, 31))),
    ]  # fmt: skip


def tour_terms(today: date, count: int) -> list[Term]:
    """The `count` consecutive terms ending with the first whose request deadline is still to come (the open season);
    the one before it is touring now, or about to."""
    school_year = today.year if today.month >= 8 else today.year - 1
    first_year = school_year - (count // 3 + 2)
    terms = [term for year in range(first_year, school_year + 2) for term in school_year_terms(year)]
    open_index = next(index for index, term in enumerate(terms) if term.request_deadline > today)
    return terms[max(0, open_index - count + 1) : open_index + 1]
