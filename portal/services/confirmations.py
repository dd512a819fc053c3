"""What an irreversible step will do and whom it will tell, for the page that asks "Are you sure?" before it.

Opening a season, publishing an allocation, cancelling a performance and cancelling a cast's day each ask first.
The people named come from the same functions that address the step's e-mails (notifications.py), so the page
cannot promise one thing while the step does another.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from portal.domain.wording import joined
from portal.extensions import db
from portal.models import AllocationRun, ApprovalState, Cast, Performance, Request, Role, School, User
from portal.services import allocations, notifications, performances
from portal.services.instances import database_id
from portal.services.mail import Recipient


@dataclass(frozen=True)
class Told:
    """One school's part in the step: its performances, and who is e-mailed about them (nobody: an empty list)."""

    school: School
    recipients: list[Recipient]
    performances: list[Performance] = field(default_factory=list)
    count: int = 0  # performances to be created (publishing), when there are no rows yet

    @property
    def people(self) -> str:
        """Who is e-mailed, by name (or address), like "Sam Patel and Priya Shah"; empty when nobody is."""
        return joined(recipient.name or recipient.address for recipient in self.recipients)


def schools_with_accounts() -> int:
    """Schools with at least one approved, active staff account: the schools that see a season once it opens."""
    query = select(func.count(func.distinct(User.school_id))).where(
        User.role == Role.SCHOOL, User.active.is_(True), User.approval_state == ApprovalState.APPROVED
    )
    return db.session.scalar(query) or 0


def publishing(run: AllocationRun) -> list[Told]:
    """The schools publishing this run offers performances to, by name, and who at each is told."""
    per_request: dict[int, int] = defaultdict(int)
    for entry in allocations.entries_to_publish(run):
        per_request[database_id(entry["request"])] += 1
    per_school: dict[int, int] = defaultdict(int)
    for request_ in db.session.scalars(select(Request).where(Request.id.in_(per_request)).order_by(Request.id)):
        per_school[request_.school_id] += per_request[request_.id]
    schools = db.session.scalars(select(School).where(School.id.in_(per_school)).order_by(School.name, School.id))
    return [
        Told(school, notifications.published_recipients(school.id, run.season_id), count=per_school[school.id])
        for school in schools
    ]


def cancelling(performance: Performance) -> Told:
    """Who is told when this performance is cancelled."""
    return Told(performance.school, notifications.performance_recipients(performance), [performance])


def cancelling_day(cast: Cast, day: date) -> list[Told]:
    """The cast's performances that cancelling the day cancels, in time order, each with who is told."""
    return [cancelling(performance) for performance in performances.cast_day_performances(cast, day)]
