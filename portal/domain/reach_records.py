"""Reach figures as plain JSON values and back, so that computed figures can be kept and served again unchanged.

JSON object keys are strings: the integer keys (school ids, year groups) are written as text and read back as
integers, and every breakdown keeps its order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from portal.domain.pipeline import Pipeline, Steps
from portal.domain.reach import Figures, Reach


@dataclass(frozen=True)
class SchoolEntry:
    """A school as the reach tables list it: no contact details."""

    id: int
    urn: str
    name: str
    district: str
    priority: int


def _figures(table: dict[Any, Figures]) -> list[list]:
    return [[key, item.seen_drama, item.discussed_in_class, item.planned] for key, item in table.items()]


def _read_figures(rows: list[list], key_type: type) -> dict:
    return {key_type(key): Figures(seen, discussed, planned) for key, seen, discussed, planned in rows}


def reach_to_json(reach: Reach) -> dict:
    return {
        "target": reach.target,
        "totals": asdict(reach.totals),
        "schools_reached": reach.schools_reached,
        "schools_total": reach.schools_total,
        "provisional": reach.provisional,
        "by_district": _figures(reach.by_district),
        "by_school": _figures(reach.by_school),
        "by_year_group": _figures(reach.by_year_group),
        "by_month": _figures(reach.by_month),
    }


def reach_from_json(value: dict) -> Reach:
    return Reach(
        target=value["target"],
        totals=Figures(**value["totals"]),
        schools_reached=value["schools_reached"],
        schools_total=value["schools_total"],
        provisional=value["provisional"],
        by_district=_read_figures(value["by_district"], str),
        by_school=_read_figures(value["by_school"], int),
        by_year_group=_read_figures(value["by_year_group"], int),
        by_month=_read_figures(value["by_month"], str),
    )


def pipeline_to_json(pipeline: Pipeline) -> dict:
    return {
        "totals": pipeline.totals.values(),
        "by_district": [[key, *steps.values()] for key, steps in pipeline.by_district.items()],
        "by_school": [[key, *steps.values()] for key, steps in pipeline.by_school.items()],
    }


def pipeline_from_json(value: dict) -> Pipeline:
    return Pipeline(
        totals=Steps(*value["totals"]),
        by_district={key: Steps(*steps) for key, *steps in value["by_district"]},
        by_school={int(key): Steps(*steps) for key, *steps in value["by_school"]},
    )


def schools_to_json(schools: list[SchoolEntry]) -> list[list]:
    return [[school.id, school.urn, school.name, school.district, school.priority] for school in schools]


def schools_from_json(value: list[list]) -> list[SchoolEntry]:
    return [SchoolEntry(*row) for row in value]
