"""School staff after a performance: lesson packs, follow-up lessons and the questionnaire results."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import today
from portal.services import lessons, packs
from portal.services.lessons import LessonError
from portal.web.access import found_or_404
from portal.web.fields import show_refusal
from portal.web.form_tokens import save_once
from portal.web.packs.routes import send_pack_file
from portal.web.school.forms import EvaluationForm, LessonForm
from portal.web.school.routes import bp


@bp.get("/packs")
def packs_list():
    return render_template(
        "school/packs.html", title="Lesson packs", packs=packs.packs_for_school(current_user.school_id)
    )


@bp.get("/packs/files/<int:file_id>")
def pack_file(file_id: int):
    record = found_or_404(packs.downloadable_file(current_user, file_id))
    return send_pack_file(record)


@bp.route("/performances/<int:performance_id>/lessons/new", methods=["GET", "POST"])
def lesson_new(performance_id: int):
    performance = found_or_404(lessons.delivered_performance(current_user.school_id, performance_id))
    form = LessonForm()
    production_packs = [p for p in packs.all_packs() if p.production_id == performance.request.production_id]
    form.set_choices(lessons.attended_by_year(performance), production_packs)
    if form.validate_on_submit():
        try:
            save_once(
                form,
                lambda: lessons.record_lesson(current_user, performance, form.details(), today()),
                lambda _lesson: url_for("school.performance_detail", performance_id=performance.id),
            )
        except LessonError as error:
            show_refusal(form, error)
        else:
            flash("Lesson recorded. Thank you.", "success")
            return redirect(url_for("school.performance_detail", performance_id=performance.id))
    return render_template(
        "school/lesson_form.html", title="Record a follow-up lesson", form=form, performance=performance
    )


@bp.route("/performances/<int:performance_id>/evaluation", methods=["GET", "POST"])
def evaluation(performance_id: int):
    performance = found_or_404(lessons.delivered_performance(current_user.school_id, performance_id))
    existing = lessons.evaluation_for(performance)
    form = EvaluationForm(obj=existing)
    if form.validate_on_submit():
        counts = {name: getattr(form, name).data for name in lessons.EVALUATION_FIELDS}
        try:
            save_once(
                form,
                lambda: lessons.save_evaluation(current_user, performance, counts),
                lambda _return: url_for("school.performance_detail", performance_id=performance.id),
            )
        except LessonError as error:
            show_refusal(form, error)
        else:
            flash("Questionnaire results saved.", "success")
            return redirect(url_for("school.performance_detail", performance_id=performance.id))
    return render_template(
        "school/evaluation_form.html", title="Questionnaire results", form=form, performance=performance
    )
