"""UPDATE and DELETE statements run in the session, for the rows they changed; bookkeeping writes of a reading page."""

from __future__ import annotations

import logging
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.dml import UpdateBase

from portal.database import bookkeeping_allowed
from portal.extensions import db

log = logging.getLogger(__name__)


def execute_write(statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE in the current transaction; how many rows it matched.

    Session.execute is typed as returning a Result; for these statements it is a CursorResult, which has rowcount.
    """
    return cast("CursorResult[Any]", db.session.execute(statement)).rowcount


def bookkeeping(statement: UpdateBase) -> bool:
    """Run a write that only keeps a record of reading (a session's last-seen time, figures stored for the next
    view, an API token's last use), even on a page that only reads; whether it was made.

    On SQLite such a page holds no write lock (portal.database): the write takes it, and fails when another writer
    has committed since the page began reading. It is then left out, in a savepoint so the page reads on: the next
    page makes it. Every other database, and a page that writes, just runs it."""
    try:
        with bookkeeping_allowed(), db.session.begin_nested():
            db.session.execute(statement)
    except OperationalError:
        log.info("bookkeeping write left for a later page: another writer came first")
        return False
    return True
