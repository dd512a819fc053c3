"""Before each of a school's performances: have any of its staff booked, or attended, a preview of that production?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, bindparam, func, select

from portal.domain.previews import PreviewStatus
from portal.extensions import db
from portal.models import Performance, PerformanceStatus, Preview, PreviewStaffSeat, Production, Request, School

UPCOMING = (PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED)


@dataclass(frozen=True)
class StaffReadiness:
    """A performance to come, and the school's staff seats at previews of its production up to its day."""

    performance_id: int
    day: date
    production_title: str
    booked: int
    attended: int


def _staff_readiness_statement() -> Select:
    """The school's next performances (up to a limit), each with its staff's seats at previews of its production up
    to its day, booked and attended: bind school_id, today and limit."""
    upcoming = (
        select(Performance.id, Performance.day, Production.id.label("production_id"), Production.title)
        .join(Request, Request.id == Performance.request_id)
        .join(Production, Production.id == Request.production_id)
        .where(
            Performance.school_id == bindparam("school_id"),
            Performance.status.in_(UPCOMING),
            Performance.day >= bindparam("today"),
        )
        .order_by(Performance.day, Performance.id)
        .limit(bindparam("limit"))
        .subquery()
    )
    seats = (
        select(PreviewStaffSeat.id, PreviewStaffSeat.attended, Preview.production_id, Preview.day)
        .join(Preview, Preview.id == PreviewStaffSeat.preview_id)
        .where(PreviewStaffSeat.school_id == bindparam("school_id"), Preview.status == PreviewStatus.SCHEDULED)
        .subquery()
    )
    seen_by = and_(seats.c.production_id == upcoming.c.production_id, seats.c.day <= upcoming.c.day)
    return (
        select(
            upcoming.c.id,
            upcoming.c.day,
            upcoming.c.title,
            func.count(seats.c.id),
            func.count(seats.c.id).filter(seats.c.attended.is_(True)),
        )
        .select_from(upcoming)
        .outerjoin(seats, seen_by)
        .group_by(upcoming.c.id, upcoming.c.day, upcoming.c.title)
        .order_by(upcoming.c.day, upcoming.c.id)
    )


# Built once: building a statement of two subqueries took ten times as long as running it, on every home page.
STAFF_READINESS = _staff_readiness_statement()


def staff_readiness(school: School, today: date, limit: int = 10) -> list[StaffReadiness]:
    """The school's next performances, soonest first, each with its staff's preview seats booked and attended.

    One statement: the school's home page shows this on every visit, and a count per performance cost one each."""
    rows = db.session.execute(STAFF_READINESS, {"school_id": school.id, "today": today, "limit": limit})
    return [StaffReadiness(*row) for row in rows]
