"""The schedule page's week and cast filters and its table's rows, shared by the company's page and the council's
read-only one."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask, request
from markupsafe import Markup, escape

from portal.clock import today
from portal.domain.numbers import whole_number
from portal.domain.wording import long_date
from portal.models import Season
from portal.services import schedules
from portal.services.performance_queries import PerformanceRow
from portal.web.fields import database_id, parse_iso_date
from portal.web.list_search import list_asked, list_context, list_search_form
from portal.web.row_links import RowLink
from portal.web.tags import performance_tag


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


def schedule_rows(performances: list[PerformanceRow], season_id: int, read_only: bool) -> Markup:
    """The schedule table's rows. Drawn in Python, not a Jinja loop: a week of a national tour is fifty rows of six
    cells and two links, which as template expressions and url_for calls cost most of the page."""
    detail = RowLink("council.performance_detail" if read_only else "company.performance_detail", ("performance_id",))
    day_sheet = RowLink("company.day_sheet", ("cast_id", "day"), season_id=season_id)
    rows = []
    for row in performances:
        day = escape(long_date(row.day))
        if not read_only:
            sheet = escape(day_sheet(row.cast_id, row.day.isoformat()))
            hidden = f'<span class="govuk-visually-hidden">, day sheet for {escape(row.cast_name)}</span>'
            day = f'<a class="govuk-link" href="{sheet}">{day}{hidden}</a>'
        pupils = row.pupils_attended if row.pupils_attended is not None else row.pupils_planned
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell" data-label="Date">{day}</td>'
            f'<td class="govuk-table__cell" data-label="Time">{escape(row.slot_label)}</td>'
            f'<td class="govuk-table__cell" data-label="Cast">{escape(row.cast_name)}</td>'
            f'<td class="govuk-table__cell" data-label="School"><a class="govuk-link" href="{escape(detail(row.id))}">'
            f"{escape(row.school_name)}</a></td>"
            f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Pupils">{pupils}</td>'
            f'<td class="govuk-table__cell" data-label="Status">{performance_tag(row)}</td>'
            "</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def register_schedule_rows(app: Flask) -> None:
    app.jinja_env.globals["schedule_rows"] = schedule_rows
