"""Seeded generator of tour instances of three shapes: county, region and national.

python benchmarks/generate.py county --seed 1 -o county-1.instance.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
from dataclasses import dataclass

SLOTS = [{"id": "AM", "start": "09:15"}, {"id": "PM", "start": "13:30"}]
MID = {"id": "MID", "start": "11:00"}
PRODUCTIONS = [
    {"id": "drama", "title": "CSE awareness drama", "duration_minutes": 60, "audience_cap": 120},
    {"id": "forum", "title": "Forum theatre workshop", "duration_minutes": 75, "audience_cap": 90},
]
# Population centres of England (lat, lon, weight) for the national shape.
CITIES = [
    (51.51, -0.13, 9),
    (52.48, -1.90, 3),
    (53.48, -2.24, 3),
    (53.80, -1.55, 2),
    (53.41, -2.98, 2),
    (51.45, -2.59, 1.5),
    (54.97, -1.61, 1.5),
    (53.38, -1.47, 1.5),
    (52.95, -1.15, 1),
    (52.63, -1.13, 1),
    (50.90, -1.40, 1),
    (50.37, -4.14, 0.8),
    (52.63, 1.30, 0.8),
    (52.20, 0.12, 0.8),
    (51.75, -1.25, 0.8),
    (50.72, -3.53, 0.7),
    (53.74, -0.33, 0.8),
    (54.60, -3.00, 0.4),
    (51.28, 1.08, 0.6),
    (50.83, -0.14, 0.8),
]


@dataclass(frozen=True)
class Shape:
    """Parameters of one instance shape."""

    schools: int
    radius_km: float
    casts: int
    weeks: int
    mid_share: float  # share of schools that also offer the 11:00 slot
    demand_ratio: float  # performances wanted / performances casts can give
    national: bool = False


SHAPES = {
    "county": Shape(schools=45, radius_km=40, casts=2, weeks=12, mid_share=0.0, demand_ratio=1.3),
    "region": Shape(schools=400, radius_km=90, casts=6, weeks=12, mid_share=0.0, demand_ratio=1.3),
    "national": Shape(schools=3000, radius_km=0, casts=20, weeks=39, mid_share=0.3, demand_ratio=1.3, national=True),
}


def _weekdays(start: dt.date, weeks: int) -> list[str]:
    days = [start + dt.timedelta(days=i) for i in range(weeks * 7)]
    return [d.isoformat() for d in days if d.weekday() < 5]


def _point(rng: random.Random, shape: Shape) -> tuple[float, float]:
    """A school location: uniform in a disc, or clustered around English cities."""
    if shape.national:
        lat0, lon0, _ = rng.choices(CITIES, weights=[c[2] for c in CITIES])[0]
        radius = abs(rng.gauss(0, 25)) + rng.random() * 15
    else:
        lat0, lon0 = 52.2, -1.6
        radius = shape.radius_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    lat = lat0 + radius * math.cos(angle) / 111.2
    lon = lon0 + radius * math.sin(angle) / (111.2 * math.cos(math.radians(lat0)))
    return round(lat, 5), round(lon, 5)


def _schools(rng: random.Random, shape: Shape) -> list[dict]:
    out = []
    for i in range(shape.schools):
        lat, lon = _point(rng, shape)
        hall = rng.choice([60, 90, 120, 150, 150, 180, 240])
        out.append({"id": f"s{i:04d}", "name": f"School {i}", "lat": lat, "lon": lon, "hall_capacity": hall})
    return out


def _requests(rng: random.Random, shape: Shape, schools: list[dict], term: list[str]) -> list[dict]:
    out = []
    for school in schools:
        offers_mid = rng.random() < shape.mid_share
        for production in PRODUCTIONS if rng.random() < 0.3 else PRODUCTIONS[:1]:
            start = rng.randrange(max(1, len(term) - 15))
            window = term[start : start + rng.randint(10, 25)]
            dates = sorted(rng.sample(window, min(len(window), rng.randint(3, 10))))
            slots = rng.choice([["AM", "PM"], ["AM", "PM"], ["AM"], ["PM"]])
            if offers_mid:
                slots = [*slots, "MID"]
            out.append(
                {
                    "id": f"r{len(out):05d}",
                    "school": school["id"],
                    "production": production["id"],
                    "pupils": rng.randrange(60, 481, 10),
                    "dates": dates,
                    "slots": slots,
                    "preferred_dates": sorted(rng.sample(dates, rng.randint(0, min(2, len(dates))))),
                    "priority": rng.choices([1, 2, 3], weights=[6, 3, 1])[0],
                }
            )
    return out


def _casts(rng: random.Random, shape: Shape, requests: list[dict], schools: list[dict], term: list[str]) -> list:
    """Casts whose working days give about 1 / demand_ratio of the performances wanted."""
    halls = {s["id"]: s["hall_capacity"] for s in schools}
    caps = {p["id"]: p["audience_cap"] for p in PRODUCTIONS}
    wanted = sum(-(-r["pupils"] // min(caps[r["production"]], halls[r["school"]])) for r in requests)
    per_day = 2
    days_each = min(len(term), round(wanted / shape.demand_ratio / per_day / shape.casts))
    casts = []
    for i in range(shape.casts):
        prods = ["drama", "forum"] if i % 2 == 0 else ["drama"]
        dates = sorted(rng.sample(term, days_each))
        casts.append(
            {"id": f"c{i:02d}", "name": f"Cast {i}", "max_per_day": per_day, "productions": prods, "dates": dates}
        )
    return casts


def generate(shape_name: str, seed: int) -> dict:
    """A reproducible instance of the named shape."""
    shape = SHAPES[shape_name]
    rng = random.Random(f"{shape_name}-{seed}")
    term = _weekdays(dt.date(2027, 1, 11) if not shape.national else dt.date(2026, 9, 7), shape.weeks)
    schools = _schools(rng, shape)
    requests = _requests(rng, shape, schools, term)
    casts = _casts(rng, shape, requests, schools, term)
    slots = SLOTS + ([MID] if shape.mid_share > 0 else [])
    return {
        "format": "cse-tour/1",
        "timezone": "Europe/London",
        "travel": {"speed_kmh": 40, "road_factor": 1.3, "changeover_minutes": 45},
        "slots": slots,
        "productions": PRODUCTIONS,
        "casts": casts,
        "schools": schools,
        "requests": requests,
        "pinned": [],
    }


def main() -> int:
    """Write one generated instance."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("shape", choices=sorted(SHAPES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args()
    text = json.dumps(generate(args.shape, args.seed), indent=1)
    if args.output == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
