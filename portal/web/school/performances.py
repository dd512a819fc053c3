"""School staff: their performances, confirming or declining them, taking freed places, calendar feed."""

from __future__ import annotations

from datetime import date

import flask
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.clock import now, today
from portal.domain.numbers import whole_number
from portal.models import Cast, Request, Slot
from portal.services import freed_places, lessons, performances, seasons
from portal.services.history import record_history
from portal.services.performances import PerformanceError, SlotTaken
from portal.web.access import found_or_404
from portal.web.fields import database_id, parse_iso_date
from portal.web.form_tokens import save_once
from portal.web.school.forms import BookPlaceForm, ButtonForm, DeclineForm
from portal.web.school.routes import bp, own_request


def form_id(name: str) -> int:
    """A database id given in the form or the address; 0 (which matches nothing) when missing or out of range."""
    return database_id(flask.request.values.get(name, type=whole_number)) or 0


def own_performance(performance_id: int):
    return found_or_404(performances.get_school_performance(current_user.school_id, performance_id))


@bp.get("/performances")
def performances_list():
    found = performances.school_performances(current_user.school_id)
    return render_template(
        "school/performances.html",
        title="Your performances",
        performances=found,
        to_confirm=[p for p in found if performances.awaiting_confirmation(p, today())],
        offers=freed_places.offers_for_school(current_user.school_id, today(), limit=12),
        button_form=ButtonForm(),
        today=today(),
    )


@bp.get("/performances/<int:performance_id>")
def performance_detail(performance_id: int):
    performance = own_performance(performance_id)
    return render_template(
        "school/performance_detail.html",
        title=f"Performance on {performance.day.day} {performance.day:%B %Y}",
        performance=performance,
        button_form=ButtonForm(),
        history=record_history("performance", performance.id),
        lessons=lessons.lessons_for(performance),
        evaluation=lessons.evaluation_for(performance),
        today=today(),
    )


@bp.post("/performances/<int:performance_id>/confirm")
def performance_confirm(performance_id: int):
    performance = own_performance(performance_id)
    if ButtonForm().validate_on_submit():
        try:
            performances.confirm_performance(current_user, performance, today())
        except PerformanceError as error:
            flash(str(error), "error")
        else:
            flash("Performance confirmed. Add it to your calendar and tell your DSL.", "success")
    return redirect(url_for("school.performance_detail", performance_id=performance.id))


@bp.route("/performances/<int:performance_id>/decline", methods=["GET", "POST"])
def performance_decline(performance_id: int):
    performance = own_performance(performance_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            performances.decline_performance(current_user, performance, form.reason.data or "")
        except PerformanceError as error:
            flash(str(error), "error")
        else:
            flash("Performance declined. The theatre company has been told.", "success")
        return redirect(url_for("school.performance_detail", performance_id=performance.id))
    return render_template(
        "school/performance_decline.html", title="Decline this performance", form=form, performance=performance
    )


def place_asked_for(request: Request) -> tuple[Cast, date, Slot]:
    """The cast, day and slot of the place in the address or the form (404 unless they are of the request's season)."""
    cast = found_or_404(seasons.season_cast(request.season_id, form_id("cast")))
    slot = found_or_404(seasons.season_slot(request.season_id, form_id("slot")))
    return cast, found_or_404(parse_iso_date(flask.request.values.get("day", ""))), slot


def book(request: Request, cast: Cast, day: date, slot: Slot, form: BookPlaceForm):
    """Book the place (once, however often the form is sent) and answer as the booking page does."""
    try:
        performance = save_once(
            form,
            lambda: performances.take_offer(current_user, request, cast, day, slot, today()),
            lambda made: url_for("school.performance_detail", performance_id=made.id),
        )
    except SlotTaken as error:
        return render_template("errors/slot_taken.html", title="Someone else got there first", message=str(error)), 409
    except PerformanceError as error:
        flash(str(error), "error")
        return redirect(url_for("school.performances_list"))
    flash("Performance booked and confirmed.", "success")
    return redirect(url_for("school.performance_detail", performance_id=performance.id))


@bp.route("/requests/<int:request_id>/take", methods=["GET", "POST"])
def offer_take(request_id: int):
    """A free place: GET shows it (and until when it is held for the school), POST books it, confirmed at once."""
    request = own_request(request_id)
    cast, day, slot = place_asked_for(request)
    form = BookPlaceForm()
    if form.validate_on_submit():
        return book(request, cast, day, slot, form)
    place, refusal = freed_places.place_on_offer(request, cast, day, slot, today(), now())
    return render_template(
        "school/offer_take.html",
        title="Book this performance" if place else "You cannot book this performance",
        form=form,
        request_=request,
        place=place,
        refusal=refusal,
    )
