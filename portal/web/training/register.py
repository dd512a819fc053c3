"""A training session's register: the trainer who runs it, and council officers, print it and tick who attended on a
phone; a learner who attended downloads their certificate; anyone can check a certificate's code is genuine."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from portal.clock import now, today
from portal.domain.training import BookingStatus, session_when
from portal.domain.training_register import attendance_refusal
from portal.domain.wording import long_date
from portal.extensions import limiter
from portal.links import external_url
from portal.services import certificates, training_courses, training_register
from portal.services.training_register import RegisterError
from portal.web.access import found_or_404
from portal.web.form_tokens import save_once
from portal.web.training.learning import bp as learning_bp
from portal.web.training.learning import current_learner
from portal.web.training.manage import bp
from portal.web.training.register_forms import AttendanceForm

# The public check of a certificate's code: no sign-in, so it has a blueprint of its own.
certificates_bp = Blueprint("certificates", __name__)


@bp.get("/sessions/<int:session_id>/register")
def session_register(session_id: int):
    """The printable register: names, organisations and a column to sign."""
    session = found_or_404(training_courses.session_for(current_user, session_id))
    return render_template(
        "training/session_register.html",
        title=f"Register: {session.course.title}",
        training_session=session,
        bookings=training_register.register_of(session),
        when=session_when(session.day, session.starts_at, session.ends_at),
    )


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
def session_attendance(session_id: int):
    """Tick who attended, on a phone: one box per person with a place, from the session's day on."""
    session = found_or_404(training_courses.session_for(current_user, session_id))
    bookings = training_register.register_of(session)
    form = AttendanceForm()
    form.set_choices(bookings)
    if not form.is_submitted():
        form.attended.data = [booking.id for booking in bookings if booking.status == BookingStatus.ATTENDED]
    elif (answer := save_attendance(form, session)) is not None:
        return answer
    return render_template(
        "training/session_attendance.html",
        title=f"Who attended: {session.course.title}",
        training_session=session,
        bookings=bookings,
        form=form,
        refusal=attendance_refusal(session.status, session.day, today()),
        when=session_when(session.day, session.starts_at, session.ends_at),
    )


def save_attendance(form: AttendanceForm, session):
    """Back to the page with what was saved, or with why nothing was; None to show the form's own errors again."""
    here = url_for("training.session_attendance", session_id=session.id)
    refusal = attendance_refusal(session.status, session.day, today())
    if refusal is None:
        if not form.validate_on_submit():
            return None
        ticked = form.attended.data or []
        try:
            changes = save_once(
                form,
                lambda: training_register.save_attendance(current_user, session, ticked, now(), today()),
                lambda _changes: here,
            )
        except RegisterError as error:
            refusal = error.message
        else:
            flash(f"Attendance saved: {attendance_saved(changes)}.", "success")
            return redirect(here)
    flash(refusal, "error")
    return redirect(here)


def attendance_saved(changes) -> str:
    if not changes.count:
        return "no changes"
    return f"{len(changes.attended)} marked as attended, {len(changes.not_attended)} marked as not attended"


@learning_bp.get("/bookings/<int:booking_id>/certificate.pdf")
def certificate(booking_id: int):
    """The learner's own certificate of a session they attended (anyone else's is not found)."""
    found = found_or_404(certificates.certificate_of(found_or_404(current_learner()), booking_id))
    verify_url = external_url("certificates.verify", code=found.code)
    pdf = certificates.certificate_pdf(found, verify_url, current_app.config["COUNCIL_NAME"])
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="cse-training-certificate.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Not kept by caches (a certificate taken back must stop verifying at once), nor listed by search engines (the page
# names its holder).
UNLISTED = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def not_found(response) -> bool:
    return response.status_code == 404


@certificates_bp.get("/certificates/<code>")
# Unknown codes count against the client (guessing); every look-up counts towards a higher ceiling.
@limiter.limit("20 per hour", key_func=get_remote_address, deduct_when=not_found, scope="certificate-guess")
@limiter.limit("200 per hour", key_func=get_remote_address, scope="certificate-check")
def verify(code: str):
    """Whether a certificate is genuine: its holder's name, course, level and date, and nothing more about them."""
    found = certificates.verified(code)
    if found is None:
        page = render_template("certificates/not_found.html", title="Certificate not found")
        return page, 404, UNLISTED
    page = render_template(
        "certificates/verify.html",
        title="This certificate is genuine",
        certificate=found,
        completed_on=long_date(found.completed_on),
    )
    return page, 200, UNLISTED
