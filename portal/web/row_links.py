"""Addresses of one endpoint for every row of a list, built with one url_for call instead of one per row."""

from __future__ import annotations

from urllib.parse import quote

from flask import url_for

# What a path value may keep unquoted: werkzeug's BaseConverter.to_url, which url_for uses for the path's values.
PATH_SAFE = "!$&'()*+,/:;=@"

# Stand-ins for the values that change from row to row: numbers, so that an <int:...> rule accepts them (within the
# 32-bit ids it allows), and long enough never to be part of an address by chance.
STAND_IN = 2_147_480_000


class RowLink:
    """An endpoint's address with some values fixed and the rest given per row: url_for once, with a stand-in for each
    per-row value, then each row's values put in their places. url_for matches the endpoint's rule and its defaults on
    every call; a schedule of fifty rows with two links each spent a fifth of its time there."""

    def __init__(self, endpoint: str, per_row: tuple[str, ...], **fixed: object) -> None:
        self.endpoint, self.per_row, self.fixed = endpoint, per_row, fixed
        stand_ins = {name: STAND_IN + n for n, name in enumerate(per_row)}
        address = url_for(endpoint, **fixed, **stand_ins)
        self.pieces: list[str] | None = None
        self.order: list[int] = []  # which of a row's values comes first in the address, second, ...
        path = address.split("?")[0]  # a query string quotes its values another way: such links ask url_for per row
        if all(address.count(str(stand_in)) == 1 and str(stand_in) in path for stand_in in stand_ins.values()):
            pieces, rest = [], address
            for n, stand_in in sorted(enumerate(stand_ins.values()), key=lambda item: address.index(str(item[1]))):
                before, rest = rest.split(str(stand_in))
                pieces.append(before)
                self.order.append(n)
            self.pieces = [*pieces, rest]

    def __call__(self, *values: object) -> str:
        """The address for this row's values, in the order per_row names them."""
        if self.pieces is None:
            return url_for(self.endpoint, **self.fixed, **dict(zip(self.per_row, values, strict=True)))
        parts = [self.pieces[0]]
        for n, piece in zip(self.order, self.pieces[1:], strict=True):
            parts += [quote(str(values[n]), safe=PATH_SAFE), piece]
        return "".join(parts)
