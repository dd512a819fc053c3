"""Long lists read a page at a time in SQL: the count and the page are two queries, however long the list, and a
search is a bounded, escaped LIKE (a % or _ typed is a character, never a wildcard)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute

from portal.domain.listings import ListQuery
from portal.domain.pagination import Pages
from portal.extensions import db


def containing(column: InstrumentedAttribute[str], term: str) -> ColumnElement[bool]:
    """The column holds the term, in any case."""
    return func.lower(column).contains(term.lower(), autoescape=True)


def starting(column: InstrumentedAttribute[str], term: str) -> ColumnElement[bool]:
    """The column starts with the term, in any case (a prefix, for codes such as URNs and postcodes)."""
    return func.lower(column).startswith(term.lower(), autoescape=True)


def _page(query: Select, asked: ListQuery, order: tuple, options: tuple) -> tuple[Select, Pages]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = Pages(asked.page, asked.size, total)
    return query.options(*options).order_by(*order).limit(pages.size).offset(pages.offset), pages


def page_of(query: Select, asked: ListQuery, *order: Any, options: tuple = ()) -> tuple[list[Any], Pages]:
    """The page asked for of the records the query selects, in `order` (which must end in a unique column, so that
    pages never overlap), with the loader `options` each row needs; a page past the end is the last one."""
    page, pages = _page(query, asked, order, options)
    return list(db.session.scalars(page).unique()), pages


def page_of_rows(query: Select, asked: ListQuery, *order: Any) -> tuple[list[Row], Pages]:
    """As page_of, for a query of several columns: each row a tuple of them."""
    page, pages = _page(query, asked, order, ())
    return list(db.session.execute(page).all()), pages
