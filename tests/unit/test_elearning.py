"""Reading the learning system's e-learning completion report: columns, dates, the council's lists, bad lines."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain.elearning import ExportError, completion_date, read_completions

TODAY = date(2026, 11, 30)
AGENCIES = ["Police", "Health", "Children's social care"]
JOB_ROLES = ["Teacher", "Police officer or PCSO"]
HEADER = "Record ID,Email,First name,Last name,Organisation,Agency,Job role,District,Course,Completed on\n"
GOOD = "R-1,Ann.Lee@Example.org,Ann,Lee,Thames Valley Police,Police,Police officer or PCSO,Cherwell,CSE,05/03/2026\n"


def read(text: str, encoding: str = "utf-8"):
    return read_completions(text.encode(encoding), AGENCIES, JOB_ROLES, TODAY)


def problems(text: str) -> list[str]:
    with pytest.raises(ExportError) as raised:
        read(text)
    return raised.value.problems


def test_a_row_is_read_with_the_address_in_lower_case_and_the_lists_own_spelling():
    [row] = read(HEADER + GOOD.replace(",Police,", ",POLICE ,"))
    assert (row.line, row.record_id, row.email, row.name) == (2, "R-1", "ann.lee@example.org", "Ann Lee")
    assert (row.agency, row.job_role, row.district) == ("Police", "Police officer or PCSO", "Cherwell")
    assert row.completed_on == date(2026, 3, 5)


def test_agency_and_job_role_match_whatever_their_case_spacing_or_apostrophes():
    [row] = read(HEADER + GOOD.replace(",Police,", ",children\u2019s  SOCIAL care,"))
    assert row.agency == "Children's social care"


def test_headers_match_whatever_their_case_spacing_and_order_and_other_columns_are_ignored():
    header = "score, completed ON ,district,COURSE,job_role,agency,organisation,LastName,first name,email,recordid\n"
    row = "88,2026-03-05,Oxford,CSE,teacher,health,,Lee,Ann,ann@example.org,R-9\n"
    [found] = read(header + row)
    assert (found.record_id, found.agency, found.job_role, found.organisation) == ("R-9", "Health", "Teacher", "")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_the_file_is_read_as_utf_8_with_or_without_a_bom_or_else_windows_1252(encoding):
    [row] = read(HEADER + GOOD.replace("Ann,Lee", "Zoë,O’Brien"), encoding)
    assert row.name == "Zoë O’Brien"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("05/03/2026", date(2026, 3, 5)), ("5/3/2026", date(2026, 3, 5)), ("2026-03-05", date(2026, 3, 5)),
     ("2026-03-05T14:05:00", date(2026, 3, 5)), ("05/03/2026 14:05", date(2026, 3, 5)), ("30/11/2026", TODAY)],
)  # fmt: skip
def test_completed_on_is_dd_mm_yyyy_or_yyyy_mm_dd(text, expected):
    assert completion_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [("01/12/2026", "in the future"), ("31/02/2026", "not a real date"), ("03-05-2026", "not a date like"),
     ("March 5 2026", "not a date like"), ("05/03/0202", "before 2000"), ("2026-03-05 noon", "not a date like")],
)  # fmt: skip
def test_a_date_that_is_no_date_or_is_in_the_future_is_refused(text, why):
    with pytest.raises(ValueError, match=why):
        completion_date(text, TODAY)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("Ann.Lee@Example.org", "ann.lee"), "Line 3: Email 'ann.lee' is not an email address"),
        (("05/03/2026", "01/01/2027"), "Line 3: Completed on '01/01/2027' is in the future"),
        ((",Cherwell,", ",,"), "Line 3: District is blank"),
        (("R-2,", ","), "Line 3: Record ID is blank"),
        ((",Police,", ",Polise,"), "Line 3: Agency 'Polise' is not on the council's list. Allowed: Children's"),
        (("Police officer or PCSO", "Pilot"), "Line 3: Job role 'Pilot' is not on the council's list. Allowed: Police"),
        (("Ann,Lee", "Ann\x00,Lee"), "Line 3: a value holds a NUL character"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_the_file_is_refused(change, message):
    bad = GOOD.replace("R-1", "R-2").replace(*change)
    found = problems(HEADER + GOOD + bad)
    assert len(found) == 1 and found[0].startswith(message), found


def test_every_bad_line_is_reported_not_only_the_first():
    rows = [GOOD.replace("R-1", f"R-{n}") for n in range(1, 6)]
    rows[1] = rows[1].replace(",Cherwell,", ",,")
    rows[3] = rows[3].replace("05/03/2026", "2099-01-01")
    assert [problem[:7] for problem in problems(HEADER + "".join(rows))] == ["Line 3:", "Line 5:"]


def test_the_allowed_values_are_named_when_an_agency_is_not_on_the_list():
    [problem] = problems(HEADER + GOOD.replace(",Police,", ",Fire service,"))
    assert "Children's social care; Health; Police" in problem


def test_a_record_id_twice_in_the_file_is_a_bad_line():
    assert problems(HEADER + GOOD + GOOD) == ["Line 3: Record ID R-1 is already on line 2"]


def test_a_missing_column_is_named_on_line_one():
    [problem] = problems(HEADER.replace(",District", "") + GOOD.replace(",Cherwell", ""))
    assert problem.startswith("Line 1: the file has no column District")


def test_a_line_is_counted_from_where_its_row_starts_even_after_a_value_over_two_lines():
    multi_line = GOOD.replace("Thames Valley Police", '"Thames Valley\nPolice"')
    bad = GOOD.replace("R-1", "R-2").replace(",Cherwell,", ",,")
    assert problems(HEADER + multi_line + bad) == ["Line 4: District is blank"]


def test_empty_rows_are_skipped_and_an_organisation_may_be_blank():
    rows = read(HEADER + "\n" + GOOD.replace("Thames Valley Police", "") + ",,,,,,,,,\n")
    assert [row.organisation for row in rows] == [""]


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "The file is empty"), (HEADER, "Line 2: the file has no completions"),
     (HEADER.replace("Email", "Record ID") + GOOD, "Line 1: the column Record ID appears twice")],
)  # fmt: skip
def test_a_file_with_nothing_to_import_is_refused_with_a_reason(text, message):
    assert problems(text) == [message]


def test_binary_garbage_is_refused_without_an_exception_other_than_export_error():
    with pytest.raises(ExportError):
        read_completions(bytes(range(256)) * 4, AGENCIES, JOB_ROLES, TODAY)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_completions_or_export_error_never_another_exception(data):
    try:
        read_completions(data, AGENCIES, JOB_ROLES, TODAY)
    except ExportError as error:
        assert error.problems and all(isinstance(problem, str) for problem in error.problems)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(max_size=40), min_size=0, max_size=12), max_size=5))
def test_any_cells_under_the_header_give_completions_or_lines_named(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    try:
        found = read_completions((HEADER + buffer.getvalue()).encode(), AGENCIES, JOB_ROLES, TODAY)
    except ExportError as error:
        assert all(re.match(r"(Line [0-9]+: |The file )", problem) for problem in error.problems), error.problems
    else:
        assert all(row.completed_on <= TODAY and row.agency in AGENCIES for row in found)
