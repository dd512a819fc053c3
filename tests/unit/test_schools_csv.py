import pytest

from portal.domain.schools_csv import DirectoryError, read_directory

HEADER = "urn,name,phase,district,town,postcode,latitude,longitude,pupils_on_roll\n"
GOOD = "990101,Greenfinch Hill,Secondary,Cherwell,Banbury,ox16 7dq,52.04,-1.35,1305\n"


def test_a_directory_row_is_read_with_typed_values():
    (row,) = read_directory(HEADER + GOOD)
    assert row.urn == "990101"
    assert row.postcode == "OX16 7DQ"
    assert row.latitude == pytest.approx(52.04)
    assert row.pupils_on_roll == 1305


def test_a_byte_order_mark_and_column_case_do_not_matter():
    assert len(read_directory("\ufeff" + HEADER.upper() + GOOD)) == 1


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("99x101,A,Secondary,D,T,P,52,-1,10\n", "line 3: urn"),
        ("990102,,Secondary,D,T,P,52,-1,10\n", "line 3: name is empty"),
        ("990102,A,Secondary,D,T,P,north,-1,10\n", "line 3: latitude and longitude"),
        ("990102,A,Secondary,D,T,P,40,-1,10\n", "line 3: 40.0, -1.0 is not in the United Kingdom"),
        ("990102,A,Secondary,D,T,P,52,-1,many\n", "line 3: pupils_on_roll"),
        ("990101,A,Secondary,D,T,P,52,-1,10\n", "line 3: urn 990101 already on line 2"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_number(bad_row, message):
    with pytest.raises(DirectoryError, match=message):
        read_directory(HEADER + GOOD + bad_row)


def test_a_missing_column_is_named():
    with pytest.raises(DirectoryError, match="missing column pupils_on_roll"):
        read_directory("urn,name,phase,district,town,postcode,latitude,longitude\n")
