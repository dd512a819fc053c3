"""A made-up national schools directory in the shape of the Department for Education's GIAS extract.

The national data set (portal.services.national_data) starts from this file and imports it through the real
directory import, as an installation imports the GIAS download. Places are real English local authorities, districts
and towns (portal/data/england-places.csv: rough centres and a weight for how many schools each has); the schools,
their names, URNs, postcodes and numbers of pupils are invented. Like a real extract, the file also holds
establishments the portal does not serve (primary, closed, sixth-form and middle schools), which the import passes
over, and a few open schools without a location or a number of pupils, which it imports with a warning.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from functools import cache

# GIAS's columns in its order (a real extract has many more; the import reads these by name).
GIAS_HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "NumberOfPupils",
    "Street",
    "Town",
    "Postcode",
    "TelephoneNum",
    "DistrictAdministrative (name)",
    "Easting",
    "Northing",
]
# Establishments the import passes over, per school it keeps: (phase, status, low age, high age, share).
PASSED_OVER = (
    ("Primary", "Open", 4, 11, 0.25),
    ("Secondary", "Closed", 11, 16, 0.03),
    ("16 plus", "Open", 16, 19, 0.03),
    ("Middle deemed secondary", "Open", 9, 13, 0.02),
)
NO_LOCATION_SHARE = 0.002  # new schools GIAS has no Easting and Northing for yet
NO_PUPILS_SHARE = 0.003
KM_PER_DEGREE_LATITUDE = 111.2

NAME_WORDS = (
    "Kestrel Ash Beech Birch Cedar Elm Hawthorn Hazel Holly Larch Linden Maple Oak Rowan Willow Yew Heron Kingfisher "
    "Lapwing Merlin Osprey Skylark Swift Wren Falcon Brook Meadow Castle Priory Abbey Hillside Riverside Parkside "
    "Fairfield Westfield Eastbrook Northgate Southlands Highcliffe Greenacre Longmoor Redhill Stonebridge Marlowe "
    "Brunel Darwin Faraday Newton Seacole Brontë Attenborough Turing Franklin Hepworth Lovelace Elgar Austen"
)
KINDS = ("Academy", "School", "High School", "College", "Community School", "Secondary School", "Grammar School")
SAINTS = ("Aidan", "Bede", "Cuthbert", "Hilda", "Mary", "Thomas More", "John Fisher", "Edmund", "Wilfrid", "Anne")
FAITHS = ("Catholic", "Church of England", "Catholic and Church of England")
TYPES = ("Academy converter", "Academy sponsor led", "Community school", "Foundation school", "Voluntary aided school")
STREETS = ("School Lane", "Station Road", "Church Street", "Park Road", "Mill Lane", "High Street", "Green Lane")


@dataclass(frozen=True)
class Place:
    """A district of a local authority, with a rough centre and a weight for how many schools it has."""

    la_name: str
    district: str
    town: str
    postcode_area: str
    latitude: float
    longitude: float
    weight: float
    spread_km: float


def read_places(text: str) -> list[Place]:
    rows = csv.DictReader(io.StringIO(text))
    return [
        Place(
            row["la_name"],
            row["district"],
            row["town"],
            row["postcode_area"],
            float(row["latitude"]),
            float(row["longitude"]),
            float(row["weight"]),
            float(row["spread_km"]),
        )
        for row in rows
    ]


@cache
def _wgs84_to_national_grid():
    from pyproj import Transformer  # as portal.domain.gias: only the directory files need PROJ

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def national_grid(latitude: float, longitude: float) -> tuple[int, int]:
    """WGS84 latitude and longitude as British National Grid easting and northing, whole metres (as GIAS has them)."""
    easting, northing = _wgs84_to_national_grid().transform(longitude, latitude)
    return round(easting), round(northing)


def _near(rng: random.Random, place: Place) -> tuple[float, float]:
    """A point around the place's centre, most within its spread."""
    distance = min(abs(rng.gauss(0, place.spread_km)), 2 * place.spread_km)
    bearing = rng.uniform(0, 2 * math.pi)
    latitude = place.latitude + distance * math.cos(bearing) / KM_PER_DEGREE_LATITUDE
    longitude = place.longitude + distance * math.sin(bearing) / (
        KM_PER_DEGREE_LATITUDE * math.cos(math.radians(place.latitude))
    )
    return latitude, longitude


def _school_name(rng: random.Random, place: Place) -> str:
    pattern, words = rng.random(), NAME_WORDS.split()
    if pattern < 0.12:
        # A curly apostrophe: Windows-1252 has it (0x92), so the file must be read in its own encoding.
        return f"St {rng.choice(SAINTS)}\u2019s {rng.choice(FAITHS)} {rng.choice(('School', 'High School', 'College'))}"
    if pattern < 0.3:
        return f"{place.town} {rng.choice(KINDS)}"
    if pattern < 0.4:
        return f"The {rng.choice(words)} {rng.choice(KINDS)}"
    return f"{rng.choice(words)} {rng.choice(KINDS)}"


def _postcode(rng: random.Random, place: Place) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{place.postcode_area}{rng.randint(1, 29)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _row(rng: random.Random, urn: int, place: Place, la_codes: dict[str, int], kind: tuple) -> dict[str, str]:
    phase, status, low, high = kind
    latitude, longitude = _near(rng, place)
    easting, northing = national_grid(latitude, longitude)
    pupils = max(150, round(rng.lognormvariate(math.log(1000), 0.35))) if phase != "Primary" else rng.randint(90, 630)
    if phase == "All-through":
        pupils += rng.randint(300, 700)
    return {
        "URN": str(urn),
        "LA (code)": str(la_codes[place.la_name]),
        "LA (name)": place.la_name,
        "EstablishmentNumber": str(4000 + urn % 1000),
        "EstablishmentName": _school_name(rng, place)
        if phase != "Primary"
        else f"{rng.choice(NAME_WORDS.split())} Primary",
        "TypeOfEstablishment (name)": rng.choice(TYPES),
        "EstablishmentStatus (name)": status,
        "PhaseOfEducation (name)": phase,
        "StatutoryLowAge": str(low),
        "StatutoryHighAge": str(high),
        "NumberOfPupils": str(pupils),
        "Street": rng.choice(STREETS),
        "Town": place.town,
        "Postcode": _postcode(rng, place),
        # Ofcom's range kept for drama; from the URN, so the random draws (and the data set) stay as they were.
        "TelephoneNum": f"01632960{urn % 1000:03d}",
        "DistrictAdministrative (name)": place.district,
        "Easting": str(easting),
        "Northing": str(northing),
    }


def _kinds(rng: random.Random, schools: int) -> list[tuple[str, str, int, int]]:
    """Each establishment's phase, status and ages: `schools` the portal keeps, then the others, shuffled."""
    kept = []
    for _ in range(schools):
        all_through = rng.random() < 0.05
        kept.append(("All-through", "Open", 4, 18) if all_through else ("Secondary", "Open", 11, rng.choice((16, 18))))
    others = [kind[:4] for kind in PASSED_OVER for _ in range(round(schools * kind[4]))]
    kinds = kept + others
    rng.shuffle(kinds)
    return kinds


def national_directory(places: list[Place], schools: int, seed: int) -> list[dict[str, str]]:
    """GIAS rows of `schools` open secondary schools over England (in proportion to the places' weights) and of the
    establishments a real extract also holds; deterministic for a seed."""
    rng = random.Random(seed)
    la_codes: dict[str, int] = {}
    for place in places:
        la_codes.setdefault(place.la_name, 800 + len(la_codes))
    kinds = _kinds(rng, schools)
    urns = rng.sample(range(100_000, 100_000 + 40 * len(kinds)), len(kinds))
    weights = [place.weight for place in places]
    rows = []
    for urn, kind in zip(urns, kinds, strict=True):
        row = _row(rng, urn, rng.choices(places, weights=weights)[0], la_codes, kind)
        if kind[0] != "Primary" and rng.random() < NO_LOCATION_SHARE:
            row["Easting"] = row["Northing"] = ""
        elif kind[0] != "Primary" and rng.random() < NO_PUPILS_SHARE:
            row["NumberOfPupils"] = ""
        rows.append(row)
    return rows


def gias_extract(rows: list[dict[str, str]]) -> bytes:
    """The rows as GIAS publishes its extract: Windows-1252, every value quoted, CRLF line ends."""
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=GIAS_HEADER, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("cp1252")
