"""The rows of the longest lists, drawn in Python rather than a Jinja loop: a page of fifty rows of several cells and
a link each spent most of its time in template expressions and url_for calls. Each gives the HTML the template's loop
gave, every value escaped."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

from portal.domain.wording import long_date
from portal.services.account_lists import ApprovalRow, UserRow
from portal.services.audit_lists import AuditRow
from portal.services.performance_queries import PerformanceRow
from portal.services.programme_lists import RequestRow
from portal.services.request_lists import SeasonRequestRow
from portal.web.filters import audit_action, london_time
from portal.web.row_links import RowLink
from portal.web.tags import performance_tag, status_tag, tag


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


def _school_cell(link: str, name: str, hidden: str, town: str, urn: str) -> str:
    """A school's name linking to the row's page, with words for screen readers, then its town and URN."""
    return (
        f'<td class="govuk-table__cell" data-label="School"><a class="govuk-link" href="{escape(link)}">{escape(name)}'
        f'{hidden}</a><br><span class="govuk-body-s">{escape(town)}, URN {escape(urn)}</span></td>'
    )


def _sent_cell(created_at: datetime) -> str:
    return f'<td class="govuk-table__cell" data-label="Sent">{escape(london_time(created_at).split(",")[0])}</td>'


def performance_rows(performances: list[PerformanceRow]) -> Markup:
    """The council's performances: date and time, school, district, cast, pupils planned, status."""
    detail = RowLink("council.performance_detail", ("performance_id",))
    rows = []
    for row in performances:
        hidden = f'<span class="govuk-visually-hidden">: performance {row.id}</span>'
        when = f"{escape(long_date(row.day))}, {escape(row.slot_label)}"
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell" data-label="Date">{when}</td>'
            f"{_school_cell(detail(row.id), row.school_name, hidden, row.school_town, row.school_urn)}"
            f'<td class="govuk-table__cell" data-label="District">{escape(row.school_district)}</td>'
            f'<td class="govuk-table__cell" data-label="Cast">{escape(row.cast_name)}</td>'
            '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Pupils planned">'
            f"{row.pupils_planned}</td>"
            f'<td class="govuk-table__cell" data-label="Status">{performance_tag(row)}</td>'
            "</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def request_rows(requests: list[RequestRow], stages: dict[int, Any]) -> Markup:
    """The council's requests: school, district, production, season, pupils, stage (or status), day sent."""
    detail = RowLink("council.request_detail", ("request_id",))
    rows = []
    for row in requests:
        hidden = f'<span class="govuk-visually-hidden">: request {row.id}</span>'
        rows.append(
            '<tr class="govuk-table__row">'
            f"{_school_cell(detail(row.id), row.school_name, hidden, row.school_town, row.school_urn)}"
            f'<td class="govuk-table__cell" data-label="District">{escape(row.school_district)}</td>'
            f'<td class="govuk-table__cell" data-label="Production">{escape(row.production_title)}</td>'
            f'<td class="govuk-table__cell" data-label="Season">{escape(row.season_name)}</td>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Pupils">{row.pupils}</td>'
            f'<td class="govuk-table__cell" data-label="Status">{status_tag(stages.get(row.id) or row.status)}</td>'
            f"{_sent_cell(row.created_at)}"
            "</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def season_request_rows(listed: list[SeasonRequestRow], stages: dict[int, Any]) -> Markup:
    """The company's requests of a season: school, production, pupils, year groups, dates offered (and preferred),
    priority, stage (or status), day sent."""
    detail = RowLink("company.request_detail", ("request_id",))
    rows = []
    for row in listed:
        years = ", ".join(str(year) for year in row.year_groups)
        preferred = f" ({row.preferred_dates} preferred)" if row.preferred_dates else ""
        stage = status_tag(stages.get(row.id) or row.status)
        rows.append(
            '<tr class="govuk-table__row">'
            f"{_school_cell(detail(row.id), row.school_name, '', row.school_town, row.school_urn)}"
            f'<td class="govuk-table__cell" data-label="Production">{escape(row.production_title)}</td>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Pupils">{row.pupils}</td>'
            f'<td class="govuk-table__cell" data-label="Year groups">{years}</td>'
            '<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Dates offered">'
            f"{row.dates_offered}{preferred}</td>"
            f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Priority">{row.school_priority}</td>'
            f'<td class="govuk-table__cell" data-label="Status">{stage}</td>'
            f"{_sent_cell(row.created_at)}"
            "</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def pipeline_rows(listed: list[Any], steps: list[tuple[str, str]]) -> Markup:
    """The reach pipeline by school: school, district, and the pupils at each step (rows of
    portal.services.reach_lists.school_pipeline, steps as (key, label) pairs)."""
    cells = [
        (key, f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="{escape(label)}">')
        for key, label in steps
    ]
    rows = []
    for row in listed:
        school = row.school
        counts = "".join(f"{cell}{getattr(row.steps, key):,}</td>" for key, cell in cells)
        rows.append(
            f'<tr class="govuk-table__row" data-school-id="{school.id}">'
            f'<td class="govuk-table__cell" data-label="School">{escape(school.name)}<br>'
            f'<span class="govuk-body-s">{escape(school.town)}, URN {escape(school.urn)}</span></td>'
            f'<td class="govuk-table__cell" data-label="District">{escape(school.district)}</td>'
            f"{counts}</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def _school_and_time_cells(row: PerformanceRow, detail: RowLink) -> str:
    """A performance's school, linking to its page, and its day and start time."""
    return (
        f'<td class="govuk-table__cell" data-label="School"><a class="govuk-link" href="{escape(detail(row.id))}">'
        f"{escape(row.school_name)}</a></td>"
        f'<td class="govuk-table__cell" data-label="Performance">{escape(long_date(row.day))}, '
        f"{escape(row.slot_label)}</td>"
    )


def to_record_rows(performances: list[PerformanceRow]) -> Markup:
    """The company's performances to record: school, day and time, cast."""
    detail = RowLink("company.performance_detail", ("performance_id",))
    rows = [
        f'<tr class="govuk-table__row">{_school_and_time_cells(row, detail)}'
        f'<td class="govuk-table__cell" data-label="Cast">{escape(row.cast_name)}</td></tr>'
        for row in performances
    ]
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def lapsing_rows(performances: list[PerformanceRow], detail_endpoint: str) -> Markup:
    """Performances about to lapse (company's or council's home): school, day and time, pupils, confirm-by date."""
    detail = RowLink(detail_endpoint, ("performance_id",))
    rows = []
    for row in performances:
        confirm_by = long_date(row.confirm_by) if row.confirm_by else ""  # the list's filter names a date
        rows.append(
            f'<tr class="govuk-table__row">{_school_and_time_cells(row, detail)}'
            f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Pupils">{row.pupils_planned}</td>'
            f'<td class="govuk-table__cell" data-label="Confirm by">{escape(confirm_by)}</td></tr>'
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def approval_rows(accounts: list[ApprovalRow], inviters: dict[int, Any]) -> Markup:
    """The council's queue of accounts waiting: name (linking to the decision), job and who invited them; school and
    URN; e-mail address; whether it is confirmed; when they asked."""
    decide = RowLink("council.approval_decide", ("user_id",))
    rows = []
    for account in accounts:
        inviter = inviters.get(account.id)
        invited = f'<br><span class="govuk-body-s">Invited by {escape(inviter.full_name)}</span>' if inviter else ""
        confirmed = tag("Confirmed", "green") if account.email_verified_at else tag("Not yet", "grey")
        rows.append(
            '<tr class="govuk-table__row"><td class="govuk-table__cell">'
            f'<a class="govuk-link" href="{escape(decide(account.id))}">{escape(account.full_name)}'
            '<span class="govuk-visually-hidden">: decide</span></a><br>'
            f'<span class="govuk-body-s">{escape(account.job_title)}</span>{invited}</td>'
            f'<td class="govuk-table__cell">{escape(account.school_name)} (URN {escape(account.school_urn)})</td>'
            f'<td class="govuk-table__cell">{escape(account.email)}</td>'
            f'<td class="govuk-table__cell">{confirmed}</td>'
            f'<td class="govuk-table__cell">{escape(london_time(account.created_at))}</td>'
            "</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def user_rows(accounts: list[UserRow], role_labels: dict[Any, str], invited: set[int]) -> Markup:
    """The administrator's accounts: e-mail address (linking to the account) and name, role, school, status."""
    detail = RowLink("admin.user_detail", ("user_id",))
    rows = []
    for account in accounts:
        name = f'<br><span class="govuk-body-s">{escape(account.full_name)}</span>' if account.full_name else ""
        if not account.active:
            status = "Deactivated"
        elif account.id in invited:
            status = "Invited: no password yet"
        else:
            status = account.approval_state.value.capitalize()
        rows.append(
            '<tr class="govuk-table__row"><td class="govuk-table__cell">'
            f'<a class="govuk-link" href="{escape(detail(account.id))}">{escape(account.email)}</a>{name}</td>'
            f'<td class="govuk-table__cell">{escape(role_labels[account.role])}</td>'
            f'<td class="govuk-table__cell">{escape(account.school_name or "")}</td>'
            f'<td class="govuk-table__cell">{escape(status)}</td>'
            "</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def audit_rows(events: list[AuditRow]) -> Markup:
    """The audit log: when, who (or the role of an account since removed), what, the record (an account links to
    it), outcome."""
    account = RowLink("admin.user_detail", ("user_id",))
    rows = []
    for event in events:
        if event.actor_email:
            who = f'{escape(event.actor_name)}<br><span class="govuk-body-s">{escape(event.actor_email)}</span>'
        elif event.actor_role:
            who = f"{escape(event.actor_role.capitalize())} (account removed)"
        else:
            who = "Nobody signed in"
        detail = f'<br><span class="govuk-body-s">{escape(event.detail)}</span>' if event.detail else ""
        if event.object_type == "user" and event.object_id:
            record = f'<a class="govuk-link" href="{escape(account(event.object_id))}">Account {event.object_id}</a>'
        else:
            record = f"{escape(event.object_type.capitalize())}{f' {event.object_id}' if event.object_id else ''}"
        outcome = tag("Done", "green") if event.outcome == "ok" else tag(event.outcome.capitalize(), "red")
        rows.append(
            f'<tr class="govuk-table__row" data-event="{event.id}">'
            f'<td class="govuk-table__cell">{escape(london_time(event.at))}</td>'
            f'<td class="govuk-table__cell">{who}</td>'
            f'<td class="govuk-table__cell">{escape(audit_action(event.action))}{detail}</td>'
            f'<td class="govuk-table__cell">{record}</td>'
            f'<td class="govuk-table__cell">{outcome}</td>'
            "</tr>"
        )
    return Markup("".join(rows))  # noqa: S704 (every part is escaped)


def register_list_rows(app: Flask) -> None:
    rows = (schedule_rows, school_rows, performance_rows, request_rows, season_request_rows, pipeline_rows)
    rows += (to_record_rows, lapsing_rows, approval_rows, user_rows, audit_rows)
    for function in rows:
        app.jinja_env.globals[function.__name__] = function
