"""The schedule by week and by cast, the printable day sheet, and each performance's page, moves and delivery record
(cancelling is in changes.py, asked first)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import today
from portal.models import Performance
from portal.services import performance_queries, performances, schedules, seasons
from portal.services.history import record_history
from portal.services.performances import AttendanceOverLimits, PerformanceError
from portal.web.access import found_or_404
from portal.web.calendars.routes import feed_urls
from portal.web.company.blueprint import bp
from portal.web.company.forms import DeliveryForm, MoveForm
from portal.web.fields import database_id
from portal.web.fields import parse_iso_date as parse_day
from portal.web.schedule_view import schedule_context


@bp.get("/seasons/<int:season_id>/schedule")
def schedule(season_id: int):
    return render_template("company/schedule.html", **schedule_context(found_or_404(seasons.get_season(season_id))))


@bp.get("/seasons/<int:season_id>/feeds")
def cast_feeds(season_id: int):
    """Each cast's calendar feed to subscribe to, with a button to give it a new address."""
    season = found_or_404(seasons.get_season(season_id))
    return render_template(
        "company/cast_feeds.html",
        title=f"Cast calendar feeds: {season.name}",
        season=season,
        addresses=feed_urls("cast", [cast.id for cast in season.casts]),
    )


@bp.get("/seasons/<int:season_id>/casts/<int:cast_id>/days/<day>")
def day_sheet(season_id: int, cast_id: int, day: str):
    season = found_or_404(seasons.get_season(season_id))
    cast = found_or_404(seasons.season_cast(season.id, cast_id))
    parsed = found_or_404(parse_day(day))
    stops = schedules.day_sheet(cast, parsed)
    return render_template(
        "company/day_sheet.html",
        title=f"Day sheet: {cast.name}, {parsed:%A} {parsed.day} {parsed:%B %Y}",
        season=season,
        cast=cast,
        day=parsed,
        stops=stops,
        contacts=schedules.school_contacts({stop.performance.school_id for stop in stops}),
    )


@bp.get("/performances/<int:performance_id>")
def performance_detail(performance_id: int):
    return _render_detail(found_or_404(performance_queries.get_performance(performance_id)))


def _render_detail(performance: Performance, **forms):
    move_form = forms.get("move_form") or MoveForm(
        cast=performance.cast_id, day=performance.day, slot=performance.slot_id
    )
    move_form.set_choices(performance.season)
    years_asked, audience_cap = performances.attendance_limits(performance)
    return render_template(
        "company/performance_detail.html",
        title=f"Performance at {performance.school.name}",
        performance=performance,
        move_form=move_form,
        delivery_form=forms.get("delivery_form") or DeliveryForm(support_requests=0),
        years_asked=years_asked,
        audience_cap=audience_cap,
        history=record_history("performance", performance.id),
        today=today(),
        form=forms.get("move_form") or forms.get("delivery_form"),
    )


@bp.post("/performances/<int:performance_id>/move")
def performance_move(performance_id: int):
    performance = found_or_404(performance_queries.get_performance(performance_id))
    form = MoveForm()
    form.set_choices(performance.season)
    if form.validate_on_submit():
        cast = seasons.season_cast(performance.season_id, database_id(form.cast.data) or 0)
        slot = seasons.season_slot(performance.season_id, database_id(form.slot.data) or 0)
        if cast is None or slot is None:
            form.cast.errors.append("Select a cast and a time from the list")
        else:
            try:
                performances.move_performance(
                    current_user, performance, cast, form.day.data, slot, form.reason.data, today()
                )
            except PerformanceError as error:
                form.day.errors.append(str(error))
            else:
                flash("Performance moved. The school has been told.", "success")
                return redirect(url_for("company.performance_detail", performance_id=performance.id))
    return _render_detail(performance, move_form=form), 400


@bp.post("/performances/<int:performance_id>/deliver")
def performance_deliver(performance_id: int):
    performance = found_or_404(performance_queries.get_performance(performance_id))
    form = DeliveryForm()
    if form.validate_on_submit():
        counts, reason = form.year_counts(), form.over_limits_reason.data or ""
        try:
            performances.record_delivery(current_user, performance, counts, form.support_requests.data, today(), reason)
        except AttendanceOverLimits as error:
            form.over_limits_reason.errors.append(form.over_limits_message(str(error)))
        except PerformanceError as error:
            asked_fields, _others = form.split_year_fields(performances.attendance_limits(performance)[0])
            (asked_fields or form.year_fields())[0].errors.append(str(error))
        else:
            flash("Delivery recorded.", "success")
            return redirect(url_for("company.performance_detail", performance_id=performance.id))
    return _render_detail(performance, delivery_form=form), 400
