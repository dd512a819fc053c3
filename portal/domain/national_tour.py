"""The national data set's tour history, season by season, as rows for the portal's tables.

Pure: plain values in, one dict per row out (keyed by column name, the same keys in every row of a table), which
portal.services.national_data writes with bulk inserts. What it makes keeps the database's rules (one active
performance per cast and slot, one per hall and slot, a performance's school is its request's, counts within their
ranges) and the portal's own: a performance is on one of its request's dates and slots, holds at most one audience
(audience_cap), is delivered only on or before today with attendance only in the year groups asked for, lessons
follow their performance, and questionnaire counts stay within the pupils who answered.

Each season's casts tour a region each (England cut into compact areas of about equal numbers of schools, one per
cast), so that a cast's days are spent near each other; a request takes consecutive free places of its region's cast
from a random day, passing over a place the cast could not reach in time from its other performance that day (or
leave in time for it). So the booked performances keep every hard rule of the scheduler among themselves
(tour-format.md: one per cast and per hall per slot, max_per_day, and rule 6's travel, timed with the scheduler's own
formula), and an allocation run for a past or current season accepts them as pinned.
Seasons grow: the last has nearly twice the performances of the first.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from portal.domain.calendars import season_days
from portal.domain.national_outcomes import Outcomes
from portal.domain.national_terms import Term
from portal.domain.requests import audience_cap, performances_needed
from portal.domain.retention import season_contacts_expired
from portal.scheduler.geo import haversine_km, travel_minutes

SLOTS = (("AM", time(9, 15)), ("PM", time(13, 30)))  # in time order
SLOT_MINUTES = tuple(starts.hour * 60 + starts.minute for _, starts in SLOTS)
SPEED_KMH, ROAD_FACTOR, CHANGEOVER_MINUTES = 40.0, 1.3, 45  # every season's travel settings
SHOWS_PER_CAST_DAY = 2
CAST_USE = 0.8  # casts are sized for this share of their places, so most requests find room
YEAR_GROUP_CHOICES = ((8, 9, 10), (8, 9, 10), (8, 9, 10), (9, 10), (8, 9), (9,), (10,))
ACCESS_NOTES = ("", "", "Hall on the ground floor; park by the sports hall.", "Step-free access by the main gate.")
COST_PER_PERFORMANCE_PENCE = 45_000
WITHDRAWN_SHARE = 0.03
SECOND_PRODUCTION_SHARE = 0.2


@dataclass(frozen=True)
class TourSchool:
    id: int
    urn: str
    district: str
    pupils_on_roll: int | None
    hall_capacity: int | None
    staff_ids: tuple[int, ...]  # approved staff, who make its requests and records
    location: tuple[float, float]  # latitude and longitude, where the scheduler puts it (services.schools.locations)


@dataclass(frozen=True)
class TourProduction:
    id: int
    audience_cap: int
    pack_ids: dict[int, int]  # year group -> lesson pack
    duration_minutes: int


TABLES = (
    "seasons",
    "blackout_days",
    "slots",
    "season_productions",
    "casts",
    "cast_productions",
    "cast_dates",
    "requests",
    "request_year_groups",
    "request_dates",
    "request_slots",
    "performances",
    "performance_attendance",
    "follow_up_lessons",
    "evaluation_returns",
)


class Ids:
    """The next free primary key of each table written with explicit ids."""

    def __init__(self, start: dict[str, int]):
        self._next = dict(start)

    def take(self, table: str) -> int:
        value = self._next[table]
        self._next[table] = value + 1
        return value


@dataclass
class SeasonRows:
    """One season's rows, table by table (TABLES: an order that satisfies the foreign keys)."""

    tables: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, table: str, row: dict) -> None:
        self.tables.setdefault(table, []).append(row)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def season_targets(terms: list[Term], performances: int) -> list[int]:
    """How many performances each season but the last (open) one gets: in proportion to its days, growing."""
    touring, weights = terms[:-1], []
    for n, term in enumerate(touring):
        days = season_days(term.starts_on, term.ends_on, frozenset(term.half_term))
        weights.append(len(days) * (0.7 + 0.6 * n / max(1, len(touring) - 1)))
    return [round(performances * weight / sum(weights)) for weight in weights] + [0]


@dataclass
class Tour:
    """Everything the seasons share: the schools, productions, who acts for the council, today, the random source."""

    schools: list[TourSchool]
    productions: list[TourProduction]
    council_id: int
    today: date
    now: datetime
    seed: int
    ids: Ids

    def season(self, index: int, term: Term, target: int, is_open: bool) -> SeasonRows:
        """One season's rows: the season, its slots and casts, its requests and (unless open) its performances."""
        rng = random.Random(f"{self.seed}:{index}")
        rows = SeasonRows()
        season_id = self.ids.take("seasons")
        days = season_days(term.starts_on, term.ends_on, frozenset(term.half_term))
        slot_ids = self._slots(rows, season_id)
        casts = self._casts(rows, rng, season_id, days, target)
        regions = _regions(self.schools, len(casts))
        touring = _Season(self, rows, rng, term, season_id, days, slot_ids, casts)
        placed = 0
        for school in rng.sample(self.schools, len(self.schools)):
            if (is_open and rng.random() < 0.5) or (not is_open and placed >= target):
                continue
            for production in self._productions_asked(rng):
                placed += touring.request(school, production, None if is_open else regions[school.id])
        rows.add("seasons", self._season_row(term, season_id, placed, is_open))
        for row in term.half_term:
            rows.add("blackout_days", {"season_id": season_id, "day": row, "reason": "Half term"})
        touring.settle(Outcomes(rng, self.today, self.now, self.council_id))
        return rows

    def _productions_asked(self, rng: random.Random) -> list[TourProduction]:
        first, *others = self.productions
        if others and rng.random() < SECOND_PRODUCTION_SHARE:
            return [first, others[0]] if rng.random() < 0.5 else [others[0]]
        return [first]

    def _season_row(self, term: Term, season_id: int, placed: int, is_open: bool) -> dict:
        return {
            "id": season_id,
            "name": f"{term.name} tour",
            "starts_on": term.starts_on,
            "ends_on": term.ends_on,
            "request_deadline": term.request_deadline,
            "status": "open" if is_open else "published",
            "speed_kmh": SPEED_KMH,
            "road_factor": ROAD_FACTOR,
            "changeover_minutes": CHANGEOVER_MINUTES,
            "cost_pence": None if is_open else placed * COST_PER_PERFORMANCE_PENCE,
            "created_at": _at(term.request_deadline - timedelta(weeks=10)),
        }

    def _slots(self, rows: SeasonRows, season_id: int) -> list[int]:
        ids = []
        for code, starts_at in SLOTS:
            ids.append(self.ids.take("slots"))
            rows.add("slots", {"id": ids[-1], "season_id": season_id, "code": code, "starts_at": starts_at})
        for production in self.productions:
            rows.add("season_productions", {"season_id": season_id, "production_id": production.id})
        return ids

    def _casts(self, rows: SeasonRows, rng: random.Random, season_id: int, days: list[date], target: int) -> list:
        """The season's casts, as (id, indexes of the days it is on leave): enough for the target at CAST_USE."""
        count = max(1, math.ceil(target / (len(days) * SHOWS_PER_CAST_DAY * CAST_USE)))
        casts = []
        for number in range(1, count + 1):
            cast_id = self.ids.take("casts")
            rows.add("casts", {"id": cast_id, "season_id": season_id, "name": f"Cast {number}", "max_per_day": 2})
            for production in self.productions:
                rows.add("cast_productions", {"cast_id": cast_id, "production_id": production.id})
            start = rng.randrange(len(days))
            leave = set(range(start, start + 5)) if rng.random() < 0.2 else set()  # a week off
            for n, day in enumerate(days):
                if n not in leave:
                    rows.add("cast_dates", {"cast_id": cast_id, "day": day})
            casts.append((cast_id, leave))
        return casts


def _regions(schools: list[TourSchool], casts: int) -> dict[int, int]:
    """Each school's cast index: the schools cut in two across the longer side of the area they cover, each part
    again in proportion to its casts, down to one compact area per cast with about equal numbers of schools."""
    regions: dict[int, int] = {}

    def cut(group: list[TourSchool], first: int, count: int) -> None:
        if count == 1 or len(group) <= 1:
            regions.update((school.id, first) for school in group)
            return
        south, north = min(s.location[0] for s in group), max(s.location[0] for s in group)
        west, east = min(s.location[1] for s in group), max(s.location[1] for s in group)
        middle = (south + north) / 2
        axis = 0 if haversine_km(south, west, north, west) >= haversine_km(middle, west, middle, east) else 1
        ordered = sorted(group, key=lambda school: (school.location[axis], school.id))
        half = count // 2
        split = round(len(ordered) * half / count)
        cut(ordered[:split], first, half)
        cut(ordered[split:], first + half, count - half)

    cut(schools, 0, casts)
    return regions


def ready_after(first: tuple[TourSchool, TourProduction], then: TourSchool) -> int:
    """Minutes after a performance starts that its cast can start the next one, at `then` (tour-format rule 6, with
    the scheduler's own travel time)."""
    school, production = first
    if school.id == then.id:
        return production.duration_minutes
    km = haversine_km(*school.location, *then.location)
    return production.duration_minutes + CHANGEOVER_MINUTES + travel_minutes(km, ROAD_FACTOR, SPEED_KMH)


LEAVE = None  # a cast's place on a day of leave; a free place is False, a taken one (school, production)


class _Season:
    """One season being filled: its casts' free places, and the requests and performances made so far."""

    def __init__(self, tour: Tour, rows: SeasonRows, rng, term: Term, season_id: int, days, slot_ids, casts):
        self.tour, self.rows, self.rng, self.term = tour, rows, rng, term
        self.season_id, self.days, self.slot_ids = season_id, days, slot_ids
        self.casts = [cast for cast, _ in casts]
        width = len(slot_ids)
        self.held: dict[int, list] = {cast: [False] * (len(days) * width) for cast in self.casts}
        for cast, leave in casts:
            for n in leave:
                self.held[cast][n * width : (n + 1) * width] = [LEAVE] * width
        self.performances: list[tuple[dict, TourSchool, dict[int, float], TourProduction]] = []

    def request(self, school: TourSchool, production: TourProduction, region: int | None) -> int:
        """A school's request for a production; placed on its region's cast unless the season is open (None).
        Returns the performances placed."""
        rng = self.rng
        years = rng.choice(YEAR_GROUP_CHOICES)
        per_year = (school.pupils_on_roll or 900) / 6
        year_groups = {year: max(20, min(300, round(per_year * rng.uniform(0.75, 1.0)))) for year in years}
        hall = school.hall_capacity
        staff = max(2, math.ceil(min(production.audience_cap, hall or 150) / 30) - (rng.random() < 0.2))
        cap = audience_cap(hall, staff, production.audience_cap)
        withdrawn = rng.random() < WITHDRAWN_SHARE
        request_id = self.tour.ids.take("requests")
        places = [] if withdrawn or region is None else self._places(self.casts[region], (school, production),
            performances_needed(sum(year_groups.values()), cap))  # fmt: skip
        self._request_rows(request_id, school, production, year_groups, staff, withdrawn, places)
        self._performance_rows(request_id, school, production, year_groups, cap, places)
        return len(places)

    def _places(self, cast: int, show: tuple[TourSchool, TourProduction], needed: int) -> list[tuple[int, int, int]]:
        """Up to `needed` free (cast, day index, slot index) places of the cast, consecutive from a random one, each
        in time for the cast's other performances that day."""
        held, width = self.held[cast], len(self.slot_ids)
        start, found = self.rng.randrange(len(held)), []
        for offset in range(len(held)):
            position = (start + offset) % len(held)
            if held[position] is False and self._in_time(held, position, show):
                held[position] = show
                found.append((cast, position // width, position % width))
                if len(found) == needed:
                    break
        return found

    def _in_time(self, held: list, position: int, show: tuple[TourSchool, TourProduction]) -> bool:
        """Whether the cast can give `show` at this place: after its performance before it that day, and before its
        next one (rule 6 holds between consecutive performances, so the nearest on each side decide)."""
        width = len(self.slot_ids)
        day, slot = divmod(position, width)
        before = [n for n in range(slot) if held[day * width + n]]
        after = [n for n in range(slot + 1, width) if held[day * width + n]]
        if before:
            earlier = before[-1]
            if SLOT_MINUTES[earlier] + ready_after(held[day * width + earlier], show[0]) > SLOT_MINUTES[slot]:
                return False
        if after:
            later = after[0]
            return SLOT_MINUTES[slot] + ready_after(show, held[day * width + later][0]) <= SLOT_MINUTES[later]
        return True

    def _request_rows(self, request_id, school, production, year_groups, staff, withdrawn, places) -> None:
        rng, term = self.rng, self.term
        created = _at(term.request_deadline - timedelta(days=rng.randint(1, 40)), rng.randint(8, 17))
        staff_id = rng.choice(school.staff_ids) if school.staff_ids else None
        expired = season_contacts_expired(term.ends_on, self.tour.now)
        self.rows.add("requests", {
            "id": request_id, "season_id": self.season_id, "school_id": school.id, "production_id": production.id,
            "status": "withdrawn" if withdrawn else "submitted", "staff_in_hall": staff,
            "dsl_name": "Removed" if expired else f"DSL of {school.urn}",
            "dsl_email": "" if expired else f"dsl.{school.urn}@example.org",
            "dsl_phone": "" if expired else f"01632 960 {100 + int(school.urn) % 900}",
            "access_notes": "" if expired else rng.choice(ACCESS_NOTES),
            "created_by_id": staff_id or self.tour.council_id, "made_on_behalf": staff_id is None,
            "created_at": created, "updated_at": created,
            "withdrawn_at": created + timedelta(days=3) if withdrawn else None,
            "contacts_removed_at": self.tour.now if expired else None,
        })  # fmt: skip
        for year, pupils in year_groups.items():
            self.rows.add("request_year_groups", {"request_id": request_id, "year_group": year, "pupils": pupils})
        self._dates_and_slots(request_id, places)

    def _dates_and_slots(self, request_id: int, places: list[tuple[int, int, int]]) -> None:
        """The hall's free dates and slots: those of its performances, and a few more."""
        rng = self.rng
        shown = sorted({self.days[day] for _, day, _ in places})
        wanted = rng.randint(3, 10)
        extra = rng.sample(self.days, min(len(self.days), max(0, wanted - len(shown))))
        preferred = set(shown[:2]) if shown else set(sorted(extra)[:2])
        for day in sorted(set(shown) | set(extra)):
            self.rows.add("request_dates", {"request_id": request_id, "day": day, "preferred": day in preferred})
        slots = {self.slot_ids[slot] for _, _, slot in places}
        if not slots or rng.random() < 0.5:
            slots |= set(rng.sample(self.slot_ids, rng.randint(1, len(self.slot_ids))))
        for slot_id in sorted(slots):
            self.rows.add("request_slots", {"request_id": request_id, "slot_id": slot_id})

    def _performance_rows(self, request_id, school, production, year_groups, cap, places) -> None:
        total = sum(year_groups.values())
        for n, (cast, day, slot) in enumerate(sorted(places, key=lambda place: (place[1], place[2]))):
            planned = total // len(places) + (1 if n < total % len(places) else 0)
            performance = {
                "id": self.tour.ids.take("performances"), "season_id": self.season_id, "request_id": request_id,
                "school_id": school.id, "cast_id": cast, "slot_id": self.slot_ids[slot], "day": self.days[day],
                "status": "provisional", "pupils_planned": min(planned, cap), "pupils_attended": None,
                "support_requests": None, "confirm_by": self.term.confirm_by, "status_reason": "", "sequence": 0,
                "released_at": None,
                "created_at": _at(self.term.published_on), "updated_at": _at(self.term.published_on),
            }  # fmt: skip
            share = {year: pupils / total for year, pupils in year_groups.items()}
            self.performances.append((performance, school, share, production))

    def settle(self, outcomes: Outcomes) -> None:
        """What became of each performance (confirmed, declined, delivered...), with its attendance, lessons and
        questionnaire returns."""
        for performance, school, share, production in self.performances:
            outcomes.settle(self.rows, performance, school, share, production, self.tour.ids)
            self.rows.add("performances", performance)
