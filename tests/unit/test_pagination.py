"""Long lists a page at a time: the page shown and the page numbers linked (GOV.UK pagination)."""

import pytest

from portal.domain.pagination import Pages, page_numbers


def test_a_page_out_of_range_is_the_nearest_one():
    assert Pages(0, 50, 120).current == 1
    assert Pages(9, 50, 120).current == 3
    assert Pages(1, 50, 0).count == 1
    page = Pages(2, 50, 120)
    assert (page.offset, page.first_item, page.last_item) == (50, 51, 100)
    assert (Pages(3, 50, 120).first_item, Pages(3, 50, 120).last_item) == (101, 120)


@pytest.mark.parametrize(
    "current, count, numbers",
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, None, 10]),
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (10, 10, [1, None, 9, 10]),
        (3, 10, [1, 2, 3, 4, None, 10]),
    ],
)
def test_the_first_the_last_and_the_neighbours_are_linked(current, count, numbers):
    assert page_numbers(current, count) == numbers
