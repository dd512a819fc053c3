"""E-mails about confirming in time and freed places (one function per message, sent through mail.py): the council
and the company warned of performances about to lapse, schools offered a freed place first, the council told.
"""

from __future__ import annotations

from portal.domain.performances import moment_label
from portal.links import external_url
from portal.models import Performance, PlaceOffer, Role
from portal.services.mail import council_contact, role_staff, school_staff, send
from portal.services.notifications import school_or_dsls, when

AREAS = {Role.COUNCIL: "council", Role.COMPANY: "company"}


def lapse_warning(performances: list[Performance], role: Role) -> int:
    """To the council or the company: provisional performances whose confirm-by date is near, still unconfirmed."""
    area = AREAS[role]
    count = len(performances)
    return send(
        role_staff(role),
        "lapse_warning",
        f"{count} performance{'s' if count != 1 else ''} about to lapse unconfirmed",
        performances=[
            (p, when(p), external_url(f"{area}.performance_detail", performance_id=p.id), not school_staff(p.school_id))
            for p in performances
        ],
        for_council=role == Role.COUNCIL,
        link=external_url(f"{area}.home", _anchor="about-to-lapse"),
    )


def booking_url(offer: PlaceOffer) -> str:
    """The page where the school sees the place and books it (never one click from an e-mail)."""
    return external_url(
        "school.offer_take",
        request_id=offer.request_id,
        cast=offer.cast_id,
        day=offer.day.isoformat(),
        slot=offer.slot_id,
    )


def place_offered(offer: PlaceOffer, freed: Performance, pupils: int) -> int:
    """To a school a freed place fits best: it is held for it (and a few others) for a while; book it here."""
    request_ = offer.request
    recipients, no_account = school_or_dsls(request_.school_id, [request_])
    return send(
        recipients,
        "place_offered",
        f"A performance has come free for {request_.school.name}: {when(freed)}",
        request_=request_,
        when=when(freed),
        pupils=pupils,
        held_until=moment_label(offer.held_until),
        no_account=no_account,
        council_contact=council_contact(),
        register_link=external_url("auth.register"),
        link=booking_url(offer),
    )


def place_freed(freed: Performance, offers: list[PlaceOffer], held_until) -> int:
    """To the council: a place came free, and which schools it is offered to first (or that any school may book it)."""
    return send(
        role_staff(Role.COUNCIL),
        "place_freed",
        f"Place freed: {when(freed)}, {freed.cast.name}",
        freed=freed,
        when=when(freed),
        offered=[
            (offer.request, external_url("council.request_detail", request_id=offer.request_id)) for offer in offers
        ],
        held_until=moment_label(held_until),
        link=external_url("council.performance_detail", performance_id=freed.id),
    )
