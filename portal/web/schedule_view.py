"""The schedule page's week and cast filters, shared by the company's page and the council's read-only one."""

from __future__ import annotations

from datetime import timedelta

from flask import request

from portal.clock import today
from portal.domain.numbers import whole_number
from portal.models import Season
from portal.services import schedules
from portal.web.fields import database_id, parse_iso_date


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
        "weeks": weeks,
        "week": week,
        "previous_week": max((monday for monday in weeks if week and monday < week), default=None),
        "next_week": min((monday for monday in weeks if week and monday > week), default=None),
        "cast_id": cast_id,
        "performances": schedules.season_performances(season, cast_id=cast_id, start=week, end=end),
    }
