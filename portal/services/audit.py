"""Writes to the audit log. Every change to an account, request or performance goes through record()."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, User


def json_ready(value: Any) -> Any:
    """A column value as JSON can hold it: enums by value, dates and times in ISO 8601."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_ready(item) for item in value]
    return value


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a record as JSON-ready values, for the before and after of an audit event."""
    return {name: json_ready(getattr(obj, name)) for name in fields}


def record(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    *,
    school_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    outcome: str = "ok",
    detail: str = "",
) -> AuditEvent:
    """Append one event to the audit log, in the same transaction as the change it describes."""
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_role=actor.role.value if actor else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        school_id=school_id,
        before=before,
        after=after,
        outcome=outcome,
        detail=detail[:300],
    )
    db.session.add(event)
    return event


def history(object_type: str, object_id: int) -> list[AuditEvent]:
    """The audit events of one record, oldest first."""
    query = (
        select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(db.session.scalars(query))
