"""The audit log as the administrator reads it: every event, newest first, a page at a time (it grows with every
sign-in and change), found by action, by the e-mail address of who acted, or by its detail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from portal.domain.listings import Listing, ListQuery
from portal.models import AuditEvent, User
from portal.services.listings import containing, page_of_rows, starting

SORTS = {"newest": "Newest first", "oldest": "Oldest first"}
OUTCOMES = {"ok": "Done", "failed": "Failed"}


@dataclass(frozen=True)
class AuditRow:
    """One event, with who acted as a person (their account may since have gone: then only the role is known)."""

    id: int
    at: datetime
    action: str
    object_type: str
    object_id: int | None
    outcome: str
    detail: str
    actor_role: str
    actor_email: str | None
    actor_name: str | None


def events(asked: ListQuery, outcome: str | None = None) -> Listing[AuditRow]:
    """One page of the audit log (of one outcome if given); ids settle the order, as events are appended."""
    search, sort = asked.searched_for(), asked.sorted_by(SORTS, "newest")
    query = select(
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.action,
        AuditEvent.object_type,
        AuditEvent.object_id,
        AuditEvent.outcome,
        AuditEvent.detail,
        AuditEvent.actor_role,
        User.email,
        User.full_name,
    ).outerjoin(User, User.id == AuditEvent.actor_id)
    if search:
        # Actions are codes (signin.failed): a prefix; addresses and details: anywhere in them.
        query = query.where(
            or_(
                starting(AuditEvent.action, search),
                containing(User.email, search),
                containing(AuditEvent.detail, search),
            )
        )
    if outcome in OUTCOMES:
        query = query.where(AuditEvent.outcome == outcome)
    orders: dict[str, list[Any]] = {"newest": [AuditEvent.id.desc()], "oldest": [AuditEvent.id]}
    rows, pages = page_of_rows(query, asked, *orders[sort])
    return Listing([AuditRow(*row) for row in rows], pages, search, sort, SORTS)
