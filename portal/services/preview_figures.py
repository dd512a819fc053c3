"""How many adults previews reached: seats booked, confirmed and attended, per preview, per school and per district
(counts only, no names), for the company's and the council's page and CSV."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from portal.domain.previews import SEATED_STATES, ParentBookingState
from portal.extensions import db
from portal.models import ParentBooking, Preview, PreviewStaffSeat, School
from portal.services.previews import list_previews

GROUPINGS = ("preview", "school", "district")
HEADER = [
    "staff seats booked",
    "staff attended",
    "parents' seats booked",
    "parents' seats confirmed",
    "parents attended",
]


@dataclass
class Figures:
    staff_booked: int = 0
    staff_attended: int = 0
    parents_booked: int = 0
    parents_confirmed: int = 0
    parents_attended: int = 0

    def row(self) -> list[int]:
        return [
            self.staff_booked,
            self.staff_attended,
            self.parents_booked,
            self.parents_confirmed,
            self.parents_attended,
        ]


def _label(by: str, preview: Preview, school: School | None) -> str:
    if by == "preview":
        return f"{preview.day.isoformat()} {preview.starts_at:%H:%M} {preview.production.title}"
    assert school is not None
    return school.name if by == "school" else school.district


def preview_figures(by: str) -> tuple[list[str], list[list[object]]]:
    """The table's header and rows, grouped by preview, school or district, in that order."""
    figures: dict[str, Figures] = defaultdict(Figures)
    previews = {preview.id: preview for preview in list_previews()}
    if by == "preview":
        for preview in previews.values():
            figures[_label(by, preview, None)]  # every preview has its row, booked or not
    seats = db.session.execute(
        select(PreviewStaffSeat.preview_id, PreviewStaffSeat.attended, School)
        .join(School, School.id == PreviewStaffSeat.school_id)
        .order_by(PreviewStaffSeat.id)
    ).all()
    for preview_id, attended, school in seats:
        row = figures[_label(by, previews[preview_id], school)]
        row.staff_booked += 1
        row.staff_attended += int(attended)
    bookings = db.session.execute(
        select(ParentBooking.preview_id, ParentBooking.seats, ParentBooking.state, School)
        .join(School, School.id == ParentBooking.school_id)
        .where(ParentBooking.state != ParentBookingState.CANCELLED)
        .order_by(ParentBooking.id)
    ).all()
    for preview_id, count, state, school in bookings:
        row = figures[_label(by, previews[preview_id], school)]
        row.parents_booked += count
        row.parents_confirmed += count if state in SEATED_STATES else 0
        row.parents_attended += count if state == ParentBookingState.ATTENDED else 0
    rows = [[label, *figure.row()] for label, figure in sorted(figures.items())]
    return [by, *HEADER], rows
