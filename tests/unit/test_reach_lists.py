"""Reach tables of schools a page at a time (portal.domain.reach_lists) and CSV written in pieces."""

from __future__ import annotations

from portal.domain.csv_files import csv_bytes, csv_stream
from portal.domain.listings import ListQuery
from portal.domain.reach import Figures
from portal.domain.reach_lists import FIGURE_KEYS, FIGURE_SORTS, SchoolFigures, page_rows

SCHOOLS = [
    (1, "100001", "Oak", "Cherwell", "Banbury", 1),
    (2, "100002", "ash", "Oxford", "Oxford", 3),
    (3, "100003", "Oak", "Cherwell", "Bicester", 2),
    (4, "100004", "Birch", "Cherwell", "Banbury", 1),
]
PAIRS = [(school, Figures(seen, 0, 0)) for school, seen in zip(SCHOOLS, [50, 70, 50, 10], strict=True)]


def shown(sort: str, size: int = 3) -> list[int]:
    ids = []
    for page in range(1, 5):
        listing = page_rows(
            PAIRS, ListQuery(sort=sort, page=page, size=size), FIGURE_SORTS, FIGURE_KEYS, "seen", SchoolFigures
        )
        ids += [row.school.id for row in listing.rows] if listing.pages.current == page else []
    return ids


def test_figures_sort_most_first_and_names_settle_ties():
    assert shown("seen") == [2, 1, 3, 4]
    assert shown("name") == [2, 4, 1, 3]  # in any case; the URN settles two schools of one name
    assert shown("district") == [4, 1, 3, 2]


def test_an_unknown_sort_is_the_default_and_a_page_past_the_end_is_the_last():
    listing = page_rows(
        PAIRS, ListQuery(sort="x" * 500, page=99, size=3), FIGURE_SORTS, FIGURE_KEYS, "seen", SchoolFigures
    )
    assert listing.sort == "seen" and listing.pages.current == 2
    assert [row.school.id for row in listing.rows] == [4]


def test_a_csv_written_in_pieces_is_the_same_file_with_formulas_defused():
    rows = [[n, f"=HYPERLINK({n})", "-3"] for n in range(1234)]
    pieces = list(csv_stream(["n", "name", "value"], iter(rows), batch=100))
    assert len(pieces) == 13
    assert b"".join(pieces) == csv_bytes(["n", "name", "value"], rows)
    assert b"'=HYPERLINK(7)" in pieces[0]
