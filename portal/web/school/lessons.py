"""School staff after a performance: lesson packs, follow-up lessons and the questionnaire results."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.clock import today
from portal.models import PerformanceStatus
from portal.services import lessons, packs
from portal.services.lessons import LessonDetails, LessonError
from portal.web.fields import database_id
from portal.web.packs.routes import send_pack_file
from portal.web.school.forms import EvaluationForm, LessonForm
from portal.web.school.performances import own_performance
from portal.web.school.routes import bp


def delivered_or_404(performance_id: int):
    performance = own_performance(performance_id)
    if performance.status != PerformanceStatus.DELIVERED:
        abort(404)
    return performance


@bp.get("/packs")
def packs_list():
    return render_template(
        "school/packs.html", title="Lesson packs", packs=packs.packs_for_school(current_user.school_id)
    )


@bp.get("/packs/files/<int:file_id>")
def pack_file(file_id: int):
    record = packs.downloadable_file(current_user, file_id) or abort(404)
    return send_pack_file(record)


@bp.route("/performances/<int:performance_id>/lessons/new", methods=["GET", "POST"])
def lesson_new(performance_id: int):
    performance = delivered_or_404(performance_id)
    form = LessonForm()
    attended = lessons.attended_by_year(performance)
    form.year_group.choices = [SelectChoice(y, f"Year {y} ({n} saw the performance)") for y, n in attended.items()]
    production_packs = [p for p in packs.all_packs() if p.production_id == performance.request.production_id]
    form.pack_id.choices = [SelectChoice(0, "None of these")] + [
        SelectChoice(p.id, f"{p.title} (year {p.year_group})") for p in production_packs
    ]
    if form.validate_on_submit():
        details = LessonDetails(
            delivered_on=form.delivered_on.data,
            year_group=form.year_group.data,
            pupils=form.pupils.data,
            pack_id=database_id(form.pack_id.data),
            excess_reason=form.excess_reason.data or "",
        )
        try:
            lessons.record_lesson(current_user, performance, details, today())
        except LessonError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash("Lesson recorded. Thank you.", "success")
            return redirect(url_for("school.performance_detail", performance_id=performance.id))
    return render_template(
        "school/lesson_form.html", title="Record a follow-up lesson", form=form, performance=performance
    )


@bp.route("/performances/<int:performance_id>/evaluation", methods=["GET", "POST"])
def evaluation(performance_id: int):
    performance = delivered_or_404(performance_id)
    existing = lessons.evaluation_for(performance)
    form = EvaluationForm(obj=existing)
    if form.validate_on_submit():
        counts = {name: getattr(form, name).data for name in lessons.EVALUATION_FIELDS}
        try:
            lessons.save_evaluation(current_user, performance, counts)
        except LessonError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash("Questionnaire results saved.", "success")
            return redirect(url_for("school.performance_detail", performance_id=performance.id))
    return render_template(
        "school/evaluation_form.html", title="Questionnaire results", form=form, performance=performance
    )
