"""Typed readers for JSON fields: each raises InstanceError naming the place and the fault."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

# [0-9], not \d: \d also matches other scripts' digits, which int() would then read.
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TIME_RE = re.compile(r"([0-9]{2}):([0-9]{2})")


class InstanceError(ValueError):
    """A malformed instance or allocation; the message is one line naming place and fault."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def show(value: Any) -> str:
    """A short JSON rendering of a bad value for an error message."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def get_field(obj: dict, key: str, where: str, default: Any = ...) -> Any:
    """obj[key], or `default`; a missing required key is an error."""
    if key not in obj:
        if default is ...:
            raise InstanceError(f"{where}.{key}: missing" if where else f"{key}: missing")
        return default
    return obj[key]


def as_object(value: Any, where: str) -> dict:
    """The value, which must be a JSON object."""
    if not isinstance(value, dict):
        raise InstanceError(f"{where}: expected an object, got {show(value)}")
    return value


def as_list(value: Any, where: str, nonempty: bool = False) -> list:
    """The value, which must be a list (non-empty if asked)."""
    if not isinstance(value, list):
        raise InstanceError(f"{where}: expected a list, got {show(value)}")
    if nonempty and not value:
        raise InstanceError(f"{where}: empty")
    return value


def as_str(value: Any, where: str) -> str:
    """The value, which must be a non-empty string."""
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{where}: expected a non-empty string, got {show(value)}")
    return value


def as_int(value: Any, where: str, low: int | None = None, high: int | None = None) -> int:
    """The value, which must be an integer within [low, high]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{where}: expected an integer, got {show(value)}")
    if low is not None and value < low:
        raise InstanceError(f"{where}: {value} is below the minimum {low}")
    if high is not None and value > high:
        raise InstanceError(f"{where}: {value} is above the maximum {high}")
    return value


def as_num(value: Any, where: str, low: float, high: float, strict_low: bool = False) -> float:
    """The value, which must be a number within range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise InstanceError(f"{where}: expected a number, got {show(value)}")
    if value < low or (strict_low and value == low) or value > high:
        raise InstanceError(f"{where}: {value} is out of range")
    return float(value)


def parse_date(value: Any, where: str) -> str:
    """Validate a YYYY-MM-DD calendar date and return it unchanged."""
    if not isinstance(value, str):
        raise InstanceError(f"{where}: expected a date string, got {show(value)}")
    try:
        if not _DATE_RE.fullmatch(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise InstanceError(f"{where}: {show(value)} is not a date") from None
    return value


def as_time(value: Any, where: str) -> int:
    """Minutes after midnight of an HH:MM time."""
    match = _TIME_RE.fullmatch(value) if isinstance(value, str) else None
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InstanceError(f"{where}: {show(value)} is not a time (HH:MM)")
    return int(match[1]) * 60 + int(match[2])


def as_dates(value: Any, where: str) -> tuple[str, ...]:
    """A list of distinct dates."""
    items = as_list(value, where)
    seen: set[str] = set()
    for i, item in enumerate(items):
        parse_date(item, f"{where}[{i}]")
        if item in seen:
            raise InstanceError(f"{where}[{i}]: {show(item)} is repeated")
        seen.add(item)
    return tuple(items)


def as_ids(items: list, where: str, kind: str, known: dict) -> tuple[str, ...]:
    """A list of ids that must all be known."""
    out = []
    for i, item in enumerate(items):
        ident = as_str(item, f"{where}[{i}]")
        if ident not in known:
            raise InstanceError(f"{where}[{i}]: no {kind} {show(ident)}")
        out.append(ident)
    return tuple(out)


def check_unique(items: list[Any], where: str) -> None:
    """Refuse a repeated id among parsed items."""
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise InstanceError(f"{where}[{i}].id: {show(item.id)} is repeated")
        seen.add(item.id)
