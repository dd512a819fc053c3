"""Template filters: dates and times in England's wall-clock time, and the names of audit actions."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup

from portal.clock import LONDON
from portal.domain import wording
from portal.domain.calendars import clock_label
from portal.domain.requests import request_reference
from portal.domain.training import BOOKING_LABELS, BookingStatus, SessionStatus
from portal.models import ApprovalState, PerformanceStatus, RequestStatus, Role, RunStatus
from portal.models.seasons import SeasonStatus

AUDIT_ACTIONS = {
    "request.submitted": "Request sent",
    "request.updated": "Request changed",
    "request.withdrawn": "Request withdrawn",
    "account.registered": "Account asked for",
    "account.approved": "Account approved",
    "account.refused": "Account refused",
    "account.created": "Account created",
    "account.role_changed": "Role changed",
    "account.deactivated": "Account deactivated",
    "account.reactivated": "Account reactivated",
    "school.profile_updated": "School profile changed",
    "school.priority_set": "Priority set",
    "performance.published": "Offered to the school (provisional)",
    "performance.confirmed": "Confirmed by the school",
    "performance.declined": "Declined by the school",
    "performance.confirmed_on_behalf": "Confirmed by the council for the school",
    "performance.declined_on_behalf": "Declined by the council for the school",
    "performance.released": "Released: not confirmed in time",
    "performance.taken": "Taken by the school",
    "performance.moved": "Moved",
    "performance.cancelled": "Cancelled",
    "performance.delivered": "Recorded as delivered",
    "performance.delivered_over_limits": "Recorded as delivered, over the limits",
    "performance.delivery_corrected": "Delivery record corrected",
}


def london_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}, {clock_label(local.time())}"


def long_date(day) -> str:
    """Monday 11 January 2027 (GOV.UK style: no leading zero, no comma)."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return wording.long_date(day) if day else ""


def plain_date(day) -> str:
    """11 January 2027: a date in a sentence or a table where the weekday would be noise."""
    return wording.day_month_year(day) if day else ""


def short_date(day) -> str:
    """11 Jan 2027: a date in a narrow table column."""
    return f"{day.day} {day:%b %Y}" if day else ""


def utc_moment(moment: datetime | None, seconds: bool = False) -> str:
    """11 January 2027 14:05:09 UTC: the administrator's view of when a message was written or sent."""
    if moment is None:
        return ""
    return f"{moment.day} {moment:%B %Y} {moment:%H:%M:%S}" if seconds else f"{moment.day} {moment:%b %Y %H:%M}"


def clock_time(moment) -> str:
    return clock_label(moment)


def month_label(month: str) -> str:
    """'2027-01' -> 'January 2027'."""
    return datetime.strptime(month, "%Y-%m").strftime("%B %Y")


def audit_action(action: str) -> str:
    return AUDIT_ACTIONS.get(action, action.replace(".", " ").replace("_", " ").capitalize())


def request_year_line(group) -> Markup:
    return Markup("<li>Year {}: {} pupils</li>").format(group.year_group, group.pupils)


def request_date_line(day) -> Markup:
    preferred = " (preferred)" if day.preferred else ""
    return Markup("<li>{} {} {}{}</li>").format(f"{day.day:%A}", day.day.day, f"{day.day:%B %Y}", preferred)


def booking_status(status: BookingStatus) -> str:
    """A training booking's state in words: "On the waiting list", "Place offered"..."""
    return BOOKING_LABELS[status]


def register_filters(app: Flask) -> None:
    for function in (
        plain_date,
        short_date,
        utc_moment,
        london_time,
        long_date,
        clock_time,
        month_label,
        audit_action,
        request_year_line,
        request_date_line,
        request_reference,
        booking_status,
    ):
        app.jinja_env.filters[function.__name__] = function
    # Templates compare a status or role with its enum (performance.status == PerformanceStatus.CONFIRMED), never a
    # string.
    statuses = (ApprovalState, BookingStatus, PerformanceStatus, RequestStatus, Role, RunStatus, SeasonStatus)
    for status in (*statuses, SessionStatus):
        app.jinja_env.globals[status.__name__] = status
