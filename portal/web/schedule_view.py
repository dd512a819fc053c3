"""The schedule page's week and cast filters, shared by the company's page and the council's read-only one."""

from __future__ import annotations

from datetime import date, timedelta

from flask import request

from portal.clock import today
from portal.domain.numbers import whole_number
from portal.domain.wording import long_date
from portal.models import Season
from portal.services import schedules
from portal.web.fields import database_id, parse_iso_date
from portal.web.list_search import list_asked, list_context, list_search_form


def schedule_context(season: Season) -> dict:
    """The weeks of the season, the week (this week by default) and cast asked for in the query string, that week's
    performances, and the weeks before and after it for the previous and next links."""
    weeks = schedules.weeks_of(season)
    week = parse_iso_date(request.args.get("week"))
    week = schedules.week_start(week) if week else schedules.opening_week(weeks, today())
    cast_id = database_id(request.args.get("cast", type=whole_number))
    end = week + timedelta(days=6) if week else None
    return {
        "title": f"Schedule: {season.name}",
        "season": season,
        "week_choices": [(monday.isoformat(), long_date(monday)) for monday in weeks],
        "week": week,
        "previous_week": max((monday for monday in weeks if week and monday < week), default=None),
        "next_week": min((monday for monday in weeks if week and monday > week), default=None),
        "cast_id": cast_id,
        "casts": schedules.cast_names(season),
        **_week_listing(season, week, end, cast_id),
    }


def _week_listing(season: Season, week: date | None, end: date | None, cast_id: int | None) -> dict:
    """The week's performances a page at a time, found by school, with links that keep the week, cast and search."""
    form = list_search_form("Search by school name, town or URN", {"time": "Date and time"})
    listing = schedules.week_page(season, list_asked(form), cast_id=cast_id, start=week, end=end)
    arguments = {"season_id": season.id, "week": week.isoformat() if week else None, "cast": cast_id}
    return {"performances": listing.rows, **list_context(form, listing, request.endpoint or "", **arguments)}
