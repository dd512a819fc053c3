"""The national data set's plan keeps the portal's rules, and is the same for the same seed and day."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime

from portal.config import ROOT
from portal.domain.directory_files import read_directory_file
from portal.domain.national_directory import gias_extract, national_directory, read_places
from portal.domain.national_terms import tour_terms
from portal.domain.national_tour import Ids, Tour, TourProduction, TourSchool, ready_after, season_targets
from portal.scheduler import check, parse_instance

PLACES = ROOT / "portal" / "data" / "england-places.csv"
TODAY, NOW = date(2026, 11, 30), datetime(2026, 11, 30, 12, tzinfo=UTC)
ACTIVE = {"provisional", "confirmed", "delivered"}
# Seven districts from Cornwall to Northumberland: most pairs of schools are too far apart for one cast's day.
DISTRICTS = ((50.3, -4.9), (51.5, -0.1), (52.5, -1.9), (53.4, -2.2), (53.8, -1.5), (54.9, -1.6), (52.6, 1.3))
SCHOOLS = [
    TourSchool(
        n, str(100_000 + n), f"District {n % 7}", 600 + 20 * n, (120, 150, None)[n % 3], (1000 + n,),
        (DISTRICTS[n % 7][0] + (n % 5) * 0.04, DISTRICTS[n % 7][1] - (n % 3) * 0.05),
    )
    for n in range(1, 41)
]  # fmt: skip
PRODUCTIONS = [TourProduction(1, 120, {8: 1, 9: 2, 10: 3}, 60), TourProduction(2, 90, {}, 75)]


def plan(seed: int = 5) -> list[dict[str, list[dict]]]:
    schools, productions = SCHOOLS, PRODUCTIONS
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


def instance_of(season: dict[str, list[dict]]) -> dict:
    """The season as services.instances.build_instance makes it: live requests and those of its active performances,
    every active performance pinned, each school's hall the smallest its requests allow, the pins within the caps."""
    active = [p for p in season["performances"] if p["status"] in ACTIVE]
    booked = {p["request_id"] for p in active}
    requests = [r for r in season["requests"] if r["status"] == "submitted" or r["id"] in booked]
    pupils, dates, slots = Counter(), defaultdict(list), defaultdict(list)
    for row in season["request_year_groups"]:
        pupils[row["request_id"]] += row["pupils"]
    for row in season["request_dates"]:
        dates[row["request_id"]].append(row["day"].isoformat())
    slot_code = {row["id"]: row["code"] for row in season["slots"]}
    for row in season["request_slots"]:
        slots[row["request_id"]].append(slot_code[row["slot_id"]])
    schools = {school.id: school for school in SCHOOLS}
    hall: dict[int, int] = {}
    for r in requests:
        cap = min(schools[r["school_id"]].hall_capacity or 1000, r["staff_in_hall"] * 30)
        hall[r["school_id"]] = min(cap, hall.get(r["school_id"], cap))
    cast_dates = defaultdict(list)
    for row in season["cast_dates"]:
        cast_dates[row["cast_id"]].append(row["day"].isoformat())
    production_of = {r["id"]: r["production_id"] for r in requests}
    audience = {production.id: production.audience_cap for production in PRODUCTIONS}
    return {
        "format": "cse-tour/1",
        "timezone": "Europe/London",
        "travel": {key: season["seasons"][0][key] for key in ("speed_kmh", "road_factor", "changeover_minutes")},
        "slots": [{"id": row["code"], "start": row["starts_at"].strftime("%H:%M")} for row in season["slots"]],
        "productions": [
            {"id": f"p{p.id}", "title": "", "duration_minutes": p.duration_minutes, "audience_cap": p.audience_cap}
            for p in PRODUCTIONS
        ],
        "casts": [
            {
                "id": f"c{row['id']}",
                "name": row["name"],
                "max_per_day": row["max_per_day"],
                "productions": [f"p{p.id}" for p in PRODUCTIONS],
                "dates": cast_dates[row["id"]],
            }
            for row in season["casts"]
        ],
        "schools": [
            {
                "id": f"s{school_id}",
                "name": "",
                "lat": schools[school_id].location[0],
                "lon": schools[school_id].location[1],
                "hall_capacity": cap,
            }
            for school_id, cap in sorted(hall.items())
        ],
        "requests": [
            {
                "id": f"r{r['id']}",
                "school": f"s{r['school_id']}",
                "production": f"p{r['production_id']}",
                "pupils": pupils[r["id"]],
                "dates": dates[r["id"]],
                "slots": slots[r["id"]],
            }
            for r in requests
        ],
        "pinned": [
            {
                "request": f"r{p['request_id']}",
                "date": p["day"].isoformat(),
                "slot": slot_code[p["slot_id"]],
                "cast": f"c{p['cast_id']}",
                "pupils": min(p["pupils_planned"], hall[p["school_id"]], audience[production_of[p["request_id"]]]),
            }
            for p in active
        ],
    }


def test_each_season_s_booked_performances_keep_the_scheduler_s_hard_rules():
    """An allocation run pins a season's booked performances: the scheduler must accept them (no "pinned
    performances contradict each other"), travel between a cast's schools on one day included."""
    toured = [season for season in plan() if season.get("performances")]
    assert len(toured) == 12
    cast_days_at_two_schools = 0
    for season in toured:
        instance = instance_of(season)
        parse_instance(instance)  # raises InstanceError when the pins break a hard rule among themselves
        result = check(instance, {"format": "cse-tour-allocation/1", "performances": instance["pinned"]})
        assert result.ok, result.breaches[:3]
        by_cast_day = defaultdict(set)
        for p in season["performances"]:
            if p["status"] in ACTIVE:
                by_cast_day[(p["cast_id"], p["day"])].add(p["school_id"])
        cast_days_at_two_schools += sum(len(schools) > 1 for schools in by_cast_day.values())
    # The rule is exercised: casts do move between schools within a day, yet never further than the time allows.
    assert cast_days_at_two_schools > 20


def test_the_travel_time_is_the_scheduler_s():
    near, far = SCHOOLS[6], SCHOOLS[0]  # two schools in Cornwall (SCHOOLS[13] too), and one in London
    assert ready_after((near, PRODUCTIONS[0]), near) == 60
    assert ready_after((near, PRODUCTIONS[1]), SCHOOLS[13]) < 255 < ready_after((near, PRODUCTIONS[0]), far)
