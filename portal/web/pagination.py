"""The GOV.UK pagination component's settings for a list shown a page at a time (portal.domain.pagination)."""

from __future__ import annotations

from flask import url_for

from portal.domain.pagination import Pages, page_numbers


def pagination(pages: Pages, endpoint: str, **arguments) -> dict | None:
    """govukPagination's parameters, with links that keep the list's search and sort; None for a single page."""
    if pages.count <= 1:
        return None

    def link(number: int) -> str:
        return url_for(endpoint, **arguments, page=number)

    items = [
        {"ellipsis": True}
        if number is None
        else {"number": number, "href": link(number), "current": number == pages.current}
        for number in page_numbers(pages.current, pages.count)
    ]
    params: dict = {"items": items, "landmarkLabel": "Pages of the list"}
    if pages.current > 1:
        params["previous"] = {"href": link(pages.current - 1)}
    if pages.current < pages.count:
        params["next"] = {"href": link(pages.current + 1)}
    return params
