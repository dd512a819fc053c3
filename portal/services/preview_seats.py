"""The seats of a preview: taken and given back through one counter, so a race for the last seat never oversells.

A booking takes its seats with one conditional UPDATE (`seats_taken + n <= seats`): on PostgreSQL the second of two
racing transactions waits for the first's row lock and then re-checks the condition against the committed count; on
SQLite writers are serialised (BEGIN IMMEDIATE). The CHECK constraint on the table is the backstop.
"""

from __future__ import annotations

from sqlalchemy import update

from portal.domain.previews import PreviewStatus
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import Preview
from portal.services.writes import execute_write


class PreviewError(Refused):
    """A preview booking the rules refuse; the message is for the person booking."""


class PreviewFull(PreviewError):
    """Not enough seats are left."""


def take_seats(preview: Preview, seats: int) -> None:
    """Take `seats` of the preview's seats, or raise PreviewFull; the preview row is refreshed."""
    taken = execute_write(
        update(Preview)
        .where(
            Preview.id == preview.id,
            Preview.status == PreviewStatus.SCHEDULED,
            Preview.seats_taken + seats <= Preview.seats,
        )
        .values(seats_taken=Preview.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(preview)
    if taken != 1:
        raise PreviewFull("There are not enough seats left at this preview")


def give_back_seats(preview: Preview, seats: int) -> None:
    """Return `seats` to the preview (a booking cancelled or made smaller)."""
    execute_write(
        update(Preview)
        .where(Preview.id == preview.id)
        .values(seats_taken=Preview.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(preview)
