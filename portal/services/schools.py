"""The schools directory: import by URN, look-up by name or URN, and the profile school staff keep."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import func, select

from portal.domain.numbers import is_ascii_digits
from portal.domain.schools_csv import DirectoryRow
from portal.extensions import db
from portal.models import School, User
from portal.services import audit

PROFILE_FIELDS = ("address", "office_phone", "hall_capacity")
URN_IN_LABEL = re.compile(r"\(URN ([0-9]{5,8})\)\s*$")


def import_directory(rows: list[DirectoryRow]) -> tuple[int, int]:
    """Create or update schools by URN; returns (created, updated). Staff-kept fields are left alone."""
    existing = {school.urn: school for school in db.session.scalars(select(School))}
    created = updated = 0
    for row in rows:
        school = existing.get(row.urn)
        if school is None:
            school = School(urn=row.urn, priority=1, address="")
            db.session.add(school)
            created += 1
        else:
            updated += 1
        for name in ("name", "phase", "district", "town", "postcode", "latitude", "longitude", "pupils_on_roll"):
            setattr(school, name, getattr(row, name))
        # The directory's number fills a blank; a number the school's staff gave is theirs to keep.
        if row.office_phone and not school.office_phone:
            school.office_phone = row.office_phone
    db.session.flush()
    return created, updated


# Where a school goes when no school at all has a location yet: the middle of England.
MIDDLE_OF_ENGLAND = (52.56, -1.46)


def locations(schools: Iterable[School]) -> dict[int, tuple[float, float]]:
    """Where the scheduler and the day sheets put each school: its own latitude and longitude or, for a school the
    directory gives no location (see portal.domain.gias.NO_LOCATION), the middle of its district's located schools,
    else of every located school. Travel to it is then an estimate."""
    schools = list(schools)
    found = {
        school.id: (school.latitude, school.longitude)
        for school in schools
        if school.latitude is not None and school.longitude is not None
    }
    if len(found) == len(schools):
        return found
    located = (School.latitude.is_not(None), School.longitude.is_not(None))
    query = select(School.district, func.avg(School.latitude), func.avg(School.longitude)).where(*located)
    middles = {district: (lat, lon) for district, lat, lon in db.session.execute(query.group_by(School.district))}
    overall = db.session.execute(select(func.avg(School.latitude), func.avg(School.longitude)).where(*located)).one()
    fallback = (overall[0], overall[1]) if overall[0] is not None else MIDDLE_OF_ENGLAND
    for school in schools:
        if school.id not in found:
            found[school.id] = middles.get(school.district, fallback)
    return found


def find_school(text: str) -> School | None:
    """The school a person typed: a URN, an exact name, or the "Name (URN 123456)" label of the list."""
    text = text.strip()
    match = URN_IN_LABEL.search(text)
    urn = match.group(1) if match else text
    if is_ascii_digits(urn):
        return db.session.scalar(select(School).where(School.urn == urn))
    schools = list(db.session.scalars(select(School).where(func.lower(School.name) == text.lower()).limit(2)))
    return schools[0] if len(schools) == 1 else None


def get_school(school_id: int) -> School | None:
    return db.session.get(School, school_id)


def update_profile(user: User, school: School, *, address: str, office_phone: str, hall_capacity: int) -> None:
    """School staff correct the details the directory does not hold, or holds wrongly (the office phone)."""
    before = audit.snapshot(school, PROFILE_FIELDS)
    school.address = address.strip()
    school.office_phone = office_phone.strip()
    school.hall_capacity = hall_capacity
    audit.record(
        user,
        "school.profile_updated",
        "school",
        school.id,
        school_id=school.id,
        before=before,
        after=audit.snapshot(school, PROFILE_FIELDS),
    )


def set_priority(officer: User, school: School, priority: int) -> None:
    """The council says how strongly it wants a school reached (1 to 3, 3 the highest)."""
    before = audit.snapshot(school, ("priority",))
    school.priority = priority
    audit.record(
        officer,
        "school.priority_set",
        "school",
        school.id,
        school_id=school.id,
        before=before,
        after={"priority": priority},
    )
