"""Requests: schools (or the council on their behalf) submit, edit and withdraw them until the deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.domain.calendars import season_days
from portal.domain.refusals import Refused
from portal.domain.requests import RequestDraft, can_change_request, request_problems
from portal.extensions import db
from portal.models import (
    Request,
    RequestDate,
    RequestSlot,
    RequestStatus,
    RequestYearGroup,
    Role,
    School,
    Season,
    User,
)
from portal.models.seasons import SeasonStatus
from portal.services import audit, notifications

DUPLICATE = "Your school already has a request for this production in this season: change that one"


class RequestError(Refused):
    """A request the rules refuse: problems maps form field -> message."""


def open_seasons() -> list[Season]:
    """Seasons schools can see and request in, soonest deadline first, with the productions each offers."""
    query = select(Season).where(Season.status == SeasonStatus.OPEN).options(selectinload(Season.productions))
    return list(db.session.scalars(query.order_by(Season.request_deadline, Season.id)))


def get_open_season(season_id: int) -> Season | None:
    season = db.session.get(Season, season_id)
    return season if season is not None and season.status == SeasonStatus.OPEN else None


def open_days(season: Season) -> list[date]:
    """The days of a season the company performs on: weekdays, less bank holidays and blackout days."""
    return season_days(season.starts_on, season.ends_on, {day.day for day in season.blackout_days})


def school_requests(school: School) -> list[Request]:
    """The school's requests, newest first, with the production, season and year groups their table shows: read
    together, not one look-up per request (a school that has asked every season for five years has a dozen)."""
    query = (
        select(Request)
        .where(Request.school_id == school.id)
        .options(joinedload(Request.production), joinedload(Request.season), selectinload(Request.year_groups))
        .order_by(Request.created_at.desc(), Request.id.desc())
    )
    return list(db.session.scalars(query))


def get_school_request(school_id: int, request_id: int) -> Request | None:
    """A request, only when it belongs to the school (anything else is treated as not found)."""
    return db.session.scalar(select(Request).where(Request.id == request_id, Request.school_id == school_id))


def get_request(request_id: int) -> Request | None:
    return db.session.get(Request, request_id)


def live_requests_in(school: School, season: Season) -> list[Request]:
    """The school's requests in the season that are not withdrawn (one per production at most)."""
    query = select(Request).where(
        Request.school_id == school.id, Request.season_id == season.id, Request.status != RequestStatus.WITHDRAWN
    )
    return list(db.session.scalars(query.order_by(Request.id)))


def draft_of(request_: Request) -> RequestDraft:
    """A request's answers as a draft, to change them on the form."""
    return RequestDraft(
        production_id=request_.production_id,
        year_groups={group.year_group: group.pupils for group in request_.year_groups},
        dates=frozenset(day.day for day in request_.dates),
        preferred_dates=frozenset(day.day for day in request_.dates if day.preferred),
        slot_ids=frozenset(slot.slot_id for slot in request_.slots),
        staff_in_hall=request_.staff_in_hall,
        dsl_name=request_.dsl_name,
        dsl_email=request_.dsl_email,
        dsl_phone=request_.dsl_phone,
        access_notes=request_.access_notes,
    )


def snapshot(request_: Request) -> dict:
    data = audit.snapshot(
        request_, ("status", "production_id", "staff_in_hall", "dsl_name", "dsl_email", "dsl_phone", "access_notes")
    )
    data["year_groups"] = {str(group.year_group): group.pupils for group in request_.year_groups}
    data["dates"] = [day.day.isoformat() for day in request_.dates]
    data["preferred_dates"] = [day.day.isoformat() for day in request_.dates if day.preferred]
    data["slots"] = sorted(slot.slot.code for slot in request_.slots)
    return data


def draft_problems(season: Season, draft: RequestDraft) -> dict[str, str]:
    """Every rule of the season the draft breaks (field -> message), so a form can show them all at once."""
    return request_problems(
        draft,
        open_days=set(open_days(season)),
        slot_ids={slot.id for slot in season.slots},
        production_ids={production.id for production in season.productions},
    )


def draft_refusals(
    season: Season, school: School, draft: RequestDraft, today: date, request_: Request | None = None
) -> dict[str, str]:
    """Everything that would stop the draft being saved today (field -> message), checked before the school is
    asked to look over its answers: the deadline, a withdrawn request, the season's rules, and another live request
    of the school's for the same production."""
    if request_ is not None and request_.status == RequestStatus.WITHDRAWN:
        return {"season": "This request has been withdrawn: make a new one instead"}
    if not can_change_request(season.request_deadline, today):
        return {"season": f"Requests for {season.name} closed on {season.request_deadline:%-d %B %Y}"}
    problems = draft_problems(season, draft)
    others = [other for other in live_requests_in(school, season) if other is not request_]
    if "production" not in problems and any(other.production_id == draft.production_id for other in others):
        problems["production"] = DUPLICATE
    return problems


def _check(season: Season, draft: RequestDraft, today: date) -> None:
    if not can_change_request(season.request_deadline, today):
        raise RequestError({"season": f"Requests for {season.name} closed on {season.request_deadline:%-d %B %Y}"})
    problems = draft_problems(season, draft)
    if problems:
        raise RequestError(problems)


def _apply(request_: Request, draft: RequestDraft) -> None:
    assert draft.production_id is not None  # _check refused a draft without an offered production
    request_.production_id = draft.production_id
    request_.staff_in_hall = draft.staff_in_hall
    request_.dsl_name = draft.dsl_name.strip()
    request_.dsl_email = draft.dsl_email.strip().lower()
    request_.dsl_phone = draft.dsl_phone.strip()
    request_.access_notes = draft.access_notes.strip()
    request_.year_groups = [
        RequestYearGroup(year_group=year, pupils=pupils) for year, pupils in sorted(draft.year_groups.items()) if pupils
    ]
    request_.dates = [RequestDate(day=day, preferred=day in draft.preferred_dates) for day in sorted(draft.dates)]
    request_.slots = [RequestSlot(slot_id=slot_id) for slot_id in sorted(draft.slot_ids)]


def _save_or_explain(change: Callable[[], None]) -> None:
    """Make a change and flush it inside a savepoint: when the database refuses it (one live request per school,
    production and season), the rollback undoes the change in the session too, and the school gets a message."""
    try:
        with db.session.begin_nested():
            change()
            db.session.flush()
    except IntegrityError:
        raise RequestError({"production": DUPLICATE}) from None


def submit_request(actor: User, school: School, season: Season, draft: RequestDraft, today: date) -> Request:
    """Record a new request for the school; a council officer may make one on the school's behalf."""
    _check(season, draft, today)
    request_ = Request(season=season, school=school, created_by=actor, made_on_behalf=actor.role == Role.COUNCIL)

    def create() -> None:
        _apply(request_, draft)
        db.session.add(request_)

    _save_or_explain(create)
    audit.record(actor, "request.submitted", "request", request_.id, school_id=school.id, after=snapshot(request_))
    return request_


def send_request(actor: User, school: School, season: Season, draft: RequestDraft, today: date) -> Request:
    """A request sent through the pages: recorded, and acknowledged by e-mail to the person who sent it."""
    request_ = submit_request(actor, school, season, draft, today)
    notifications.request_received(request_, actor)
    return request_


def update_request(actor: User, request_: Request, draft: RequestDraft, today: date) -> Request:
    """Change a request before the deadline."""
    if request_.status == RequestStatus.WITHDRAWN:
        raise RequestError({"season": "This request has been withdrawn: make a new one instead"})
    _check(request_.season, draft, today)
    before = snapshot(request_)

    def change() -> None:
        _apply(request_, draft)
        if actor.role == Role.COUNCIL:
            request_.made_on_behalf = True

    _save_or_explain(change)
    audit.record(
        actor,
        "request.updated",
        "request",
        request_.id,
        school_id=request_.school_id,
        before=before,
        after=snapshot(request_),
    )
    return request_


def withdraw_request(actor: User, request_: Request, today: date, now: datetime) -> None:
    """Withdraw a request before the deadline; it stays on the school's list as withdrawn."""
    if request_.status == RequestStatus.WITHDRAWN:
        raise RequestError({"season": "This request has already been withdrawn"})
    if not can_change_request(request_.season.request_deadline, today):
        raise RequestError({"season": "The deadline has passed: contact the theatre company to withdraw"})
    before = snapshot(request_)
    request_.status = RequestStatus.WITHDRAWN
    request_.withdrawn_at = now
    audit.record(
        actor,
        "request.withdrawn",
        "request",
        request_.id,
        school_id=request_.school_id,
        before=before,
        after=snapshot(request_),
    )
