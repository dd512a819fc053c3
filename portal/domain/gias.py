"""Read the Department for Education's Get Information About Schools (GIAS) extract, as downloaded.

The national file (`edubasealldata*.csv`, or a search-results download with the same headers) holds every
establishment in England, open or closed, of every phase, with its location on the British National Grid. The
portal keeps the open schools that teach pupils of 12 and of 15 (the drama is for Years 8 to 10) in the local
authorities the installation covers; every other row is passed over unread, so only the rows kept are judged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import cache

from portal.domain.numbers import decimal_number, is_ascii_digits
from portal.domain.schools_csv import DirectoryError, DirectoryImport, DirectoryRow

COLUMNS = {
    "urn": "URN",
    "name": "EstablishmentName",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "low_age": "StatutoryLowAge",
    "high_age": "StatutoryHighAge",
    "local_authority": "LA (name)",
    "district": "DistrictAdministrative (name)",
    "town": "Town",
    "postcode": "Postcode",
    "easting": "Easting",
    "northing": "Northing",
    "pupils_on_roll": "NumberOfPupils",
}
# Read when the download has them: a search-results download may leave them out.
OPTIONAL_COLUMNS = {"office_phone": "TelephoneNum"}
OPEN_STATUSES = frozenset({"open", "open, but proposed to close"})
YOUNGEST_PUPILS_AT_MOST = 12  # the school teaches Year 8 (age 12 to 13)...
OLDEST_PUPILS_AT_LEAST = 15  # ...and Year 10 (age 14 to 15)
# The British National Grid's extent, in metres: anything outside it is a mistake, not a place.
EASTING_RANGE, NORTHING_RANGE = (0.0, 700_000.0), (0.0, 1_300_000.0)
TEXT_LIMITS = {"name": 200, "phase": 50, "district": 100, "town": 100, "postcode": 10, "office_phone": 40}


def is_gias_header(header: Iterable[str]) -> bool:
    names = {name.strip().lstrip("\ufeff") for name in header}
    return {"URN", "EstablishmentName"} <= names


@cache
def _national_grid_to_wgs84():
    from pyproj import Transformer  # imported here: only a GIAS import needs it

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def national_grid_to_latitude_longitude(easting: float, northing: float) -> tuple[float, float]:
    """A British National Grid (OSGB36, EPSG:27700) point as WGS84 latitude and longitude, by PROJ."""
    longitude, latitude = _national_grid_to_wgs84().transform(easting, northing)
    return round(latitude, 6), round(longitude, 6)


def _age(text: str) -> int | None:
    return int(text) if is_ascii_digits(text) and len(text) <= 2 else None


def _kept(values: dict[str, str], local_authorities: frozenset[str]) -> bool:
    if values["status"].lower() not in OPEN_STATUSES:
        return False
    if local_authorities and values["local_authority"].lower() not in local_authorities:
        return False
    low, high = _age(values["low_age"]), _age(values["high_age"])
    return low is not None and high is not None and low <= YOUNGEST_PUPILS_AT_MOST and high >= OLDEST_PUPILS_AT_LEAST


def _location(line: int, values: dict[str, str]) -> tuple[float, float] | None:
    easting, northing = values["easting"], values["northing"]
    if not easting and not northing:
        return None
    try:
        x, y = decimal_number(easting), decimal_number(northing)
    except ValueError:
        raise DirectoryError(f"line {line}: Easting and Northing must be numbers of metres") from None
    if not (EASTING_RANGE[0] <= x <= EASTING_RANGE[1] and NORTHING_RANGE[0] <= y <= NORTHING_RANGE[1]):
        raise DirectoryError(f"line {line}: {easting}, {northing} is not on the British National Grid")
    return national_grid_to_latitude_longitude(x, y)


def _row(line: int, values: dict[str, str], result: DirectoryImport) -> DirectoryRow:
    urn, name = values["urn"], values["name"]
    if not is_ascii_digits(urn) or not 5 <= len(urn) <= 8:
        raise DirectoryError(f"line {line}: URN {urn!r} is not a 5 to 8 digit number")
    if not name:
        raise DirectoryError(f"line {line}: EstablishmentName is empty")
    for key, limit in TEXT_LIMITS.items():
        if len(values[key]) > limit:
            raise DirectoryError(f"line {line}: {(COLUMNS | OPTIONAL_COLUMNS)[key]} is longer than {limit} characters")
    pupils = values["pupils_on_roll"]
    if pupils and (not is_ascii_digits(pupils) or len(pupils) > 9):
        raise DirectoryError(f"line {line}: NumberOfPupils {pupils!r} is not a whole number")
    location = _location(line, values)
    if location is None:
        result.warnings.append(f"{name} (URN {urn}) has no location: {NO_LOCATION}")
    if not pupils:
        result.warnings.append(f"{name} (URN {urn}) has no number of pupils on roll")
    return DirectoryRow(
        urn=urn,
        name=name,
        phase=values["phase"],
        district=values["district"] or values["local_authority"],
        town=values["town"],
        postcode=values["postcode"].upper(),
        latitude=location[0] if location else None,
        longitude=location[1] if location else None,
        pupils_on_roll=int(pupils) if pupils else None,
        office_phone=values["office_phone"],
    )


# What the scheduler does without a location; said in the import's warning (portal.services.schools.locations).
NO_LOCATION = "the scheduler places it at the middle of its district's schools until a location is imported"


def read_gias(text: str, local_authorities: frozenset[str] = frozenset()) -> DirectoryImport:
    """The kept schools of a GIAS extract, or DirectoryError naming the line of the first kept row that cannot be
    read (so nothing is half-imported). local_authorities are `LA (name)` values, lower case; empty means all."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS.values() if column not in header]
    if missing:
        raise DirectoryError(f"line 1: missing column {', '.join(missing)}")
    reader.fieldnames = header
    result = DirectoryImport()
    seen: dict[str, int] = {}
    for raw in reader:
        values = {key: (raw.get(column) or "").strip() for key, column in (COLUMNS | OPTIONAL_COLUMNS).items()}
        if not _kept(values, local_authorities):
            result.passed_over += 1
            continue
        line = reader.line_num
        row = _row(line, values, result)
        if row.urn in seen:
            raise DirectoryError(f"line {line}: URN {row.urn} already on line {seen[row.urn]}")
        seen[row.urn] = line
        result.rows.append(row)
    if not result.rows:
        covered = ", ".join(sorted(local_authorities)) or "England"
        raise DirectoryError(f"line 2: the file has no open secondary schools in {covered}")
    return result
