"""Correcting a delivered performance's record: the company fixes a mistyped count, the audit log keeps both records
and why, and reach follows at once (it counts the attendance rows this changes)."""

from __future__ import annotations

from portal.extensions import db
from portal.models import Performance, PerformanceAttendance, PerformanceStatus, User
from portal.services import audit
from portal.services.performances import PerformanceError, checked_attendance


def recorded_counts(performance: Performance) -> dict[int, int]:
    """Pupils who attended, by year group, as recorded."""
    return {row.year_group: row.pupils for row in performance.attendance}


def delivery_snapshot(performance: Performance) -> dict:
    """A delivery record as the audit log keeps it: pupils per year group (counts), their total and support asked."""
    return {
        "attendance": {str(year): pupils for year, pupils in recorded_counts(performance).items()},
        "pupils_attended": performance.pupils_attended,
        "support_requests": performance.support_requests,
    }


def correct_delivery(
    actor: User,
    performance: Performance,
    attendance: dict[int, int],
    support_requests: int,
    correction_reason: str,
    over_limits_reason: str = "",
) -> None:
    """Replace a delivered performance's counts, under the same limits as recording them; the reason is required."""
    if performance.status != PerformanceStatus.DELIVERED:
        raise PerformanceError("Only a delivered performance’s record can be corrected")
    reason = correction_reason.strip()
    if not reason:
        raise PerformanceError("Enter why you are correcting the record")
    attended, refusal = checked_attendance(performance, attendance, support_requests, over_limits_reason)
    before = delivery_snapshot(performance)
    rows = {row.year_group: row for row in performance.attendance}
    for year, row in rows.items():
        if year not in attended:
            performance.attendance.remove(row)
    for year, pupils in sorted(attended.items()):
        if year in rows:
            rows[year].pupils = pupils
        else:
            performance.attendance.append(PerformanceAttendance(year_group=year, pupils=pupils))
    performance.pupils_attended, performance.support_requests = sum(attended.values()), support_requests
    db.session.flush()
    after = {**delivery_snapshot(performance), "correction_reason": reason}
    if refusal:
        after["over_limits_reason"] = over_limits_reason.strip()
    audit.record(
        actor,
        "performance.delivery_corrected",
        "performance",
        performance.id,
        school_id=performance.school_id,
        before=before,
        after=after,
        detail=refusal or reason,
    )
