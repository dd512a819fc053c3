"""Long lists read a page at a time in SQL: the count and the page are two queries, however long the list, and a
search is a bounded, escaped LIKE (a % or _ typed is a character, never a wildcard)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, inspect, select
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from portal.domain.listings import ListQuery
from portal.domain.pagination import Pages
from portal.extensions import db


def containing(column: InstrumentedAttribute[str], term: str) -> ColumnElement[bool]:
    """The column holds the term, in any case."""
    return func.lower(column).contains(term.lower(), autoescape=True)


def starting(column: InstrumentedAttribute[str], term: str) -> ColumnElement[bool]:
    """The column starts with the term, in any case (a prefix, for codes such as URNs and postcodes)."""
    return func.lower(column).startswith(term.lower(), autoescape=True)


def page_of(
    query: Select,
    asked: ListQuery,
    *order: Any,
    joins: tuple = (),
    options: tuple = (),
    columns: tuple = (),
    columns_joined: Callable[[Select], Select] | None = None,
) -> tuple[list[Any], Pages]:
    """The page asked for of the records the query selects, in `order` (which must end in a unique column, so that
    pages never overlap), with the loader `options` each row needs; a page past the end is the last one. Given
    `columns` (the primary key first), each record is a plain row of those columns instead of an ORM object (a page
    of fifty objects costs more to load than to draw), read through `columns_joined` when they come from other tables.

    Three statements however long the list: the count (without the `joins` only the order needs), the page's ids
    (sorting only the sort keys and ids: a deep page of 100,000 performances would otherwise sort every joined
    school's columns too), then the page's rows by id. A page in the list's second half is read from its end, in
    the reverse order: the last page costs what the first does (an index read backwards, or the top few of a sort),
    where an offset of 99,950 would sort and skip every row before it. The first page is counted only when it is
    full (_first_page)."""
    entity = query.column_descriptions[0]["entity"]
    key = inspect(entity).primary_key[0]
    page_ids = query.with_only_columns(key, maintain_column_froms=True)
    for target in joins:
        page_ids = page_ids.join(target)

    def count() -> int:
        return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0

    first = _first_page(asked, lambda: list(db.session.scalars(page_ids.order_by(*order).limit(asked.size))), count)
    if first is not None:
        ids, pages = first
    else:
        pages = Pages(asked.page, asked.size, count())
        ids = _page_ids(page_ids, pages, order)
    if not ids:
        return [], pages
    if columns:
        rows_of_columns = select(*columns).select_from(entity)
        rows_of_columns = columns_joined(rows_of_columns) if columns_joined else rows_of_columns
        found = {row[0]: row for row in db.session.execute(rows_of_columns.where(key.in_(ids)))}
    else:
        rows = db.session.scalars(select(entity).where(key.in_(ids)).options(*options)).unique()
        found = {getattr(row, key.key): row for row in rows}
    return [found[id_] for id_ in ids], pages


def _first_page(
    asked: ListQuery, read_first: Callable[[], list[Any]], count: Callable[[], int]
) -> tuple[list[Any], Pages] | None:
    """The first page and its Pages when the first page is asked for (None for another): the list is counted only
    when the page is full. Most lists of a county, and of one school or cast, are shorter than a page."""
    if asked.page > 1:
        return None
    rows = read_first()
    return rows, Pages(1, asked.size, len(rows) if len(rows) < asked.size else count())


def _page_ids(page_ids: Select, pages: Pages, order: tuple) -> list[Any]:
    """The ids on the page, read from whichever end of the list is nearer (order ends in a unique column, so the
    reverse order is exactly the list backwards)."""
    shown = pages.last_item - pages.offset
    from_end = pages.total - pages.last_item
    if from_end >= pages.offset or shown <= 0:
        return list(db.session.scalars(page_ids.order_by(*order).limit(pages.size).offset(pages.offset)))
    backwards = page_ids.order_by(*(reverse(expression) for expression in order)).limit(shown).offset(from_end)
    return list(db.session.scalars(backwards))[::-1]


def reverse(expression: Any) -> ColumnElement:
    """The sort key the other way round: ascending for descending and the reverse. Each database puts NULLs at the
    opposite end when the direction turns (first and last swap on PostgreSQL; smallest stays smallest on SQLite),
    so the reversed order is the exact reverse."""
    clause = expression.__clause_element__() if hasattr(expression, "__clause_element__") else expression
    if isinstance(clause, UnaryExpression) and clause.modifier is operators.desc_op:
        return clause.element.asc()
    if isinstance(clause, UnaryExpression) and clause.modifier is operators.asc_op:
        return clause.element.desc()
    return clause.desc()


def page_of_rows(
    query: Select, asked: ListQuery, *order: Any, counted: Select | None = None
) -> tuple[list[Row], Pages]:
    """As page_of, for a query of several columns: each row a tuple of them. `counted`, when given, selects the same
    rows without the joins that only bring columns (an inner join on a required key drops no row): counting a
    national week of the schedule through its joins to schools, casts and slots took ten times as long."""

    def count() -> int:
        counting = (query if counted is None else counted).order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(counting)) or 0

    first = _first_page(asked, lambda: list(db.session.execute(query.order_by(*order).limit(asked.size)).all()), count)
    if first is not None:
        return first
    pages = Pages(asked.page, asked.size, count())
    return list(db.session.execute(query.order_by(*order).limit(pages.size).offset(pages.offset)).all()), pages
