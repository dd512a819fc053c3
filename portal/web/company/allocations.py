"""Allocation rounds: run the scheduler as a background job, look at the proposal, pin, re-run, publish."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.clock import now, today
from portal.domain.listings import ListQuery, page_number
from portal.jobs import run_allocation
from portal.services import allocations, confirmations, seasons
from portal.services.allocations import AllocationError
from portal.web.access import found_or_404
from portal.web.company.blueprint import bp
from portal.web.company.forms import ConfirmForm, PublishForm, RunForm
from portal.web.fields import parse_iso_date
from portal.web.form_tokens import save_once
from portal.web.pagination import pagination
from portal.web.transactions import after_commit


@bp.get("/seasons/<int:season_id>/allocation")
def allocation(season_id: int):
    season = found_or_404(seasons.get_season(season_id))
    return render_template(
        "company/allocation.html",
        title=f"Allocate {season.name}",
        season=season,
        runs=allocations.season_runs(season),
        form=RunForm(),
        today=today(),
    )


@bp.post("/seasons/<int:season_id>/allocation/runs")
def run_start(season_id: int):
    season = found_or_404(seasons.get_season(season_id))
    form = RunForm()
    if not form.validate_on_submit():
        # Only the one-time token can be wrong here (pins that name nothing are dropped): the page has a new one.
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for("company.allocation", season_id=season.id))
    try:
        run = save_once(
            form,
            lambda: allocations.start_run(
                current_user, season, today(), pins=form.pins(), time_limit=current_app.config["ALLOCATION_TIME_LIMIT"]
            ),
            lambda made: url_for("company.run_detail", season_id=season.id, run_id=made.id),
        )
    except AllocationError as error:
        flash(str(error), "error")
        return redirect(url_for("company.allocation", season_id=season.id))
    run_id = run.id
    after_commit(lambda: run_allocation(run_id))
    return redirect(url_for("company.run_detail", season_id=season.id, run_id=run_id))


@bp.get("/seasons/<int:season_id>/allocation/runs/<int:run_id>")
def run_detail(season_id: int, run_id: int):
    """A run's figures, its requests with pupils not placed (a page at a time) and its proposal a week at a time."""
    season = found_or_404(seasons.get_season(season_id))
    run = found_or_404(allocations.get_run(season, run_id))
    asked = ListQuery(page=page_number(request.args.get("page")), size=current_app.config["LIST_PAGE_SIZE"])
    week, casts = parse_iso_date(request.args.get("week")), page_number(request.args.get("casts"))
    view = allocations.proposal_view(run, week, asked, casts)
    return render_template(
        "company/run_detail.html",
        title=f"Allocation run {run.id}",
        season=season,
        run=run,
        view=view,
        unplaced_pages=unplaced_pagination(season.id, run.id, view),
        cast_pages=cast_pagination(season.id, run.id, view),
        progress=allocations.run_progress(run, now()),
        run_form=RunForm(),
        confirm_form=ConfirmForm(),
    )


def unplaced_pagination(season_id: int, run_id: int, view: dict) -> dict | None:
    """Links to the pages of the requests with pupils not placed, keeping the week of the proposal shown."""
    week = view["week"].isoformat() if view["week"] else None
    arguments = {"season_id": season_id, "run_id": run_id, "week": week, "_anchor": "unplaced"}
    return pagination(view["unplaced_pages"], "company.run_detail", **arguments)


def cast_pagination(season_id: int, run_id: int, view: dict) -> dict | None:
    """Links to the pages of the casts' calendars, keeping the week shown."""
    week = view["week"].isoformat() if view["week"] else None
    arguments = {"season_id": season_id, "run_id": run_id, "week": week, "_anchor": "proposal"}
    return pagination(
        view["cast_pages"], "company.run_detail", page_argument="casts", landmark="Casts of the proposal", **arguments
    )


@bp.get("/seasons/<int:season_id>/allocation/runs/<int:run_id>/status")
def run_status(season_id: int, run_id: int):
    season = found_or_404(seasons.get_season(season_id))
    run = found_or_404(allocations.get_run(season, run_id))
    return allocations.run_progress(run, now())


@bp.post("/seasons/<int:season_id>/allocation/runs/<int:run_id>/stop")
def run_stop(season_id: int, run_id: int):
    """Stop a long run early: the job ends its search within seconds and keeps the best allocation found."""
    season = found_or_404(seasons.get_season(season_id))
    run = found_or_404(allocations.get_run(season, run_id))
    if ConfirmForm().validate_on_submit():
        try:
            allocations.request_stop(current_user, run, now())
        except AllocationError as error:
            flash(str(error), "error")
        else:
            flash("Stopping: the scheduler is finishing with the best allocation it has found so far.", "success")
    return redirect(url_for("company.run_detail", season_id=season.id, run_id=run.id))


@bp.post("/seasons/<int:season_id>/allocation/runs/<int:run_id>/discard")
def run_discard(season_id: int, run_id: int):
    season = found_or_404(seasons.get_season(season_id))
    run = found_or_404(allocations.get_run(season, run_id))
    if ConfirmForm().validate_on_submit():
        try:
            allocations.discard_run(current_user, run)
        except AllocationError as error:
            flash(str(error), "error")
        else:
            flash("Run discarded.", "success")
    return redirect(url_for("company.allocation", season_id=season.id))


@bp.route("/seasons/<int:season_id>/allocation/runs/<int:run_id>/publish", methods=["GET", "POST"])
def run_publish(season_id: int, run_id: int):
    """Are you sure? The schools to be told, by name, and the date to confirm by; then publish."""
    season = found_or_404(seasons.get_season(season_id))
    run = found_or_404(allocations.get_run(season, run_id))
    back = url_for("company.run_detail", season_id=season.id, run_id=run.id)
    try:
        told = confirmations.publishing(run)
    except AllocationError as error:
        flash(str(error), "error")
        return redirect(back)
    form = PublishForm(confirm_by=today() + timedelta(days=14))
    if form.validate_on_submit():
        try:
            created = allocations.publish_run(current_user, run, form.confirm_by.data, today())
        except AllocationError as error:
            form.confirm_by.errors.append(str(error))
        else:
            flash(f"Published {len(created)} provisional performances. Schools can now confirm them.", "success")
            return redirect(url_for("company.schedule", season_id=season.id))
    page = render_template(
        "company/run_publish.html", title="Publish to schools", season=season, run=run, form=form, told=told, back=back
    )
    return page, 400 if form.is_submitted() else 200
