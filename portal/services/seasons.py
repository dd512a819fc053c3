"""Seasons as the theatre company sets them up: dates, productions, slots, casts and blackout days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.domain.calendars import bank_holidays_between, season_days
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import (
    BlackoutDay,
    Cast,
    CastDate,
    Performance,
    PerformanceStatus,
    Production,
    Request,
    RequestSlot,
    Season,
    Slot,
    User,
)
from portal.models.seasons import SeasonStatus
from portal.services import audit
from portal.services.requests import open_days

SEASON_FIELDS = (
    "name",
    "starts_on",
    "ends_on",
    "request_deadline",
    "status",
    "speed_kmh",
    "road_factor",
    "changeover_minutes",
)


class SeasonError(Refused):
    """A season change the rules refuse; field names the form field at fault."""


@dataclass(frozen=True)
class SeasonDetails:
    name: str
    starts_on: date
    ends_on: date
    request_deadline: date
    production_ids: list[int]
    speed_kmh: float
    road_factor: float
    changeover_minutes: int


def all_seasons() -> list[Season]:
    return list(db.session.scalars(select(Season).order_by(Season.starts_on.desc(), Season.id.desc())))


def all_productions() -> list[Production]:
    return list(db.session.scalars(select(Production).order_by(Production.title, Production.id)))


def get_season(season_id: int) -> Season | None:
    return db.session.get(Season, season_id)


def _check_details(details: SeasonDetails, season_id: int | None) -> None:
    if details.ends_on < details.starts_on:
        raise SeasonError("ends_on", "The last day must be the same as or after the first day")
    if (details.ends_on - details.starts_on).days > 400:
        raise SeasonError("ends_on", "A season can be at most 400 days long")
    if details.request_deadline > details.ends_on:
        raise SeasonError("request_deadline", "The request deadline must be on or before the last day of the season")
    if not details.production_ids:
        raise SeasonError("production_ids", "Select at least one production")
    clash = select(Season.id).where(func.lower(Season.name) == details.name.strip().lower())
    if season_id is not None:
        clash = clash.where(Season.id != season_id)
    if db.session.scalar(clash) is not None:
        raise SeasonError("name", "There is already a season with this name")


def _apply_details(season: Season, details: SeasonDetails) -> None:
    season.name = details.name.strip()
    season.starts_on, season.ends_on = details.starts_on, details.ends_on
    season.request_deadline = details.request_deadline
    season.speed_kmh, season.road_factor = details.speed_kmh, details.road_factor
    season.changeover_minutes = details.changeover_minutes
    season.productions = list(
        db.session.scalars(select(Production).where(Production.id.in_(details.production_ids)).order_by(Production.id))
    )


def create_season(actor: User, details: SeasonDetails) -> Season:
    """A new season in draft; it gets the usual two slots, which the company can change."""
    _check_details(details, None)
    season = Season(status=SeasonStatus.DRAFT)
    _apply_details(season, details)
    season.slots = [Slot(code="AM", starts_at=time(9, 15)), Slot(code="PM", starts_at=time(13, 30))]
    db.session.add(season)
    db.session.flush()
    audit.record(actor, "season.created", "season", season.id, after=audit.snapshot(season, SEASON_FIELDS))
    return season


def _active_days(season: Season, cast: Cast | None = None) -> set[date]:
    """Days with a performance that still holds its slot (provisional, confirmed or delivered)."""
    query = select(Performance.day).where(
        Performance.season_id == season.id,
        Performance.status.notin_([PerformanceStatus.DECLINED, PerformanceStatus.CANCELLED]),
    )
    if cast is not None:
        query = query.where(Performance.cast_id == cast.id)
    return set(db.session.scalars(query))


def _check_nothing_orphaned(season: Season, details: SeasonDetails) -> None:
    """A published season cannot shrink around its performances, nor drop a production schools asked for."""
    outside = sorted(day for day in _active_days(season) if not details.starts_on <= day <= details.ends_on)
    if outside:
        raise SeasonError(
            "starts_on",
            f"{len(outside)} performances fall outside these dates (first {outside[0]:%-d %B %Y}): "
            "move or cancel them first",
        )
    requested = set(db.session.scalars(select(Request.production_id).where(Request.season_id == season.id)))
    if not requested <= set(details.production_ids):
        raise SeasonError(
            "production_ids", "Schools have asked for a production you have unticked: keep it in the season"
        )


def update_season(actor: User, season: Season, details: SeasonDetails) -> None:
    _check_details(details, season.id)
    _check_nothing_orphaned(season, details)
    before = audit.snapshot(season, SEASON_FIELDS)
    _apply_details(season, details)
    audit.record(
        actor, "season.updated", "season", season.id, before=before, after=audit.snapshot(season, SEASON_FIELDS)
    )


def open_season(actor: User, season: Season) -> None:
    """Let schools see the season and request in it."""
    if season.status != SeasonStatus.DRAFT:
        raise SeasonError("status", "Only a season in draft can be opened")
    if not season.slots or not season.casts or not season.productions:
        raise SeasonError("status", "Add at least one production, time slot and cast before opening the season")
    before = audit.snapshot(season, ("status",))
    season.status = SeasonStatus.OPEN
    audit.record(actor, "season.opened", "season", season.id, before=before, after={"status": "open"})


def create_production(actor: User, *, title: str, duration_minutes: int, audience_cap: int, summary: str) -> Production:
    if db.session.scalar(select(Production.id).where(func.lower(Production.title) == title.strip().lower())):
        raise SeasonError("title", "There is already a production with this title")
    production = Production(
        title=title.strip(), duration_minutes=duration_minutes, audience_cap=audience_cap, summary=summary.strip()
    )
    db.session.add(production)
    db.session.flush()
    audit.record(
        actor,
        "production.created",
        "production",
        production.id,
        after=audit.snapshot(production, ("title", "duration_minutes", "audience_cap")),
    )
    return production


def add_slot(actor: User, season: Season, code: str, starts_at: time) -> Slot:
    code = code.strip().upper()
    if any(slot.code == code for slot in season.slots):
        raise SeasonError("code", "This season already has a slot with this name")
    if any(slot.starts_at == starts_at for slot in season.slots):
        raise SeasonError("starts_at", "This season already has a slot at this time")
    slot = Slot(season=season, code=code, starts_at=starts_at)
    db.session.add(slot)
    db.session.flush()
    audit.record(actor, "slot.added", "season", season.id, after={"slot": code, "starts_at": starts_at.isoformat()})
    return slot


def remove_slot(actor: User, season: Season, slot: Slot) -> None:
    """Remove a slot no request has asked for yet."""
    in_use = db.session.scalar(select(func.count()).select_from(RequestSlot).where(RequestSlot.slot_id == slot.id))
    if in_use:
        raise SeasonError(
            "code",
            f"Requests already use slot {slot.code}, so it cannot be removed",
        )
    audit.record(
        actor, "slot.removed", "season", season.id, before={"slot": slot.code, "starts_at": slot.starts_at.isoformat()}
    )
    db.session.delete(slot)
    db.session.flush()


def save_cast(
    actor: User,
    season: Season,
    cast: Cast | None,
    *,
    name: str,
    max_per_day: int,
    production_ids: list[int],
    days: list[date],
) -> Cast:
    """Create or change a cast: its name, performances per day, productions and the days it is available."""
    allowed = set(open_days(season))
    if not days:
        raise SeasonError("days", "Select at least one day this cast can perform")
    if not set(days) <= allowed:
        raise SeasonError("days", "Select days from the list")
    if not production_ids:
        raise SeasonError("production_ids", "Select at least one production this cast performs")
    if any(other.name.lower() == name.strip().lower() and other is not cast for other in season.casts):
        raise SeasonError("name", "This season already has a cast with this name")
    if cast is not None:
        stranded = sorted(_active_days(season, cast) - set(days))
        if stranded:
            raise SeasonError(
                "days",
                f"{cast.name} has performances on {stranded[0]:%A %-d %B %Y}"
                + (f" and {len(stranded) - 1} more days" if len(stranded) > 1 else "")
                + ": move or cancel them before making those days unavailable",
            )
    before = None
    if cast is None:
        cast = Cast(season=season)
        db.session.add(cast)
    else:
        before = {"name": cast.name, "max_per_day": cast.max_per_day, "days": len(cast.dates)}
    cast.name, cast.max_per_day = name.strip(), max_per_day
    cast.productions = [production for production in season.productions if production.id in production_ids]
    cast.dates = [CastDate(day=day) for day in sorted(set(days))]
    db.session.flush()
    audit.record(
        actor,
        "cast.saved",
        "cast",
        cast.id,
        before=before,
        after={"name": cast.name, "max_per_day": max_per_day, "days": len(cast.dates)},
    )
    return cast


def _blackout_days(season: Season, first: date, last: date | None) -> list[date]:
    """The days to black out: the one day given, or each performing day (a weekday, not a bank holiday) from first
    to last that is not one already."""
    already = {blackout.day for blackout in season.blackout_days}
    if last is None or last == first:
        if not season.starts_on <= first <= season.ends_on:
            raise SeasonError("day", "The day must be within the season")
        if first in already:
            raise SeasonError("day", "This day is already a blackout day")
        return [first]
    if last < first:
        raise SeasonError("last_day", "The last day must be the same as or after the first day")
    if not season.starts_on <= first <= last <= season.ends_on:
        raise SeasonError(
            "day" if not season.starts_on <= first <= season.ends_on else "last_day",
            f"The days must be within the season, {season.starts_on:%-d %B %Y} to {season.ends_on:%-d %B %Y}",
        )
    days = [day for day in season_days(first, last) if day not in already]
    if not days:
        raise SeasonError("day", f"There are no performing days from {first:%-d %B} to {last:%-d %B %Y} to black out")
    return days


def add_blackout(actor: User, season: Season, day: date, reason: str, last: date | None = None) -> list[date]:
    """Make a day, or every performing day from `day` to `last` (a half-term week), a day without performances;
    the casts lose those days too. Returns the days added."""
    days = _blackout_days(season, day, last)
    busy = sorted(set(days) & _active_days(season))
    if busy:
        more = f" and {len(busy) - 1} more of these days" if len(busy) > 1 else ""
        raise SeasonError("day", f"There are performances on {busy[0]:%-d %B %Y}{more}: move or cancel them first")
    season.blackout_days.extend(BlackoutDay(day=one, reason=reason.strip()) for one in days)
    for cast in season.casts:
        cast.dates = [cast_date for cast_date in cast.dates if cast_date.day not in days]
    try:
        db.session.flush()
    except IntegrityError:
        raise SeasonError("day", "This day is already a blackout day") from None
    after = {"day": day.isoformat()} if last in (None, day) else {"days": [one.isoformat() for one in days]}
    audit.record(actor, "season.blackout_added", "season", season.id, after={**after, "reason": reason})
    return days


def remove_blackout(actor: User, season: Season, day: date) -> None:
    season.blackout_days = [blackout for blackout in season.blackout_days if blackout.day != day]
    db.session.flush()
    audit.record(actor, "season.blackout_removed", "season", season.id, before={"day": day.isoformat()})


def season_bank_holidays(season: Season) -> dict[date, str]:
    return bank_holidays_between(season.starts_on, season.ends_on)


def season_request_count(season: Season) -> int:
    return db.session.scalar(select(func.count()).select_from(Request).where(Request.season_id == season.id)) or 0


def cast_day_counts(season: Season) -> dict[int, int]:
    """How many days each of the season's casts is available, by cast id, counted in one grouped query: a national
    season's hundred casts have 20,000 days between them, which loaded as objects to be counted took 150 ms a view."""
    query = (
        select(CastDate.cast_id, func.count())
        .join(Cast, Cast.id == CastDate.cast_id)
        .where(Cast.season_id == season.id)
        .group_by(CastDate.cast_id)
    )
    return {cast_id: days for cast_id, days in db.session.execute(query)}


def set_cost(actor: User, season: Season, cost_pence: int) -> None:
    before = {"cost_pence": season.cost_pence}
    season.cost_pence = cost_pence
    audit.record(actor, "season.cost_set", "season", season.id, before=before, after={"cost_pence": cost_pence})


def get_production(production_id: int) -> Production | None:
    return db.session.get(Production, production_id)


def get_cast(cast_id: int) -> Cast | None:
    return db.session.get(Cast, cast_id)


def season_cast(season_id: int, cast_id: int) -> Cast | None:
    """The cast when it plays in the season; None when there is no such cast or it is another season's."""
    cast = db.session.get(Cast, cast_id)
    return cast if cast is not None and cast.season_id == season_id else None


def season_slot(season_id: int, slot_id: int) -> Slot | None:
    """The time slot when it is the season's; None when there is no such slot or it is another season's."""
    slot = db.session.get(Slot, slot_id)
    return slot if slot is not None and slot.season_id == season_id else None
