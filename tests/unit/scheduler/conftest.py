"""Small instance builders for the scheduler tests."""

from __future__ import annotations

import copy
import json
import pathlib

import pytest

HERE = pathlib.Path(__file__).parent
DAYS = ["2027-01-11", "2027-01-12", "2027-01-13"]


def base_instance(**overrides) -> dict:
    """One production, one cast, two schools 2 km apart, nothing requested yet."""
    inst = {
        "format": "cse-tour/1",
        "timezone": "Europe/London",
        "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": 45},
        "slots": [{"id": "AM", "start": "09:15"}, {"id": "PM", "start": "13:30"}],
        "productions": [{"id": "drama", "title": "Drama", "duration_minutes": 60, "audience_cap": 120}],
        "casts": [{"id": "a", "name": "A", "max_per_day": 2, "productions": ["drama"], "dates": DAYS}],
        "schools": [
            {"id": "s1", "name": "One", "lat": 51.75, "lon": -1.25, "hall_capacity": 200},
            {"id": "s2", "name": "Two", "lat": 51.76, "lon": -1.27, "hall_capacity": 200},
        ],
        "requests": [],
        "pinned": [],
    }
    inst.update(copy.deepcopy(overrides))
    return inst


def request(rid: str, school: str, pupils: int, dates=None, slots=("AM", "PM"), **extra) -> dict:
    """A request for the drama production."""
    out = {
        "id": rid,
        "school": school,
        "production": "drama",
        "pupils": pupils,
        "dates": list(dates or DAYS),
        "slots": list(slots),
    }
    out.update(extra)
    return out


def perf(rid: str, date: str, slot: str, cast: str = "a", pupils: int = 100) -> dict:
    """A performance dict."""
    return {"request": rid, "date": date, "slot": slot, "cast": cast, "pupils": pupils}


def allocation(*perfs: dict) -> dict:
    """An allocation dict holding these performances."""
    return {"format": "cse-tour-allocation/1", "performances": list(perfs), "unplaced": [], "stats": {}}


class Build:
    """The builders, handed to tests as the `build` fixture (no test imports conftest)."""

    instance = staticmethod(base_instance)
    request = staticmethod(request)
    perf = staticmethod(perf)
    allocation = staticmethod(allocation)
    days = DAYS


@pytest.fixture(scope="session")
def build() -> type[Build]:
    """Instance, request, performance and allocation builders."""
    return Build


@pytest.fixture
def tiny() -> dict:
    """The example instance from the format spec."""
    return json.loads((HERE / "tiny.instance.json").read_text())
