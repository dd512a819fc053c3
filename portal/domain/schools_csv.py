"""Read a schools directory CSV (URN, name, phase, district, town, postcode, latitude, longitude, pupils on roll)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from portal.domain.numbers import decimal_number, is_ascii_digits

COLUMNS = ("urn", "name", "phase", "district", "town", "postcode", "latitude", "longitude", "pupils_on_roll")


class DirectoryError(ValueError):
    """A directory file that cannot be imported; the message names the line."""


@dataclass(frozen=True)
class DirectoryRow:
    urn: str
    name: str
    phase: str
    district: str
    town: str
    postcode: str
    latitude: float | None  # None: the national directory gives no location (see portal.domain.gias)
    longitude: float | None
    pupils_on_roll: int | None
    office_phone: str = ""  # GIAS TelephoneNum; the county CSV has none


@dataclass
class DirectoryImport:
    """The schools a directory file gives, and what a person should know about them (no location, no roll)."""

    rows: list[DirectoryRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    passed_over: int = 0  # rows of establishments the portal does not serve (GIAS: closed, primary, elsewhere)


def _row(line: int, raw: dict[str, str]) -> DirectoryRow:
    values = {key: (raw.get(key) or "").strip() for key in COLUMNS}
    for key in COLUMNS:
        if not values[key]:
            raise DirectoryError(f"line {line}: {key} is empty")
    if not is_ascii_digits(values["urn"]) or not 5 <= len(values["urn"]) <= 8:
        raise DirectoryError(f"line {line}: urn {values['urn']!r} is not a 5 to 8 digit number")
    try:
        latitude, longitude = decimal_number(values["latitude"]), decimal_number(values["longitude"])
    except ValueError:
        raise DirectoryError(f"line {line}: latitude and longitude must be numbers") from None
    if not (49.0 <= latitude <= 61.0 and -9.0 <= longitude <= 2.5):
        raise DirectoryError(f"line {line}: {latitude}, {longitude} is not in the United Kingdom")
    if not is_ascii_digits(values["pupils_on_roll"]) or len(values["pupils_on_roll"]) > 9:
        raise DirectoryError(f"line {line}: pupils_on_roll {values['pupils_on_roll']!r} is not a whole number")
    for key in ("name", "phase", "district", "town", "postcode"):
        if len(values[key]) > 200:
            raise DirectoryError(f"line {line}: {key} is longer than 200 characters")
    return DirectoryRow(
        urn=values["urn"],
        name=values["name"],
        phase=values["phase"],
        district=values["district"],
        town=values["town"],
        postcode=values["postcode"].upper(),
        latitude=latitude,
        longitude=longitude,
        pupils_on_roll=int(values["pupils_on_roll"]),
    )


def read_directory(text: str) -> list[DirectoryRow]:
    """Every row of the file, or DirectoryError for the first bad one (so nothing is half-imported)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise DirectoryError(f"line 1: missing column {', '.join(missing)}")
    reader.fieldnames = header
    rows: list[DirectoryRow] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(reader):
        line = index + 2
        row = _row(line, raw)
        if row.urn in seen:
            raise DirectoryError(f"line {line}: urn {row.urn} already on line {seen[row.urn]}")
        seen[row.urn] = line
        rows.append(row)
    if not rows:
        raise DirectoryError("line 2: the file has no schools")
    return rows
