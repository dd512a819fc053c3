"""Previews' rows: the database never lets more seats be taken than a preview has, and the names booked for a preview
go 30 days after it while the seats booked stay counted."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from portal.domain.previews import ParentBookingState, PreviewAudience
from portal.domain.retention import Holding, rule_for
from portal.extensions import db
from portal.models import ParentBooking, Preview, PreviewStaffSeat
from portal.services.retention import purge_expired
from tests.factories import make_production, make_school

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


def make_preview(day: date, seats: int = 10, **overrides) -> Preview:
    fields = {
        "production": make_production(),
        "day": day,
        "starts_at": time(18, 30),
        "venue_address": "The Mill Arts Centre, Spiceball Park Road, Banbury",
        "access_information": "Step-free entrance from the car park",
        "seats": seats,
        "seats_taken": 0,
        "audience": PreviewAudience.ALL_SCHOOLS,
    }
    fields.update(overrides)
    preview = Preview(**fields)
    db.session.add(preview)
    db.session.flush()
    return preview


def test_the_database_refuses_more_seats_taken_than_the_preview_has(session):
    preview = make_preview(date(2027, 1, 12), seats=3)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(update(Preview).where(Preview.id == preview.id).values(seats_taken=4))


def test_names_on_bookings_go_thirty_days_after_the_preview_and_the_seats_stay_counted(session):
    school = make_school()
    cutoff_day = rule_for(Holding.PREVIEW_NAMES).cutoff(NOW).date()
    old, recent = make_preview(cutoff_day - timedelta(days=1)), make_preview(cutoff_day)
    for preview in (old, recent):
        db.session.add(PreviewStaffSeat(preview_id=preview.id, school_id=school.id, colleague_name="Jo Staff"))
        db.session.add(
            ParentBooking(
                preview_id=preview.id,
                school_id=school.id,
                parent_name="Pat Parent",
                email=f"pat.{preview.id}@example.net",
                seats=2,
                state=ParentBookingState.ATTENDED,
                token_hash=f"{preview.id:064d}",
                confirm_by=NOW,
            )
        )
    db.session.flush()

    first, second = purge_expired(NOW), purge_expired(NOW)

    assert first.removed[Holding.PREVIEW_NAMES] == 2 and second.removed[Holding.PREVIEW_NAMES] == 0
    old_booking = db.session.scalars(db.select(ParentBooking).where(ParentBooking.preview_id == old.id)).one()
    assert (old_booking.parent_name, old_booking.seats, old_booking.state) == ("Removed", 2, "attended")
    assert "pat" not in old_booking.email and old_booking.email.endswith("@removed.invalid")
    recent_booking = db.session.scalars(db.select(ParentBooking).where(ParentBooking.preview_id == recent.id)).one()
    assert recent_booking.parent_name == "Pat Parent"
    names = dict(db.session.execute(db.select(PreviewStaffSeat.preview_id, PreviewStaffSeat.colleague_name)).all())
    assert names == {old.id: "Removed", recent.id: "Jo Staff"}
