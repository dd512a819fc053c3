"""A season as the scheduler's instance (portal.services.instances): the same in a few statements however many
requests and performances it has."""

from __future__ import annotations

from datetime import time

from sqlalchemy import event

from portal.extensions import db
from portal.models import RequestStatus
from portal.scheduler import check
from portal.services.instances import build_instance
from tests.factories import make_performance, make_request, make_school, make_season


def season_of(requests: int):
    season = make_season(weeks=6, slot_times=(("AM", time(9, 15)), ("PM", time(13, 30)), ("LATE", time(15, 0))))
    made = []
    for n in range(requests):
        request_ = make_request(make_school(latitude=51.5 + n / 100, longitude=-1.0), season, days=5 + n % 3)
        request_.dates[1].preferred = n % 2 == 0
        made.append(request_)
    for n, request_ in enumerate(made[: requests // 2]):
        make_performance(request_, slot=season.slots[n % 3], day=request_.dates[n % 5].day)
    made[0].status = RequestStatus.WITHDRAWN  # its performance keeps it in the instance
    db.session.flush()
    return season, made


def statements_building(season) -> tuple[dict, int]:
    counted = []
    count = lambda *_args: counted.append(1)  # noqa: E731
    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        instance = build_instance(season)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return instance, len(counted)


def test_the_instance_holds_every_request_s_dates_slots_pupils_and_preferences(session):
    season, made = season_of(6)
    instance, _ = statements_building(season)
    entries = {entry["id"]: entry for entry in instance["requests"]}
    assert set(entries) == {f"r{request_.id}" for request_ in made}
    for request_ in made:
        entry = entries[f"r{request_.id}"]
        assert entry["dates"] == [row.day.isoformat() for row in request_.dates]
        assert entry["preferred_dates"] == [row.day.isoformat() for row in request_.dates if row.preferred]
        assert entry["slots"] == sorted(row.slot.code for row in request_.slots)
        assert entry["pupils"] == request_.pupils and entry["school"] == f"s{request_.school_id}"
    assert len(instance["pinned"]) == 3
    assert check(instance, {"format": "cse-tour-allocation/1", "performances": instance["pinned"]}).ok


def test_building_the_instance_takes_the_same_few_statements_for_a_season_three_times_the_size(session):
    _, small = statements_building(season_of(4)[0])
    _, large = statements_building(season_of(12)[0])
    assert large == small, "a statement per request or per performance"
