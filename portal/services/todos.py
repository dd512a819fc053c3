"""The facts behind each role's to-do list (counts and dates), and where each request has got to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import CTE, and_, func, or_, select
from sqlalchemy.orm import selectinload

from portal.domain import todos
from portal.domain.listings import Listing, ListQuery
from portal.domain.pagination import Pages
from portal.domain.reach import Period
from portal.domain.request_stages import RequestStage, request_stage
from portal.domain.requests import can_change_request
from portal.extensions import db
from portal.models import (
    EvaluationReturn,
    FollowUpLesson,
    Performance,
    PerformanceStatus,
    Request,
    RequestStatus,
    Role,
    School,
    Season,
    Slot,
    User,
)
from portal.models.seasons import SeasonStatus
from portal.services import accounts, outbox, settings
from portal.services.performance_queries import PERFORMANCE_ROW, PerformanceRow, with_performance_row_joins
from portal.services.reach import schools_not_reached

RECORD_SORTS = {"earliest": "Earliest first"}


def request_stages(requests: Iterable[Request]) -> dict[int, RequestStage]:
    """Request id -> its stage (submitted, allocated, confirmed, delivered, withdrawn), from its performances."""
    requests = list(requests)
    statuses: dict[int, list[str]] = defaultdict(list)
    if requests:
        query = select(Performance.request_id, Performance.status).where(
            Performance.request_id.in_([request_.id for request_ in requests])
        )
        for request_id, status in db.session.execute(query.order_by(Performance.id)):
            statuses[request_id].append(status.value)
    return {
        request_.id: request_stage(request_.status == RequestStatus.WITHDRAWN, statuses[request_.id])
        for request_ in requests
    }


def _season_facts(seasons: Iterable[Season]) -> list[todos.SeasonFacts]:
    """Each season's facts; live requests are counted only for seasons not yet published, the only ones a next step
    names them for (a national programme's published seasons hold tens of thousands, counted on every home page)."""
    seasons = list(seasons)
    unpublished = [season.id for season in seasons if season.status != SeasonStatus.PUBLISHED]
    counts = dict(
        db.session.execute(
            select(Request.season_id, func.count())
            .where(Request.season_id.in_(unpublished), Request.status == RequestStatus.SUBMITTED)
            .group_by(Request.season_id)
        ).all()
    )
    return [
        todos.SeasonFacts(
            season.id, season.name, season.status.value, season.request_deadline, counts.get(season.id, 0)
        )
        for season in seasons
    ]


def _all_seasons() -> list[Season]:
    return list(db.session.scalars(select(Season).order_by(Season.request_deadline, Season.id)))


def _provisional_and_delivered_recently(school_id: int, today: date) -> tuple[list[date | None], list[Performance]]:
    """The confirm-by dates of the school's provisional performances, and its performances delivered in the follow-up
    window with their attendance: one statement for both, and one for the attendance."""
    recent = and_(
        Performance.status == PerformanceStatus.DELIVERED,
        Performance.day >= today - timedelta(days=todos.FOLLOW_UP_DAYS),
        Performance.day <= today,
    )
    query = (
        select(Performance)
        .where(Performance.school_id == school_id, or_(Performance.status == PerformanceStatus.PROVISIONAL, recent))
        .options(selectinload(Performance.attendance))
        .order_by(Performance.day, Performance.id)
    )
    performances = list(db.session.scalars(query))
    provisional = [p.confirm_by for p in performances if p.status == PerformanceStatus.PROVISIONAL]
    return provisional, [p for p in performances if p.status == PerformanceStatus.DELIVERED]


def school_todo(school: School, today: date, school_requests: list[Request], seasons: list[Season]) -> todos.ToDo:
    """What the school's staff should do next. school_requests are the school's requests and seasons the open seasons,
    which its home page has read already."""
    provisional, delivered = _provisional_and_delivered_recently(school.id, today)
    confirm_by = [day for day in provisional if day is None or day >= today]
    ids = [performance.id for performance in delivered]
    lesson_years: dict[int, set[int]] = defaultdict(set)
    with_results: set[int] = set()
    if ids:
        lessons = select(FollowUpLesson.performance_id, FollowUpLesson.year_group)
        for performance_id, year in db.session.execute(lessons.where(FollowUpLesson.performance_id.in_(ids))):
            lesson_years[performance_id].add(year)
        returns = select(EvaluationReturn.performance_id).where(EvaluationReturn.performance_id.in_(ids))
        with_results = set(db.session.scalars(returns))
    asked = {request_.season_id for request_ in school_requests if request_.status == RequestStatus.SUBMITTED}
    open_seasons = [
        season
        for season in seasons
        if season.status == SeasonStatus.OPEN and season.takes_requests_on(today) and season.id not in asked
    ]
    return todos.school_todo(
        confirm_by=confirm_by,
        follow_up=[
            p.id
            for p in delivered
            if todos.needs_follow_up(p.day, {a.year_group for a in p.attendance if a.pupils}, lesson_years[p.id], today)
        ],
        questionnaires=[
            p.id for p in delivered if todos.needs_questionnaire(p.day, p.pupils_attended, p.id in with_results, today)
        ],
        seasons_to_request=_season_facts(open_seasons),
        hall_capacity_missing=not school.hall_capacity,
        office_phone_missing=not school.office_phone,
        today=today,
    )


def _to_record(today: date) -> CTE:
    """Provisional or confirmed performances whose day has passed, which the company records delivered or cancelled:
    their ids and sort keys, read first on their own by the (status, day) index.

    Materialised, so that the list's order cannot come from an index: asked for in day order a page at a time, both
    databases walked the day index instead, through every past performance (100,000 nationally), to find the few
    hundred still to record: 9 to 17 ms a page on SQLite, 13 to 56 ms on PostgreSQL, instead of about one."""
    return (
        select(Performance.id, Performance.day, Performance.slot_id, Performance.cast_id)
        .where(
            Performance.status.in_([PerformanceStatus.PROVISIONAL, PerformanceStatus.CONFIRMED]),
            Performance.day < today,
        )
        .cte("to_record")
        .prefix_with("MATERIALIZED")
    )


def _in_record_order(today: date) -> list[tuple[int, date]]:
    """(id, day) of every performance to record, earliest first (day, start time, cast, id), in one statement: the
    page, its count and the earliest all come from it. A few hundred nationally, as many as the company has not yet
    recorded; the materialised set reads them all anyway."""
    due = _to_record(today)
    query = select(due.c.id, due.c.day).join(Slot, Slot.id == due.c.slot_id)
    query = query.order_by(due.c.day, Slot.starts_at, due.c.cast_id, due.c.id)
    return [(id_, day) for id_, day in db.session.execute(query)]


def performances_to_record(today: date, asked: ListQuery) -> tuple[Listing[PerformanceRow], tuple[int, date] | None]:
    """One page of the performances to record, earliest first (a national tour can leave hundreds unrecorded), as
    plain rows; and the id and day of the earliest of them all (None when there are none), which the next steps
    link to whichever page is shown."""
    every = _in_record_order(today)
    pages = Pages(asked.page, asked.size, len(every))
    ids = [id_ for id_, _ in every[pages.offset : pages.offset + pages.size]]
    query = with_performance_row_joins(select(*PERFORMANCE_ROW)).where(Performance.id.in_(ids))
    found = {row.id: row for row in (PerformanceRow(*row) for row in db.session.execute(query))} if ids else {}
    listing = Listing([found[id_] for id_ in ids], pages, "", "earliest", RECORD_SORTS)
    return listing, every[0] if every else None


def company_todo(
    today: date, to_record: int, earliest_to_record: tuple[int, date] | None, lapsing: list[tuple[date, int]]
) -> todos.ToDo:
    """What the theatre company should do next (to_record: how many performances to record, and earliest_to_record
    the first of them, as performances_to_record gives them; lapsing: lapses.lapse_dates)."""
    return todos.company_todo(
        seasons=_season_facts(_all_seasons()),
        to_record=to_record,
        earliest_to_record=earliest_to_record,
        lapsing=lapsing,
        today=today,
    )


def council_todo(today: date, lapsing: list[tuple[date, int]]) -> todos.ToDo:
    """What the council's officers should do next (lapsing: lapses.lapse_dates)."""
    not_reached = schools_not_reached(Period())
    seasons = _season_facts(_all_seasons())
    open_ids = [
        season.id
        for season in seasons
        if season.status == SeasonStatus.OPEN and can_change_request(season.request_deadline, today)
    ]
    asking = set(
        db.session.scalars(
            select(Request.school_id).where(Request.season_id.in_(open_ids), Request.status == RequestStatus.SUBMITTED)
        )
    )
    return todos.council_todo(
        pending_since=accounts.pending_approval_dates(),
        lapsing=lapsing,
        not_reached=len(not_reached),
        not_reached_without_request=sum(1 for school in not_reached if school.id not in asking),
        seasons=seasons,
        today=today,
    )


def admin_todo(second_factor_roles: Iterable[str]) -> todos.ToDo:
    """What an administrator should look after: e-mail, second factors, the CSE team every page signposts."""
    roles = [Role(role) for role in second_factor_roles]
    without = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role.in_(roles), User.active.is_(True), User.totp_enabled_at.is_(None))
    )
    return todos.admin_todo(
        retrying=outbox.counts()["retrying"],
        without_second_factor=without or 0,
        team_phone=settings.get_setting("cse_team_phone"),
    )
