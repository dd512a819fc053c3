"""Seats a school's staff book at previews for named colleagues (names only), changed or cancelled up to the day,
and the attendance the company marks on the day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.domain.previews import STAFF_NAMES_MAX, can_change_booking, clean_names
from portal.extensions import db
from portal.models import Preview, PreviewStaffSeat, School, User
from portal.services import audit
from portal.services.preview_seats import PreviewError, give_back_seats, take_seats


def _check_open(preview: Preview, today: date) -> None:
    if preview.cancelled:
        raise PreviewError("This preview has been cancelled")
    if not can_change_booking(preview.day, today):
        raise PreviewError("This preview has taken place: its seats can no longer be changed")


def book_staff_seats(user: User, school: School, preview: Preview, names: list[str], today: date) -> list[int]:
    """Book one seat per colleague named; all of them or none (PreviewFull when the seats are not there)."""
    _check_open(preview, today)
    cleaned = clean_names(names)
    if not cleaned:
        raise PreviewError("Enter the name of at least one colleague")
    if len(cleaned) > STAFF_NAMES_MAX:
        raise PreviewError(f"Book at most {STAFF_NAMES_MAX} colleagues at a time")
    if any(len(name) > 120 for name in cleaned):
        raise PreviewError("A name must be 120 characters or fewer")
    take_seats(preview, len(cleaned))
    seats = [
        PreviewStaffSeat(preview_id=preview.id, school_id=school.id, colleague_name=name, booked_by_id=user.id)
        for name in cleaned
    ]
    db.session.add_all(seats)
    db.session.flush()
    audit.record(user, "preview.staff_booked", "preview", preview.id, school_id=school.id, after={"seats": len(seats)})
    return [seat.id for seat in seats]


def staff_seat_for(school: School, seat_id: int) -> PreviewStaffSeat | None:
    """One of the school's staff seats, or None (missing, or another school's)."""
    seat = db.session.get(PreviewStaffSeat, seat_id)
    return seat if seat is not None and seat.school_id == school.id else None


def staff_seat_in(preview: Preview, seat_id: int | None) -> PreviewStaffSeat | None:
    """One of a preview's staff seats, or None."""
    seat = db.session.get(PreviewStaffSeat, seat_id) if seat_id is not None else None
    return seat if seat is not None and seat.preview_id == preview.id else None


def rename_staff_seat(user: User, seat: PreviewStaffSeat, name: str, today: date) -> None:
    """Give a seat to another colleague."""
    _check_open(seat.preview, today)
    cleaned = clean_names([name])
    if not cleaned or len(cleaned[0]) > 120:
        raise PreviewError("Enter the colleague's name, in 120 characters or fewer")
    seat.colleague_name = cleaned[0]
    db.session.flush()
    audit.record(user, "preview.staff_changed", "preview", seat.preview_id, school_id=seat.school_id)


def cancel_staff_seat(user: User, seat: PreviewStaffSeat, today: date) -> None:
    """Cancel a colleague's seat; it goes back to the preview, and the waiting list moves up."""
    from portal.services.parent_bookings import move_up_waiting_list

    _check_open(seat.preview, today)
    preview = seat.preview
    db.session.delete(seat)
    give_back_seats(preview, 1)
    audit.record(user, "preview.staff_cancelled", "preview", preview.id, school_id=seat.school_id)
    move_up_waiting_list(preview)


def staff_seats(preview: Preview, school: School | None = None) -> list[PreviewStaffSeat]:
    """A preview's staff seats (one school's, when given), by school and name."""
    query = select(PreviewStaffSeat).where(PreviewStaffSeat.preview_id == preview.id)
    if school is not None:
        query = query.where(PreviewStaffSeat.school_id == school.id)
    query = query.join(School, School.id == PreviewStaffSeat.school_id)
    return list(db.session.scalars(query.order_by(School.name, PreviewStaffSeat.colleague_name, PreviewStaffSeat.id)))


def mark_staff_attended(actor: User, seat: PreviewStaffSeat, attended: bool) -> None:
    """The company marks whether a colleague came."""
    seat.attended = attended
    db.session.flush()
    audit.record(actor, "preview.attendance", "preview", seat.preview_id, school_id=seat.school_id)


def school_staff_counts(school: School) -> tuple[int, int]:
    """How many of the school's staff have booked a seat at any preview, and how many attended one."""
    booked = db.session.scalar(
        select(func.count()).select_from(PreviewStaffSeat).where(PreviewStaffSeat.school_id == school.id)
    )
    attended = db.session.scalar(
        select(func.count())
        .select_from(PreviewStaffSeat)
        .where(PreviewStaffSeat.school_id == school.id, PreviewStaffSeat.attended.is_(True))
    )
    return booked or 0, attended or 0
