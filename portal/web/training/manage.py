"""Council officers set up the CSE training's courses and sessions, change and cancel them; trainers see their own
sessions and who is booked on them."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now, today
from portal.domain.todos import plural
from portal.domain.training import LEVEL_LABELS, CourseLevel, session_when
from portal.models import Role
from portal.services import training_courses
from portal.services.training_courses import CourseDetails, SessionDetails, TrainingError
from portal.web.access import found_or_404, restrict_blueprint
from portal.web.auth.delivery import send_mail_soon
from portal.web.fields import show_refusal
from portal.web.form_tokens import save_once
from portal.web.training.forms import CancelSessionForm, CourseForm, SessionForm
from portal.web.transactions import after_commit

bp = Blueprint("training", __name__, url_prefix="/training")
restrict_blueprint(bp, Role.COUNCIL, Role.TRAINER)


def council_only(view):
    """Setting up and changing the training is the council's; trainers only see their sessions."""

    @wraps(view)
    def checked(*args, **kwargs):
        if current_user.role != Role.COUNCIL:
            abort(403)
        return view(*args, **kwargs)

    return checked


@bp.get("/")
def home():
    if current_user.role == Role.TRAINER:
        sessions = training_courses.trainer_sessions(current_user)
        return render_template("training/home.html", title="Your training sessions", sessions=sessions)
    return render_template(
        "training/home.html",
        title="CSE training",
        courses=training_courses.courses(),
        sessions=training_courses.upcoming_sessions(today()),
        levels=LEVEL_LABELS,
    )


@bp.route("/courses/new", methods=["GET", "POST"])
@council_only
def course_new():
    form = CourseForm()
    if form.validate_on_submit():
        course = save_once(
            form,
            lambda: training_courses.create_course(current_user, course_details(form)),
            lambda made: url_for("training.course_detail", course_id=made.id),
        )
        flash("Course saved.", "success")
        return redirect(url_for("training.course_detail", course_id=course.id))
    return render_template("training/course_form.html", title="Add a course", form=form)


@bp.get("/courses/<int:course_id>")
@council_only
def course_detail(course_id: int):
    course = found_or_404(training_courses.get_course(course_id))
    return render_template(
        "training/course_detail.html",
        title=course.title,
        course=course,
        level=LEVEL_LABELS[course.level],
        sessions=training_courses.sessions_of(course),
    )


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@council_only
def course_edit(course_id: int):
    course = found_or_404(training_courses.get_course(course_id))
    form = CourseForm(obj=course)
    if form.validate_on_submit():
        try:
            training_courses.change_course(current_user, course, course_details(form))
        except TrainingError as error:
            show_refusal(form, error)
        else:
            flash("Course changed.", "success")
            return redirect(url_for("training.course_detail", course_id=course.id))
    return render_template("training/course_form.html", title="Change the course", form=form, course=course)


@bp.route("/courses/<int:course_id>/sessions/new", methods=["GET", "POST"])
@council_only
def session_new(course_id: int):
    course = found_or_404(training_courses.get_course(course_id))
    form = SessionForm()
    form.set_trainers(training_courses.trainers())
    if form.validate_on_submit():
        try:
            made = save_once(
                form,
                lambda: training_courses.create_session(current_user, course, session_details(form)),
                lambda made: url_for("training.session_detail", session_id=made.id),
            )
        except TrainingError as error:
            show_refusal(form, error)
        else:
            flash("Session saved: learners can book it now.", "success")
            return redirect(url_for("training.session_detail", session_id=made.id))
    return render_template("training/session_form.html", title="Add a session", form=form, course=course)


@bp.get("/sessions/<int:session_id>")
def session_detail(session_id: int):
    session = found_or_404(training_courses.session_for(current_user, session_id))
    return render_template(
        "training/session_detail.html",
        title=session.course.title,
        training_session=session,
        bookings=training_courses.bookings_on(session),
        when=session_when(session.day, session.starts_at, session.ends_at),
    )


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@council_only
def session_edit(session_id: int):
    session = found_or_404(training_courses.session_for(current_user, session_id))
    form = SessionForm(obj=session, trainer_id=session.trainer_id or 0)
    form.set_trainers(training_courses.trainers())
    if form.validate_on_submit():
        try:
            training_courses.change_session(current_user, session, session_details(form), now())
        except TrainingError as error:
            show_refusal(form, error)
        else:
            after_commit(send_mail_soon)
            flash("Session saved. Everyone booked has been told of any new time or place.", "success")
            return redirect(url_for("training.session_detail", session_id=session.id))
    return render_template(
        "training/session_form.html",
        title="Change the session",
        form=form,
        course=session.course,
        training_session=session,
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@council_only
def session_cancel(session_id: int):
    session = found_or_404(training_courses.session_for(current_user, session_id))
    form = CancelSessionForm()
    if form.validate_on_submit():
        try:
            told = training_courses.cancel_session(current_user, session, form.reason.data, now())
        except TrainingError as error:
            show_refusal(form, error)
        else:
            after_commit(send_mail_soon)
            people, have = plural(told, "person", "people"), "has" if told == 1 else "have"
            flash(f"Session cancelled. {people} booked, offered a place or waiting {have} been emailed.", "success")
            return redirect(url_for("training.course_detail", course_id=session.course_id))
    return render_template(
        "training/session_cancel.html", title="Cancel the session", form=form, training_session=session
    )


def course_details(form: CourseForm) -> CourseDetails:
    return CourseDetails(
        title=form.title.data.strip(),
        level=CourseLevel(form.level.data),
        length_minutes=form.length_minutes.data,
        learning_outcomes=form.learning_outcomes.data.strip(),
        audience=form.audience.data.strip(),
    )


def session_details(form: SessionForm) -> SessionDetails:
    trainer = next((t for t in training_courses.trainers() if t.id == form.trainer_id.data), None)
    return SessionDetails(
        day=form.day.data,
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        capacity=form.capacity.data,
        venue_address=form.venue_address.data or "",
        access_information=form.access_information.data or "",
        joining_link=form.joining_link.data or "",
        trainer=trainer,
    )
