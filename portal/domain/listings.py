"""What a person asks of a long list through its address (search text, sort, page), read so that no input can make
the list fail or slow: the search is bounded, an unknown sort means the default, any page number means a page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from portal.domain.numbers import is_ascii_digits
from portal.domain.pagination import Pages

# Longer than any school's name or e-mail address a person would type; a search past it is cut, never refused.
MAX_SEARCH = 100
# More pages than any list will have: a longer number means "the last page" without a giant integer.
MAX_PAGE = 1_000_000

Row = TypeVar("Row")


def search_text(raw: str | None) -> str:
    """The words typed in a list's search box: NULs dropped (PostgreSQL refuses them), spaces squeezed, at most
    MAX_SEARCH characters."""
    return " ".join((raw or "").replace("\x00", "").split())[:MAX_SEARCH].strip()


def sort_key(raw: str | None, sorts: Mapping[str, str], default: str) -> str:
    """The sort asked for if the list has it, otherwise its default."""
    return raw if raw is not None and raw in sorts else default


def page_number(raw: str | None) -> int:
    """The page asked for: 1 for anything that is not a whole number, MAX_PAGE (past the last page) for a huge one."""
    text = (raw or "").strip()
    if not is_ascii_digits(text):
        return 1
    return MAX_PAGE if len(text) > len(str(MAX_PAGE)) else min(int(text), MAX_PAGE)


@dataclass(frozen=True)
class ListQuery:
    """What the address asks of a list, as typed: each list reads it through search_text and sort_key."""

    search: str = ""
    sort: str = ""
    page: int = 1
    size: int = 50

    def searched_for(self) -> str:
        return search_text(self.search)

    def sorted_by(self, sorts: Mapping[str, str], default: str) -> str:
        return sort_key(self.sort, sorts, default)


@dataclass(frozen=True)
class Listing(Generic[Row]):
    """One page of a list, with the search and sort that made it (as used, after the fallbacks above)."""

    rows: Sequence[Row]
    pages: Pages
    search: str
    sort: str
    sorts: Mapping[str, str]

    @property
    def sort_label(self) -> str:
        return self.sorts[self.sort]
