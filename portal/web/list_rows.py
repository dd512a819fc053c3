"""The rows of the longest lists, drawn in Python rather than a Jinja loop: a page of fifty rows of several cells and
a link each spent most of its time in template expressions and url_for calls. Each gives the HTML the template's loop
gave, every value escaped."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from portal.domain.wording import long_date
from portal.services.performance_queries import PerformanceRow
from portal.web.row_links import RowLink
from portal.web.tags import performance_tag


def schedule_rows(performances: list[PerformanceRow], season_id: int, read_only: bool) -> Markup:
    """The schedule's week: date (with the company's link to the cast's day sheet), time, cast, school, pupils and
    status."""
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


def school_rows(schools: list[Any]) -> Markup:
    """The council's schools directory (rows of portal.services.school_lists.ROW_COLUMNS): name and link, town and
    URN, district, pupils on roll, priority."""
    detail = RowLink("council.school_detail", ("school_id",))
    rows = []
    for school in schools:
        pupils = school.pupils_on_roll if school.pupils_on_roll is not None else "Not known"
        link = f'<a class="govuk-link" href="{escape(detail(school.id))}">{escape(school.name)}</a>'
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell" data-label="School">{link}<br>'
            f'<span class="govuk-body-s">{escape(school.town)}, URN {escape(school.urn)}</span></td>'
            f'<td class="govuk-table__cell" data-label="District">{escape(school.district)}</td>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Pupils on roll">{pupils}</td>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Priority">{school.priority}</td>'
            "</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def register_list_rows(app: Flask) -> None:
    for function in (schedule_rows, school_rows):
        app.jinja_env.globals[function.__name__] = function
