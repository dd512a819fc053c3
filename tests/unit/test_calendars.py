from datetime import date

from portal.domain.calendars import bank_holidays_between, season_days


def test_season_days_skip_weekends_bank_holidays_and_blackouts():
    days = season_days(date(2027, 5, 24), date(2027, 6, 4), blackout={date(2027, 6, 2)})
    assert date(2027, 5, 31) not in days  # Spring bank holiday
    assert date(2027, 6, 2) not in days  # blackout
    assert date(2027, 5, 29) not in days  # Saturday
    assert len(days) == 8


def test_boxing_day_on_a_saturday_costs_only_the_observed_monday():
    found = bank_holidays_between(date(2026, 12, 21), date(2027, 1, 8))
    assert date(2026, 12, 26) not in found  # a Saturday: not a school day anyway
    assert date(2026, 12, 28) in found
    assert date(2027, 1, 1) in found
