"""A malformed instance is refused with one line naming place and fault."""

from __future__ import annotations

import pytest

from portal.scheduler import InstanceError, parse_instance


def _error(inst: dict) -> str:
    with pytest.raises(InstanceError) as info:
        parse_instance(inst)
    message = info.value.message
    assert "\n" not in message
    return message


def test_impossible_date_is_named_with_its_position(build):
    inst = build.instance(
        requests=[build.request("r1", "s1", 50), build.request("r2", "s1", 50, dates=["2027-01-11", "2027-02-30"])]
    )
    assert _error(inst) == 'requests[1].dates[1]: "2027-02-30" is not a date'


def test_unknown_school_is_named(build):
    inst = build.instance(requests=[build.request("r1", "s99", 50)])
    assert _error(inst) == 'requests[0].school: no school "s99"'


def test_empty_slots_are_refused(build):
    assert _error(build.instance(slots=[])) == "slots: empty"


def test_missing_field_is_named(build):
    inst = build.instance()
    del inst["casts"][0]["max_per_day"]
    assert _error(inst) == "casts[0].max_per_day: missing"


def test_mistyped_field_is_named(build):
    inst = build.instance(requests=[build.request("r1", "s1", "many")])
    assert _error(inst).startswith("requests[0].pupils: expected an integer")


def test_preferred_date_outside_dates_is_refused(build):
    inst = build.instance(
        requests=[build.request("r1", "s1", 50, dates=["2027-01-11"], preferred_dates=["2027-01-12"])]
    )
    assert _error(inst).startswith("requests[0].preferred_dates[0]:")


def test_bad_time_is_refused(build):
    inst = build.instance(slots=[{"id": "AM", "start": "9.15"}])
    assert _error(inst).startswith("slots[0].start:")


def test_unknown_production_of_cast_is_named(build):
    inst = build.instance()
    inst["casts"][0]["productions"] = ["opera"]
    assert _error(inst) == 'casts[0].productions[0]: no production "opera"'


def test_priority_out_of_range_is_refused(build):
    inst = build.instance(requests=[build.request("r1", "s1", 50, priority=4)])
    assert _error(inst).startswith("requests[0].priority:")


def test_repeated_id_is_refused(build):
    inst = build.instance(requests=[build.request("r1", "s1", 50), build.request("r1", "s2", 50)])
    assert _error(inst).startswith("requests[1].id:")


def test_not_an_object_is_refused(build):
    assert _error([1, 2]).startswith("instance: expected an object")


def test_unknown_keys_are_ignored(build):
    inst = build.instance(requests=[build.request("r1", "s1", 50, colour="blue")], extra={"x": 1})
    inst["travel"]["weather"] = "rain"
    assert parse_instance(inst).requests[0].id == "r1"


def test_contradictory_pinned_performances_are_reported_as_such(build):
    inst = build.instance(
        requests=[build.request("r1", "s1", 100), build.request("r2", "s2", 100)],
        pinned=[build.perf("r1", "2027-01-11", "AM"), build.perf("r2", "2027-01-11", "AM")],
    )
    message = _error(inst)
    assert message.startswith("pinned[1]:") and "contradict" in message


def test_pinned_performance_over_the_hall_is_refused(build):
    inst = build.instance(
        requests=[build.request("r1", "s1", 300)], pinned=[build.perf("r1", "2027-01-11", "AM", pupils=150)]
    )
    assert _error(inst).startswith("pinned[0]: 150 pupils exceed")


def test_pinned_with_unknown_cast_is_named(build):
    inst = build.instance(
        requests=[build.request("r1", "s1", 100)], pinned=[build.perf("r1", "2027-01-11", "AM", cast="zz")]
    )
    assert _error(inst) == 'pinned[0].cast: no cast "zz"'
