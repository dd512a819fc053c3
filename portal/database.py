"""Engine settings that keep the embedded SQLite database durable and transactional."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

# Whether the transactions begun in this context may write. A page that only reads (GET) says it will not: on SQLite
# it then begins a deferred transaction, so readers share the database (WAL) instead of each taking the write lock in
# turn, which queued every page behind the one before (two workers served signed-in pages one at a time).
_may_write: ContextVar[bool] = ContextVar("may_write", default=True)
# Set inside bookkeeping(): the one kind of write a reading context may make.
_in_bookkeeping: ContextVar[bool] = ContextVar("in_bookkeeping", default=False)
WRITE_STATEMENT = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriteWhileReading(RuntimeError):
    """A statement that writes ran where only reading was declared, outside bookkeeping()."""


def declare_writes(allowed: bool) -> Token[bool]:
    """Say whether the transactions this context begins may write (a web request, from its method); the token
    undoes it (restore_writes), when the request ends."""
    return _may_write.set(allowed)


def restore_writes(token: Token[bool]) -> None:
    _may_write.reset(token)


@contextmanager
def bookkeeping_allowed() -> Iterator[None]:
    """Let a reading context run writes that only keep records of the reading itself.

    Only portal.services.writes.bookkeeping uses it, which also makes such a write give way to a real writer."""
    token = _in_bookkeeping.set(True)
    try:
        yield
    finally:
        _in_bookkeeping.reset(token)


SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # FULL, not NORMAL: an acknowledged booking must survive a power cut.
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def configure_engine(engine: Engine, *, strict_reads: bool = False) -> None:
    """Apply the SQLite pragmas and take the write lock at BEGIN unless reading only; on every database, refuse (with
    strict_reads, as in tests) or log a write made while reading only outside bookkeeping."""

    @event.listens_for(engine, "before_cursor_execute")
    def _watch_reads(_conn, _cursor, statement, _parameters, _context, _executemany):
        if _may_write.get() or _in_bookkeeping.get() or not WRITE_STATEMENT.match(statement):
            return
        if strict_reads:
            raise WriteWhileReading(f"a page that only reads wrote: {statement[:120]}")
        log.warning("a page that only reads wrote without the write lock: %s", statement[:120])

    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Stop pysqlite from issuing its own BEGIN, so ours (below) and SAVEPOINTs behave.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # SELECT ... FOR UPDATE compiles to nothing on SQLite: BEGIN IMMEDIATE takes the write lock up front,
        # so two transactions racing for one slot are serialised rather than both reading "free". A context that
        # only reads needs no lock: WAL gives it a consistent snapshot beside the writer.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write.get() else "BEGIN DEFERRED")


def refresh_planner_statistics(connection) -> None:
    """Let the query planner know how many rows each table and index holds (ANALYZE), after a bulk load or restore.

    Without statistics SQLite guesses every table the same size, and on a national database sorts 100,000
    performances for a list in school order instead of walking the schools' name index (1.3 s against 0.1 s for a
    page in the middle); PostgreSQL's autovacuum would get there in time, but not before the first users arrive."""
    connection.exec_driver_sql("ANALYZE")
