"""Requests from a parent about the data their preview bookings hold (UK GDPR Art. 15 and 17). Parents have no
account: they are found by the e-mail address they booked with. The copy leaves out the link's hash."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, delete, func, select, update

from portal.extensions import db
from portal.models import OutboxMessage, ParentBooking
from portal.services import audit
from portal.services.retention import REMOVED
from portal.services.writes import execute_write

SHOWN = ("id", "preview_id", "school_id", "parent_name", "email", "seats", "state", "created_at", "confirmed_at")


def parent_data_of(email: str) -> dict[str, list[dict]]:
    """The bookings made with the address, and the e-mails the portal holds for it."""
    address = email.strip().lower()
    bookings = db.session.scalars(
        select(ParentBooking).where(ParentBooking.email == address).order_by(ParentBooking.id)
    ).all()
    messages = db.session.scalars(
        select(OutboxMessage).where(func.lower(OutboxMessage.to_address) == address).order_by(OutboxMessage.id)
    ).all()
    return {
        "parent_bookings": [{name: _plain(getattr(b, name)) for name in SHOWN} for b in bookings],
        "outbox_messages": [
            {"subject": m.subject, "created_at": m.created_at.isoformat(), "body_text": m.body_text} for m in messages
        ],
    }


def erase_parent(email: str, now: datetime) -> int:
    """Remove the parent's name and address from their bookings now (the seats stay counted), and the e-mails to
    them; how many bookings were changed."""
    address = email.strip().lower()
    changed = execute_write(
        update(ParentBooking)
        .where(ParentBooking.email == address)
        .values(
            parent_name=REMOVED,
            email="removed-" + cast(ParentBooking.id, String) + "@removed.invalid",
            names_removed_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    execute_write(delete(OutboxMessage).where(func.lower(OutboxMessage.to_address) == address))
    audit.record(None, "subject_access.parent_erased", "parent_booking", None, after={"bookings": changed})
    return changed


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else (value.value if hasattr(value, "value") else value)
