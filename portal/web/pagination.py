"""The GOV.UK pagination component's settings for a list shown a page at a time (portal.domain.pagination)."""

from __future__ import annotations

from flask import url_for

from portal.domain.pagination import Pages, page_numbers


def pagination(
    pages: Pages,
    endpoint: str,
    *,
    page_argument: str = "page",
    landmark: str = "Pages of the list",
    **arguments,
) -> dict | None:
    """govukPagination's parameters, with links that keep the list's search and sort; None for a single page. A page
    with two lists names the second one's page number and landmark otherwise."""
    if pages.count <= 1:
        return None

    def link(number: int) -> str:
        return url_for(endpoint, **arguments, **{page_argument: number})

    items = [
        {"ellipsis": True}
        if number is None
        else {"number": number, "href": link(number), "current": number == pages.current}
        for number in page_numbers(pages.current, pages.count)
    ]
    params: dict = {"items": items, "landmarkLabel": landmark}
    if pages.current > 1:
        params["previous"] = {"href": link(pages.current - 1)}
    if pages.current < pages.count:
        params["next"] = {"href": link(pages.current + 1)}
    return params
