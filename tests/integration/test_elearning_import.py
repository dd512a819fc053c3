"""E-learning completions imported from the learning system's CSV report: by the service, the council's page and
`flask training import-elearning`; a bad row names its line and imports nothing; a report imported again adds only
the Record IDs not there yet."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.clock import today
from portal.domain.elearning import ExportError
from portal.domain.training import CourseLevel
from portal.models import AuditEvent, Role, TrainingCompletion
from portal.services import elearning_import
from portal.services.training_reach import training_reach
from tests.integration.pages import csrf_token, location_path
from tests.training_factories import make_agency, make_job_role

HEADER = "Record ID,Email,First name,Last name,Organisation,Agency,Job role,District,Course,Completed on\n"
PAGE = "/training/e-learning/import"


@pytest.fixture
def lists(session):
    """An agency and a job role on the council's lists, with names no other test uses."""
    return make_agency("Elearn Constabulary"), make_job_role("Elearn Officer")


def row(record_id: str, email: str = "", completed: str = "", agency: str = "elearn constabulary", **changes) -> str:
    fields = {
        "email": email or f"{record_id.lower()}@elearn.example.org",
        "district": "Cherwell",
        "completed": completed or (today() - timedelta(days=10)).strftime("%d/%m/%Y"),
    }
    fields.update(changes)
    return (
        f"{record_id},{fields['email']},Sam,Vale,Elearn Police,{agency},Elearn Officer,{fields['district']},"
        f"CSE awareness online,{fields['completed']}\n"
    )


def completions(session, prefix: str = "EL-") -> list[TrainingCompletion]:
    session.expire_all()
    query = select(TrainingCompletion).where(TrainingCompletion.source_reference.like(f"{prefix}%"))
    return list(session.scalars(query.order_by(TrainingCompletion.source_reference)))


def upload(client, text: str | bytes, filename: str = "completions.csv"):
    body = text.encode() if isinstance(text, str) else text
    if len(body) > 400 * 1024:
        # Encoded by hand: the test client's own encoder spools a large body to a file it never closes.
        head = f'--x\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{csrf_token(client)}\r\n'
        head += f'--x\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        head += "Content-Type: text/csv\r\n\r\n"
        whole = head.encode() + body + b"\r\n--x--\r\n"
        return client.post(PAGE, data=whole, content_type="multipart/form-data; boundary=x")
    data = {"csrf_token": csrf_token(client), "file": (io.BytesIO(body), filename)}
    return client.post(PAGE, data=data, content_type="multipart/form-data")


def test_the_service_imports_completions_at_the_awareness_level_and_audits_it(session, lists):
    agency, job_role = lists
    counts = elearning_import.import_completions(None, (HEADER + row("EL-1") + row("EL-2")).encode(), today())
    assert (counts.in_file, counts.added, counts.already_imported) == (2, 2, 0)
    first = completions(session)[0]
    assert (first.email, first.name, first.level, first.agency_id, first.job_role_id) == (
        "el-1@elearn.example.org", "Sam Vale", CourseLevel.AWARENESS, agency.id, job_role.id,
    )  # fmt: skip
    assert (first.booking_id, first.certificate_code, first.district) == (None, None, "Cherwell")
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "training.elearning_imported")).all()[-1]
    assert event.after == {"in_file": 2, "added": 2, "already_imported": 0}


def test_importing_the_same_report_again_or_a_later_overlapping_one_adds_only_new_record_ids(session, lists):
    elearning_import.import_completions(None, (HEADER + row("EL-1") + row("EL-2")).encode(), today())
    again = elearning_import.import_completions(None, (HEADER + row("EL-1") + row("EL-2")).encode(), today())
    assert (again.added, again.already_imported) == (0, 2)
    later = elearning_import.import_completions(None, (HEADER + row("EL-2") + row("EL-3")).encode(), today())
    assert (later.in_file, later.added, later.already_imported) == (2, 1, 1)
    assert [item.source_reference for item in completions(session)] == ["EL-1", "EL-2", "EL-3"]


def test_one_bad_row_imports_nothing_and_every_bad_line_is_named(session, lists):
    text = HEADER + row("EL-1") + row("EL-2", email="not-an-address") + row("EL-3", agency="Fire brigade")
    with pytest.raises(ExportError) as raised:
        elearning_import.import_completions(None, text.encode(), today())
    assert [problem[:7] for problem in raised.value.problems] == ["Line 3:", "Line 4:"]
    assert "Elearn Constabulary" in raised.value.problems[1]
    assert completions(session) == []


def test_a_hidden_agency_is_no_longer_on_the_list_an_import_accepts(session, lists):
    lists[0].active = False
    with pytest.raises(ExportError, match="Line 2: Agency 'elearn constabulary' is not on the council's list"):
        elearning_import.import_completions(None, (HEADER + row("EL-1")).encode(), today())


def test_the_demo_completions_are_added_once(session, lists):
    agencies, job_roles = [lists[0], make_agency()], [lists[1], make_job_role(), make_job_role()]
    assert elearning_import.add_demo_completions(agencies, job_roles, today()) == 36
    assert elearning_import.add_demo_completions(agencies, job_roles, today()) == 0
    demo = completions(session, elearning_import.DEMO_PREFIX)
    assert len(demo) == 36 and len({item.email for item in demo}) == 36
    assert all(item.email.endswith("@example.org") and item.completed_on < today() for item in demo)
    assert {item.agency_id for item in demo} == {agency.id for agency in agencies}


def test_a_council_officer_imports_a_report_on_the_page_and_sees_the_counts(login_as, session, lists):
    client = login_as(Role.COUNCIL)
    assert 'href="/training/e-learning/import"' in client.get("/training/").get_data(as_text=True)
    response = upload(client, HEADER + row("EL-1") + row("EL-2"))
    assert location_path(response) == PAGE
    assert "2 e-learning completions added." in client.get(PAGE).get_data(as_text=True)
    upload(client, HEADER + row("EL-2") + row("EL-3"))
    assert "1 e-learning completion added; 1 was imported before." in client.get(PAGE).get_data(as_text=True)
    assert len(completions(session)) == 3


def test_the_page_lists_the_bad_lines_and_imports_nothing(login_as, session, lists):
    client = login_as(Role.COUNCIL)
    future = (today() + timedelta(days=1)).isoformat()
    response = upload(client, HEADER + row("EL-1") + row("EL-2", completed=future) + row("EL-3", district=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error: " in page and "Nothing was imported" in page
    assert f"Line 3: Completed on &#39;{future}&#39; is in the future" in page
    assert "Line 4: District is blank" in page
    assert completions(session) == []


def test_the_page_caps_the_list_of_bad_lines(login_as, session, lists):
    client = login_as(Role.COUNCIL)
    rows = "".join(row(f"EL-{n}", email="nobody") for n in range(1, 31))
    page = upload(client, HEADER + rows).get_data(as_text=True)
    assert "Line 21:" in page and "Line 22:" not in page and "and 10 more" in page
    assert "The file has 30 problems" in page
    assert completions(session) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "Select the CSV file of completions to import"),
        (b"\x00\x01\x02 not a csv", "Line 1: the file has no column Record ID"),
        (HEADER.encode(), "Line 2: the file has no completions"),
        (b"x" * (5 * 1024 * 1024 + 1), "The file is larger than 5 MB"),
    ],
)
def test_a_file_that_is_no_report_is_refused_with_a_reason_never_a_500(login_as, session, lists, body, message):
    response = upload(login_as(Role.COUNCIL), body)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert completions(session) == []


def test_a_refused_import_is_audited(login_as, session, lists):
    upload(login_as(Role.COUNCIL), HEADER + row("EL-1", email="nobody"))
    refused = session.scalars(select(AuditEvent).where(AuditEvent.action == "training.elearning_refused")).all()
    assert refused and refused[-1].outcome == "failed" and "Line 2" in refused[-1].detail


@pytest.mark.parametrize("role", [Role.TRAINER, Role.SCHOOL, Role.LEARNER, Role.ADMIN])
def test_only_council_officers_may_import(login_as, session, lists, role):
    client = login_as(role)
    assert client.get(PAGE).status_code in (302, 403)
    response = upload(client, HEADER + row("EL-1"))
    assert response.status_code in (302, 403) and location_path(response) != PAGE
    assert completions(session) == []


@pytest.fixture
def cli(app, session):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_the_command_imports_a_report_and_prints_the_counts(cli, session, lists, tmp_path):
    path = tmp_path / "completions.csv"
    path.write_text(HEADER + row("EL-1") + row("EL-2"), encoding="utf-8-sig")
    result = cli("training", "import-elearning", str(path))
    assert result.exit_code == 0, result.output
    assert "2 new, 0 imported before" in result.output
    again = cli("training", "import-elearning", str(path))
    assert again.exit_code == 0 and "0 new, 2 imported before" in again.output
    assert len(completions(session)) == 2


def test_the_command_names_each_bad_line_exits_non_zero_and_imports_nothing(cli, session, lists, tmp_path):
    path = tmp_path / "completions.csv"
    text = HEADER + row("EL-1") + row("EL-2", email="nobody") + row("EL-3", agency="Fire")
    path.write_bytes(text.encode("cp1252"))
    result = cli("training", "import-elearning", str(path))
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.startswith("Line ")]
    assert [line[:7] for line in lines] == ["Line 3:", "Line 4:"]
    assert "nothing was imported" in result.output and "Traceback" not in result.output
    assert completions(session) == []
    count = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "training.elearning_imported")
    assert session.scalar(count) == 0


def test_the_command_on_a_missing_file_fails_with_one_line(cli, tmp_path):
    result = cli("training", "import-elearning", str(tmp_path / "missing.csv"))
    assert result.exit_code != 0 and "cannot read" in result.output


def test_imported_completions_count_toward_staff_trained_each_person_once(session, lists):
    before = training_reach().totals.by_level[CourseLevel.AWARENESS]
    same_person = row("EL-2", email="EL-1@elearn.example.org")  # two completions, one person (case aside)
    elearning_import.import_completions(None, (HEADER + row("EL-1") + same_person + row("EL-3")).encode(), today())
    reach = training_reach()
    assert reach.totals.by_level[CourseLevel.AWARENESS] == before + 2
    assert reach.by_agency["Elearn Constabulary"].by_level[CourseLevel.AWARENESS] == 2
