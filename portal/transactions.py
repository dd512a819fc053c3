"""The database transaction's end: commit it or roll it back.

Services flush and never commit. The web layer ends each request's transaction through these functions
(portal.web.transactions registers them), so no view touches the session; CLI commands and jobs commit themselves.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from portal.extensions import db


class CommitRefused(Exception):
    """The database refused the commit: a concurrent change broke a rule it enforces (two schools racing for one
    slot). Everything has been rolled back; the cause is the database's error."""


def commit() -> None:
    """Commit the transaction; CommitRefused, with everything rolled back, when the database refuses it."""
    try:
        db.session.commit()
    except (IntegrityError, OperationalError) as error:
        db.session.rollback()
        raise CommitRefused from error


def roll_back() -> None:
    """Throw away whatever the transaction holds (a failed request, an error page, a failed read)."""
    db.session.rollback()


def database_answers() -> bool:
    """Whether the database answers a real query now (a health check's question); rolls back when it does not."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except Exception:  # any driver error means the same thing to a load balancer
        db.session.rollback()
        return False
    return True
