"""Allocation rounds: queue a scheduler run, keep its proposal, publish it as provisional performances."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.domain.breaches import InstanceNames, explain_breach, explain_unplaced
from portal.domain.calendars import week_start
from portal.domain.listings import ListQuery
from portal.domain.pagination import Pages
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import AllocationRun, Performance, PerformanceStatus, Request, RunStatus, Season, User
from portal.models.seasons import SeasonStatus
from portal.scheduler import check
from portal.services import audit, notifications
from portal.services.instances import build_instance, database_id

DEFAULT_TIME_LIMIT = 30


class AllocationError(Refused):
    """An allocation step the rules refuse, with a message for the tour manager."""


def season_runs(season: Season) -> list[AllocationRun]:
    query = select(AllocationRun).where(AllocationRun.season_id == season.id).order_by(AllocationRun.id.desc())
    return list(db.session.scalars(query))


def get_run(season: Season, run_id: int) -> AllocationRun | None:
    """The season's run; its instance and allocation are read when used (the progress polled while it runs, once
    a second, needs neither)."""
    run = db.session.get(AllocationRun, run_id)
    return run if run is not None and run.season_id == season.id else None


def start_run(
    actor: User, season: Season, today: date, pins: list[dict] | None = None, time_limit: int = DEFAULT_TIME_LIMIT
) -> AllocationRun:
    """Queue a run of the scheduler over the season; refused while another run of it is queued or running."""
    if season.status == SeasonStatus.DRAFT:
        raise AllocationError("Open the season for requests before allocating it")
    if season.takes_requests_on(today):
        raise AllocationError(f"Schools can request until {season.request_deadline:%-d %B %Y}: allocate after that")
    run = AllocationRun(
        season=season, created_by_id=actor.id, instance=build_instance(season, pins), time_limit_seconds=time_limit
    )
    try:
        with db.session.begin_nested():
            db.session.add(run)
    except IntegrityError:
        raise AllocationError("An allocation is already running for this season: wait for it to finish") from None
    audit.record(actor, "allocation.started", "season", season.id, after={"run": run.id, "pins": len(pins or [])})
    return run


def begin_run(run_id: int, now: datetime) -> tuple[dict, int] | None:
    """Mark a queued run as running; None if it is not queued (already taken or discarded)."""
    run = db.session.get(AllocationRun, run_id)
    if run is None or run.status != RunStatus.QUEUED:
        return None
    run.status, run.started_at = RunStatus.RUNNING, now
    return run.instance, run.time_limit_seconds


def finish_run(run_id: int, allocation: dict, now: datetime) -> None:
    run = db.session.get_one(AllocationRun, run_id)
    stats = allocation.get("stats", {})
    run.allocation, run.finished_at, run.status = allocation, now, RunStatus.DONE
    run.pupils_reached = stats.get("pupils_reached")
    run.weighted = stats.get("weighted")
    run.bound = stats.get("bound")
    run.schools_served = stats.get("schools_served")


def fail_run(run_id: int, error: str, now: datetime) -> None:
    run = db.session.get_one(AllocationRun, run_id)
    run.status, run.finished_at, run.error = RunStatus.FAILED, now, error[:2000]


def record_progress(run_id: int, message: dict) -> None:
    """The running job's best allocation so far, for the run's page (the job commits it at once)."""
    run = db.session.get_one(AllocationRun, run_id)
    run.progress = {key: message[key] for key in ("seconds", "weighted", "bound", "travel_bound") if key in message}


def stop_requested(run_id: int) -> bool:
    """Whether someone has asked this run to stop early, read afresh from the database."""
    asked = db.session.execute(select(AllocationRun.stop_requested_at).where(AllocationRun.id == run_id)).scalar()
    return asked is not None


def request_stop(actor: User, run: AllocationRun, now: datetime) -> None:
    """Ask a running run to stop early and keep the best allocation it has found: the job sees it within seconds."""
    if run.status != RunStatus.RUNNING:
        raise AllocationError(
            "This run has not started yet: discard it instead"
            if run.status == RunStatus.QUEUED
            else "This run has already finished"
        )
    if run.stop_requested_at is None:
        run.stop_requested_at = now
        audit.record(actor, "allocation.stop_requested", "season", run.season_id, after={"run": run.id})


def run_progress(run: AllocationRun, now: datetime) -> dict:
    """What the run's page says while it works: status, the best so far and its share of the bound, time left."""
    best = run.progress or {}
    bound = best.get("travel_bound") or best.get("bound")
    elapsed = (now - run.started_at).total_seconds() if run.started_at else 0.0
    return {
        "status": run.status.value,
        "weighted": best.get("weighted"),
        "share_of_bound": round(best["weighted"] / bound, 3) if bound and best.get("weighted") is not None else None,
        "seconds_left": max(0, round(run.time_limit_seconds - elapsed)) if run.started_at else None,
        "stopping": run.stop_requested_at is not None,
    }


def discard_run(actor: User, run: AllocationRun) -> None:
    if run.status not in (RunStatus.DONE, RunStatus.FAILED, RunStatus.QUEUED):
        raise AllocationError("Only a finished, failed or queued run can be discarded")
    run.status = RunStatus.DISCARDED
    audit.record(actor, "allocation.discarded", "season", run.season_id, after={"run": run.id})


def _new_entries(run: AllocationRun, fresh_instance: dict) -> list[dict]:
    """The proposal's performances that do not exist yet, after checking it against the season as it is now."""
    allocation = run.allocation
    assert allocation is not None  # only a finished run gets here, and it holds its proposal
    result = check(fresh_instance, allocation)
    if not result.ok:
        raise AllocationError(
            "The season has changed since this run (a request or performance changed): run the allocation again. "
            + explain_breach(result.breaches[0], fresh_instance, allocation["performances"])
        )
    existing = {(p["request"], p["date"], p["slot"], p["cast"]) for p in fresh_instance["pinned"]}
    return [p for p in allocation["performances"] if (p["request"], p["date"], p["slot"], p["cast"]) not in existing]


def entries_to_publish(run: AllocationRun) -> list[dict]:
    """The proposal's performances that publishing would create (checked against the season as it is now)."""
    if run.status != RunStatus.DONE:
        raise AllocationError("Only a finished run can be published")
    return _new_entries(run, build_instance(run.season))


def publish_run(actor: User, run: AllocationRun, confirm_by: date, today: date) -> list[Performance]:
    """Write the proposal as provisional performances, all in this transaction; confirmed ones never move."""
    if run.status != RunStatus.DONE:
        raise AllocationError("Only a finished run can be published")
    if confirm_by < today:
        raise AllocationError("The confirm-by date must be today or later")
    season = run.season
    entries = _new_entries(run, build_instance(season))
    slots = {slot.code: slot for slot in season.slots}
    created = []
    for entry in entries:
        request_ = db.session.get_one(Request, database_id(entry["request"]))
        performance = Performance(
            season_id=season.id,
            request_id=request_.id,
            school_id=request_.school_id,
            cast_id=database_id(entry["cast"]),
            slot_id=slots[entry["slot"]].id,
            day=date.fromisoformat(entry["date"]),
            pupils_planned=entry["pupils"],
            status=PerformanceStatus.PROVISIONAL,
            confirm_by=confirm_by,
        )
        db.session.add(performance)
        created.append(performance)
    db.session.flush()
    for performance in created:
        audit.record(
            actor,
            "performance.published",
            "performance",
            performance.id,
            school_id=performance.school_id,
            after=performance_snapshot(performance),
        )
    run.status = RunStatus.PUBLISHED
    season.status = SeasonStatus.PUBLISHED
    for other in season_runs(season):
        if other.id != run.id and other.status == RunStatus.DONE:
            other.status = RunStatus.DISCARDED
    audit.record(
        actor, "allocation.published", "season", season.id, after={"run": run.id, "performances": len(created)}
    )
    notifications.allocation_published(created)
    return created


def performance_snapshot(performance: Performance) -> dict:
    return audit.snapshot(
        performance,
        ("status", "day", "slot_id", "cast_id", "pupils_planned", "confirm_by", "status_reason", "sequence"),
    )


def _week_calendar(entries: list[dict], week: date | None, pinned: set, request_school: dict) -> tuple[dict, list]:
    """Each cast's calendar of the week (cast -> date -> slot -> entry, each entry with its pin and whether it is
    kept), and the pins of the performances kept, in every week."""
    calendar: dict[str, dict[str, dict[str, dict]]] = defaultdict(lambda: defaultdict(dict))
    kept = []
    # ISO dates compare as text: no date is parsed for each of a national season's 12,000 entries.
    first, after = (week.isoformat(), (week + timedelta(days=7)).isoformat()) if week else ("", "")
    for entry in entries:
        key = (entry["request"], entry["date"], entry["slot"], entry["cast"])
        pin = "|".join([*key, str(entry["pupils"])])
        if key in pinned:
            kept.append(pin)
        if first <= entry["date"] < after:
            school = request_school.get(entry["request"], entry["request"])
            calendar[entry["cast"]][entry["date"]][entry["slot"]] = {
                **entry,
                "school": school,
                "pin": pin,
                "pinned": key in pinned,
            }
    return calendar, sorted(kept)


CASTS_PER_PAGE = 10


def proposal_view(
    run: AllocationRun, week: date | None = None, asked: ListQuery | None = None, cast_page: int = 1
) -> dict:
    """What the proposal page shows: the figures, each cast's calendar (date -> slot -> entry) for one week of the
    proposal (the first unless `week` is one of its weeks: a national season is 20 casts over 12 weeks), the
    performances kept in every week, and a page of the requests with pupils not placed, with why. The casts come
    CASTS_PER_PAGE at a time (`cast_page`): a national season has over a hundred."""
    instance, allocation = run.instance, run.allocation or {}
    schools = {school["id"]: school["name"] for school in instance["schools"]}
    request_school = {request_["id"]: schools.get(request_["school"], "") for request_ in instance["requests"]}
    pinned = {(p["request"], p["date"], p["slot"], p["cast"]) for p in instance.get("pinned", [])}
    entries = allocation.get("performances", [])
    weeks = sorted({week_start(date.fromisoformat(day)) for day in {entry["date"] for entry in entries}})
    shown = week_start(week) if week and week_start(week) in weeks else (weeks[0] if weeks else None)
    calendar, kept = _week_calendar(entries, shown, pinned, request_school)
    stats = allocation.get("stats", {})
    bound = stats.get("bound") or 0
    unplaced = allocation.get("unplaced", [])
    asked = asked or ListQuery(size=max(len(unplaced), 1))
    pages = Pages(asked.page, asked.size, len(unplaced))
    casts = Pages(cast_page, CASTS_PER_PAGE, len(instance["casts"]))
    names = InstanceNames.of(instance)
    return {
        "slots": [slot["id"] for slot in sorted(instance["slots"], key=lambda slot: slot["start"])],
        "casts": [
            {"id": cast["id"], "name": cast["name"], "days": sorted(calendar[cast["id"]].items())}
            for cast in instance["casts"][casts.offset : casts.offset + casts.size]
        ],
        "cast_pages": casts,
        "week": shown,
        "weeks": weeks,
        "kept": kept,
        "unplaced": [
            {
                **item,
                "school": request_school.get(item["request"], item["request"]),
                "reason": explain_unplaced(item["reason"], instance, names),
            }
            for item in unplaced[pages.offset : pages.offset + pages.size]
        ],
        "unplaced_pages": pages,
        "unplaced_pupils": sum(item["pupils"] for item in unplaced),
        "stats": stats,
        "share_of_bound": (stats.get("weighted", 0) / bound) if bound else None,
        "requests": len(instance["requests"]),
    }
