"""The company's preview performances: set up, changed and cancelled, and the on-the-day list with attendance."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import today
from portal.domain.previews import PreviewAudience
from portal.services import parent_bookings, previews, seasons, staff_seats
from portal.services.preview_seats import PreviewError
from portal.services.previews import PreviewDetails
from portal.web.access import found_or_404
from portal.web.company.blueprint import bp
from portal.web.company.preview_forms import AttendanceForm, NewPreviewForm, PreviewCancelForm, PreviewForm
from portal.web.fields import database_id, show_refusal
from portal.web.form_tokens import save_once
from portal.web.preview_figures import figures_csv, figures_page


def preview_details(form: PreviewForm) -> PreviewDetails:
    """What the form says; PreviewError when its list of schools names an unknown URN."""
    audience = previews.audience_from(
        PreviewAudience(form.audience.data), form.district.data or "", form.school_urns.data or ""
    )
    return PreviewDetails(
        production_id=form.production_id.data,
        day=form.day.data,
        starts_at=form.starts_at.data,
        venue_address=form.venue_address.data,
        access_information=form.access_information.data or "",
        seats=form.seats.data,
        audience=audience,
    )


@bp.get("/previews/")
def previews_list():
    return render_template("company/previews_list.html", title="Previews", previews=previews.list_previews())


@bp.route("/previews/new", methods=["GET", "POST"])
def preview_new():
    form = NewPreviewForm(audience=PreviewAudience.ALL_SCHOOLS.value)
    form.set_choices(seasons.all_productions())
    if form.validate_on_submit():
        try:
            preview = save_once(
                form,
                lambda: previews.create_preview(current_user, preview_details(form)),
                lambda made: url_for("company.preview_detail", preview_id=made.id),
            )
        except PreviewError as error:
            show_refusal(form, error)
        else:
            flash("Preview saved.", "success")
            return redirect(url_for("company.preview_detail", preview_id=preview.id))
    return render_template("company/preview_form.html", title="Set up a preview", form=form)


@bp.route("/previews/<int:preview_id>/edit", methods=["GET", "POST"])
def preview_edit(preview_id: int):
    preview = found_or_404(previews.get_preview(preview_id))
    form = PreviewForm(obj=preview)
    form.set_choices(seasons.all_productions())
    if not form.is_submitted():
        form.school_urns.data = "\n".join(school.urn for school in preview.schools)
    if form.validate_on_submit():
        try:
            previews.change_preview(current_user, preview, preview_details(form))
        except PreviewError as error:
            show_refusal(form, error)
        else:
            flash("Preview saved. Everyone booked has been emailed.", "success")
            return redirect(url_for("company.preview_detail", preview_id=preview.id))
    return render_template("company/preview_form.html", title="Change the preview", form=form, preview=preview)


@bp.get("/previews/<int:preview_id>")
def preview_detail(preview_id: int):
    preview = found_or_404(previews.get_preview(preview_id))
    return render_template(
        "company/preview_detail.html",
        title=f"Preview of {preview.production.title}",
        preview=preview,
        staff=staff_seats.staff_seats(preview),
        parents=parent_bookings.parent_bookings(preview),
        waiting=len(parent_bookings.waiting_list(preview)),
        form=AttendanceForm(),
        can_mark=preview.day <= today() and not preview.cancelled,
    )


@bp.post("/previews/<int:preview_id>/attendance")
def preview_attendance(preview_id: int):
    preview = found_or_404(previews.get_preview(preview_id))
    form = AttendanceForm()
    if not form.validate_on_submit() or preview.day > today() or preview.cancelled:
        return redirect(url_for("company.preview_detail", preview_id=preview.id))
    record_id, attended = database_id(form.record_id.data), form.attended.data == "yes"
    if form.kind.data == "staff":
        seat = found_or_404(staff_seats.staff_seat_in(preview, record_id))
        staff_seats.mark_staff_attended(current_user, seat, attended)
    else:
        booking = found_or_404(parent_bookings.booking_in(preview, record_id))
        parent_bookings.mark_parent_attended(booking, attended)
    return redirect(url_for("company.preview_detail", preview_id=preview.id, _anchor="on-the-day"))


@bp.route("/previews/<int:preview_id>/cancel", methods=["GET", "POST"])
def preview_cancel(preview_id: int):
    preview = found_or_404(previews.get_preview(preview_id))
    if preview.cancelled:
        return redirect(url_for("company.preview_detail", preview_id=preview.id))
    form = PreviewCancelForm()
    if form.validate_on_submit():
        previews.cancel_preview(current_user, preview, form.reason.data)
        flash("Preview cancelled. Everyone booked has been emailed.", "success")
        return redirect(url_for("company.preview_detail", preview_id=preview.id))
    return render_template("company/preview_cancel.html", title="Cancel the preview", form=form, preview=preview)


@bp.get("/previews/figures")
def preview_figures():
    return figures_page("company.preview_figures", "company.preview_figures_csv")


@bp.get("/previews/figures.csv")
def preview_figures_csv():
    return figures_csv()
