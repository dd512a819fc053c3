"""Each hard rule: a naive allocation breaks it, check catches it, solve avoids it."""

from __future__ import annotations

from portal.scheduler import check, solve

FAR = {"id": "s3", "name": "Far", "lat": 52.75, "lon": -1.25, "hall_capacity": 200}  # ~111 km north


def _solve(inst: dict) -> dict:
    allocation = solve(inst, time_limit=2, deterministic=True)
    assert check(inst, allocation).ok
    return allocation


def test_travel_too_far_for_am_then_pm_is_a_breach(build):
    inst = build.instance(requests=[build.request("r1", "s1", 100), build.request("r3", "s3", 100)])
    inst["schools"].append(FAR)
    naive = build.allocation(build.perf("r1", "2027-01-11", "AM"), build.perf("r3", "2027-01-11", "PM"))
    result = check(inst, naive)
    assert len(result.breaches) == 1 and "cannot start" in result.breaches[0]


def test_cast_never_travels_too_far_between_shows(build):
    days = ["2027-01-11"]
    inst = build.instance(
        requests=[build.request("r1", "s1", 100, dates=days), build.request("r3", "s3", 100, dates=days)]
    )
    inst["schools"].append(FAR)
    allocation = _solve(inst)
    assert len(allocation["performances"]) == 1
    assert len(allocation["unplaced"]) == 1
    assert "too far" in allocation["unplaced"][0]["reason"]


def test_nearby_schools_share_a_cast_day(build):
    days = ["2027-01-11"]
    inst = build.instance(
        requests=[build.request("r1", "s1", 100, dates=days), build.request("r2", "s2", 100, dates=days)]
    )
    allocation = _solve(inst)
    assert len(allocation["performances"]) == 2 and not allocation["unplaced"]


def test_audience_over_a_small_hall_is_a_breach(build):
    inst = build.instance(requests=[build.request("r1", "s1", 240)])
    inst["schools"][0]["hall_capacity"] = 60
    naive = build.allocation(build.perf("r1", "2027-01-11", "AM", pupils=120))
    assert any("exceed the limit of 60" in b for b in check(inst, naive).breaches)


def test_audience_never_exceeds_the_hall(build):
    inst = build.instance(requests=[build.request("r1", "s1", 240)])
    inst["schools"][0]["hall_capacity"] = 60
    allocation = _solve(inst)
    assert all(p["pupils"] <= 60 for p in allocation["performances"])
    assert sum(p["pupils"] for p in allocation["performances"]) == 240  # 3 days x 2 slots >= 4 shows
    assert not allocation["unplaced"]


def test_exceeding_max_per_day_is_a_breach(build):
    inst = build.instance(requests=[build.request("r1", "s1", 100), build.request("r2", "s2", 100)])
    inst["casts"][0]["max_per_day"] = 1
    naive = build.allocation(build.perf("r1", "2027-01-11", "AM"), build.perf("r2", "2027-01-11", "PM"))
    assert any("max_per_day" in b for b in check(inst, naive).breaches)


def test_cast_never_exceeds_max_per_day(build):
    days = ["2027-01-11"]
    inst = build.instance(
        requests=[build.request("r1", "s1", 100, dates=days), build.request("r2", "s2", 100, dates=days)]
    )
    inst["casts"][0]["max_per_day"] = 1
    allocation = _solve(inst)
    assert len(allocation["performances"]) == 1
    assert "no cast is free on 2027-01-11" in allocation["unplaced"][0]["reason"]


def test_cast_in_two_places_at_once_is_a_breach(build):
    inst = build.instance(requests=[build.request("r1", "s1", 100), build.request("r2", "s2", 100)])
    naive = build.allocation(build.perf("r1", "2027-01-11", "AM"), build.perf("r2", "2027-01-11", "AM"))
    assert any("already performs" in b for b in check(inst, naive).breaches)


def test_school_hosting_two_shows_at_once_is_a_breach(build):
    inst = build.instance(requests=[build.request("r1", "s1", 100), build.request("r2", "s1", 100)])
    inst["casts"].append(dict(inst["casts"][0], id="b"))
    naive = build.allocation(build.perf("r1", "2027-01-11", "AM"), build.perf("r2", "2027-01-11", "AM", cast="b"))
    assert any("already hosts" in b for b in check(inst, naive).breaches)


def test_more_pupils_than_requested_is_a_breach(build):
    inst = build.instance(requests=[build.request("r1", "s1", 150)])
    naive = build.allocation(build.perf("r1", "2027-01-11", "AM"), build.perf("r1", "2027-01-11", "PM"))
    assert any("150" in b for b in check(inst, naive).breaches)


def test_date_outside_the_request_is_a_breach(build):
    inst = build.instance(requests=[build.request("r1", "s1", 100, dates=["2027-01-12"])])
    naive = build.allocation(build.perf("r1", "2027-01-11", "AM"))
    assert check(inst, naive).breaches == ['performances[0]: 2027-01-11 is not one of request "r1"\'s dates']


def test_unknown_request_is_a_breach(build):
    inst = build.instance(requests=[build.request("r1", "s1", 100)])
    assert check(inst, build.allocation(build.perf("zz", "2027-01-11", "AM"))).breaches == [
        'performances[0]: no request "zz"'
    ]


def test_missing_pinned_performance_is_a_breach(build):
    pin = build.perf("r1", "2027-01-12", "PM", pupils=80)
    inst = build.instance(requests=[build.request("r1", "s1", 100)], pinned=[pin])
    result = check(inst, build.allocation(build.perf("r1", "2027-01-11", "AM")))
    assert [b.split(":")[0] for b in result.breaches] == ["pinned[0]"]


def test_pinned_performances_survive(tiny):
    allocation = solve(tiny, time_limit=1, deterministic=True)
    assert check(tiny, allocation).ok
    for pin in tiny["pinned"]:
        assert pin in allocation["performances"]


def test_pinned_performances_survive_even_when_suboptimal(build):
    pin = build.perf("r1", "2027-01-11", "AM", pupils=10)
    inst = build.instance(requests=[build.request("r1", "s1", 100), build.request("r2", "s2", 100)], pinned=[pin])
    allocation = _solve(inst)
    assert pin in allocation["performances"]
    assert sum(p["pupils"] for p in allocation["performances"] if p["request"] == "r1") == 100


def test_two_slots_at_the_same_time_are_a_breach(build):
    inst = build.instance(
        slots=[{"id": "AM", "start": "09:15"}, {"id": "AM2", "start": "09:15"}],
        requests=[build.request("r1", "s1", 100, slots=["AM"]), build.request("r2", "s2", 100, slots=["AM2"])],
    )
    naive = build.allocation(build.perf("r1", "2027-01-11", "AM"), build.perf("r2", "2027-01-11", "AM2"))
    assert any("cannot start" in b for b in check(inst, naive).breaches)
    assert len(_solve(inst)["performances"]) == 2  # on two different dates
