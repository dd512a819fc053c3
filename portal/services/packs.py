"""Lesson packs: uploaded by the company or council per production and year group, downloaded by schools
that have a performance of that production. Files live outside static/ under names the server chooses."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from sqlalchemy import select
from werkzeug.utils import secure_filename

from portal.domain.file_types import CONTENT_TYPES, pack_file_problem, sniff_pack_file
from portal.domain.refusals import Refused
from portal.extensions import db
from portal.models import LessonPack, LessonPackFile, Performance, PerformanceStatus, Production, Request, Role, User
from portal.services import audit

ENTITLING = (PerformanceStatus.CONFIRMED, PerformanceStatus.DELIVERED)


class PackError(Refused):
    """An upload or pack change the rules refuse; field names the form field at fault."""


def all_packs() -> list[LessonPack]:
    query = select(LessonPack).order_by(
        LessonPack.production_id, LessonPack.year_group, LessonPack.title, LessonPack.id
    )
    return list(db.session.scalars(query))


def get_pack(pack_id: int) -> LessonPack | None:
    return db.session.get(LessonPack, pack_id)


def create_pack(
    actor: User, *, production: Production, year_group: int, title: str, summary: str, objectives: str
) -> LessonPack:
    pack = LessonPack(
        production=production,
        year_group=year_group,
        title=title.strip(),
        summary=summary.strip(),
        learning_objectives=objectives.strip(),
        created_by_id=actor.id,
    )
    db.session.add(pack)
    db.session.flush()
    audit.record(actor, "pack.created", "lesson_pack", pack.id, after={"title": pack.title, "year_group": year_group})
    return pack


def add_file(actor: User, pack: LessonPack, filename: str, data: bytes, storage: Path) -> LessonPackFile:
    """Check the file by its content, store it under a random name, and record its checksum."""
    problem = pack_file_problem(filename, data)
    if problem:
        raise PackError("file", problem)
    kind = sniff_pack_file(data)
    assert kind is not None  # pack_file_problem refuses a file that is not a PDF, Word or PowerPoint file
    stored_name = f"{secrets.token_hex(16)}.{kind}"
    storage.mkdir(parents=True, exist_ok=True)
    (storage / stored_name).write_bytes(data)
    record = LessonPackFile(
        pack_id=pack.id,
        original_name=secure_filename(filename)[:255] or f"lesson-pack.{kind}",
        stored_name=stored_name,
        content_type=CONTENT_TYPES[kind],
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        actor, "pack.file_added", "lesson_pack", pack.id, after={"file": record.original_name, "sha256": record.sha256}
    )
    return record


def school_production_ids(school_id: int) -> set[int]:
    """Productions the school has a confirmed or delivered performance of (one statement: a school on a tour for
    years has dozens of performances, and each read its request on its own)."""
    query = (
        select(Request.production_id)
        .join(Performance, Performance.request_id == Request.id)
        .where(Performance.school_id == school_id, Performance.status.in_(ENTITLING))
        .distinct()
    )
    return set(db.session.scalars(query))


def packs_for_school(school_id: int) -> list[LessonPack]:
    productions = school_production_ids(school_id)
    return [pack for pack in all_packs() if pack.production_id in productions]


def downloadable_file(user: User, file_id: int) -> LessonPackFile | None:
    """The file if this user may download it: company and council staff always, school staff when entitled."""
    record = db.session.get(LessonPackFile, file_id)
    if record is None or user.role == Role.ADMIN:
        return None
    if user.role == Role.SCHOOL:
        assert user.school_id is not None  # school staff have a school (a constraint on users)
        pack = db.session.get_one(LessonPack, record.pack_id)
        if not user.is_approved or pack.production_id not in school_production_ids(user.school_id):
            return None
    return record
