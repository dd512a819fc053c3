"""The training records' retention: a setting of whole years, read at start-up, that the schedule is built from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.config import ConfigError, load_config
from portal.domain.retention import SCHEDULE, Holding, rule_for, schedule

BASE = {"PORTAL_ENV": "test", "SECRET_KEY": "k" * 48}


def test_training_records_are_kept_six_years_unless_set():
    assert load_config(BASE)["TRAINING_RECORDS_YEARS"] == 6
    assert load_config({**BASE, "TRAINING_RECORDS_YEARS": "10"})["TRAINING_RECORDS_YEARS"] == 10


@pytest.mark.parametrize("value", ["0", "-1", "six", "2.5", "101", ""])
def test_a_bad_number_of_years_stops_the_portal_starting(value):
    with pytest.raises(ConfigError, match="TRAINING_RECORDS_YEARS"):
        load_config({**BASE, "TRAINING_RECORDS_YEARS": value})


def test_the_schedule_counts_the_configured_years_back_from_now():
    now = datetime(2026, 11, 30, 3, 40, tzinfo=UTC)
    assert rule_for(Holding.TRAINING_RECORDS).cutoff(now) == datetime(2020, 11, 30, 3, 40, tzinfo=UTC)
    assert rule_for(Holding.LEARNER_ACCOUNTS, 3).cutoff(now) == datetime(2023, 11, 30, 3, 40, tzinfo=UTC)
    assert rule_for(Holding.TRAINING_BOOKINGS, 3).cutoff(now) == datetime(2025, 11, 30, 3, 40, tzinfo=UTC)
    assert "1 year after" in rule_for(Holding.TRAINING_RECORDS, 1).kept
    assert "3 years after" in rule_for(Holding.TRAINING_RECORDS, 3).kept


def test_every_holding_has_one_rule_and_the_default_schedule_is_six_years():
    assert sorted(rule.holding for rule in schedule(3)) == sorted(Holding)
    assert schedule(6) == SCHEDULE
