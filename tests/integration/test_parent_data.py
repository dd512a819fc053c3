"""A parent's own data: a copy of their preview bookings by the address they booked with, and erasure that leaves
the seats counted."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta

from portal.clock import today
from portal.domain.previews import Audience, PreviewAudience
from portal.extensions import db
from portal.models import Role
from portal.services import parent_bookings, previews
from portal.services.previews import PreviewDetails
from tests.factories import make_production, make_school, make_user


def booked(email: str):
    details = PreviewDetails(
        make_production().id,
        today() + timedelta(days=10),
        time(18, 30),
        "Banbury",
        "",
        10,
        Audience(PreviewAudience.ALL_SCHOOLS),
    )
    preview = previews.create_preview(make_user(Role.COMPANY), details)
    booking, _ = parent_bookings.book_parent_seats(make_school(), preview, "Pat Parent", email, 2, datetime.now(UTC))
    parent_bookings.confirm_booking(booking, datetime.now(UTC))
    return preview, booking


def test_a_parent_gets_a_copy_of_their_bookings_and_can_be_erased(app, session):
    preview, booking = booked("pat@example.net")
    runner = app.test_cli_runner()
    copy = json.loads(runner.invoke(args=["previews", "export-parent-data", "--email", "PAT@example.net"]).output)
    assert [row["parent_name"] for row in copy["parent_bookings"]] == ["Pat Parent"]
    assert "token_hash" not in copy["parent_bookings"][0]
    assert copy["outbox_messages"]

    result = runner.invoke(args=["previews", "erase-parent", "--email", "pat@example.net", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert booking.parent_name == "Removed" and "pat" not in booking.email
    assert booking.seats == 2 and preview.seats_taken == 2
    copy = json.loads(runner.invoke(args=["previews", "export-parent-data", "--email", "pat@example.net"]).output)
    assert copy == {"parent_bookings": [], "outbox_messages": []}
