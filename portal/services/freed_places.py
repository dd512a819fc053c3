"""A freed place reaches the schools that want it: offered first, with a hold, to the waiting requests it fits best.

When a school declines a performance (or the council does for it) or one is released unconfirmed, its cast, day and
time are free. Every live request of the season that lists that day and time is checked as if it took the place now,
with the very rules of the offers page (take_refusal, then the scheduler's check() of the performances the new one
would meet: placements.py), and scored by the scheduler's own objective (priority x pupils still to place, a request
with no performance yet, a preferred date, less travel). The best few (domain.freed_places) hold it for
PLACE_HOLD_HOURS: they are e-mailed a link to book it, and the council is told. During the hold only they may take
it (take_offer checks, under its locks); then any school whose request it fits may.

The company's own cancellations (a cast ill, a school closed) are not offered: the cast may not be able to play.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from portal.clock import LONDON
from portal.domain.freed_places import Candidate, best_candidates, hold_ends
from portal.domain.performances import take_refusal
from portal.extensions import db
from portal.models import Cast, Performance, PlaceOffer, Request, RequestDate, RequestSlot, RequestStatus, Season, Slot
from portal.models.seasons import SeasonStatus
from portal.services import place_notices, place_offers
from portal.services.place_search import audience_cap_of, offers_for_request, place_wanted, pupils_remaining
from portal.services.placements import Placement, nearby_performances, placement_breaches, placement_gain


def _requests_listing(performance: Performance) -> list[Request]:
    """Live requests of the season whose hall is free on the place's day and time, for a production its cast plays,
    from other schools than the one that gave it up."""
    query = (
        select(Request)
        .join(RequestDate, RequestDate.request_id == Request.id)
        .join(RequestSlot, RequestSlot.request_id == Request.id)
        .where(
            Request.season_id == performance.season_id,
            Request.status == RequestStatus.SUBMITTED,
            Request.school_id != performance.school_id,
            Request.production_id.in_([production.id for production in performance.cast.productions]),
            RequestDate.day == performance.day,
            RequestSlot.slot_id == performance.slot_id,
        )
        .order_by(Request.id)
    )
    return list(db.session.scalars(query))


def _candidate(request_: Request, freed: Performance, now: datetime) -> Candidate | None:
    """The request as a candidate for the freed place, with what taking it adds; None when it may not take it."""
    today = now.astimezone(LONDON).date()
    remaining = pupils_remaining(request_)
    declined = place_offers.declined_times(request_.school_id, request_.season_id)
    wanted = place_wanted(request_, freed.cast, freed.day, freed.slot, remaining, declined)
    if take_refusal(wanted, today):
        return None
    placement = Placement(freed.cast, freed.day, freed.slot, min(remaining, audience_cap_of(request_)))
    breaches, gain = placement_gain(request_, placement, nearby_performances(request_, [freed.cast], {freed.day}))
    if breaches:
        return None
    return Candidate(request_.id, request_.school_id, gain.key())


def offer_freed_place(performance: Performance, now: datetime) -> list[PlaceOffer]:
    """Offer the place a declined or released performance left to the waiting requests it fits best, held for them
    until PLACE_HOLD_HOURS from now; they and the council are told. Nothing for a place in the past or in a season
    not published."""
    today = now.astimezone(LONDON).date()
    if performance.season.status != SeasonStatus.PUBLISHED or performance.day <= today:
        return []
    place_offers.end_holds(performance.cast_id, performance.day, performance.slot_id, now)
    requests = {request_.id: request_ for request_ in _requests_listing(performance)}
    scored = [found for request_ in requests.values() if (found := _candidate(request_, performance, now))]
    chosen = best_candidates(scored, performance.school_id)
    held_until = hold_ends(now, current_app.config["PLACE_HOLD_HOURS"])
    offers = place_offers.hold_place(performance, [requests[c.request_id] for c in chosen], held_until)
    for offer in offers:
        request_ = requests[offer.request_id]
        place_notices.place_offered(offer, performance, min(pupils_remaining(request_), audience_cap_of(request_)))
    place_notices.place_freed(performance, offers, held_until)
    return offers


def place_on_offer(
    request_: Request, cast: Cast, day: date, slot: Slot, today: date, now: datetime
) -> tuple[Placement | None, str]:
    """The place as the booking page shows it (pupils, and until when it is held for this request), or why the
    school cannot book it now: the rules take_offer checks again, under its locks, when the school books."""
    remaining = pupils_remaining(request_)
    declined = place_offers.declined_times(request_.school_id, request_.season_id)
    hold = place_offers.hold_on(cast.id, day, slot.id, now)
    refusal = take_refusal(place_wanted(request_, cast, day, slot, remaining, declined, hold), today)
    if refusal:
        return None, refusal
    placement = Placement(cast, day, slot, min(remaining, audience_cap_of(request_)), hold.until if hold else None)
    if placement_breaches(request_, placement, nearby_performances(request_, [cast], {day})):
        return None, "Sorry, that performance has been taken or no longer fits your request: choose another"
    return placement, ""


def offers_for_school(school_id: int, today: date, limit: int) -> list[tuple[Request, list[Placement]]]:
    """The school's live requests in published seasons still to come, each with the first `limit` free places it could
    take now. A season that is over offers nothing: listing it would tell the school, for every season it ever asked
    in, that declined places "appear here"."""
    query = (
        select(Request)
        .join(Season, Season.id == Request.season_id)
        .where(
            Request.school_id == school_id,
            Request.status == RequestStatus.SUBMITTED,
            Season.status == SeasonStatus.PUBLISHED,
            Season.ends_on > today,
        )
        .options(contains_eager(Request.season), joinedload(Request.production))
        .order_by(Request.id)
    )
    return [(request_, offers_for_request(request_, today, limit=limit)) for request_ in db.session.scalars(query)]
