"""The tour schedule: performances by week and by cast, and the day sheet a cast takes on the road."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from portal.clock import LONDON
from portal.domain.listings import Listing, ListQuery
from portal.extensions import db
from portal.models import ApprovalState, Cast, Performance, School, Season, Slot, User
from portal.scheduler.geo import haversine_km, travel_minutes
from portal.services.instances import ACTIVE_STATUSES
from portal.services.listings import containing, page_of_rows, starting
from portal.services.performance_queries import (
    PERFORMANCE_ROW,
    PerformanceRow,
    in_time_order,
    with_performance_row_joins,
)
from portal.services.schools import locations

# The cast arrives this long before the start, to set up the hall.
ARRIVE_BEFORE_MINUTES = 45


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _between(season: Season, cast_id: int | None, start: date | None, end: date | None) -> Select:
    """The season's performances, of one cast or all, between two days (either may be open)."""
    query = select(Performance).where(Performance.season_id == season.id)
    if cast_id:
        query = query.where(Performance.cast_id == cast_id)
    if start:
        query = query.where(Performance.day >= start)
    if end:
        query = query.where(Performance.day <= end)
    return query


def season_performances(
    season: Season, *, cast_id: int | None = None, start: date | None = None, end: date | None = None, statuses=None
) -> list[Performance]:
    query = _between(season, cast_id, start, end)
    if statuses:
        query = query.where(Performance.status.in_(statuses))
    # The schedule shows each performance's school, cast and time: loaded with it, not one query per row.
    query = in_time_order(query).options(
        contains_eager(Performance.slot), joinedload(Performance.school), joinedload(Performance.cast)
    )
    return list(db.session.scalars(query))


def week_page(
    season: Season, asked: ListQuery, *, cast_id: int | None, start: date | None, end: date | None
) -> Listing[PerformanceRow]:
    """A page of the schedule between two days (a week), in time order, for one cast or all, found by school name,
    town or URN: a national tour's week holds hundreds of performances."""
    search = asked.searched_for()
    performances = _between(season, cast_id, start, end)
    if search:
        matching = select(School.id).where(
            or_(containing(School.name, search), containing(School.town, search), starting(School.urn, search))
        )
        performances = performances.where(Performance.school_id.in_(matching))
    query = with_performance_row_joins(performances.with_only_columns(*PERFORMANCE_ROW))
    order = (Performance.day, Slot.starts_at, Performance.cast_id, Performance.id)
    rows, pages = page_of_rows(query, asked, *order, counted=performances.with_only_columns(Performance.id))
    return Listing([PerformanceRow(*row) for row in rows], pages, search, "time", {"time": "Date and time"})


def cast_names(season: Season) -> list[tuple[int, str]]:
    """The season's casts by name, as (id, name): the schedule's cast filter lists a national tour's hundred."""
    return list(db.session.execute(select(Cast.id, Cast.name).where(Cast.season_id == season.id).order_by(Cast.name)))


def weeks_of(season: Season) -> list[date]:
    weeks, monday = [], week_start(season.starts_on)
    while monday <= season.ends_on:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def opening_week(weeks: list[date], today: date) -> date | None:
    """The week a schedule opens on: this week while the season is on, else its first week (or its last, once it
    is over)."""
    if not weeks:
        return None
    this_week = week_start(today)
    return this_week if this_week in weeks else (weeks[0] if this_week < weeks[0] else weeks[-1])


def school_contacts(school_ids: set[int]) -> dict[int, list[User]]:
    """The approved, active staff accounts of each school, for the cast to call on the day (name, job, phone)."""
    query = select(User).where(
        User.school_id.in_(school_ids), User.active.is_(True), User.approval_state == ApprovalState.APPROVED
    )
    contacts: dict[int, list[User]] = {school_id: [] for school_id in school_ids}
    for user in db.session.scalars(query.order_by(User.full_name, User.id)):
        assert user.school_id is not None  # the query asks for these schools' staff
        contacts[user.school_id].append(user)
    return contacts


@dataclass(frozen=True)
class DaySheetStop:
    performance: Performance
    starts_at: datetime
    arrive_at: datetime
    travel_km_from_previous: float | None
    travel_minutes_from_previous: int | None


def day_sheet(cast: Cast, day: date) -> list[DaySheetStop]:
    """The cast's active performances on one day, in order, with arrival times and the drive between schools."""
    season = cast.season
    performances = season_performances(season, cast_id=cast.id, start=day, end=day, statuses=ACTIVE_STATUSES)
    performances.sort(key=lambda p: p.slot.starts_at)
    stops: list[DaySheetStop] = []
    previous: Performance | None = None
    where = locations(performance.school for performance in performances)
    for performance in performances:
        starts_at = datetime.combine(day, performance.slot.starts_at, tzinfo=LONDON)
        km = minutes = None
        if previous is not None and previous.school_id != performance.school_id:
            straight = haversine_km(*where[previous.school_id], *where[performance.school_id])
            km = straight * season.road_factor
            minutes = travel_minutes(straight, season.road_factor, season.speed_kmh)
        stops.append(
            DaySheetStop(performance, starts_at, starts_at - timedelta(minutes=ARRIVE_BEFORE_MINUTES), km, minutes)
        )
        previous = performance
    return stops
