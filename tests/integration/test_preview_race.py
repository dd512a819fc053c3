"""Twenty schools racing for a preview's last five seats: real transactions, exactly five win, never oversold."""

from __future__ import annotations

import threading
from datetime import date, time

from sqlalchemy.exc import IntegrityError, OperationalError

from portal.domain.previews import Audience, PreviewAudience
from portal.extensions import db
from portal.models import Preview, Role, School, User
from portal.services import previews, staff_seats
from portal.services.preview_seats import PreviewFull
from portal.services.previews import PreviewDetails
from tests.factories import make_production, make_school, make_user

RACERS = 20
SEATS = 5
TODAY = date(2027, 1, 4)


def seed(app) -> tuple[int, list[tuple[int, int]]]:
    with app.app_context():
        company = make_user(Role.COMPANY)
        details = PreviewDetails(
            make_production().id,
            date(2027, 1, 12),
            time(18, 30),
            "Banbury",
            "",
            SEATS,
            Audience(PreviewAudience.ALL_SCHOOLS),
        )
        preview = previews.create_preview(company, details)
        staff = []
        for _ in range(RACERS):
            school = make_school()
            staff.append((make_user(Role.SCHOOL, school=school).id, school.id))
        db.session.commit()
        return preview.id, staff


def test_twenty_schools_race_for_five_seats_and_exactly_five_win(committing_app):
    preview_id, staff = seed(committing_app)
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def race(user_id: int, school_id: int) -> None:
        with committing_app.app_context():
            user, school = db.session.get(User, user_id), db.session.get(School, school_id)
            preview = db.session.get(Preview, preview_id)
            # End the read transaction: on SQLite it holds the write lock (BEGIN IMMEDIATE) and would stall the rest.
            db.session.rollback()
            barrier.wait()
            try:
                staff_seats.book_staff_seats(user, school, preview, ["Sam Jones"], TODAY)
                db.session.commit()
                outcome = "won"
            except (PreviewFull, IntegrityError, OperationalError):
                db.session.rollback()
                outcome = "refused"
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=race, args=pair) for pair in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["refused"] * (RACERS - SEATS) + ["won"] * SEATS
    with committing_app.app_context():
        preview = db.session.get(Preview, preview_id)
        assert preview.seats_taken == SEATS
        assert len(staff_seats.staff_seats(preview)) == SEATS


def test_the_hourly_job_lapses_bookings_never_confirmed(committing_app):
    from datetime import UTC, datetime, timedelta

    from portal import jobs
    from portal.models import ParentBooking
    from portal.services import parent_bookings

    booked_at = datetime.now(UTC) - timedelta(days=3)
    with committing_app.app_context():
        preview_id, staff = seed(committing_app)
        preview, school = db.session.get(Preview, preview_id), db.session.get(School, staff[0][1])
        booking, _token = parent_bookings.book_parent_seats(school, preview, "Pat", "pat@example.net", 1, booked_at)
        db.session.commit()
        assert (jobs.lapse_parent_bookings(), jobs.lapse_parent_bookings()) == (1, 0)
        assert db.session.get(ParentBooking, booking.id).state == "cancelled"
