"""Numbers people type are read in the digits 0 to 9 only: other scripts' digits and superscripts are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from portal.domain import form_tokens
from portal.domain.numbers import decimal_number, is_ascii_digits, whole_number
from portal.domain.retention import Holding, rule_for
from portal.domain.schools_csv import DirectoryError, read_directory
from portal.scheduler.readers import InstanceError, as_time, parse_date

OTHER_DIGITS = ["١٢", "１２", "۱۲", "߁߂", "²", "1²", "½", "一"]
HEADER = "urn,name,phase,district,town,postcode,latitude,longitude,pupils_on_roll\n"
ROW = {
    "urn": "880001",
    "name": "Kestrel Academy",
    "phase": "Secondary",
    "district": "Cherwell",
    "town": "Banbury",
    "postcode": "OX16 1AA",
    "latitude": "52.06",
    "longitude": "-1.33",
    "pupils_on_roll": "900",
}


@pytest.mark.parametrize("text", OTHER_DIGITS + ["", " 12", "12 ", "-1", "+1", "1_000", "0x1", "1.0"])
def test_only_the_digits_0_to_9_make_a_whole_number(text):
    assert not is_ascii_digits(text)
    with pytest.raises(ValueError):
        whole_number(text)


@pytest.mark.parametrize(("value", "number"), [("0", 0), ("0012", 12), ("2147483647", 2147483647), (7, 7)])
def test_whole_numbers_in_ascii_digits_and_ints_are_read(value, number):
    assert whole_number(value) == number


@pytest.mark.parametrize("value", [True, None, 1.0, b"12"])
def test_whole_number_refuses_what_is_not_text_or_an_int(value):
    with pytest.raises(ValueError):
        whole_number(value)


def test_a_query_parameter_read_as_a_whole_number_is_none_in_other_digits():
    """What `request.args.get(name, type=whole_number)` gives: werkzeug turns the ValueError into the default."""
    args = MultiDict({"season": "١", "cast": "12"})
    assert args.get("season", type=whole_number) is None
    assert args.get("cast", type=whole_number) == 12


@pytest.mark.parametrize("text", ["٥٢.1", "５２", "1e3", "nan", "inf", "-infinity", "1_0", "", ".", "1.2.3", "²"])
def test_decimal_numbers_are_plain_digits_and_one_point(text):
    with pytest.raises(ValueError):
        decimal_number(text)


@pytest.mark.parametrize(("text", "number"), [("52.05", 52.05), ("-1.35", -1.35), ("+3", 3.0), (".5", 0.5)])
def test_decimal_numbers_are_read(text, number):
    assert decimal_number(text) == number


def directory(**changes) -> str:
    row = {**ROW, **changes}
    return HEADER + ",".join(row.values()) + "\n"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pupils_on_roll": "9²"}, "pupils_on_roll '9²' is not a whole number"),
        ({"pupils_on_roll": "٩٠٠"}, "pupils_on_roll '٩٠٠' is not a whole number"),
        ({"pupils_on_roll": "9" * 5000}, "is not a whole number"),
        ({"urn": "８８０００１"}, "is not a 5 to 8 digit number"),
        ({"latitude": "٥٢.06"}, "latitude and longitude must be numbers"),
        ({"longitude": "nan"}, "latitude and longitude must be numbers"),
    ],
)
def test_a_directory_row_in_other_digits_is_refused_naming_its_line(changes, message):
    with pytest.raises(DirectoryError, match="line 2: ") as refused:
        read_directory(directory(**changes))
    assert message in str(refused.value)


def test_a_directory_row_in_ascii_digits_is_read():
    (row,) = read_directory(directory())
    assert (row.urn, row.pupils_on_roll, row.latitude, row.longitude) == ("880001", 900, 52.06, -1.33)


@pytest.mark.parametrize("value", ["٠٩:١٥", "０９:１５", "09:1⁵", "09:15\n"])
def test_an_instance_time_in_other_digits_is_not_a_time(value):
    with pytest.raises(InstanceError, match="is not a time"):
        as_time(value, "slots[0].start")


@pytest.mark.parametrize("value", ["٢٠٢٧-٠١-١١", "２０２７-01-11", "2027-01-11\n"])
def test_an_instance_date_in_other_digits_is_not_a_date(value):
    with pytest.raises(InstanceError, match="is not a date"):
        parse_date(value, "casts[0].dates[0]")


def test_instance_times_and_dates_in_ascii_digits_are_read():
    assert as_time("09:15", "slots[0].start") == 9 * 60 + 15
    assert parse_date("2027-01-11", "casts[0].dates[0]") == "2027-01-11"


NOW = datetime(2027, 1, 11, 10, 0, tzinfo=UTC)


def test_a_form_token_is_current_for_its_lifetime_and_no_longer():
    token = form_tokens.new_token(NOW)
    assert form_tokens.token_is_current(token, NOW)
    assert form_tokens.token_is_current(token, NOW + form_tokens.LIFETIME)
    assert not form_tokens.token_is_current(token, NOW + form_tokens.LIFETIME + timedelta(seconds=1))
    assert not form_tokens.token_is_current(token, NOW - form_tokens.CLOCK_SKEW - timedelta(seconds=1))
    assert form_tokens.new_token(NOW) != token


@pytest.mark.parametrize(
    "token",
    [None, "", 12, "not-a-token", "1799661600." + "g" * 32, "١٧٩٩٦٦١٦٠٠." + "0" * 32, "1799661600." + "0" * 31],
)
def test_a_malformed_form_token_is_never_current(token):
    assert not form_tokens.token_is_current(token, NOW)


def test_used_form_tokens_are_kept_longer_than_a_form_is_accepted():
    """Purging a used token early would let its form, sent again, create a second time."""
    assert rule_for(Holding.FORM_SUBMISSIONS).cutoff(NOW) < NOW - form_tokens.LIFETIME - form_tokens.CLOCK_SKEW
