"""Where a request has got to: submitted, allocated, confirmed or delivered, read from its performances.

A request is never stored with these stages: they follow from its performances, so a page can never show a
request as "submitted" once the company has allocated it, nor as "confirmed" after a performance was declined.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class RequestStage(enum.StrEnum):
    SUBMITTED = "submitted"  # waiting for the company to allocate it (or for a freed place)
    ALLOCATED = "allocated"  # at least one performance is provisional: the school has to confirm it
    CONFIRMED = "confirmed"  # every live performance is confirmed (some may be delivered already)
    DELIVERED = "delivered"  # every live performance has been delivered
    WITHDRAWN = "withdrawn"


# How far a live performance has taken its request; declined and cancelled performances take it nowhere.
_PERFORMANCE_STAGES = {
    "provisional": RequestStage.ALLOCATED,
    "confirmed": RequestStage.CONFIRMED,
    "delivered": RequestStage.DELIVERED,
}
_ORDER = [RequestStage.ALLOCATED, RequestStage.CONFIRMED, RequestStage.DELIVERED]


def request_stage(withdrawn: bool, performance_statuses: Iterable[str]) -> RequestStage:
    """The stage of a request: the least advanced of its live performances, or submitted while it has none."""
    if withdrawn:
        return RequestStage.WITHDRAWN
    stages = {_PERFORMANCE_STAGES[status] for status in performance_statuses if status in _PERFORMANCE_STAGES}
    if not stages:
        return RequestStage.SUBMITTED
    return min(stages, key=_ORDER.index)
