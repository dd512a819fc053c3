"""A school's postal address as a cast needs it on the road: every line once, the town and postcode included."""

from __future__ import annotations

import re


def address_lines(address: str, town: str, postcode: str) -> list[str]:
    """The school's own address lines (split at commas and line breaks), then its town and postcode unless the
    address already gives them."""
    lines = [line.strip() for line in re.split(r"[,\n]", address or "") if line.strip()]
    given = " ".join(lines).casefold()
    for extra in (town, postcode):
        if extra and extra.strip().casefold() not in given:
            lines.append(extra.strip())
    return lines
