"""The reach tables as CSV rows, aggregates only: no contact details ever leave in an export.

Each export reads (or computes and caches) only the figures its own table needs, before the first row is sent, and
then yields its rows one at a time: the schools' names come from a query read in batches as the rows are written, so
the CSV of every school is sent as it is made, in constant memory beside the cached figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from sqlalchemy import select

from portal.domain.pipeline import STEPS
from portal.domain.reach import Figures, Period
from portal.extensions import db
from portal.models import School
from portal.services import reach
from portal.services.training_exports import TRAINING_EXPORTS

Table = tuple[list[str], Iterator[list]]
SPLIT = ["seen_drama", "discussed_in_class", "planned"]
EVALUATION = [
    "returns",
    "respondents",
    "confident_before",
    "confident_after",
    "know_help_before",
    "know_help_after",
    "staff_rating",
]
BATCH = 500


def _values(figures: Figures) -> list[int]:
    return [figures.seen_drama, figures.discussed_in_class, figures.planned]


def _named(wanted: dict[int, list], *order) -> Iterator[list]:
    """[urn, name, district, *values] for each school in `wanted` (id -> values), in `order`, read in batches."""
    query = select(School.id, School.urn, School.name, School.district).order_by(*order)
    for id_, urn, name, district in db.session.execute(query.execution_options(yield_per=BATCH)):
        if id_ in wanted:
            yield [urn, name, district, *wanted[id_]]


def totals(period: Period, today: date) -> Table:
    figures = reach.programme_reach(period, today)
    row = [figures.target, *_values(figures.totals), figures.schools_reached, figures.schools_total]
    header = ["target", *SPLIT, "schools_reached", "schools_total", "provisional"]
    return header, iter([[*row, figures.provisional]])


def districts(period: Period, today: date) -> Table:
    by_district = reach.programme_reach(period, today).by_district
    return ["district", *SPLIT], ([name, *_values(f)] for name, f in by_district.items())


def schools(period: Period, today: date) -> Table:
    by_school = reach.programme_reach(period, today).by_school
    wanted = {id_: _values(figures) for id_, figures in by_school.items()}
    return ["urn", "school", "district", *SPLIT], _named(wanted, School.id)


def year_groups(period: Period, today: date) -> Table:
    by_year = reach.programme_reach(period, today).by_year_group
    rows = ([year, f.seen_drama, f.discussed_in_class] for year, f in by_year.items())
    return ["year_group", "seen_drama", "discussed_in_class"], rows


def months(period: Period, today: date) -> Table:
    by_month = reach.programme_reach(period, today).by_month
    return ["month", *SPLIT], ([month, *_values(f)] for month, f in by_month.items())


def not_reached(period: Period, today: date) -> Table:
    entries = reach.schools_not_reached(period)
    return ["urn", "school", "district", "priority"], ([s.urn, s.name, s.district, s.priority] for s in entries)


def evaluation(period: Period, today: date) -> Table:
    summary = reach.evaluation_summary(period)

    def rows() -> Iterator[list]:
        yield ["overall", "", *[summary["overall"][name] for name in EVALUATION]]
        for level, table in (("district", summary["by_district"]), ("school", summary["by_school"])):
            for where, figures in table.items():
                yield [level, where, *[figures[name] for name in EVALUATION]]

    return ["level", "name", *EVALUATION], rows()


def pipeline_districts(period: Period, today: date) -> Table:
    by_district = reach.programme_pipeline(period, today).by_district
    return ["district", *STEPS], ([name, *steps.values()] for name, steps in by_district.items())


def pipeline_schools(period: Period, today: date) -> Table:
    by_school = reach.programme_pipeline(period, today).by_school
    wanted = {id_: steps.values() for id_, steps in by_school.items()}
    return ["urn", "school", "district", *STEPS], _named(wanted, School.name, School.id)


EXPORTS: dict[str, Callable[[Period, date], Table]] = {
    "totals": totals,
    "districts": districts,
    "schools": schools,
    "year-groups": year_groups,
    "months": months,
    "not-reached": not_reached,
    "evaluation": evaluation,
    "pipeline-districts": pipeline_districts,
    "pipeline-schools": pipeline_schools,
    **TRAINING_EXPORTS,
}
