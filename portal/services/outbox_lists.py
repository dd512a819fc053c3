"""The administrator's outbox as a long list: every message ever written, newest first, a page at a time, found by
address or subject and narrowed to those sent, waiting or failed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, or_, select

from portal.domain.listings import Listing, ListQuery
from portal.models import OutboxMessage
from portal.services.listings import containing, page_of

SORTS = {"newest": "Newest first", "oldest": "Oldest first", "attempts": "Most failed attempts first"}
STATES = {"sent": "Sent", "waiting": "Waiting to be sent", "retrying": "Waiting to be tried again"}


def _in_state(query: Select, state: str | None) -> Select:
    if state == "sent":
        return query.where(OutboxMessage.sent_at.is_not(None))
    if state == "waiting":
        return query.where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts == 0)
    if state == "retrying":
        return query.where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts > 0)
    return query


def messages(asked: ListQuery, state: str | None = None) -> Listing[Row]:
    """One page of the outbox (in one state if given: sent, waiting or retrying; anything else means all)."""
    search, sort = asked.searched_for(), asked.sorted_by(SORTS, "newest")
    query = _in_state(select(OutboxMessage), state)
    if search:
        query = query.where(
            or_(containing(OutboxMessage.to_address, search), containing(OutboxMessage.subject, search))
        )
    orders: dict[str, list[Any]] = {
        "newest": [OutboxMessage.created_at.desc(), OutboxMessage.id.desc()],
        "oldest": [OutboxMessage.created_at, OutboxMessage.id],
        "attempts": [OutboxMessage.attempts.desc(), OutboxMessage.created_at.desc(), OutboxMessage.id.desc()],
    }
    # The list shows no bodies or attachments: each row is only the columns it shows (message.subject...).
    columns = (
        OutboxMessage.id,
        OutboxMessage.created_at,
        OutboxMessage.to_address,
        OutboxMessage.subject,
        OutboxMessage.sent_at,
        OutboxMessage.attempts,
    )
    rows, pages = page_of(query, asked, *orders[sort], columns=columns)
    return Listing(rows, pages, search, sort, SORTS)
