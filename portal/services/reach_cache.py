"""Reach figures cached in the database under a version that every change to a count bumps.

Why a version and not summary rows kept up to date: the figures are not sums that a write can adjust in place.
Discussed in class is, per school, season and year group, the largest lesson capped by the pupils who attended and
dated by the first lesson that reached it; schools reached is a count of distinct schools; planned depends on today;
any period (a season, any dates) can be asked for. Summary rows would repeat those rules in every one of the dozen
places that write a count (deliveries recorded and corrected, lessons, questionnaires, confirmations, declines,
cancellations, lapses, moves, requests, the directory, the target, a season's cost) and drift the day one forgets.
Instead the version is bumped by a session hook that sees every flush and every bulk statement touching the tables
the figures come from, so a new write path cannot forget it; the figures are computed by grouped SQL only when the
version has moved, and kept in a table, so every web worker and every server shares them.

Correctness. The bump is an UPDATE of one row in the writing transaction itself, at its first change to a count:
- a rolled-back write rolls its bump back with it (and any figures it cached meanwhile, which were written in the
  same transaction), so no stale or phantom figures survive;
- a reader reads the version before it computes, so what it stores under version V was computed from a state at
  least as new as V: figures stored under the current version are never older than the rows;
- on PostgreSQL, writers on two servers queue on the version row's lock, so versions follow commit order; a
  reader stores with an upsert that never replaces figures of a newer version.
Decoded figures are also kept in each worker's memory, under the stored entry's key, version, day and computed_at
(which together name one stored body: a body stored by a rolled-back transaction and stored again afterwards has
another computed_at), so a repeated view on the same worker costs the look-up only, not the JSON decode (tens of
milliseconds for a national programme's figures by school). Those values are shared: callers only read them.
Entries are replaced per period (the key) and dropped by `flask reach rebuild`, which also computes the seasons'
figures ahead of the first visit (run by `flask demo national` and the schools import; run it after a restore).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, bindparam, delete, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session

from portal.domain.reach import Period
from portal.extensions import db
from portal.models import ReachFigures, ReachVersion
from portal.models.columns import utcnow
from portal.services.writes import bookkeeping

T = TypeVar("T")
NAME = "reach"
BUMPED = "reach_version_bumped"
# Decoded figures a worker keeps: (key, version, day, computed_at) -> value; the oldest go first.
DECODED: dict[tuple, Any] = {}
DECODED_MOST = 16
_decoded_lock = threading.Lock()
# The tables the figures are counted from; for some, only the columns that change a figure.
WATCHED: dict[str, frozenset[str] | None] = {
    "performances": frozenset({"status", "day", "pupils_planned", "season_id", "school_id"}),
    "performance_attendance": None,
    "follow_up_lessons": None,
    "evaluation_returns": None,
    "requests": frozenset({"status", "season_id", "school_id"}),
    "request_year_groups": None,
    "schools": frozenset({"urn", "name", "district", "priority"}),
    "seasons": frozenset({"starts_on", "ends_on", "cost_pence"}),
    "settings": frozenset({"value"}),
    # Staff trained (portal.services.training_reach): completions, and the lists every breakdown names in full.
    "training_completions": None,
    "training_agencies": frozenset({"name", "active"}),
    "training_job_roles": frozenset({"name", "active"}),
}
TARGETS = frozenset({"reach_target", "training_target"})


def watch_changes() -> None:
    """Bump the version whenever a session changes a row the figures are counted from (idempotent)."""
    for name, listener in (
        ("before_flush", _before_flush),
        ("do_orm_execute", _on_execute),
        ("after_transaction_end", _forget_bump),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _changes_a_count(obj: Any, changed: bool) -> bool:
    table = getattr(obj, "__tablename__", None)
    if table not in WATCHED or (table == "settings" and obj.key not in TARGETS):
        return False
    columns = WATCHED[table]
    if not changed or columns is None:
        return True
    attrs = inspect(obj).attrs
    return any(attrs[column].history.has_changes() for column in columns)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    created_or_deleted = (obj for group in (session.new, session.deleted) for obj in group)
    if any(_changes_a_count(obj, False) for obj in created_or_deleted) or any(
        _changes_a_count(obj, True) for obj in session.dirty
    ):
        bump(session)


def _on_execute(state: ORMExecuteState) -> None:
    table = getattr(state.statement, "table", None)
    if (state.is_insert or state.is_update or state.is_delete) and getattr(table, "name", None) in WATCHED:
        bump(state.session)


def _forget_bump(session: Session, _transaction: Any) -> None:
    session.info.pop(BUMPED, None)


def bump(session: Session, *, force: bool = False) -> None:
    """Move the version on, once per transaction (inside it: a rollback undoes it)."""
    if session.info.get(BUMPED) and not force:
        return
    connection = session.connection()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(ReachVersion).values(name=NAME, version=1)
    statement = statement.on_conflict_do_update(
        index_elements=[ReachVersion.name], set_={"version": ReachVersion.version + 1}
    )
    connection.execute(statement)
    session.info[BUMPED] = True


def current_version() -> int:
    return db.session.scalar(select(ReachVersion.version).where(ReachVersion.name == NAME)) or 0


def _stamp(same_day: ColumnElement[bool]) -> Select:
    """The version and time of the figures stored under a key (bind key) at the current version, for the day."""
    current = select(ReachVersion.version).where(ReachVersion.name == NAME).scalar_subquery()
    return select(ReachFigures.version, ReachFigures.computed_at).where(
        ReachFigures.key == bindparam("key"), ReachFigures.version == current, same_day
    )


# Built once: every view of the reach pages asks for several, and building one cost more than running it.
STAMP_FOR_ANY_DAY = _stamp(ReachFigures.day.is_(None))
STAMP_FOR_THE_DAY = _stamp(ReachFigures.day == bindparam("day"))


def period_key(part: str, period: Period) -> str:
    dates = [value.isoformat() if value else "" for value in (period.start, period.end)]
    return ":".join([part, str(period.season_id or ""), *dates])


def cached(part: str, period: Period, compute: Callable[[], T], codec: tuple, today: date | None = None) -> T:
    """The figures under the current version (and day), computed and stored first when there are none."""
    encode, decode = codec
    key = period_key(part, period)
    # The stamp first, the body only when this worker has not decoded these figures yet: a national programme's
    # figures are hundreds of kilobytes, and reading them on every view cost PostgreSQL more than the page.
    if today is None:
        found = db.session.execute(STAMP_FOR_ANY_DAY, {"key": key}).first()
    else:
        found = db.session.execute(STAMP_FOR_THE_DAY, {"key": key, "day": today}).first()
    if found is not None:
        entry = (key, found.version, today, found.computed_at)
        with _decoded_lock:
            if entry in DECODED:
                return DECODED[entry]
        body = db.session.scalar(
            select(ReachFigures.body).where(
                ReachFigures.key == key,
                ReachFigures.version == found.version,
                ReachFigures.computed_at == found.computed_at,
            )
        )
        if body is not None:  # else stored anew since the stamp was read: count them here
            return _remember(entry, decode(json.loads(body)))
    version = current_version()  # before computing: the figures are then at least as new as this version
    value = compute()
    computed_at = utcnow()
    if _store(key, version, today, json.dumps(encode(value), separators=(",", ":")), computed_at):
        _remember((key, version, today, computed_at), value)  # the next view gets these very objects back
    return value


def _remember(entry: tuple, value: T) -> T:
    with _decoded_lock:
        while len(DECODED) >= DECODED_MOST:
            DECODED.pop(next(iter(DECODED)))
        DECODED[entry] = value
    return value


def _store(key: str, version: int, day: date | None, body: str, computed_at: datetime) -> bool:
    """Whether the figures were stored (a page that only reads leaves them to a later one if a writer came first)."""
    connection = db.session.connection()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    values = {"key": key, "version": version, "day": day, "body": body, "computed_at": computed_at}
    statement = insert(ReachFigures).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[ReachFigures.key],
        set_={name: statement.excluded[name] for name in ("version", "day", "body", "computed_at")},
        where=ReachFigures.version <= statement.excluded.version,
    )
    return bookkeeping(statement)  # a dashboard view stores what it counted, though it only reads


def clear() -> None:
    """Drop every cached figure and move the version on."""
    db.session.execute(delete(ReachFigures))
    bump(db.session(), force=True)
