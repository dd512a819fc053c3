"""The learning system's completion report of the council's CSE e-learning course, read and checked row by row.

The report is a CSV file: one row per completion, with the columns of COLUMNS (in any order, their names matched
whatever their case and spacing; any other column is ignored). Every row is checked before anything is imported,
and every bad row is reported by its line ("Line 4: ..."), so a person fixes the whole file at once; one bad row
means nothing is imported. Whether a record was imported before is the service's question (by its Record ID).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email

from portal.domain.directory_files import decode

# Each column's key, and its name as the report's header gives it (and as README documents it).
COLUMNS = {
    "record_id": "Record ID",
    "email": "Email",
    "first_name": "First name",
    "last_name": "Last name",
    "organisation": "Organisation",
    "agency": "Agency",
    "job_role": "Job role",
    "district": "District",
    "course": "Course",
    "completed_on": "Completed on",
}
# Organisation may be blank (a volunteer may have none); every other column must have a value on every row.
OPTIONAL = frozenset({"organisation"})
# The longest value of each column that the completions table holds (a name is first and last name together).
LONGEST = {"record_id": 100, "email": 254, "organisation": 200, "district": 100}
LONGEST_NAME = 200
# No e-learning course on CSE existed before this: an earlier year is a typing slip, like 0202 for 2026.
EARLIEST_YEAR = 2000
DAY_FIRST = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
YEAR_FIRST = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# A time some systems add after the date ("14:05" or "14:05:59"): the day is what counts.
TIME_OF_DAY = re.compile(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?")


class ExportError(ValueError):
    """A report that cannot be imported. `problems` are the sentences to show, each naming its line where there is
    one ("Line 4: ..."), in the file's order."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems: {problems[0]} ...")
        self.problems = problems


@dataclass(frozen=True)
class CompletionRow:
    """One completion as the report gives it, checked: agency and job role as the council's lists spell them."""

    line: int
    record_id: str
    email: str  # lower case: the person's identity across the register and the e-learning
    name: str
    organisation: str
    agency: str
    job_role: str
    district: str
    completed_on: date


def header_key(name: str) -> str:
    """A column's name as matched: case, spaces and underscores do not count ("Record ID" = "record_id")."""
    return "".join(name.replace("_", " ").split()).lower()


KEYS = {header_key(name): key for key, name in COLUMNS.items()}


def read_completions(
    data: bytes, agencies: Iterable[str], job_roles: Iterable[str], today: date
) -> list[CompletionRow]:
    """Every completion in the report, or ExportError listing every bad line (nothing is half-imported).

    `agencies` and `job_roles` are the council's lists: a row's values must be on them (case does not matter)."""
    lists = {"agency": _by_lower_case(agencies), "job_role": _by_lower_case(job_roles)}
    lines = _records(decode(data))
    header_line, header = next(lines, (1, []))
    if not header:
        raise ExportError(["The file is empty"])
    columns = _columns(header_line, header)
    rows: list[CompletionRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for line, cells in lines:
        values = {key: _cell(cells, index) for key, index in columns.items()}
        if not any(value for value in values.values()):
            continue  # a row of empty cells, as spreadsheets leave at the end of a file
        try:
            row = _row(line, values, lists, today)
        except ValueError as problem:
            problems.append(f"Line {line}: {problem}")
            continue
        if row.record_id in seen:
            problems.append(f"Line {line}: Record ID {row.record_id} is already on line {seen[row.record_id]}")
            continue
        seen[row.record_id] = line
        rows.append(row)
    if problems:
        raise ExportError(problems)
    if not rows:
        raise ExportError([f"Line {header_line + 1}: the file has no completions"])
    return rows


def completion_date(text: str, today: date) -> date:
    """A completion's day, written dd/mm/yyyy or yyyy-mm-dd (a time after it is ignored); ValueError saying why not."""
    day_part, _, time_part = text.replace("T", " ", 1).partition(" ")
    if time_part.strip() and not TIME_OF_DAY.fullmatch(time_part.strip()):
        raise ValueError(f"Completed on {text!r} is not a date like 31/01/2026 or 2026-01-31")
    if match := DAY_FIRST.fullmatch(day_part):
        day, month, year = (int(part) for part in match.groups())
    elif match := YEAR_FIRST.fullmatch(day_part):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(f"Completed on {text!r} is not a date like 31/01/2026 or 2026-01-31")
    try:
        found = date(year, month, day)
    except ValueError:
        raise ValueError(f"Completed on {text!r} is not a real date") from None
    if found > today:
        raise ValueError(f"Completed on {text!r} is in the future")
    if found.year < EARLIEST_YEAR:
        raise ValueError(f"Completed on {text!r} is before {EARLIEST_YEAR}")
    return found


def work_email(text: str) -> str:
    """A person's work e-mail address in lower case; ValueError when it is not an address."""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise ValueError(f"Email {text!r} is not an email address, like name@example.org") from None
    return text.lower()


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """The file's records with the line each starts on (a quoted value may run over several lines)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ExportError([f"Line {start}: the file cannot be read as CSV ({error})"]) from None
        end = reader.line_num
        if cells:
            yield start, cells


def _columns(line: int, header: list[str]) -> dict[str, int]:
    """Where each column is; ExportError when one is missing or named twice."""
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = KEYS.get(header_key(name))
        if key is None:
            continue
        if key in columns:
            raise ExportError([f"Line {line}: the column {COLUMNS[key]} appears twice"])
        columns[key] = index
    missing = [name for key, name in COLUMNS.items() if key not in columns]
    if missing:
        raise ExportError(
            [f"Line {line}: the file has no column {', '.join(missing)} (it needs {', '.join(COLUMNS.values())})"]
        )
    return columns


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _row(line: int, values: dict[str, str], lists: dict[str, dict[str, str]], today: date) -> CompletionRow:
    if any("\x00" in value for value in values.values()):
        raise ValueError("a value holds a NUL character")
    blank = [COLUMNS[key] for key, value in values.items() if not value and key not in OPTIONAL]
    if blank:
        raise ValueError(f"{', '.join(blank)} {'is' if len(blank) == 1 else 'are'} blank")
    for key, longest in LONGEST.items():
        if len(values[key]) > longest:
            raise ValueError(f"{COLUMNS[key]} is longer than {longest} characters")
    name = f"{values['first_name']} {values['last_name']}"
    if len(name) > LONGEST_NAME:
        raise ValueError(f"First name and Last name are longer than {LONGEST_NAME} characters together")
    return CompletionRow(
        line=line,
        record_id=values["record_id"],
        email=work_email(values["email"]),
        name=name,
        organisation=values["organisation"],
        agency=_on_list("Agency", values["agency"], lists["agency"]),
        job_role=_on_list("Job role", values["job_role"], lists["job_role"]),
        district=values["district"],
        completed_on=completion_date(values["completed_on"], today),
    )


def comparable(name: str) -> str:
    """A list's value as matched: case, runs of spaces and curly or straight apostrophes do not count."""
    return " ".join(name.split()).lower().replace("\u2019", "'").replace("\u2018", "'")


def _by_lower_case(names: Iterable[str]) -> dict[str, str]:
    return {comparable(name): name for name in names}


def _on_list(column: str, value: str, listed: dict[str, str]) -> str:
    """The list's own spelling of a value; ValueError naming the values allowed."""
    found = listed.get(comparable(value))
    if found is None:
        allowed = "; ".join(sorted(listed.values())) or "none: the council's list is empty"
        raise ValueError(f"{column} {value!r} is not on the council's list. Allowed: {allowed}")
    return found
