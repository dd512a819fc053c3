"""The national data set's plan keeps the portal's rules, and is the same for the same seed and day."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from portal.config import ROOT
from portal.domain.directory_files import read_directory_file
from portal.domain.national_directory import gias_extract, national_directory, read_places
from portal.domain.national_terms import tour_terms
from portal.domain.national_tour import Ids, Tour, TourProduction, TourSchool, season_targets

PLACES = ROOT / "portal" / "data" / "england-places.csv"
TODAY, NOW = date(2026, 11, 30), datetime(2026, 11, 30, 12, tzinfo=UTC)
ACTIVE = {"provisional", "confirmed", "delivered"}


def plan(seed: int = 5) -> list[dict[str, list[dict]]]:
    schools = [
        TourSchool(n, str(100_000 + n), f"District {n % 7}", 600 + 20 * n, (120, 150, None)[n % 3], (1000 + n,))
        for n in range(1, 41)
    ]
    productions = [TourProduction(1, 120, {8: 1, 9: 2, 10: 3}), TourProduction(2, 90, {})]
    tables = ("seasons", "slots", "casts", "requests", "performances", "follow_up_lessons", "evaluation_returns")
    ids = Ids(dict.fromkeys(tables, 1))
    tour = Tour(schools, productions, 999, TODAY, NOW, seed, ids)
    terms = tour_terms(TODAY, 13)
    targets = season_targets(terms, 1500)
    return [tour.season(n, term, targets[n], n == len(terms) - 1).tables for n, term in enumerate(terms)]


def test_the_same_seed_and_day_give_the_same_rows():
    assert plan(5) == plan(5)
    assert plan(5) != plan(6)


def test_every_performance_keeps_the_rules_of_its_request_and_of_the_database():
    seasons = plan()
    assert {term.name for term in tour_terms(TODAY, 13)[-2:]} == {"Autumn 2026", "Spring 2027"}
    assert not seasons[-1].get("performances")
    performances = [row for season in seasons for row in season.get("performances", [])]
    active = [p for p in performances if p["status"] in ACTIVE]
    assert max(Counter((p["cast_id"], p["day"], p["slot_id"]) for p in active).values()) == 1
    assert max(Counter((p["school_id"], p["day"], p["slot_id"]) for p in active).values()) == 1
    requests = {row["id"]: row for season in seasons for row in season["requests"]}
    dates = {(row["request_id"], row["day"]) for season in seasons for row in season["request_dates"]}
    slots = {(row["request_id"], row["slot_id"]) for season in seasons for row in season["request_slots"]}
    for performance in performances:
        request_ = requests[performance["request_id"]]
        assert request_["school_id"] == performance["school_id"] and request_["status"] == "submitted"
        assert (request_["id"], performance["day"]) in dates and (request_["id"], performance["slot_id"]) in slots
        assert performance["status"] != "delivered" or performance["day"] < TODAY
        assert performance["status"] != "provisional" or performance["confirm_by"] >= TODAY
    assert {p["status"] for p in performances} == ACTIVE | {"declined", "cancelled"}
    assert any(p["released_at"] for p in performances)


def test_attendance_lessons_and_returns_follow_their_performance():
    seasons = plan()
    performances = {row["id"]: row for season in seasons for row in season.get("performances", [])}
    attended = Counter()
    for row in (row for season in seasons for row in season.get("performance_attendance", [])):
        assert performances[row["performance_id"]]["status"] == "delivered" and row["pupils"] > 0
        attended[row["performance_id"]] += row["pupils"]
    for performance_id, pupils in attended.items():
        performance = performances[performance_id]
        assert performance["pupils_attended"] == pupils <= performance["pupils_planned"]
    for lesson in (row for season in seasons for row in season.get("follow_up_lessons", [])):
        performance = performances[lesson["performance_id"]]
        assert performance["day"] <= lesson["delivered_on"] <= TODAY and lesson["school_id"] == performance["school_id"]
    for answer in (row for season in seasons for row in season.get("evaluation_returns", [])):
        assert answer["respondents"] <= performances[answer["performance_id"]]["pupils_attended"]
        assert max(answer[name] for name in ("confident_after", "know_help_after")) <= answer["respondents"]


def test_the_directory_file_is_a_gias_extract_the_import_reads():
    rows = national_directory(read_places(PLACES.read_text(encoding="utf-8")), 200, seed=2)
    found = read_directory_file(gias_extract(rows))
    assert len(found.rows) == 200 and found.passed_over == len(rows) - 200
    assert len({row.district for row in found.rows}) > 50
    assert all(50.0 < row.latitude < 56.0 for row in found.rows if row.latitude is not None)
