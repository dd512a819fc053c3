"""Seeded generator of tour instances: county, region and national, and touring patterns at region or national size.

python benchmarks/generate.py county --seed 1 -o county-1.instance.json
python benchmarks/generate.py --list      # every shape with what sets it apart

The three first shapes give the same instances as before the others were added (their random draws are unchanged).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import pathlib
import random
import sys
from dataclasses import dataclass, replace

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
    """Parameters of one instance shape (the defaults are the first three shapes' patterns)."""

    schools: int
    radius_km: float
    casts: int
    weeks: int
    mid_share: float  # share of schools that also offer the 11:00 slot
    demand_ratio: float  # performances wanted / performances casts can give
    national: bool = False
    cities: int = len(CITIES)  # national: how many of CITIES (largest first) schools gather round
    towns: int = 0  # national: small towns beside the cities, of falling sizes
    part_year: bool = False  # each cast tours a stretch of 10 weeks to the whole term
    pinned: int = 0  # performances already confirmed with schools
    window: tuple[int, int] = (10, 25)  # weekdays a request's dates spread over
    n_dates: tuple[int, int] = (3, 10)  # dates a request offers
    big_share: float = 0.0  # share of schools with 600-1,200 pupils and a small hall: 4 to 13 performances
    holidays: tuple[int, ...] = ()  # weeks of the term (from 0) nobody performs: half-terms, Christmas, Easter
    exam_week: bool = False  # each school cannot host in one week of its window
    max3_share: float = 0.0  # share of casts allowed three performances a day (slots then 09:00, 11:15, 13:45)
    second_share: float = 0.3  # share of schools that also ask for the second production
    second_every: int = 2  # every n-th cast (from the first) plays the second production
    uneven: bool = False  # demand heavy round London and the south-east, light in the north


REGION = Shape(schools=400, radius_km=90, casts=6, weeks=12, mid_share=0.0, demand_ratio=1.3)
NATIONAL = Shape(schools=3000, radius_km=0, casts=20, weeks=39, mid_share=0.3, demand_ratio=1.3, national=True)
SHAPES = {
    "county": Shape(schools=45, radius_km=40, casts=2, weeks=12, mid_share=0.0, demand_ratio=1.3),
    "region": REGION,
    "national": NATIONAL,
    # Touring patterns the first three lack (issue 11), each at region or national size.
    "region-narrow": replace(REGION, window=(3, 6), n_dates=(1, 3)),
    "region-big-schools": replace(REGION, big_share=0.06),
    "region-max3": replace(REGION, max3_share=0.34, mid_share=0.5),
    "region-two-productions": replace(REGION, second_share=0.6, second_every=3),
    "region-pinned": replace(REGION, pinned=25),
    "region-blackout": replace(REGION, holidays=(6,), exam_week=True),
    "national-part-year": replace(NATIONAL, part_year=True),
    "national-towns": replace(NATIONAL, cities=5, towns=95),
    "national-uneven": replace(NATIONAL, uneven=True),
    "national-mixed": replace(NATIONAL, cities=5, towns=95, part_year=True, pinned=20, max3_share=0.34),
}
SLOTS3 = [{"id": "AM", "start": "09:00"}, {"id": "MID", "start": "11:15"}, {"id": "PM", "start": "13:45"}]


def _weekdays(start: dt.date, weeks: int, holidays: tuple[int, ...] = ()) -> list[str]:
    days = [start + dt.timedelta(days=i) for i in range(weeks * 7)]
    return [d.isoformat() for d in days if d.weekday() < 5 and (d - start).days // 7 not in holidays]


def _centres(rng: random.Random, shape: Shape) -> list[tuple[float, float, float, float]]:
    """National population centres (lat, lon, weight, spread km): cities, then towns of falling size."""
    out = [(lat, lon, weight, 25.0) for lat, lon, weight in CITIES[: shape.cities]]
    for k in range(shape.towns):
        lat = rng.uniform(50.6, 54.8)
        west, east = -5.0 + (lat - 50.0) * 0.6, 1.6 - max(0.0, lat - 53.0)
        out.append((lat, rng.uniform(west, east), 0.6 / (1 + k / 10), 6.0))
    return out


def _point(rng: random.Random, shape: Shape, centres: list) -> tuple[float, float]:
    """A school location: uniform in a disc, or clustered around English cities (and towns)."""
    if shape.national:
        lat0, lon0, _, spread = rng.choices(centres, weights=[c[2] for c in centres])[0]
        radius = abs(rng.gauss(0, spread)) + rng.random() * spread * 0.6
    else:
        lat0, lon0 = 52.2, -1.6
        radius = shape.radius_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    lat = lat0 + radius * math.cos(angle) / 111.2
    lon = lon0 + radius * math.sin(angle) / (111.2 * math.cos(math.radians(lat0)))
    return round(lat, 5), round(lon, 5)


def _schools(rng: random.Random, shape: Shape) -> list[dict]:
    centres = _centres(rng, shape)
    out = []
    for i in range(shape.schools):
        lat, lon = _point(rng, shape, centres)
        hall = rng.choice([60, 90, 120, 150, 150, 180, 240])
        out.append({"id": f"s{i:04d}", "name": f"School {i}", "lat": lat, "lon": lon, "hall_capacity": hall})
    return out


def _demand_factor(school: dict) -> float:
    """Uneven demand: London and the south-east ask for more, the north for less."""
    if school["lat"] < 52.3 and school["lon"] > -1.5:
        return 1.8
    return 0.5 if school["lat"] > 53.2 else 1.0


def _pupils(rng: random.Random, shape: Shape, school: dict, big: bool) -> int:
    if big:
        return rng.randrange(600, 1201, 10)
    pupils = rng.randrange(60, 481, 10)
    if shape.uneven:
        pupils = max(60, round(pupils * _demand_factor(school) / 10) * 10)
    return pupils


def _request_dates(rng: random.Random, shape: Shape, term: list[str], exam_week: int | None) -> list[str]:
    start = rng.randrange(max(1, len(term) - min(15, shape.window[1])))
    window = term[start : start + rng.randint(*shape.window)]
    dates = sorted(rng.sample(window, min(len(window), rng.randint(*shape.n_dates))))
    if exam_week is not None:
        first = dt.date.fromisoformat(term[0])
        kept = [d for d in dates if (dt.date.fromisoformat(d) - first).days // 7 != exam_week]
        dates = kept or dates[-1:]  # a school whose every date falls in its exam week keeps the last one
    return dates


def _requests(rng: random.Random, shape: Shape, schools: list[dict], term: list[str]) -> list[dict]:
    out = []
    weeks = (dt.date.fromisoformat(term[-1]) - dt.date.fromisoformat(term[0])).days // 7 + 1
    for school in schools:
        offers_mid = rng.random() < shape.mid_share
        big = shape.big_share > 0 and rng.random() < shape.big_share
        if big:
            school["hall_capacity"] = rng.choice([90, 120, 150])
        exam_week = rng.randrange(weeks) if shape.exam_week else None
        for production in PRODUCTIONS if rng.random() < shape.second_share else PRODUCTIONS[:1]:
            dates = _request_dates(rng, shape, term, exam_week)
            slots = rng.choice([["AM", "PM"], ["AM", "PM"], ["AM"], ["PM"]])
            if offers_mid:
                slots = [*slots, "MID"]
            out.append(
                {
                    "id": f"r{len(out):05d}",
                    "school": school["id"],
                    "production": production["id"],
                    "pupils": _pupils(rng, shape, school, big),
                    "dates": dates,
                    "slots": slots,
                    "preferred_dates": sorted(rng.sample(dates, rng.randint(0, min(2, len(dates))))),
                    "priority": rng.choices([1, 2, 3], weights=[6, 3, 1])[0],
                }
            )
    return out


def _tour_stretches(rng: random.Random, shape: Shape, term: list[str]) -> list[list[str]]:
    """The days each cast could tour: the whole term, or (part-year) 10 weeks to the whole term."""
    if not shape.part_year:
        return [term] * shape.casts
    out = []
    for _ in range(shape.casts):
        days = min(len(term), 5 * rng.randint(10, shape.weeks))
        start = rng.randrange(len(term) - days + 1)
        out.append(term[start : start + days])
    return out


def _casts(rng: random.Random, shape: Shape, requests: list[dict], schools: list[dict], term: list[str]) -> list:
    """Casts whose working days give about 1 / demand_ratio of the performances wanted."""
    halls = {s["id"]: s["hall_capacity"] for s in schools}
    caps = {p["id"]: p["audience_cap"] for p in PRODUCTIONS}
    wanted = sum(-(-r["pupils"] // min(caps[r["production"]], halls[r["school"]])) for r in requests)
    threes = round(shape.max3_share * shape.casts)
    per_day = 2 + threes / shape.casts
    stretches = _tour_stretches(rng, shape, term)
    # Each cast works the same share of its stretch (all of it when demand outruns the casts).
    share = wanted / shape.demand_ratio / per_day / sum(len(s) for s in stretches)
    casts = []
    for i, stretch in enumerate(stretches):
        prods = ["drama", "forum"] if i % shape.second_every == 0 else ["drama"]
        days_each = min(len(stretch), round(share * len(stretch)))
        dates = sorted(rng.sample(stretch, days_each))
        per = 3 if i >= shape.casts - threes else 2
        casts.append({"id": f"c{i:02d}", "name": f"Cast {i}", "max_per_day": per, "productions": prods, "dates": dates})
    return casts


def _pin(rng: random.Random, instance: dict, count: int) -> list[dict]:
    """Performances already confirmed: random requests at random places that keep every hard rule."""
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from portal.scheduler import parse_instance
    from portal.scheduler.problem import Problem
    from portal.scheduler.schedule import Schedule

    prob = Problem(parse_instance(instance))
    sched = Schedule(prob)
    order = list(range(len(prob.requests)))
    rng.shuffle(order)
    for r in order:
        if len(sched.at) >= count:
            break
        places = list(prob.req_cands[r])
        rng.shuffle(places)
        for d, s in places:
            casts = [c for c in prob.casts_for(prob.req_prod[r], d) if sched.can_place(r, d, s, c)]
            if casts:
                sched.place(r, d, s, rng.choice(casts))
                break
    return [p.to_json() for p in sched.performances()]


def generate(shape_name: str, seed: int) -> dict:
    """A reproducible instance of the named shape."""
    shape = SHAPES[shape_name]
    rng = random.Random(f"{shape_name}-{seed}")
    start = dt.date(2027, 1, 11) if not shape.national else dt.date(2026, 9, 7)
    term = _weekdays(start, shape.weeks, shape.holidays)
    schools = _schools(rng, shape)
    requests = _requests(rng, shape, schools, term)
    casts = _casts(rng, shape, requests, schools, term)
    slots = SLOTS3 if shape.max3_share > 0 else SLOTS + ([MID] if shape.mid_share > 0 else [])
    instance = {
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
    if shape.pinned:
        instance["pinned"] = _pin(rng, instance, shape.pinned)
    return instance


def main() -> int:
    """Write one generated instance."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("shape", nargs="?", choices=list(SHAPES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="-")
    parser.add_argument("--list", action="store_true", help="list the shapes and what sets each apart")
    args = parser.parse_args()
    if args.list or args.shape is None:
        for name, shape in SHAPES.items():
            base = NATIONAL if shape.national else REGION
            changes = {k: v for k, v in vars(shape).items() if v != getattr(base, k)}
            print(f"{name}: {changes or 'the base shape'}")
        return 0
    text = json.dumps(generate(args.shape, args.seed), indent=1)
    if args.output == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
