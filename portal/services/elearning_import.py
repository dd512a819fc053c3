"""Completions of the council's CSE e-learning course, imported from the learning system's CSV report so that they
count toward staff trained. Each is kept by its Record ID: importing the same report again, or a later one that
overlaps it, adds only the records not imported before."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from portal.domain.elearning import CompletionRow, ExportError, read_completions
from portal.domain.training import CourseLevel
from portal.extensions import db
from portal.models import TrainingAgency, TrainingCompletion, TrainingJobRole, User
from portal.services import audit, training_lists

# Every completion of the e-learning course is at this level: it is the council's awareness course online.
ELEARNING_LEVEL = CourseLevel.AWARENESS
# Record IDs looked up at a time (well under any database's limit of bound parameters).
LOOK_UP_BATCH = 500
RACE = "Another import of some of these records finished first: upload the file again to add the rest"


@dataclass(frozen=True)
class ImportCounts:
    """What an import did: the completions in the file, those added, and those imported before (by Record ID)."""

    in_file: int
    added: int
    already_imported: int


def import_completions(actor: User | None, data: bytes, today: date) -> ImportCounts:
    """Import a report's completions not imported before; ExportError (nothing imported) when any row is bad.

    `actor` is the council officer uploading it (None from the command line). A refused file is audited too."""
    agencies = {agency.name: agency for agency in training_lists.agencies()}
    job_roles = {job_role.name: job_role for job_role in training_lists.job_roles()}
    try:
        rows = read_completions(data, agencies, job_roles, today)
    except ExportError as error:
        # The count and the first line only: a problem may quote a row's values, which the audit log does not keep.
        detail = f"{len(error.problems)} problems, the first: {error.problems[0].split(':', 1)[0]}"
        audit.record(actor, "training.elearning_refused", "training_completion", None, outcome="failed", detail=detail)
        raise
    added = add_completions(rows, agencies, job_roles)
    counts = ImportCounts(in_file=len(rows), added=added, already_imported=len(rows) - added)
    audit.record(
        actor, "training.elearning_imported", "training_completion", None,
        after={"in_file": counts.in_file, "added": counts.added, "already_imported": counts.already_imported},
    )  # fmt: skip
    return counts


def add_completions(
    rows: Sequence[CompletionRow], agencies: dict[str, TrainingAgency], job_roles: dict[str, TrainingJobRole]
) -> int:
    """Add the rows whose Record ID is not in the table yet; how many were added. A concurrent import of the same
    records makes the database refuse the second: ExportError, and this import adds nothing."""
    known = imported_references(row.record_id for row in rows)
    new = [row for row in rows if row.record_id not in known]
    values = [_completion(row, agencies[row.agency].id, job_roles[row.job_role].id) for row in new]
    try:
        with db.session.begin_nested():
            if values:  # one bulk INSERT: a year's report of thousands of rows goes in within a request's time
                db.session.execute(insert(TrainingCompletion), values)
    except IntegrityError:
        raise ExportError([RACE]) from None
    return len(new)


def imported_references(references: Iterable[str]) -> set[str]:
    """Which of these Record IDs are imported already."""
    wanted = sorted(set(references))
    found: set[str] = set()
    for start in range(0, len(wanted), LOOK_UP_BATCH):
        batch = wanted[start : start + LOOK_UP_BATCH]
        query = select(TrainingCompletion.source_reference).where(TrainingCompletion.source_reference.in_(batch))
        found.update(reference for reference in db.session.scalars(query) if reference is not None)
    return found


def _completion(row: CompletionRow, agency_id: int, job_role_id: int) -> dict[str, object]:
    return {
        "email": row.email,
        "name": row.name,
        "organisation": row.organisation,
        "agency_id": agency_id,
        "job_role_id": job_role_id,
        "district": row.district,
        "level": ELEARNING_LEVEL,
        "completed_on": row.completed_on,
        "source_reference": row.record_id,
    }


# The demo's people who did the e-learning: first names, last names and where they work (fictional, like the rest).
DEMO_FIRST_NAMES = ("Alex", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hana", "Ian", "Jo", "Kai", "Lou")
DEMO_LAST_NAMES = ("Ashby", "Bourne", "Carver", "Dale", "Eaton", "Frost")
DEMO_DISTRICTS = ("Cherwell", "Oxford", "South Oxfordshire", "Vale of White Horse", "West Oxfordshire")
DEMO_PREFIX = "DEMO-ELEARN-"


def add_demo_completions(
    agencies: Sequence[TrainingAgency], job_roles: Sequence[TrainingJobRole], today: date, count: int = 36
) -> int:
    """The demo's e-learning completions: `count` fictional people (example.org addresses) spread over the agencies
    and job roles given and the year before `today`. Adds only those not there yet (the caller commits); how many."""
    if not agencies or not job_roles:
        return 0
    rows = []
    for n in range(count):
        first, last = DEMO_FIRST_NAMES[n % len(DEMO_FIRST_NAMES)], DEMO_LAST_NAMES[n % len(DEMO_LAST_NAMES)]
        agency, job_role = agencies[n % len(agencies)], job_roles[(n * 5) % len(job_roles)]
        rows.append(
            CompletionRow(
                line=n + 2,
                record_id=f"{DEMO_PREFIX}{n + 1:04d}",
                email=f"{first}.{last}.{n + 1}@example.org".lower(),
                name=f"{first} {last}",
                organisation=f"{agency.name} (demo)",
                agency=agency.name,
                job_role=job_role.name,
                district=DEMO_DISTRICTS[n % len(DEMO_DISTRICTS)],
                completed_on=today - timedelta(days=5 + (n * 37) % 360),
            )
        )
    by_name = {agency.name: agency for agency in agencies}
    return add_completions(rows, by_name, {job_role.name: job_role for job_role in job_roles})
