"""Performances about to lapse unconfirmed: the council and the company are warned once, and see them on a page.

A provisional performance not confirmed by its date goes back to the pool (performances.release_unconfirmed_
performances). LAPSE_WARNING_DAYS before, the hourly job e-mails the council's and the company's teams; each
performance is marked warned in the same transaction, so however often the job runs it is warned of once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, or_, select, update

from portal.domain.performances import LAPSE_WARNING_DAYS
from portal.extensions import db
from portal.models import Performance, PerformanceStatus, Role, Slot
from portal.services import place_notices
from portal.services.performance_queries import LAPSING_ROW, PerformanceRow, with_performance_row_joins
from portal.services.writes import execute_write


def _about_to_lapse(today: date) -> tuple[ColumnElement[bool], ...]:
    """Provisional performances still in time to confirm whose confirm-by date is within LAPSE_WARNING_DAYS days, or
    whose warning has gone out."""
    return (
        Performance.status == PerformanceStatus.PROVISIONAL,
        Performance.confirm_by >= today,
        or_(
            Performance.confirm_by <= today + timedelta(days=LAPSE_WARNING_DAYS),
            Performance.lapse_warned_at.is_not(None),
        ),
    )


def lapse_dates(today: date) -> list[tuple[date, int]]:
    """(confirm-by date, pupils planned) of each performance about to lapse, soonest first: what the home pages' next
    steps need, without loading every performance of a national tour to show fifty. Ordered by the confirm-by date,
    not by id, so that the database reads them by status (its index), not every performance in id order."""
    query = select(Performance.confirm_by, Performance.pupils_planned).where(*_about_to_lapse(today))
    rows = db.session.execute(query.order_by(Performance.confirm_by, Performance.id))
    return [(confirm_by, pupils) for confirm_by, pupils in rows if confirm_by]  # the filter names a date


def performances_about_to_lapse(today: date, offset: int = 0, limit: int | None = None) -> list[PerformanceRow]:
    """The performances about to lapse, soonest to lapse first (from `offset`, at most `limit` of them), as the plain
    rows the home pages list them by (school, day and time, pupils, confirm-by date)."""
    query = (
        with_performance_row_joins(select(*LAPSING_ROW))
        .where(*_about_to_lapse(today))
        .order_by(Performance.confirm_by, Performance.day, Slot.starts_at, Performance.id)
        .offset(offset)
        .limit(limit)
    )
    return [PerformanceRow(*row) for row in db.session.execute(query)]


def _claim_warning(performance: Performance, now: datetime) -> bool:
    """Mark the performance warned, exactly once even when two runs overlap."""
    claimed = execute_write(
        update(Performance)
        .where(Performance.id == performance.id, Performance.lapse_warned_at.is_(None))
        .values(lapse_warned_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(performance, ["lapse_warned_at"])
    return claimed == 1


def warn_of_lapsing_performances(today: date, now: datetime) -> list[Performance]:
    """E-mail the council and the company the provisional performances whose confirm-by date is within
    LAPSE_WARNING_DAYS days and that nobody has been warned of yet; returns them."""
    query = (
        select(Performance)
        .join(Slot, Slot.id == Performance.slot_id)
        .where(
            Performance.status == PerformanceStatus.PROVISIONAL,
            Performance.lapse_warned_at.is_(None),
            Performance.confirm_by >= today,
            Performance.confirm_by <= today + timedelta(days=LAPSE_WARNING_DAYS),
        )
        .order_by(Performance.confirm_by, Performance.day, Slot.starts_at, Performance.id)
    )
    due = [performance for performance in db.session.scalars(query) if _claim_warning(performance, now)]
    if due:
        place_notices.lapse_warning(due, Role.COUNCIL)
        place_notices.lapse_warning(due, Role.COMPANY)
    return due
