"""Before each of a school's performances: have any of its staff booked, or attended, a preview of that production?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

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


def staff_readiness(school: School, today: date, limit: int = 10) -> list[StaffReadiness]:
    """The school's next performances, soonest first, each with its staff's preview seats booked and attended."""
    performances = db.session.execute(
        select(Performance.id, Performance.day, Production.id, Production.title)
        .join(Request, Request.id == Performance.request_id)
        .join(Production, Production.id == Request.production_id)
        .where(Performance.school_id == school.id, Performance.status.in_(UPCOMING), Performance.day >= today)
        .order_by(Performance.day, Performance.id)
        .limit(limit)
    ).all()
    readiness = []
    for performance_id, day, production_id, title in performances:
        booked, attended = db.session.execute(
            select(func.count(), func.count().filter(PreviewStaffSeat.attended.is_(True)))
            .select_from(PreviewStaffSeat)
            .join(Preview, Preview.id == PreviewStaffSeat.preview_id)
            .where(
                PreviewStaffSeat.school_id == school.id,
                Preview.production_id == production_id,
                Preview.status == PreviewStatus.SCHEDULED,
                Preview.day <= day,
            )
        ).one()
        readiness.append(StaffReadiness(performance_id, day, title, booked, attended))
    return readiness
