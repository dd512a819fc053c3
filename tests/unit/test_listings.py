"""What a long list reads from its address: search text, sort and page, whatever was typed."""

from __future__ import annotations

import pytest

from portal.domain.listings import MAX_PAGE, MAX_SEARCH, page_number, search_text, sort_key

SORTS = {"name": "Name (A to Z)", "newest": "Newest first"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  Cedar   School ", "Cedar School"),
        ("a\x00b", "ab"),
        ("x" * 5000, "x" * MAX_SEARCH),
        ("100%_", "100%_"),  # wildcards are escaped by the query, not dropped here
    ],
)
def test_search_text_is_trimmed_squeezed_and_bounded(raw, expected):
    assert search_text(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("newest", "newest"), ("made-up", "name"), ("", "name"), (None, "name")])
def test_an_unknown_sort_is_the_default(raw, expected):
    assert sort_key(raw, SORTS, "name") == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 1),
        ("", 1),
        ("3", 3),
        (" 3 ", 3),
        ("0", 0),  # Pages shows page 1 for it
        ("-2", 1),
        ("abc", 1),
        ("1.5", 1),
        ("1e3", 1),
        ("٣", 1),  # an Arabic-Indic three is not an ASCII digit
        ("9" * 5000, MAX_PAGE),  # no 5,000-digit integer is ever made
        (str(MAX_PAGE + 1), MAX_PAGE),
    ],
)
def test_any_page_number_is_a_page(raw, expected):
    assert page_number(raw) == expected
