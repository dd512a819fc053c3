"""What became of each performance of the national data set, and what the school recorded after it.

Shares as a touring programme sees them: about 3% released (not confirmed in time), 4% declined by the school, 3%
cancelled by the company; the rest confirmed, and delivered once their day has passed (a few of the last week's
left awaiting their delivery record); those still to come are confirmed or provisional. Three in four delivered
performances get follow-up lessons (one or two per year group), three in five a questionnaire return.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

RELEASED, DECLINED, CANCELLED = 0.03, 0.07, 0.10  # cumulative shares
DECLINE_REASONS = (
    "Hall needed for mock exams",
    "Year group away on a trip that day",
    "Clashes with sports day",
    "School closed for staff training",
)
CANCEL_REASONS = ("Cast member ill", "School closed: heating failure", "Snow closed the roads", "Tour van broke down")
EXCESS_REASON = "Another class joined the lesson"
LESSONS_SHARE, RETURNS_SHARE = 0.75, 0.6


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class Outcomes:
    """Settles performances one by one, adding their attendance, lessons and returns to the season's rows."""

    def __init__(self, rng: random.Random, today: date, now: datetime, council_id: int):
        self.rng, self.today, self.now, self.council_id = rng, today, now, council_id

    def settle(self, rows, performance: dict, school, share: dict[int, float], production, ids) -> None:
        status, reason = self._status(performance)
        performance["status"], performance["status_reason"] = status, reason
        released = status == "declined" and reason.startswith("not confirmed by")
        # The hourly job's mark on a performance nobody confirmed in time (the portal shows it as released).
        performance["released_at"] = _at(performance["confirm_by"] + timedelta(days=1), 1) if released else None
        if status in ("declined", "cancelled"):
            performance["sequence"] = 1
        elif status == "provisional" and performance["confirm_by"] < self.today:
            # The touring season's late offers (freed places taken, moves): still in time to confirm.
            performance["confirm_by"] = self.today + timedelta(days=self.rng.randint(3, 14))
        if status != "delivered":
            return
        performance["updated_at"] = _at(performance["day"], 17)
        attendance = self._attendance(performance, share)
        total = sum(attendance.values())
        performance["pupils_attended"] = total
        performance["support_requests"] = min(total, self.rng.choice((0, 0, 0, 1, 1, 2, 3)))
        for year, pupils in attendance.items():
            rows.add(
                "performance_attendance", {"performance_id": performance["id"], "year_group": year, "pupils": pupils}
            )
        staff_id = self.rng.choice(school.staff_ids) if school.staff_ids else self.council_id
        if self.rng.random() < LESSONS_SHARE:
            self._lessons(rows, performance, attendance, production, staff_id, ids)
        if self.rng.random() < RETURNS_SHARE:
            self._return(rows, performance, total, staff_id, ids)

    def _status(self, performance: dict) -> tuple[str, str]:
        rng, day = self.rng, performance["day"]
        draw = rng.random()
        if draw < RELEASED and performance["confirm_by"] < self.today:
            return "declined", f"not confirmed by {performance['confirm_by']:%-d %B %Y}"
        if draw < DECLINED:
            return "declined", rng.choice(DECLINE_REASONS)
        if draw < CANCELLED:
            return "cancelled", rng.choice(CANCEL_REASONS)
        if day < self.today:
            awaiting = rng.random() < (0.4 if (self.today - day).days <= 7 else 0.002)
            return ("confirmed" if awaiting else "delivered"), ""
        return ("confirmed" if rng.random() < 0.55 else "provisional"), ""

    def _attendance(self, performance: dict, share: dict[int, float]) -> dict[int, int]:
        """Pupils per year group: the planned audience split as the request's year groups are, most of them there."""
        planned = performance["pupils_planned"]
        counts = {year: int(planned * part * self.rng.uniform(0.8, 1.0)) for year, part in sorted(share.items())}
        counts = {year: pupils for year, pupils in counts.items() if pupils}
        return counts or {min(share): 1}

    def _lessons(self, rows, performance: dict, attendance: dict[int, int], production, staff_id: int, ids) -> None:
        rng = self.rng
        for year, attended in attendance.items():
            day = performance["day"]
            for _ in range(rng.choices((0, 1, 2), weights=(0.1, 0.55, 0.35))[0]):
                day += timedelta(days=rng.randint(2, 21))
                if day > self.today:
                    break
                excess = rng.random() < 0.01
                pupils = (
                    min(1000, attended + rng.randint(1, 10))
                    if excess
                    else max(1, int(attended * rng.uniform(0.6, 1.0)))
                )
                rows.add("follow_up_lessons", {
                    "id": ids.take("follow_up_lessons"), "school_id": performance["school_id"],
                    "performance_id": performance["id"], "pack_id": production.pack_ids.get(year),
                    "delivered_on": day, "year_group": year, "pupils": pupils,
                    "excess_reason": EXCESS_REASON if excess else "", "created_by_id": staff_id,
                    "created_at": _at(day, 16),
                })  # fmt: skip

    def _return(self, rows, performance: dict, attended: int, staff_id: int, ids) -> None:
        rng = self.rng
        answered = int(attended * rng.uniform(0.6, 0.95))
        rows.add("evaluation_returns", {
            "id": ids.take("evaluation_returns"), "performance_id": performance["id"], "respondents": answered,
            "confident_before": int(answered * rng.uniform(0.2, 0.5)),
            "confident_after": int(answered * rng.uniform(0.65, 0.95)),
            "know_help_before": int(answered * rng.uniform(0.3, 0.6)),
            "know_help_after": int(answered * rng.uniform(0.75, 0.98)),
            "staff_rating": rng.choice((3, 4, 4, 5, 5, 5)), "created_by_id": staff_id,
            "created_at": min(self.now, _at(performance["day"] + timedelta(days=rng.randint(1, 14)), 15)),
        })  # fmt: skip
