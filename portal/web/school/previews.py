"""A school's previews: seats for named colleagues (names only), changed or cancelled up to the day, and the link
the school shares with its parents, replaced when it leaks."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now, today
from portal.domain.previews import STAFF_NAMES_MAX, can_change_booking
from portal.links import external_url, portal_host
from portal.services import parent_bookings, preview_calendars, previews, staff_seats
from portal.services.preview_seats import PreviewError
from portal.web.access import found_or_404
from portal.web.calendars.routes import ics_response
from portal.web.fields import show_refusal
from portal.web.school.preview_forms import ConfirmForm, StaffSeatForm, StaffSeatsForm
from portal.web.school.routes import bp


@bp.get("/previews/")
def previews_list():
    school = current_user.school
    offered = previews.previews_for_school(school, today())
    return render_template(
        "school/previews_list.html",
        title="Previews for staff and parents",
        previews=offered,
        booked={preview.id: staff_seats.staff_seats(preview, school) for preview in offered},
        staff_counts=staff_seats.school_staff_counts(school),
    )


@bp.route("/previews/<int:preview_id>", methods=["GET", "POST"])
def preview_detail(preview_id: int):
    school = current_user.school
    preview = found_or_404(previews.preview_for_school(school, preview_id))
    form = StaffSeatsForm()
    if form.validate_on_submit():
        try:
            staff_seats.book_staff_seats(current_user, school, preview, form.names.data.splitlines(), today())
        except PreviewError as error:
            show_refusal(form, error)
        else:
            flash("Seats booked.", "success")
            return redirect(url_for("school.preview_detail", preview_id=preview.id))
    return render_template(
        "school/preview_detail.html",
        title=f"Preview of {preview.production.title}",
        preview=preview,
        seats=staff_seats.staff_seats(preview, school),
        form=form,
        cancel_form=ConfirmForm(),
        open=not preview.cancelled and can_change_booking(preview.day, today()),
        names_max=STAFF_NAMES_MAX,
    )


@bp.route("/previews/seats/<int:seat_id>", methods=["GET", "POST"])
def staff_seat_edit(seat_id: int):
    seat = found_or_404(staff_seats.staff_seat_for(current_user.school, seat_id))
    form = StaffSeatForm(name=seat.colleague_name)
    if form.validate_on_submit():
        try:
            staff_seats.rename_staff_seat(current_user, seat, form.name.data, today())
        except PreviewError as error:
            show_refusal(form, error)
        else:
            flash("Seat changed.", "success")
            return redirect(url_for("school.preview_detail", preview_id=seat.preview_id))
    return render_template("school/staff_seat_edit.html", title="Change a seat", seat=seat, form=form)


@bp.post("/previews/seats/<int:seat_id>/cancel")
def staff_seat_cancel(seat_id: int):
    seat = found_or_404(staff_seats.staff_seat_for(current_user.school, seat_id))
    preview_id = seat.preview_id
    if ConfirmForm().validate_on_submit():
        try:
            staff_seats.cancel_staff_seat(current_user, seat, today())
        except PreviewError as error:
            flash(error.message, "error")
        else:
            flash("Seat cancelled.", "success")
    return redirect(url_for("school.preview_detail", preview_id=preview_id))


@bp.route("/previews/parents-link", methods=["GET", "POST"])
def parent_link():
    school = current_user.school
    form = ConfirmForm()
    new_link = None
    if form.validate_on_submit():
        new_link = external_url("public.parent_previews", token=parent_bookings.rotate_link(school, now()))
    return render_template(
        "school/parent_link.html",
        title="Your link for parents",
        current=parent_bookings.current_link(school),
        new_link=new_link,
        form=form,
    )


@bp.get("/previews/<int:preview_id>.ics")
def preview_ics(preview_id: int):
    """The preview as a calendar file, for the staff booked."""
    preview = found_or_404(previews.preview_for_school(current_user.school, preview_id))
    seats = len(staff_seats.staff_seats(preview, current_user.school))
    body = preview_calendars.preview_ics(
        preview, portal_host(), preview_calendars.staff_note(seats), f"preview-{preview.id}-school"
    )
    return ics_response(body, f"preview-{preview.id}.ics")
