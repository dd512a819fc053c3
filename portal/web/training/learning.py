"""Learners (and school staff, with the account they have) book the council's CSE training: the sessions open to
book, their own bookings, booking, accepting an offered place and cancelling; people who work with children register.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now, today
from portal.domain.training import LEVEL_LABELS, LIVE_STATUSES, BookingStatus, session_when
from portal.links import portal_host
from portal.models import Role
from portal.services import (
    recovery,
    training_bookings,
    training_calendars,
    training_courses,
    training_learners,
    training_lists,
)
from portal.services.accounts import AccountError
from portal.services.training_bookings import BookingError
from portal.services.training_learners import LearnerDetails
from portal.web.access import found_or_404, restrict_blueprint
from portal.web.auth.delivery import send_mail_soon
from portal.web.calendars.routes import ics_response
from portal.web.fields import show_refusal
from portal.web.training.forms import ActionForm, LearnerDetailsForm, LearnerRegisterForm
from portal.web.transactions import after_commit

bp = Blueprint("learning", __name__, url_prefix="/learning")
# Learners not yet approved see their page (it says why they cannot book yet); the booking rules refuse them.
restrict_blueprint(bp, Role.LEARNER, Role.SCHOOL, approved_only=False)
# Registering is for people without an account.
register_bp = Blueprint("learning_register", __name__, url_prefix="/learning")


def current_learner():
    """The signed-in person's learner record; None for school staff who have not joined the training yet."""
    return training_learners.learner_of(current_user)


@bp.get("/")
def home():
    learner = current_learner()
    if learner is None:
        return redirect(url_for("learning.join"))
    bookings = training_bookings.bookings_of(learner)
    live = {booking.session_id: booking for booking in bookings if booking.status in LIVE_STATUSES}
    # One live place per course: the other sessions of a course the learner holds a place on offer no button.
    held_courses = {booking.session.course_id: booking for booking in live.values()}
    return render_template(
        "learning/home.html",
        title="Your CSE training",
        learner=learner,
        approved=training_learners.learner_approved(learner),
        bookings=[booking for booking in bookings if booking.session.day >= today()],
        past=[booking for booking in bookings if booking.session.day < today()],
        sessions=training_courses.upcoming_sessions(today()),
        live=live,
        held_courses=held_courses,
        levels=LEVEL_LABELS,
        form=ActionForm(),
    )


@bp.route("/join", methods=["GET", "POST"])
def join():
    """School staff give the details the council counts training by, once."""
    if current_learner() is not None or current_user.role != Role.SCHOOL:
        return redirect(url_for("learning.home"))
    form = LearnerDetailsForm(organisation=current_user.school.name, district=current_user.school.district)
    form.set_lists(training_lists.agencies(), training_lists.job_roles())
    if form.validate_on_submit():
        details = learner_details(form)
        if details is not None:
            training_learners.join_as_school_staff(current_user, details)
            return redirect(url_for("learning.home"))
    return render_template("learning/join.html", title="Book CSE training", form=form)


@bp.post("/sessions/<int:session_id>/book")
def session_book(session_id: int):
    learner = found_or_404(current_learner())
    session = found_or_404(training_courses.get_session(session_id))
    if not ActionForm().validate_on_submit():
        return redirect(url_for("learning.home"))
    try:
        booking = training_bookings.book(learner, session, now())
    except BookingError as error:
        flash(error.message, "error")
        return redirect(url_for("learning.home"))
    after_commit(send_mail_soon)
    booked = booking.status == BookingStatus.BOOKED
    flash("You have a place." if booked else "The session is full: you are on its waiting list.", "success")
    return redirect(url_for("learning.booking_detail", booking_id=booking.id))


@bp.get("/bookings/<int:booking_id>")
def booking_detail(booking_id: int):
    booking = found_or_404(training_bookings.booking_of(found_or_404(current_learner()), booking_id))
    session = booking.session
    return render_template(
        "learning/booking_detail.html",
        title=session.course.title,
        booking=booking,
        training_session=session,
        when=session_when(session.day, session.starts_at, session.ends_at),
        level=LEVEL_LABELS[session.course.level],
        form=ActionForm(),
    )


@bp.get("/bookings/<int:booking_id>.ics")
def booking_ics(booking_id: int):
    """The booking as a calendar file (the joining link only with a place)."""
    booking = found_or_404(training_bookings.booking_of(found_or_404(current_learner()), booking_id))
    return ics_response(training_calendars.booking_ics(booking, portal_host()), f"cse-training-{booking.id}.ics")


@bp.post("/bookings/<int:booking_id>/cancel")
def booking_cancel(booking_id: int):
    booking = found_or_404(training_bookings.booking_of(found_or_404(current_learner()), booking_id))
    return change_booking(booking, lambda: training_bookings.cancel_booking(current_user, booking, now()), "Cancelled.")


@bp.post("/bookings/<int:booking_id>/accept")
def offer_accept(booking_id: int):
    learner = found_or_404(current_learner())
    booking = found_or_404(training_bookings.booking_of(learner, booking_id))
    return change_booking(booking, lambda: training_bookings.accept_offer(learner, booking, now()), "You have a place.")


def change_booking(booking, change, done: str):
    """Run one change to the learner's booking from its page's button, and go back to the page."""
    if ActionForm().validate_on_submit():
        try:
            change()
        except BookingError as error:
            flash(error.message, "error")
        else:
            after_commit(send_mail_soon)
            flash(done, "success")
    return redirect(url_for("learning.booking_detail", booking_id=booking.id))


@register_bp.route("/register", methods=["GET", "POST"])
def register():
    """Register for the training. The answer is the same whether or not the address has an account already."""
    form = LearnerRegisterForm()
    form.set_lists(training_lists.agencies(), training_lists.job_roles())
    if form.validate_on_submit():
        details = learner_details(form)
        if details is not None:
            try:
                user = training_learners.register_learner(
                    email=form.email.data, password=form.password.data, full_name=form.full_name.data, details=details
                )
            except AccountError as error:
                show_refusal(form, error)
            else:
                if user is not None:
                    recovery.start_verification(user, now())
                after_commit(send_mail_soon)
                return redirect(url_for("learning_register.sent"))
    return render_template("learning/register.html", title="Register for CSE training", form=form)


@register_bp.get("/register/sent")
def sent():
    return render_template("learning/register_sent.html", title="Check your email")


def learner_details(form: LearnerDetailsForm) -> LearnerDetails | None:
    """What the form says, with the agency and job role it names; None (and the field's error) for one not listed."""
    agency = training_lists.agency(form.agency_id.data)
    job_role = training_lists.job_role(form.job_role_id.data)
    if agency is None:
        form.agency_id.errors = [*form.agency_id.errors, "Select your agency"]
    if job_role is None:
        form.job_role_id.errors = [*form.job_role_id.errors, "Select your job role"]
    if agency is None or job_role is None:
        return None
    return LearnerDetails(form.organisation.data, agency, job_role, form.district.data)
