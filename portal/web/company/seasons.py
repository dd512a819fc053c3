"""Season set-up: dates, productions, daily slots, casts and their days, blackout days."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.clock import today
from portal.models.seasons import SeasonStatus
from portal.services import confirmations, lapses, requests, seasons, todos
from portal.services.seasons import SeasonDetails, SeasonError
from portal.web.access import found_or_404
from portal.web.company.blueprint import bp
from portal.web.company.forms import (
    BlackoutForm,
    CastForm,
    ConfirmForm,
    NewCastForm,
    NewSeasonForm,
    ProductionForm,
    SeasonForm,
    SlotForm,
)
from portal.web.fields import database_ids, parse_iso_date, show_refusal
from portal.web.form_tokens import save_once
from portal.web.list_search import ListSearchForm, list_asked
from portal.web.pagination import pagination
from portal.web.todos import about_to_lapse_page, task_list


def season_details(form: SeasonForm) -> SeasonDetails:
    return SeasonDetails(
        name=form.name.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        request_deadline=form.request_deadline.data,
        production_ids=database_ids(form.production_ids.data),
        speed_kmh=form.speed_kmh.data,
        road_factor=form.road_factor.data,
        changeover_minutes=form.changeover_minutes.data,
    )


@bp.get("/")
def home():
    to_record, earliest = todos.performances_to_record(today(), list_asked(ListSearchForm(request.args)))
    lapsing = lapses.lapse_dates(today())
    todo = todos.company_todo(today(), to_record.pages.total, earliest, lapsing)
    return render_template(
        "company/home.html",
        title="Tour",
        seasons=seasons.all_seasons(),
        to_record=to_record,
        to_record_pages=pagination(to_record.pages, "company.home", _anchor="to-record"),
        lapsing=about_to_lapse_page(today(), len(lapsing)),
        tasks=task_list(todo, today()),
        banners=todo.banners,
    )


@bp.route("/productions/new", methods=["GET", "POST"])
def production_new():
    form = ProductionForm()
    if form.validate_on_submit():
        try:
            save_once(
                form,
                lambda: seasons.create_production(
                    current_user,
                    title=form.title.data,
                    duration_minutes=form.duration_minutes.data,
                    audience_cap=form.audience_cap.data,
                    summary=form.summary.data or "",
                ),
                lambda _production: url_for("company.home"),
            )
        except SeasonError as error:
            show_refusal(form, error)
        else:
            flash("Production saved.", "success")
            return redirect(url_for("company.home"))
    return render_template("company/production_form.html", title="Add a production", form=form)


@bp.route("/seasons/new", methods=["GET", "POST"])
def season_new():
    form = NewSeasonForm(speed_kmh=40, road_factor=1.3, changeover_minutes=45)
    form.set_choices(seasons.all_productions())
    if form.validate_on_submit():
        try:
            season = save_once(
                form,
                lambda: seasons.create_season(current_user, season_details(form)),
                lambda made: url_for("company.season_detail", season_id=made.id),
            )
        except SeasonError as error:
            show_refusal(form, error)
        else:
            flash("Season created. Add its casts, then open it for requests.", "success")
            return redirect(url_for("company.season_detail", season_id=season.id))
    return render_template("company/season_form.html", title="Create a season", form=form)


@bp.route("/seasons/<int:season_id>/edit", methods=["GET", "POST"])
def season_edit(season_id: int):
    season = found_or_404(seasons.get_season(season_id))
    form = SeasonForm(obj=season)
    form.set_choices(seasons.all_productions())
    if not form.is_submitted():
        form.production_ids.data = [production.id for production in season.productions]
    if form.validate_on_submit():
        try:
            seasons.update_season(current_user, season, season_details(form))
        except SeasonError as error:
            show_refusal(form, error)
        else:
            flash("Season saved.", "success")
            return redirect(url_for("company.season_detail", season_id=season.id))
    return render_template("company/season_form.html", title="Change the season", form=form, season=season)


@bp.get("/seasons/<int:season_id>")
def season_detail(season_id: int):
    season = found_or_404(seasons.get_season(season_id))
    return render_template(
        "company/season_detail.html",
        title=season.name,
        season=season,
        bank_holidays=seasons.season_bank_holidays(season),
        open_days=requests.open_days(season),
        request_count=seasons.season_request_count(season),
        cast_days=seasons.cast_day_counts(season),
        slot_form=SlotForm(),
        blackout_form=BlackoutForm(),
        confirm_form=ConfirmForm(),
    )


@bp.route("/seasons/<int:season_id>/open", methods=["GET", "POST"])
def season_open(season_id: int):
    """Are you sure? What opening does and who sees it; then open the season for requests."""
    season = found_or_404(seasons.get_season(season_id))
    back = url_for("company.season_detail", season_id=season.id)
    if season.status != SeasonStatus.DRAFT:
        flash(f"{season.name} is already open for requests", "error")
        return redirect(back)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            seasons.open_season(current_user, season)
        except SeasonError as error:
            flash(error.message, "error")
        else:
            flash(f"{season.name} is open: schools can now request performances.", "success")
        return redirect(back)
    return render_template(
        "company/season_open.html",
        title=f"Open {season.name} for requests",
        season=season,
        form=form,
        schools=confirmations.schools_with_accounts(),
        back=back,
    )


@bp.route("/seasons/<int:season_id>/slots", methods=["POST"])
def slot_add(season_id: int):
    season = found_or_404(seasons.get_season(season_id))
    form = SlotForm()
    if form.validate_on_submit():
        try:
            save_once(
                form,
                lambda: seasons.add_slot(current_user, season, form.code.data, form.starts_at.data),
                lambda _slot: url_for("company.season_detail", season_id=season.id),
            )
        except SeasonError as error:
            show_refusal(form, error)
        else:
            flash("Slot added.", "success")
            return redirect(url_for("company.season_detail", season_id=season.id))
    return render_template("company/slot_form.html", title="Add a time slot", form=form, season=season), 400


@bp.post("/seasons/<int:season_id>/slots/<int:slot_id>/remove")
def slot_remove(season_id: int, slot_id: int):
    season = found_or_404(seasons.get_season(season_id))
    slot = found_or_404(seasons.season_slot(season.id, slot_id))
    if ConfirmForm().validate_on_submit():
        try:
            seasons.remove_slot(current_user, season, slot)
        except SeasonError as error:
            flash(error.message, "error")
        else:
            flash("Slot removed.", "success")
    return redirect(url_for("company.season_detail", season_id=season.id))


@bp.route("/seasons/<int:season_id>/casts/new", methods=["GET", "POST"], defaults={"cast_id": None})
@bp.route("/seasons/<int:season_id>/casts/<int:cast_id>", methods=["GET", "POST"])
def cast_form(season_id: int, cast_id: int | None):
    season = found_or_404(seasons.get_season(season_id))
    cast = found_or_404(seasons.season_cast(season.id, cast_id)) if cast_id is not None else None
    days = requests.open_days(season)
    form = CastForm(obj=cast) if cast else NewCastForm(max_per_day=2)
    form.set_choices(season.productions, days)
    if not form.is_submitted():
        form.production_ids.data = [p.id for p in (cast.productions if cast else season.productions)]
        form.days.data = [d.day.isoformat() for d in cast.dates] if cast else [day.isoformat() for day in days]
    if form.validate_on_submit():
        try:
            save_cast_form(form, season, cast)
        except SeasonError as error:
            show_refusal(form, error)
        else:
            flash("Cast saved.", "success")
            return redirect(url_for("company.season_detail", season_id=season.id))
    title = f"Change {cast.name}" if cast else "Add a cast"
    return render_template("company/cast_form.html", title=title, form=form, season=season, cast=cast)


def save_cast_form(form: CastForm, season, cast) -> None:
    """Change a cast, or add one once however often the form is sent."""

    def save():
        return seasons.save_cast(
            current_user,
            season,
            cast,
            name=form.name.data,
            max_per_day=form.max_per_day.data,
            production_ids=database_ids(form.production_ids.data),
            days=form.parsed_days(),
        )

    if cast is not None:
        save()
    else:
        save_once(form, save, lambda _cast: url_for("company.season_detail", season_id=season.id))


@bp.post("/seasons/<int:season_id>/blackouts")
def blackout_add(season_id: int):
    season = found_or_404(seasons.get_season(season_id))
    form = BlackoutForm()
    if form.validate_on_submit():
        try:
            days = save_once(
                form,
                lambda: seasons.add_blackout(
                    current_user, season, form.day.data, form.reason.data or "", form.last_day.data
                ),
                lambda _days: url_for("company.season_detail", season_id=season.id),
            )
        except SeasonError as error:
            show_refusal(form, error)
        else:
            flash(blackouts_added(days), "success")
            return redirect(url_for("company.season_detail", season_id=season.id))
    return render_template("company/blackout_form.html", title="Add blackout days", form=form, season=season), 400


def blackouts_added(days: list[date]) -> str:
    if len(days) == 1:
        return "Blackout day added: no performances will be planned on it."
    return (
        f"{len(days)} blackout days added, {days[0]:%A} {days[0].day} {days[0]:%B} to {days[-1]:%A} {days[-1].day} "
        f"{days[-1]:%B %Y}: no performances will be planned on them."
    )


@bp.post("/seasons/<int:season_id>/blackouts/<day>/remove")
def blackout_remove(season_id: int, day: str):
    season = found_or_404(seasons.get_season(season_id))
    parsed = found_or_404(parse_iso_date(day))
    if ConfirmForm().validate_on_submit():
        seasons.remove_blackout(current_user, season, parsed)
        flash("Blackout day removed. Add the day back to each cast that can perform on it.", "success")
    return redirect(url_for("company.season_detail", season_id=season.id))
