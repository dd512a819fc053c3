"""A record's history as people read it: when, who (the person, not only their role), what happened and what
changed, in words: dates, times, casts, productions and year groups, never ids or stored values.

The audit log keeps ids and ISO dates (audit.py); this turns them back into what the pages and e-mails say. Where a
performance is (its date, time and cast) is described by descriptions.describe_placement, as in the e-mails and
calendar files, so a moved performance reads the same in all three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.util import identity_key

from portal.clock import LONDON
from portal.domain.wording import clock_time, day_month_year, joined, year_groups
from portal.extensions import db
from portal.models import AuditEvent, Cast, Production, Request, Slot, User
from portal.services import audit
from portal.services.descriptions import describe_placement

ROLE_WORDS = {"school": "school staff", "company": "theatre company", "council": "council", "admin": "administrator"}
# Fields shown elsewhere or only for the program: where a performance is shows as When and Cast instead.
HIDDEN = {"sequence", "day", "slot_id", "cast_id", "school_id"}
LABELS = {
    "status": "Status",
    "pupils_planned": "Pupils planned",
    "pupils_attended": "Pupils attended",
    "support_requests": "Asked for support",
    "attendance": "Pupils who attended",
    "confirm_by": "Confirm by",
    "status_reason": "Reason",
    "over_limits_reason": "Reason for going over the limits",
    "correction_reason": "Reason for the correction",
    "production_id": "Production",
    "staff_in_hall": "Staff in the hall",
    "dsl_name": "DSL’s name",
    "dsl_email": "DSL’s email address",
    "dsl_phone": "DSL’s phone number",
    "access_notes": "Access notes",
    "year_groups": "Pupils",
    "dates": "Dates",
    "preferred_dates": "Preferred dates",
    "slots": "Times of day",
}
LISTS = {"dates", "preferred_dates"}  # long lists: say what was added and removed


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    action: str  # the audit action; the audit_action filter words it
    changes: list[str] = field(default_factory=list)


def record_history(object_type: str, object_id: int) -> list[HistoryEntry]:
    """The audit events of one request or performance, oldest first, in words."""
    events = audit.history(object_type, object_id)
    actor_ids = {event.actor_id for event in events if event.actor_id}
    query = select(User).where(User.id.in_(actor_ids)).order_by(User.id)
    actors: dict[int | None, User] = {user.id: user for user in db.session.scalars(query)}  # None: no actor
    words = _value_words(object_type, object_id)
    named = _named_rows(events)  # noqa: F841 (kept referenced while the entries are worded)
    return [
        HistoryEntry(event.at, who(event, actors.get(event.actor_id)), event.action, _changes(event, words))
        for event in events
    ]


def _named_rows(events: list[AuditEvent]) -> list[Any]:
    """The slots, casts and productions the events' snapshots name, read together. The session holds the objects it
    loaded only while something else refers to them, so each look-up by id while wording an event found nothing and
    read the same slot and cast again: five moves of a performance cost ten statements. The caller keeps this list
    while it words the events, so those look-ups find them."""
    snapshots = [snapshot for event in events for snapshot in (event.before or {}, event.after or {})]
    found: list[Any] = []
    for model, key in ((Slot, "slot_id"), (Cast, "cast_id"), (Production, "production_id")):
        ids = {snapshot[key] for snapshot in snapshots if isinstance(snapshot.get(key), int)}
        held = {id_: db.session.identity_map.get(identity_key(model, id_)) for id_ in sorted(ids)}
        found += [row for row in held.values() if row is not None]  # already loaded: kept too, read no more
        missing = {id_ for id_, row in held.items() if row is None}
        if missing:
            found += db.session.scalars(select(model).where(model.id.in_(missing)).order_by(model.id))
    return found


def who(event: AuditEvent, actor: User | None) -> str:
    """Who acted, like "Alex Morgan (theatre company)": the role alone once the account's name is removed, and
    "The portal (automatic)" for its own steps (releasing unconfirmed performances)."""
    if not event.actor_role:
        return "The portal (automatic)"
    role = ROLE_WORDS.get(event.actor_role, event.actor_role)
    if actor is None or actor.anonymised_at is not None or not actor.full_name.strip():
        return role[:1].upper() + role[1:]
    return f"{actor.full_name.strip()} ({role})"


def _value_words(object_type: str, object_id: int) -> Callable[[str, Any], str]:
    """How each field's stored value reads; a request's times of day are its season's slots."""
    slot_times: dict[str, str] = {}
    if object_type == "request":
        request_ = db.session.get(Request, object_id)
        if request_ is not None:
            slot_times = {slot.code: slot.label for slot in request_.season.slots}

    def words(name: str, value: Any) -> str:  # a value of an audit snapshot, as JSON gave it
        if value is None or value == "" or value == [] or value == {}:
            return "none"
        if name == "status":
            return str(value).replace("_", " ").capitalize()
        if name == "production_id":
            production = db.session.get(Production, value)
            return production.title if production else "a production no longer offered"
        if name in ("year_groups", "attendance"):
            return year_groups(value)
        if name == "slots":
            return joined(slot_times.get(code, "a time no longer offered") for code in value)
        return _plain(value)

    return words


def _plain(value: object) -> str:
    """Any other stored value: yes or no, dates as "4 January 2027", lists joined, text as it is."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return joined(_plain(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, str):
        return _moment_words(value)
    return str(value)


def _moment_words(text: str) -> str:
    """An ISO date or time stamp as "4 January 2027" or "4 January 2027 at 1:30pm" (in England); other text as it is."""
    try:
        if len(text) == 10:
            return day_month_year(date.fromisoformat(text))
        if len(text) > 10 and text[:4].isdigit() and text[4] == "-":
            moment = datetime.fromisoformat(text)
            moment = moment.astimezone(LONDON) if moment.tzinfo else moment
            return f"{day_month_year(moment.date())} at {clock_time(moment.time())}"
    except ValueError:
        pass
    return text


def _changes(event: AuditEvent, words: Callable[[str, object], str]) -> list[str]:
    before, after = event.before or {}, event.after or {}
    if event.object_type == "performance":
        lines = _placement_lines(event, before, after)
    elif not before:
        return []  # a new request: its page shows what it asks for
    else:
        lines = []
    for name in _fields(before, after):
        lines += _field_change(name, before, after, words)
    return lines


def _fields(before: dict, after: dict) -> list[str]:
    """The fields to show, in a fixed order: the known ones first, then any others by name (never ids)."""
    present = set(before) | set(after)
    known = [name for name in LABELS if name in present]
    others = sorted(name for name in present - set(LABELS) if name not in HIDDEN and not name.endswith("_id"))
    return known + others


def _field_change(name: str, before: dict, after: dict, words: Callable[[str, object], str]) -> list[str]:
    old, new = before.get(name), after.get(name)
    if old == new or (not before and new in (None, "")):
        return []
    label = LABELS.get(name, name.replace("_", " ").capitalize())
    if name in LISTS and before:
        return _list_change(label, old, new, words, name)
    if not before or old in (None, ""):
        return [f"{label}: {words(name, new)}"]
    return [f"{label}: {words(name, old)} → {words(name, new)}"]


def _list_change(label: str, old, new, words, name: str) -> list[str]:
    added = [item for item in new or [] if item not in (old or [])]
    removed = [item for item in old or [] if item not in (new or [])]
    lines = [f"{label} added: {words(name, added)}"] if added else []
    return lines + ([f"{label} removed: {words(name, removed)}"] if removed else [])


def _placement_lines(event: AuditEvent, before: dict, after: dict) -> list[str]:
    """When and by which cast, in the e-mails' words: the new place always, and the old one when it moved."""
    if not after.get("day"):
        return []
    now = describe_placement(date.fromisoformat(after["day"]), after.get("slot_id"), after.get("cast_id"), None)
    if not before.get("day"):
        return [f"When: {now.when}", f"Cast: {now.cast}"]
    was = describe_placement(date.fromisoformat(before["day"]), before.get("slot_id"), before.get("cast_id"), None)
    moved = event.action == "performance.moved"
    lines = []
    if was.when != now.when:
        lines.append(f"When: {was.when} → {now.when}")
    elif moved:
        lines.append(f"When: {now.when}")
    if was.cast != now.cast:
        lines.append(f"Cast: {was.cast} → {now.cast}")
    elif moved:
        lines.append(f"Cast: {now.cast}")
    return lines
