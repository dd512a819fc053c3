"""Parents book preview seats through their school's link, without an account: seats are held once they confirm
from the e-mailed link, and cancelled from the same link. Nothing here shows anything about other bookings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_limiter.util import get_remote_address

from portal.clock import now, today
from portal.domain.calendars import clock_label
from portal.domain.previews import CANCELLABLE_STATES, ParentBookingState
from portal.domain.wording import long_date
from portal.extensions import limiter
from portal.links import portal_host
from portal.services import parent_bookings, preview_calendars, previews
from portal.services.preview_seats import PreviewError
from portal.web.access import found_or_404
from portal.web.auth.delivery import send_mail_soon
from portal.web.auth.limits import completed, email_in_form_key, failed
from portal.web.calendars.routes import ics_response
from portal.web.fields import show_refusal
from portal.web.public.parent_forms import ButtonForm, ParentBookingForm
from portal.web.public.routes import bp
from portal.web.transactions import after_commit


def preview_label(preview) -> str:
    when = f"{long_date(preview.day)} at {clock_label(preview.starts_at)}"
    return f"{preview.production.title}: {when}, {preview.venue_address}"


def bookable(school):
    return [preview for preview in previews.previews_for_school(school, today()) if not preview.cancelled]


@bp.route("/parents/book/<token>", methods=["GET", "POST"])
# Unknown links count against the client (guessing), and bookings made count per client and per address: each sends
# an e-mail, and one person must not take every seat.
@limiter.limit("30 per hour", key_func=get_remote_address, deduct_when=failed, scope="parent-link-guess")
@limiter.limit("10 per hour", key_func=get_remote_address, methods=["POST"], deduct_when=completed, scope="parent-book")
@limiter.limit("3 per hour", key_func=email_in_form_key, methods=["POST"], deduct_when=completed, scope="parent-to")
def parent_previews(token: str):
    school = found_or_404(parent_bookings.school_for_link(token))
    offered = bookable(school)
    form = ParentBookingForm()
    form.set_choices(offered, preview_label)
    if form.validate_on_submit():
        preview = found_or_404(next((p for p in offered if p.id == form.preview_id.data), None))
        try:
            parent_bookings.book_parent_seats(
                school, preview, form.parent_name.data, form.email.data, form.seats.data, now()
            )
        except PreviewError as error:
            show_refusal(form, error)
        else:
            after_commit(send_mail_soon)  # the parent is waiting for the link
            return redirect(url_for("public.parent_booking_sent"))
    return render_template(
        "public/parent_previews.html", title="Book seats at a preview", school=school, previews=offered, form=form
    )


@bp.get("/parents/sent")
def parent_booking_sent():
    return render_template("public/parent_booking_sent.html", title="Check your email")


@bp.get("/parents/booking/<token>")
@limiter.limit("30 per hour", key_func=get_remote_address, deduct_when=failed, scope="parent-link-guess")
def parent_booking(token: str):
    booking = found_or_404(parent_bookings.booking_for_token(token))
    return render_template(
        "public/parent_booking.html",
        title="Your seats at the preview",
        booking=booking,
        token=token,
        form=ButtonForm(),
        awaiting=booking.state == ParentBookingState.AWAITING_CONFIRMATION,
        cancellable=booking.state in CANCELLABLE_STATES and not booking.preview.cancelled,
    )


def _act(token: str, action) -> object:
    booking = found_or_404(parent_bookings.booking_for_token(token))
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        action(booking, now())
    except PreviewError as error:
        flash(error.message, "error")
    return redirect(url_for("public.parent_booking", token=token))


@bp.post("/parents/booking/<token>/confirm")
@limiter.limit("30 per hour", key_func=get_remote_address, deduct_when=failed, scope="parent-link-guess")
def parent_booking_confirm(token: str):
    return _act(token, parent_bookings.confirm_booking)


@bp.post("/parents/booking/<token>/cancel")
@limiter.limit("30 per hour", key_func=get_remote_address, deduct_when=failed, scope="parent-link-guess")
def parent_booking_cancel(token: str):
    return _act(token, parent_bookings.cancel_booking)


@bp.get("/parents/booking/<token>.ics")
@limiter.limit("30 per hour", key_func=get_remote_address, deduct_when=failed, scope="parent-link-guess")
def parent_booking_ics(token: str):
    """The booked preview as a calendar file (the booking's link is its key)."""
    booking = found_or_404(parent_bookings.booking_for_token(token))
    state = "not yet confirmed" if booking.state == ParentBookingState.AWAITING_CONFIRMATION else booking.state.value
    seats = f"{booking.seats} {'seat' if booking.seats == 1 else 'seats'}, {state}."
    body = preview_calendars.preview_ics(booking.preview, portal_host(), seats, f"preview-booking-{booking.id}")
    return ics_response(body, "preview.ics")
