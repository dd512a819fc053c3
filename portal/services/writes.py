"""UPDATE and DELETE statements run in the session, for the rows they changed."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.sql.dml import UpdateBase

from portal.extensions import db


def execute_write(statement: UpdateBase) -> int:
    """Run an UPDATE or DELETE in the current transaction; how many rows it matched.

    Session.execute is typed as returning a Result; for these statements it is a CursorResult, which has rowcount.
    """
    return cast("CursorResult[Any]", db.session.execute(statement)).rowcount
