"""Holds on freed places, and the times a school declined: what decides, besides the scheduler's rules, which school
may take a free place now (portal.services.place_search.offers_for_request and performances.take_offer read them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import Performance, PerformanceStatus, PlaceOffer, Request

PlaceKey = tuple[int, date, int]  # (cast id, day, slot id)


@dataclass(frozen=True)
class Hold:
    """A freed place offered first to these requests, which alone may take it until `until`."""

    request_ids: frozenset[int]
    until: datetime

    def held_for_others(self, request_id: int) -> datetime | None:
        """Until when another request holds the place (None when this request is one of those offered it)."""
        return None if request_id in self.request_ids else self.until


def _holds(*conditions) -> dict[PlaceKey, Hold]:
    query = select(PlaceOffer).where(*conditions).order_by(PlaceOffer.id)
    requests: dict[PlaceKey, set[int]] = defaultdict(set)
    until: dict[PlaceKey, datetime] = {}
    for offer in db.session.scalars(query):
        key = (offer.cast_id, offer.day, offer.slot_id)
        requests[key].add(offer.request_id)
        until[key] = max(until.get(key, offer.held_until), offer.held_until)
    return {key: Hold(frozenset(ids), until[key]) for key, ids in requests.items()}


def live_holds(season_id: int, now: datetime) -> dict[PlaceKey, Hold]:
    """Every place of the season still held for the requests it was offered to first."""
    return _holds(PlaceOffer.season_id == season_id, PlaceOffer.held_until > now)


def hold_on(cast_id: int, day: date, slot_id: int, now: datetime) -> Hold | None:
    """The live hold on one place, if any."""
    return _holds(
        PlaceOffer.cast_id == cast_id, PlaceOffer.day == day, PlaceOffer.slot_id == slot_id, PlaceOffer.held_until > now
    ).get((cast_id, day, slot_id))


def end_holds(cast_id: int, day: date, slot_id: int, now: datetime) -> None:
    """A place freed again starts a new hold: the old one ends now."""
    db.session.execute(
        update(PlaceOffer)
        .where(
            PlaceOffer.cast_id == cast_id,
            PlaceOffer.day == day,
            PlaceOffer.slot_id == slot_id,
            PlaceOffer.held_until > now,
        )
        .values(held_until=now)
        .execution_options(synchronize_session=False)
    )


def hold_place(freed: Performance, requests: list[Request], held_until: datetime) -> list[PlaceOffer]:
    """Record the freed place as offered to these requests until held_until."""
    offers = [
        PlaceOffer(
            season_id=freed.season_id,
            cast_id=freed.cast_id,
            slot_id=freed.slot_id,
            day=freed.day,
            freed_performance_id=freed.id,
            request_id=request_.id,
            held_until=held_until,
        )
        for request_ in requests
    ]
    db.session.add_all(offers)
    db.session.flush()
    return offers


def declined_times(school_id: int, season_id: int) -> frozenset[tuple[date, int]]:
    """(day, slot id) of every performance the school declined in the season: never offered back to it. A
    performance released unconfirmed was not declined, so its school may book it again once any hold is over."""
    query = select(Performance.day, Performance.slot_id).where(
        Performance.school_id == school_id,
        Performance.season_id == season_id,
        Performance.status == PerformanceStatus.DECLINED,
        Performance.released_at.is_(None),
    )
    return frozenset((day, slot_id) for day, slot_id in db.session.execute(query))
