"""Calendar files for previews: a school's staff seats and a parent's booking each have one, and the previews a
school's staff booked appear in the school's calendar feed beside its performances."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.clock import LONDON
from portal.domain.ics import CalendarEvent, calendar_bytes
from portal.extensions import db
from portal.models import Preview, PreviewStaffSeat
from portal.services import calendars


def preview_event(preview: Preview, host: str, note: str) -> CalendarEvent:
    """One preview as an event; its UID is stable, so a change or a cancellation updates it in calendar apps."""
    start = datetime.combine(preview.day, preview.starts_at, tzinfo=LONDON)
    lines = [note, f"Access: {preview.access_information}" if preview.access_information else ""]
    if preview.cancelled:
        lines.append(f"Cancelled: {preview.cancel_reason}")
    return CalendarEvent(
        uid=f"preview-{preview.id}@{host}",
        stamp=preview.updated_at,
        start=start,
        end=start + timedelta(minutes=preview.production.duration_minutes),
        summary=f"Preview: {preview.production.title} (CSE awareness drama)",
        location=preview.venue_address,
        description="\n".join(line for line in lines if line),
        status="CANCELLED" if preview.cancelled else "CONFIRMED",
        # Each change saves updated_at: its minute, counted from 2026, only ever grows.
        sequence=max(0, int(preview.updated_at.timestamp() - 1_767_225_600) // 60),
    )


def preview_ics(preview: Preview, host: str, note: str, calendar_id: str) -> bytes:
    return calendar_bytes([preview_event(preview, host, note)], "CSE awareness drama preview", f"{calendar_id}@{host}")


def staff_booked_previews(school_id: int) -> list[tuple[Preview, int]]:
    """The previews the school's staff have seats at, soonest first, with how many seats."""
    rows = db.session.execute(
        select(Preview, func.count(PreviewStaffSeat.id))
        .join(PreviewStaffSeat, PreviewStaffSeat.preview_id == Preview.id)
        .where(PreviewStaffSeat.school_id == school_id)
        .group_by(Preview.id)
        .order_by(Preview.day, Preview.starts_at, Preview.id)
    ).all()
    return [(preview, seats) for preview, seats in rows]


def staff_note(seats: int) -> str:
    return f"{seats} of your staff {'has a seat' if seats == 1 else 'have seats'}."


def school_feed_ics(school_id: int, name: str, host: str) -> bytes:
    """The school's feed: its performances, and the previews its staff booked."""
    events = [calendars._event(p, host, for_company=False) for p in calendars.feed_performances("school", school_id)]
    events += [preview_event(preview, host, staff_note(seats)) for preview, seats in staff_booked_previews(school_id)]
    return calendar_bytes(events, name, uid=f"school-{school_id}@{host}")
