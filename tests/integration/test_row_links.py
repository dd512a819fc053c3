"""RowLink builds a list's per-row addresses with one url_for call: each must be what url_for itself gives."""

from __future__ import annotations

from datetime import date

import pytest
from flask import url_for

from portal.web.row_links import RowLink


@pytest.mark.parametrize(
    ("endpoint", "per_row", "fixed", "rows"),
    [
        ("company.performance_detail", ("performance_id",), {}, [(1,), (42,), (2_147_483_647,)]),
        ("council.performance_detail", ("performance_id",), {}, [(7,), (1000,)]),
        (
            "company.day_sheet",
            ("cast_id", "day"),
            {"season_id": 12},
            [(3, "2026-11-30"), (110, date(2027, 1, 4).isoformat())],
        ),
        ("company.day_sheet", ("day", "cast_id"), {"season_id": 3}, [("2027-01-04", 8)]),  # not in the rule's order
        ("council.school_detail", ("school_id",), {"tab": "requests"}, [(5,), (99,)]),  # a fixed query value
    ],
)
def test_each_rows_address_is_the_one_url_for_gives(app, endpoint, per_row, fixed, rows):
    with app.test_request_context():
        link = RowLink(endpoint, per_row, **fixed)
        assert link.pieces is not None
        for values in rows:
            assert link(*values) == url_for(endpoint, **fixed, **dict(zip(per_row, values, strict=True)))


def test_a_value_that_needs_quoting_is_quoted_as_url_for_quotes_it(app):
    with app.test_request_context():
        link = RowLink("company.day_sheet", ("day",), season_id=1, cast_id=2)
        assert link("a b/c") == url_for("company.day_sheet", season_id=1, cast_id=2, day="a b/c")


def test_a_per_row_value_in_the_query_string_is_left_to_url_for(app):
    with app.test_request_context():
        link = RowLink("council.school_detail", ("tab",), school_id=5)
        assert link.pieces is None
        assert link("a b&c") == url_for("council.school_detail", school_id=5, tab="a b&c")
