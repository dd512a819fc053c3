"""The GIAS extract as downloaded: which establishments are kept, how their location is read, and bad kept rows."""

from __future__ import annotations

import pytest

from portal.domain.directory_files import read_directory_file
from portal.domain.gias import NO_LOCATION, national_grid_to_latitude_longitude
from portal.domain.schools_csv import DirectoryError
from tests.gias import gias_csv, gias_row

OXFORDSHIRE = frozenset({"oxfordshire"})


def test_the_national_grid_is_converted_by_proj():
    # Ordnance Survey's worked example ("A guide to coordinate systems in Great Britain", annex C): the point
    # E 651409.903, N 313177.270 is 52° 39' 27.2531" N, 1° 43' 4.5177" E on the OSGB36 datum. On WGS84 the same
    # place lies some tens of metres away (the datums differ by up to about 150 m).
    latitude, longitude = national_grid_to_latitude_longitude(651409.903, 313177.270)
    assert latitude == pytest.approx(52.657570, abs=1e-3)
    assert longitude == pytest.approx(1.717922, abs=2.5e-3)  # 0.0025 degree of longitude here: about 170 m
    assert (latitude, longitude) != pytest.approx((52.657570, 1.717922), abs=1e-5)  # the datum shift is made


def test_open_schools_teaching_years_8_to_10_in_the_covered_authorities_are_kept():
    rows = [
        gias_row(),
        gias_row(URN="100002", **{"EstablishmentStatus (name)": "Closed"}),
        gias_row(URN="100003", **{"EstablishmentStatus (name)": "Open, but proposed to close"}),
        gias_row(URN="100004", StatutoryLowAge="4", StatutoryHighAge="11"),  # primary
        gias_row(URN="100005", StatutoryLowAge="13", StatutoryHighAge="18"),  # upper school: no Year 8
        gias_row(URN="100006", StatutoryLowAge="2", StatutoryHighAge="19"),  # all-through, special
        gias_row(URN="100007", **{"LA (name)": "Wiltshire"}),
        gias_row(URN="100008", StatutoryLowAge="", StatutoryHighAge=""),  # ages unknown: not shown to be one
    ]
    found = read_directory_file(gias_csv(rows), OXFORDSHIRE)
    assert [row.urn for row in found.rows] == ["123456", "100003", "100006"]
    assert found.passed_over == 5
    everywhere = read_directory_file(gias_csv(rows), frozenset())
    assert [row.urn for row in everywhere.rows] == ["123456", "100003", "100006", "100007"]


def test_a_kept_row_is_read_with_its_location_in_latitude_and_longitude():
    (row,) = read_directory_file(gias_csv([gias_row(Postcode="ox4 1aa")])).rows
    assert (row.urn, row.name, row.phase, row.district, row.town) == (
        "123456",
        "Kestrel Academy",
        "Secondary",
        "Oxford",
        "Oxford",
    )
    assert row.postcode == "OX4 1AA"
    assert row.latitude == pytest.approx(51.7504, abs=1e-3)
    assert row.longitude == pytest.approx(-1.2626, abs=1e-3)
    assert row.pupils_on_roll == 1200


def test_the_file_is_read_in_the_encoding_gias_publishes():
    name = "St Mary’s Catholic School – Café Lane"  # curly apostrophe and en dash: 0x92 and 0x96 in Windows-1252
    (row,) = read_directory_file(gias_csv([gias_row(EstablishmentName=name)], encoding="cp1252")).rows
    assert row.name == name
    (row,) = read_directory_file(gias_csv([gias_row(EstablishmentName=name)], encoding="utf-8")).rows
    assert row.name == name


def test_a_kept_school_without_a_location_or_roll_is_imported_with_a_warning():
    found = read_directory_file(gias_csv([gias_row(Easting="", Northing="", NumberOfPupils="")]))
    (row,) = found.rows
    assert (row.latitude, row.longitude, row.pupils_on_roll) == (None, None, None)
    assert found.warnings == [
        f"Kestrel Academy (URN 123456) has no location: {NO_LOCATION}",
        "Kestrel Academy (URN 123456) has no number of pupils on roll",
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"URN": "12x456"}, "line 3: URN '12x456' is not a 5 to 8 digit number"),
        ({"URN": "12345²"}, "line 3: URN"),  # a superscript two is not a digit here
        ({"EstablishmentName": ""}, "line 3: EstablishmentName is empty"),
        ({"Easting": "east", "Northing": "206000"}, "line 3: Easting and Northing must be numbers"),
        ({"Easting": "451000", "Northing": ""}, "line 3: Easting and Northing must be numbers"),
        ({"Easting": "9451000"}, "line 3: 9451000, 206000 is not on the British National Grid"),
        ({"NumberOfPupils": "lots"}, "line 3: NumberOfPupils 'lots' is not a whole number"),
        ({"URN": "123456", "EstablishmentName": "Twin"}, "line 3: URN 123456 already on line 2"),
    ],
)
def test_a_kept_row_that_cannot_be_read_stops_the_import_by_its_line(values, message):
    with pytest.raises(DirectoryError, match=message):
        read_directory_file(gias_csv([gias_row(), gias_row(**{"URN": "654321", **values})]))


def test_rows_passed_over_are_never_judged():
    rows = [gias_row(), gias_row(URN="junk", Easting="nowhere", **{"EstablishmentStatus (name)": "Closed"})]
    assert len(read_directory_file(gias_csv(rows)).rows) == 1


def test_a_file_without_the_columns_or_without_schools_is_refused():
    with pytest.raises(DirectoryError, match="line 1: missing column .*Easting"):
        read_directory_file(b"URN,EstablishmentName\r\n123456,A\r\n")
    with pytest.raises(DirectoryError, match="no open secondary schools in oxfordshire"):
        read_directory_file(gias_csv([gias_row(**{"LA (name)": "Kent"})]), OXFORDSHIRE)


def test_the_portals_own_csv_is_still_read():
    text = "urn,name,phase,district,town,postcode,latitude,longitude,pupils_on_roll\n"
    text += "990101,Greenfinch Hill,Secondary,Cherwell,Banbury,OX16 7DQ,52.04,-1.35,1305\n"
    (row,) = read_directory_file(text.encode()).rows
    assert row.urn == "990101"
