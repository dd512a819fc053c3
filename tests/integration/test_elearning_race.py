"""Two officers importing overlapping e-learning reports at the same moment: the database keeps each Record ID once,
and an import that loses the race adds nothing and says to upload the file again (never an error page)."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from portal.domain.elearning import ExportError
from portal.extensions import db
from portal.models import TrainingCompletion
from portal.services import elearning_import
from tests.training_factories import make_agency, make_job_role

HEADER = "Record ID,Email,First name,Last name,Organisation,Agency,Job role,District,Course,Completed on\n"
TODAY = date(2026, 11, 30)
IMPORTERS = 6


def report(numbers: range) -> bytes:
    rows = "".join(f"R-{n},p{n}@example.org,Ann,Lee,,Race Agency,Race Role,Oxford,CSE,01/10/2026\n" for n in numbers)
    return (HEADER + rows).encode()


def test_overlapping_imports_at_once_keep_each_record_once_and_count_it_once(committing_app):
    with committing_app.app_context():
        make_agency("Race Agency"), make_job_role("Race Role")
        db.session.commit()
    barrier = threading.Barrier(IMPORTERS)
    outcomes: list[object] = []
    lock = threading.Lock()

    def one(index: int) -> None:
        with committing_app.app_context():
            barrier.wait()
            try:
                outcome: object = elearning_import.import_completions(None, report(range(index, index + 40)), TODAY)
                db.session.commit()
            except (ExportError, OperationalError) as error:
                db.session.rollback()
                outcome = error
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=one, args=(index * 10,)) for index in range(IMPORTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == IMPORTERS
    imported = [outcome for outcome in outcomes if isinstance(outcome, elearning_import.ImportCounts)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ExportError)]
    assert imported, outcomes
    assert all(error.problems == [elearning_import.RACE] for error in refused)
    with committing_app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(TrainingCompletion))
        distinct = db.session.scalar(select(func.count(func.distinct(TrainingCompletion.source_reference))))
    assert stored == distinct == sum(counts.added for counts in imported)
    # Whatever lost the race, importing every report again afterwards leaves the table with each record exactly once.
    with committing_app.app_context():
        again = elearning_import.import_completions(None, report(range(0, (IMPORTERS - 1) * 10 + 40)), TODAY)
        db.session.commit()
        assert again.added + stored == (IMPORTERS - 1) * 10 + 40
