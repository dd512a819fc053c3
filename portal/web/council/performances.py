"""Council officers confirm or decline a provisional performance on a school's behalf (recorded as such), say for a
school whose request the council made and where nobody has an account."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import today
from portal.services import performance_queries, performances
from portal.services.performances import PerformanceError
from portal.web.access import found_or_404
from portal.web.council.forms import ConfirmForBehalfForm, DeclineForBehalfForm
from portal.web.council.routes import bp


@bp.post("/performances/<int:performance_id>/confirm")
def performance_confirm(performance_id: int):
    performance = found_or_404(performance_queries.get_performance(performance_id))
    if ConfirmForBehalfForm().validate_on_submit():
        try:
            performances.confirm_performance(current_user, performance, today())
        except PerformanceError as error:
            flash(str(error), "error")
        else:
            flash(f"Performance confirmed for {performance.school.name}. The school has been told.", "success")
    return redirect(url_for("council.performance_detail", performance_id=performance.id))


@bp.route("/performances/<int:performance_id>/decline", methods=["GET", "POST"])
def performance_decline(performance_id: int):
    performance = found_or_404(performance_queries.get_performance(performance_id))
    form = DeclineForBehalfForm()
    if form.validate_on_submit():
        try:
            performances.decline_performance(current_user, performance, form.reason.data or "")
        except PerformanceError as error:
            flash(str(error), "error")
        else:
            flash(
                f"Performance declined for {performance.school.name}. The school and the theatre company have been "
                "told, and the place is offered to other schools.",
                "success",
            )
        return redirect(url_for("council.performance_detail", performance_id=performance.id))
    return render_template(
        "council/performance_decline.html",
        title="Decline this performance for the school",
        form=form,
        performance=performance,
    )
