"""Words for people: dates, times, year groups and lists as GOV.UK writes them."""

from datetime import date, time, timedelta

from portal.domain.wording import clock_time, date_and_time, day_month_year, joined, long_date, pupils, year_groups


def test_dates_and_times_read_as_govuk_writes_them():
    assert day_month_year(date(2027, 1, 4)) == "4 January 2027"
    assert long_date(date(2027, 1, 4)) == "Monday 4 January 2027"
    assert clock_time(time(13, 30)) == "1:30pm"
    assert clock_time(time(0, 5)) == "12:05am"
    assert clock_time(time(12, 0)) == "12:00pm"
    assert date_and_time(date(2027, 1, 4), time(11, 0)) == "Monday 4 January 2027 at 11:00am"


def test_year_groups_read_as_year_and_pupils_whatever_the_keys_are_stored_as():
    assert year_groups({"8": 180}) == "Year 8: 180 pupils"
    assert year_groups({10: 1, 8: 180}) == "Year 8: 180 pupils, Year 10: 1 pupil"
    assert year_groups({}) == "none"


def test_lists_are_joined_with_and():
    assert joined([]) == ""
    assert joined(["Cast A"]) == "Cast A"
    assert joined(["a", "b", "c"]) == "a, b and c"
    assert pupils(1) == "1 pupil"


def test_dates_read_as_strftime_would_write_them_on_every_day_of_years():
    day = date(2024, 1, 1)
    for _ in range(3 * 366):
        assert long_date(day) == f"{day:%A} {day.day} {day:%B %Y}"
        assert day_month_year(day) == f"{day.day} {day:%B %Y}"
        day += timedelta(days=1)
