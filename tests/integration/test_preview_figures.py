"""Previews' figures for the company and the council: seats booked, confirmed and attended per preview, school and
district, as a page and CSV, with no names."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from portal.clock import today
from portal.domain.previews import Audience, PreviewAudience
from portal.models import Role
from portal.services import parent_bookings, previews, staff_seats
from portal.services.preview_figures import preview_figures
from portal.services.previews import PreviewDetails
from tests.factories import make_production, make_school, make_user


def seed():
    details = PreviewDetails(
        make_production(title="Trust Me Preview").id,
        today() + timedelta(days=10),
        time(18, 30),
        "Banbury",
        "",
        20,
        Audience(PreviewAudience.ALL_SCHOOLS),
    )
    preview = previews.create_preview(make_user(Role.COMPANY), details)
    alder = make_school(name="Alder School", district="Cherwell")
    birch = make_school(name="Birch School", district="Cherwell")
    [seat] = staff_seats.book_staff_seats(make_user(Role.SCHOOL, school=alder), alder, preview, ["Sam Jones"], today())
    staff_seats.mark_staff_attended(make_user(Role.COMPANY), staff_seats.staff_seat_for(alder, seat), True)
    now = datetime.now(UTC)
    held, _ = parent_bookings.book_parent_seats(birch, preview, "Pat Parent", "pat@example.net", 2, now)
    parent_bookings.confirm_booking(held, now)
    parent_bookings.book_parent_seats(birch, preview, "Lee Parent", "lee@example.net", 1, now)  # not confirmed
    return preview


def test_figures_count_seats_by_preview_school_and_district(session):
    seed()
    header, rows = preview_figures("school")
    assert header[0] == "school"
    assert rows == [["Alder School", 1, 1, 0, 0, 0], ["Birch School", 0, 0, 3, 2, 0]]
    _header, rows = preview_figures("district")
    assert rows == [["Cherwell", 1, 1, 3, 2, 0]]
    _header, rows = preview_figures("preview")
    assert [row[1:] for row in rows if "Trust Me Preview" in row[0]] == [[1, 1, 3, 2, 0]]


def test_the_council_reads_the_figures_as_a_page_and_csv_without_names(login_as, session):
    seed()
    client = login_as("council")
    page = client.get("/council/previews?by=school").get_data(as_text=True)
    assert "Birch School" in page and "Pat Parent" not in page and "Sam Jones" not in page
    response = client.get("/council/previews.csv?by=district")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True).splitlines()[1] == "Cherwell,1,1,3,2,0"
    assert client.get("/council/previews?by=nonsense").status_code == 404
    assert login_as("company").get("/company/previews/figures.csv").status_code == 200
