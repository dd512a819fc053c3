"""Preview performances: the company sets them up, changes and cancels them (everyone booked is told); schools see
the previews they are invited to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import or_, select

from portal.domain.previews import Audience, PreviewAudience, PreviewStatus
from portal.extensions import db
from portal.models import Preview, Production, School, User
from portal.services import audit, preview_mail
from portal.services.preview_seats import PreviewError


@dataclass(frozen=True)
class PreviewDetails:
    """What the company says about a preview when it sets it up or changes it."""

    production_id: int
    day: date
    starts_at: time
    venue_address: str
    access_information: str
    seats: int
    audience: Audience


def audience_from(kind: PreviewAudience, district: str, urns: str) -> Audience:
    """The audience a form describes; the schools of a list are named by URN (PreviewError names any unknown)."""
    wanted = [urn for urn in urns.replace(",", " ").split() if urn]
    if kind != PreviewAudience.SCHOOLS:
        return Audience(kind, district.strip())
    found = {
        urn: school_id
        for urn, school_id in db.session.execute(select(School.urn, School.id).where(School.urn.in_(wanted)))
    }
    unknown = [urn for urn in wanted if urn not in found]
    if unknown:
        raise PreviewError("school_urns", f"No school has the URN {', '.join(unknown[:5])}")
    return Audience(kind, "", frozenset(found.values()))


def _apply(preview: Preview, details: PreviewDetails) -> None:
    problem = details.audience.problem()
    if problem:
        raise PreviewError(problem)
    production = db.session.get(Production, details.production_id)
    if production is None:
        raise PreviewError("Choose the production")
    if details.seats < preview.seats_taken:
        raise PreviewError(f"{preview.seats_taken} seats are booked already: the preview needs at least as many")
    preview.production = production
    preview.day, preview.starts_at = details.day, details.starts_at
    preview.venue_address = details.venue_address.strip()
    preview.access_information = details.access_information.strip()
    preview.seats = details.seats
    preview.audience = details.audience.kind
    preview.district = details.audience.district.strip() if details.audience.kind == PreviewAudience.DISTRICT else ""
    wanted = details.audience.school_ids if details.audience.kind == PreviewAudience.SCHOOLS else frozenset()
    preview.schools = list(db.session.scalars(select(School).where(School.id.in_(wanted)).order_by(School.id)))


def create_preview(actor: User, details: PreviewDetails) -> Preview:
    """Set up a preview performance."""
    preview = Preview(seats_taken=0)
    _apply(preview, details)
    db.session.add(preview)
    db.session.flush()
    audit.record(actor, "preview.created", "preview", preview.id, after=snapshot(preview))
    return preview


def change_preview(actor: User, preview: Preview, details: PreviewDetails) -> None:
    """Change a preview; everyone booked is told what it is now."""
    if preview.cancelled:
        raise PreviewError("This preview has been cancelled")
    before = snapshot(preview)
    _apply(preview, details)
    db.session.flush()
    after = snapshot(preview)
    if after != before:
        audit.record(actor, "preview.changed", "preview", preview.id, before=before, after=after)
        preview_mail.send_preview_changed(preview)


def cancel_preview(actor: User, preview: Preview, reason: str) -> None:
    """Cancel a preview; everyone booked (staff who booked seats, parents) is told why."""
    if preview.cancelled:
        raise PreviewError("This preview has been cancelled already")
    preview.status = PreviewStatus.CANCELLED
    preview.cancel_reason = reason.strip()
    db.session.flush()
    audit.record(actor, "preview.cancelled", "preview", preview.id, detail=preview.cancel_reason)
    preview_mail.send_preview_cancelled(preview)


def snapshot(preview: Preview) -> dict:
    return {
        "production_id": preview.production_id,
        "day": preview.day.isoformat(),
        "starts_at": preview.starts_at.isoformat(timespec="minutes"),
        "venue_address": preview.venue_address,
        "access_information": preview.access_information,
        "seats": preview.seats,
        "audience": preview.audience.value,
        "district": preview.district,
        "school_ids": sorted(school.id for school in preview.schools),
    }


def get_preview(preview_id: int) -> Preview | None:
    """A preview, for the company."""
    return db.session.get(Preview, preview_id)


def list_previews(from_day: date | None = None) -> list[Preview]:
    """Every preview (from a day on, when given), soonest first."""
    query = select(Preview)
    if from_day is not None:
        query = query.where(Preview.day >= from_day)
    return list(db.session.scalars(query.order_by(Preview.day, Preview.starts_at, Preview.id)))


def _for_school_query(school: School):
    listed = Preview.schools.any(School.id == school.id)
    return select(Preview).where(
        or_(
            Preview.audience == PreviewAudience.ALL_SCHOOLS,
            (Preview.audience == PreviewAudience.DISTRICT) & (Preview.district == school.district),
            (Preview.audience == PreviewAudience.SCHOOLS) & listed,
        )
    )


def previews_for_school(school: School, today: date) -> list[Preview]:
    """The previews a school is invited to, from today on, soonest first (cancelled ones too, marked as such)."""
    query = _for_school_query(school).where(Preview.day >= today)
    previews = db.session.scalars(query.order_by(Preview.day, Preview.starts_at, Preview.id))
    # The district is compared without case in the rule; the query narrows, the rule decides.
    return [preview for preview in previews if preview.audience_rule.includes(school.id, school.district)]


def preview_for_school(school: School, preview_id: int) -> Preview | None:
    """A preview the school is invited to, or None (missing, or not for this school)."""
    preview = db.session.get(Preview, preview_id)
    if preview is None or not preview.audience_rule.includes(school.id, school.district):
        return None
    return preview


def datetime_of(preview: Preview) -> datetime:
    return datetime.combine(preview.day, preview.starts_at)
