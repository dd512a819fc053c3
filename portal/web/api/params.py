"""Query-string parameters of the API, read strictly: anything unreadable is a 400 that names the parameter."""

from __future__ import annotations

import re
from datetime import date

from flask import request

from portal.models import PerformanceStatus
from portal.services import seasons
from portal.web.fields import MAX_ID

WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_PAGE = 100_000


class BadParameter(ValueError):
    """A query parameter the API cannot use; answered as 400 {"error": ..., "parameter": ...}."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _whole_number(name: str, maximum: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if not WHOLE_NUMBER.fullmatch(raw) or not 0 < int(raw) <= maximum:
        raise BadParameter(name, f"'{name}' must be a whole number from 1 to {maximum}")
    return int(raw)


def season_id() -> int | None:
    """The `season` parameter: the id of a season that exists."""
    value = _whole_number("season", MAX_ID)
    if value is not None and seasons.get_season(value) is None:
        raise BadParameter("season", f"'season' {value} is not a season")
    return value


def _date(name: str) -> date | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        if not ISO_DATE.fullmatch(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(name, f"'{name}' must be a real date written YYYY-MM-DD, like 2027-01-31") from None


def date_range() -> tuple[date | None, date | None]:
    """The `from` and `to` parameters: inclusive, and `from` no later than `to`."""
    start, end = _date("from"), _date("to")
    if start and end and start > end:
        raise BadParameter("from", "'from' must be on or before 'to'")
    return start, end


def status() -> PerformanceStatus | None:
    raw = request.args.get("status")
    if raw is None or raw == "":
        return None
    try:
        return PerformanceStatus(raw)
    except ValueError:
        allowed = ", ".join(member.value for member in PerformanceStatus)
        raise BadParameter("status", f"'status' must be one of {allowed}") from None


def page() -> int:
    return _whole_number("page", MAX_PAGE) or 1


def after() -> int | None:
    """The `after` parameter: list from the row after this id (the `next` links' keyset); not with `page`."""
    value = _whole_number("after", MAX_ID)
    if value is not None and request.args.get("page"):
        raise BadParameter("after", "'after' and 'page' cannot be used together: follow the 'next' link")
    return value
