"""Long lists shown a page at a time: which page, and which page numbers the GOV.UK pagination component shows."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Pages:
    """Page `number` (from 1) of a list of `total` items, `size` to a page; a page out of range means the nearest."""

    number: int
    size: int
    total: int

    @property
    def count(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def current(self) -> int:
        return min(max(1, self.number), self.count)

    @property
    def offset(self) -> int:
        return (self.current - 1) * self.size

    @property
    def first_item(self) -> int:
        return min(self.offset + 1, self.total)

    @property
    def last_item(self) -> int:
        return min(self.offset + self.size, self.total)


def page_numbers(current: int, count: int) -> list[int | None]:
    """The page numbers to link to, None for a gap (an ellipsis): the first, the last, and those beside the current.

    GOV.UK's pagination guidance: 1 … 4 5 6 … 10."""
    shown = sorted({1, count, current - 1, current, current + 1} & set(range(1, count + 1)))
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers
