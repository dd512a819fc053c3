"""GIAS extracts for tests: the Department for Education's columns in its order, plus a few of its many others."""

from __future__ import annotations

import csv
import io

HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "NumberOfPupils",
    "Street",
    "Town",
    "Postcode",
    "TelephoneNum",
    "DistrictAdministrative (name)",
    "Easting",
    "Northing",
]


def gias_row(**values: str) -> dict[str, str]:
    """An open secondary school in Oxfordshire, near Oxford, with 1,200 pupils; values override its columns."""
    row = {
        "URN": "123456",
        "LA (code)": "931",
        "LA (name)": "Oxfordshire",
        "EstablishmentNumber": "4001",
        "EstablishmentName": "Kestrel Academy",
        "TypeOfEstablishment (name)": "Academy converter",
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (name)": "Secondary",
        "StatutoryLowAge": "11",
        "StatutoryHighAge": "18",
        "NumberOfPupils": "1200",
        "Street": "Kestrel Lane",
        "Town": "Oxford",
        "Postcode": "OX4 1AA",
        "TelephoneNum": "01632960100",
        "DistrictAdministrative (name)": "Oxford",
        "Easting": "451000",
        "Northing": "206000",
    }
    row.update(values)
    return row


def gias_csv(rows: list[dict[str, str]], encoding: str = "cp1252", header: list[str] = HEADER) -> bytes:
    """The extract as GIAS publishes it: Windows-1252, every value quoted, CRLF line ends (header: fewer columns, as
    a search-results download may have)."""
    text = io.StringIO()
    writer = csv.DictWriter(
        text, fieldnames=header, quoting=csv.QUOTE_ALL, lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode(encoding)
