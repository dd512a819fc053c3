"""Changes the company cannot take back, each asked first on an "Are you sure" page that says who will be told
(cancelling a performance, cancelling a cast's day), and correcting a delivery record."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.models import PerformanceStatus
from portal.services import confirmations, deliveries, performance_queries, performances, seasons
from portal.services.performances import CHANGEABLE, AttendanceOverLimits, PerformanceError
from portal.web.access import found_or_404
from portal.web.company.blueprint import bp
from portal.web.company.forms import CancelForm, DeliveryCorrectionForm
from portal.web.fields import parse_iso_date as parse_day


@bp.route("/seasons/<int:season_id>/casts/<int:cast_id>/days/<day>/cancel", methods=["GET", "POST"])
def cancel_day(season_id: int, cast_id: int, day: str):
    season = found_or_404(seasons.get_season(season_id))
    cast = found_or_404(seasons.season_cast(season.id, cast_id))
    parsed = found_or_404(parse_day(day))
    sheet = url_for("company.day_sheet", season_id=season.id, cast_id=cast.id, day=parsed.isoformat())
    told = confirmations.cancelling_day(cast, parsed)
    if not told:
        flash(f"{cast.name} has no performances to cancel on this day", "error")
        return redirect(sheet)
    form = CancelForm()
    if form.validate_on_submit():
        cancelled = performances.cancel_cast_day(current_user, cast, parsed, form.reason.data)
        flash(f"Cancelled {len(cancelled)} performances. The schools have been told.", "success")
        return redirect(sheet)
    page = render_template(
        "company/cancel_day.html", title="Cancel this day", form=form, cast=cast, day=parsed, told=told, back=sheet
    )
    return page, 400 if form.is_submitted() else 200


@bp.route("/performances/<int:performance_id>/cancel", methods=["GET", "POST"])
def performance_cancel(performance_id: int):
    performance = found_or_404(performance_queries.get_performance(performance_id))
    back = url_for("company.performance_detail", performance_id=performance.id)
    if performance.status not in CHANGEABLE:
        flash("Only a provisional or confirmed performance can be cancelled", "error")
        return redirect(back)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            performances.cancel_performance(current_user, performance, form.reason.data)
        except PerformanceError as error:
            form.reason.errors.append(str(error))
        else:
            flash("Performance cancelled. The school has been told.", "success")
            return redirect(back)
    page = render_template(
        "company/performance_cancel.html",
        title="Cancel this performance",
        form=form,
        performance=performance,
        told=confirmations.cancelling(performance),
        back=back,
    )
    return page, 400 if form.is_submitted() else 200


@bp.route("/performances/<int:performance_id>/delivery", methods=["GET", "POST"])
def delivery_correct(performance_id: int):
    """Correct a delivered performance's counts (audited; reach counts the corrected numbers)."""
    performance = found_or_404(performance_queries.get_performance(performance_id))
    back = url_for("company.performance_detail", performance_id=performance.id)
    if performance.status != PerformanceStatus.DELIVERED:
        flash("Only a delivered performance’s record can be corrected", "error")
        return redirect(back)
    form = DeliveryCorrectionForm.with_counts(deliveries.recorded_counts(performance), performance.support_requests)
    if form.validate_on_submit():
        try:
            deliveries.correct_delivery(
                current_user,
                performance,
                form.year_counts(),
                form.support_requests.data,
                form.correction_reason.data or "",
                form.over_limits_reason.data or "",
            )
        except AttendanceOverLimits as error:
            form.over_limits_reason.errors.append(form.over_limits_message(str(error)))
        except PerformanceError as error:
            form.place_error(str(error), performances.attendance_limits(performance)[0])
        else:
            flash("Delivery record corrected. The reach figures count the new numbers.", "success")
            return redirect(back)
    return _correction_page(performance, form, back), 400 if form.is_submitted() else 200


def _correction_page(performance, form: DeliveryCorrectionForm, back: str) -> str:
    years_asked, audience_cap = performances.attendance_limits(performance)
    return render_template(
        "company/delivery_correct.html",
        title="Correct the delivery record",
        form=form,
        performance=performance,
        years_asked=years_asked,
        audience_cap=audience_cap,
        back=back,
    )
