"""Numbers typed by people, read strictly: the ASCII digits 0 to 9 and nothing else.

Python's own readers accept far more. The regex `\\d`, `str.isdecimal()` and `int()` take any script's decimal
digits (Arabic-Indic ١٢, full-width １２), and `str.isdigit()` also takes superscripts like ², which `int()` then
refuses with an error nobody expected. `float()` adds underscores, "nan" and "infinity". User text is read here.
"""

from __future__ import annotations

import re
from typing import TypeGuard

ASCII_DIGITS = re.compile(r"[0-9]+")
ASCII_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def is_ascii_digits(text: object) -> TypeGuard[str]:
    """Whether text is one or more of the digits 0 to 9, and nothing else."""
    return isinstance(text, str) and ASCII_DIGITS.fullmatch(text) is not None


def whole_number(value: object) -> int:
    """An int given as one, or as a string of the digits 0 to 9; ValueError for anything else.

    Works as a WTForms `coerce=` and a werkzeug `type=`: both turn the ValueError into "not a valid choice" or None.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if is_ascii_digits(value):
        return int(value)
    raise ValueError(f"not a whole number in the digits 0 to 9: {value!r}")


def decimal_number(text: str) -> float:
    """A number like 52.05 or -1.3 written in the digits 0 to 9; ValueError for anything else (no nan, no 1e9)."""
    if not isinstance(text, str) or ASCII_DECIMAL.fullmatch(text) is None:
        raise ValueError(f"not a decimal number in the digits 0 to 9: {text!r}")
    return float(text)
