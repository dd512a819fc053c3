"""Words for people: dates, times, year groups and lists as GOV.UK writes them, never as a program stores them.

Pages, e-mails, calendar files and history entries all say "4 January 2027", "1:30pm" and "Year 8: 180 pupils"
through these functions, so no ISO date, slot code or dictionary reaches a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, time

from portal.domain.calendars import clock_label

# English names by number: lists print a date on every row, and strftime's %A and %B cost a call each.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def day_month_year(day: date) -> str:
    """4 January 2027."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def long_date(day: date) -> str:
    """Monday 4 January 2027 (no leading zero, no comma)."""
    return f"{DAY_NAMES[day.weekday()]} {day_month_year(day)}"


def clock_time(moment: time) -> str:
    """9:15am, 1:30pm."""
    return clock_label(moment)


def date_and_time(day: date, moment: time) -> str:
    """Monday 4 January 2027 at 1:30pm."""
    return f"{long_date(day)} at {clock_time(moment)}"


def pupils(count: int) -> str:
    """1 pupil, 180 pupils."""
    return f"{count} pupil" if count == 1 else f"{count} pupils"


def joined(items: Iterable[str], conjunction: str = "and") -> str:
    """a, b and c."""
    items = [item for item in items if item]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def year_groups(counts: Mapping[int | str, int]) -> str:
    """Year 8: 180 pupils, Year 9: 120 pupils (year groups in order; keys may be numbers or their text)."""
    ordered = sorted((int(year), count) for year, count in counts.items())
    return ", ".join(f"Year {year}: {pupils(count)}" for year, count in ordered) or "none"
