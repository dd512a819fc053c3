"""Term calendars: which days of a season anyone can perform on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time, timedelta
from functools import cache

import holidays


@cache
def bank_holidays(year: int) -> dict[date, str]:
    """England's bank holidays in a year, by date."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays_between(start: date, end: date) -> dict[date, str]:
    """Bank holidays from start to end inclusive that fall on a weekday (the ones that cost a school day)."""
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in bank_holidays(year).items():
            if start <= day <= end and day.weekday() < 5:
                found[day] = name
    return dict(sorted(found.items()))


def season_days(start: date, end: date, blackout: set[date] | frozenset[date] = frozenset()) -> list[date]:
    """Weekdays from start to end inclusive, less England's bank holidays and the season's blackout days."""
    closed = set(bank_holidays_between(start, end)) | set(blackout)
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            days.append(day)
        day += timedelta(days=1)
    return days


def clock_label(moment: time) -> str:
    """9:15am, 1:30pm: GOV.UK style for times of day."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d}{'am' if moment.hour < 12 else 'pm'}"


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def by_week(days: Iterable[date]) -> dict[date, list[date]]:
    """Days grouped under the Monday of their week, weeks and days in order."""
    weeks: dict[date, list[date]] = {}
    for day in sorted(set(days)):
        weeks.setdefault(week_start(day), []).append(day)
    return weeks


def weekdays_in_words(days: Iterable[date]) -> str:
    """The days of one week in words: "Monday to Friday", "Monday to Wednesday", "Tuesday and Thursday"."""
    ordered = sorted(set(days))
    names = [f"{day:%A}" for day in ordered]
    if len(names) >= 3 and (ordered[-1] - ordered[0]).days == len(ordered) - 1:
        return f"{names[0]} to {names[-1]}"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
