"""Reminders that fall due with the calendar: confirm-by dates, the week before a performance, and after it; two
days before a training session.

Run as often as you like (hourly by Huey, or `flask reminders send`): each reminder carries a dedupe key, so a
recipient gets it once. A run that was missed catches up, within the windows below.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select

from portal.domain.calendars import bank_holidays
from portal.domain.training import BookingStatus, SessionStatus
from portal.extensions import db
from portal.models import Performance, PerformanceStatus, School, TrainingBooking, TrainingSession
from portal.services import notifications, training_mail
from portal.services.performance_queries import in_time_order

CONFIRM_REMINDER_WORKING_DAYS = 3
PERFORMANCE_REMINDER_DAYS = 7
# Delivered performances older than this get no follow-up message (say, on the portal's first run).
FOLLOW_UP_WINDOW_DAYS = 14
# Learners are reminded of a training session two days before it.
TRAINING_REMINDER_DAYS = 2


def working_days_before(day: date, count: int) -> date:
    """The date `count` working days (weekdays that are not England bank holidays) before `day`."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if current.weekday() < 5 and current not in bank_holidays(current.year):
            count -= 1
    return current


def _performances(*conditions) -> list[Performance]:
    query = in_time_order(select(Performance).where(*conditions))
    return list(db.session.scalars(query))


def add_confirm_reminders(today: date) -> int:
    """Schools with provisional performances to confirm within three working days: one message per confirm-by date."""
    pending = _performances(
        Performance.status == PerformanceStatus.PROVISIONAL,
        Performance.confirm_by.is_not(None),
        Performance.confirm_by >= today,
    )
    due: dict[tuple[int, date], list[Performance]] = defaultdict(list)
    for performance in pending:
        confirm_by = performance.confirm_by
        assert confirm_by is not None  # the query asks for performances with one
        if working_days_before(confirm_by, CONFIRM_REMINDER_WORKING_DAYS) <= today:
            due[(performance.school_id, confirm_by)].append(performance)
    return sum(
        notifications.confirm_reminder(db.session.get_one(School, school_id), performances, confirm_by)
        for (school_id, confirm_by), performances in sorted(due.items())
    )


def add_performance_reminders(today: date) -> int:
    """Confirmed performances in the coming week: the DSL checklist."""
    coming = _performances(
        Performance.status == PerformanceStatus.CONFIRMED,
        Performance.day > today,
        Performance.day <= today + timedelta(days=PERFORMANCE_REMINDER_DAYS),
    )
    return sum(notifications.performance_reminder(performance) for performance in coming)


def add_follow_ups(today: date) -> int:
    """Performances delivered recently: the lesson pack and a request to record the follow-up lessons."""
    delivered = _performances(
        Performance.status == PerformanceStatus.DELIVERED,
        Performance.day <= today,
        Performance.day >= today - timedelta(days=FOLLOW_UP_WINDOW_DAYS),
    )
    return sum(notifications.performance_follow_up(performance) for performance in delivered)


def add_training_reminders(today: date) -> int:
    """Learners with a place on a session in the next two days (tomorrow's too, if a run was missed): one each."""
    query = (
        select(TrainingBooking)
        .join(TrainingSession, TrainingSession.id == TrainingBooking.session_id)
        .where(
            TrainingBooking.status == BookingStatus.BOOKED,
            TrainingSession.status == SessionStatus.SCHEDULED,
            TrainingSession.day > today,
            TrainingSession.day <= today + timedelta(days=TRAINING_REMINDER_DAYS),
        )
        .order_by(TrainingSession.day, TrainingSession.starts_at, TrainingBooking.id)
    )
    return sum(
        training_mail.session_reminder(booking, (booking.session.day - today).days)
        for booking in db.session.scalars(query)
    )


def add_due_reminders(today: date) -> int:
    """Every reminder due today that has not been sent; the number of messages added."""
    return (
        add_confirm_reminders(today)
        + add_performance_reminders(today)
        + add_follow_ups(today)
        + add_training_reminders(today)
    )
