"""Allocation runs: one run of the scheduler over a season, from queued to a proposal the company publishes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.columns import UTCDateTime, utcnow
from portal.models.seasons import Season
from portal.models.users import enum_column


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"  # a proposal the company can publish, pin from, or discard
    FAILED = "failed"
    DISCARDED = "discarded"
    PUBLISHED = "published"


ACTIVE_RUN = text("status IN ('queued', 'running')")


class AllocationRun(db.Model):
    __tablename__ = "allocation_runs"
    __table_args__ = (
        # One run at a time per season: a second is refused by the database itself.
        Index(
            "uq_allocation_runs_one_active",
            "season_id",
            unique=True,
            sqlite_where=ACTIVE_RUN,
            postgresql_where=ACTIVE_RUN,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus, "run_status"), default=RunStatus.QUEUED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    time_limit_seconds: Mapped[int] = mapped_column(Integer, default=30)
    # The cse-tour/1 instance as built when the run was asked for, and the cse-tour-allocation/1 answer. Loaded only
    # when read: a national run's two documents take tens of milliseconds to decode, and neither the list of a
    # season's runs nor the progress polled while one works needs them.
    instance: Mapped[dict] = mapped_column(JSON, deferred=True)
    allocation: Mapped[dict | None] = mapped_column(JSON, deferred=True)
    error: Mapped[str] = mapped_column(Text, default="")
    pupils_reached: Mapped[int | None] = mapped_column(Integer)
    weighted: Mapped[int | None] = mapped_column(Integer)
    bound: Mapped[float | None] = mapped_column(Float)
    schools_served: Mapped[int | None] = mapped_column(Integer)
    # While it runs: the best allocation so far ({"seconds", "weighted", "bound"?, "travel_bound"?}), written by the
    # job about once a second, and when someone asked it to stop early (it then keeps the best found).
    progress: Mapped[dict | None] = mapped_column(JSON)
    stop_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    season: Mapped[Season] = relationship()
