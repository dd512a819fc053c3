"""Rules of a training session's register: when attendance can be marked, what saving the ticks changes, and the
words of a certificate.

Plain values only; "today" is always passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from portal.domain.training import SessionStatus
from portal.domain.wording import long_date


def attendance_refusal(status: SessionStatus, day: date, today: date) -> str | None:
    """Why attendance cannot be marked on a session today; None when it can (from the session's day on)."""
    if status == SessionStatus.CANCELLED:
        return "This session was cancelled: nobody can be marked as attended"
    if today < day:
        return f"You can mark who attended from the day of the session, {long_date(day)}, not before"
    return None


@dataclass(frozen=True)
class AttendanceChanges:
    """What saving the register's ticks does: bookings to mark as attended, and bookings to mark as not attended."""

    attended: frozenset[int]
    not_attended: frozenset[int]

    @property
    def count(self) -> int:
        return len(self.attended) + len(self.not_attended)


def attendance_changes(register: Mapping[int, bool], ticked: Iterable[int]) -> AttendanceChanges:
    """The changes that make the register (booking id -> attended now) match the ticked booking ids.

    Ids that are not on the register (a forged or stale form) change nothing; saving the same ticks twice changes
    nothing the second time."""
    wanted = set(ticked)
    return AttendanceChanges(
        attended=frozenset(booking for booking, attended in register.items() if booking in wanted and not attended),
        not_attended=frozenset(booking for booking, attended in register.items() if attended and booking not in wanted),
    )


def course_length(minutes: int) -> str:
    """A course's length in words: 45 minutes, 1 hour, 3 hours 30 minutes."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
