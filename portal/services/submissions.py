"""Forms that create something create it once, however often they are sent (portal.domain.form_tokens).

The token is claimed with an INSERT that the unique constraint on (user_id, token) lets through once, never with a
look-up first: two app servers handling the same form at the same moment both try to insert, the database makes
the second wait for the first, and then refuses it. The claim and the creation share a savepoint, so a submission
the rules refuse (a field error after all) releases its token for the corrected one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import FormSubmission, User

T = TypeVar("T")


class RepeatedSubmission(Exception):  # noqa: N818 (not an error: the form did its work the first time)
    """The form was sent again; nothing more was made. `path` shows what the first submission made."""

    def __init__(self, path: str | None):
        super().__init__(path)
        self.path = path


def create_once(
    user: User, token: str, form: str, now: datetime, create: Callable[[], T], path_of: Callable[[T], str]
) -> T:
    """create() unless this user's form token was used: then RepeatedSubmission, and nothing is made.

    An exception from create() (a rule it refuses) undoes the claim with everything create() did.
    """
    with db.session.begin_nested():
        submission = _claim(user, token, form, now)
        made = create()
        submission.result_path = path_of(made)[:300]
        db.session.flush()
    return made


def _claim(user: User, token: str, form: str, now: datetime) -> FormSubmission:
    submission = FormSubmission(user_id=user.id, token=token, form=form[:100], created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(submission)
    except IntegrityError:
        # On PostgreSQL the INSERT waited for the first submission's transaction, so its row is visible now.
        first = db.session.scalar(
            select(FormSubmission).where(FormSubmission.user_id == user.id, FormSubmission.token == token)
        )
        raise RepeatedSubmission(first.result_path if first is not None else None) from None
    return submission
