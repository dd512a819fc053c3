"""Status tags (GOV.UK's tag component) as Python, not Jinja macros: lists draw one on every row, and a macro call
costs a page of fifty rows several milliseconds."""

from __future__ import annotations

from enum import Enum
from typing import Any

from flask import Flask
from markupsafe import Markup, escape

TAG_COLOURS = {
    "submitted": "blue",
    "allocated": "yellow",
    "withdrawn": "grey",
    "provisional": "yellow",
    "confirmed": "green",
    "declined": "grey",
    "cancelled": "red",
    "delivered": "purple",
}


def tag(text: str, colour: str) -> Markup:
    # An f-string of escaped parts, not Markup.format, whose formatter runs in Python at ten times the cost.
    return Markup(f'<strong class="govuk-tag govuk-tag--{escape(colour)}">{escape(text)}</strong>')  # noqa: S704


def status_tag(status: Enum) -> Markup:
    """A request's or performance's status, coloured by what it means."""
    return tag(str(status.value).capitalize(), TAG_COLOURS.get(status.value, "grey"))


def performance_tag(performance: Any) -> Markup:
    """A performance's status: one released for want of confirmation is not shown as the school's decline."""
    if performance.released_at:
        return tag(performance.status_label, "orange")
    return status_tag(performance.status)


def register_tags(app: Flask) -> None:
    for function in (tag, status_tag, performance_tag):
        app.jinja_env.globals[function.__name__] = function
