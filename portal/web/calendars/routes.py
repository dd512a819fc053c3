from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.links import external_url, portal_host
from portal.models import Role
from portal.services import calendars, preview_calendars, seasons, training_calendars, training_learners
from portal.web.access import found_or_404
from portal.web.sessions import ask_for_password_if_stale, safe_return_path

bp = Blueprint("calendars", __name__)


def ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/performances/<int:performance_id>.ics")
@login_required
def performance_ics(performance_id: int):
    """One performance, for the school that hosts it or for company and council staff."""
    performance = found_or_404(calendars.performance_for(current_user, performance_id))
    body = calendars.performances_ics(
        [performance],
        "CSE awareness drama",
        portal_host(),
        for_company=current_user.role != Role.SCHOOL,
        calendar_id=f"performance-{performance.id}",
    )
    return ics_response(body, f"performance-{performance.id}.ics")


@bp.get("/feeds/<kind>/<int:owner_id>/<token>.ics")
def feed(kind: str, owner_id: int, token: str):
    """A subscribable feed; the URL itself is the credential, so an unknown or old one is simply not found."""
    if not calendars.token_is_valid(current_app.config["SECRET_KEY"], kind, owner_id, token):
        abort(404)
    name = "CSE awareness drama" if kind == "school" else f"Tour: {getattr(seasons.get_cast(owner_id), 'name', '')}"
    if kind == training_calendars.FEED_KIND:
        body = found_or_404(training_calendars.learner_feed(owner_id, portal_host()))
        return ics_response(body, f"cse-training-{owner_id}.ics")
    if kind == "school":  # with the previews its staff booked
        return ics_response(preview_calendars.school_feed_ics(owner_id, name, portal_host()), f"school-{owner_id}.ics")
    body = calendars.performances_ics(
        calendars.feed_performances(kind, owner_id),
        name,
        portal_host(),
        for_company=kind == "cast",
        calendar_id=f"{kind}-{owner_id}",
    )
    return ics_response(body, f"{kind}-{owner_id}.ics")


@bp.post("/feeds/<kind>/<int:owner_id>/reissue")
@login_required
def reissue(kind: str, owner_id: int):
    """Give a feed a new address (the old one stops working): a school its own feed, the company its casts', a learner
    their own."""
    allowed = (kind == "school" and current_user.role == Role.SCHOOL and current_user.school_id == owner_id) or (
        kind == "cast" and current_user.role == Role.COMPANY and seasons.get_cast(owner_id) is not None
    )
    if kind == training_calendars.FEED_KIND:  # a learner's own feed (school staff who joined the training too)
        learner = training_learners.learner_of(current_user)
        allowed = learner is not None and learner.id == owner_id
    if not allowed or not current_user.is_approved:
        abort(404)
    if (confirm_first := ask_for_password_if_stale()) is not None:
        return confirm_first
    if FlaskForm().validate_on_submit():
        calendars.reissue(kind, owner_id)
        flash("The calendar feed has a new address. Subscribe to the new one; the old one no longer works.", "success")
    return redirect(safe_return_path(request.form.get("next")) or url_for("public.start"))


def feed_urls(kind: str, owner_ids: list[int]) -> dict[int, str]:
    """Several feeds' full addresses at once (a season's casts), for the pages that list them."""
    tokens = calendars.current_tokens(current_app.config["SECRET_KEY"], kind, owner_ids)
    return {
        owner: external_url("calendars.feed", kind=kind, owner_id=owner, token=token) for owner, token in tokens.items()
    }


def feed_url(kind: str, owner_id: int) -> str:
    """The feed's full address, for pages that show it.

    The address is in the page, never in the page's own URL, and the site's Referrer-Policy (same-origin) keeps
    even that URL from other sites."""
    token = calendars.current_token(current_app.config["SECRET_KEY"], kind, owner_id)
    return external_url("calendars.feed", kind=kind, owner_id=owner_id, token=token)
