"""GOV.UK components and form widgets drawn once per worker for the same parameters.

A component's HTML depends on nothing but its parameters. The request form draws a box of day checkboxes for every
week of the season, the same boxes for every school asking in that season, at about a millisecond a box, and every
form field goes through Flask's whole render_template: drawn once, each is then a look-up. The cache is bounded, so
parameters that never repeat (a form sent back with what someone typed) cost only the look-up that misses.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

MOST_ENTRIES = 1024

_drawn: OrderedDict[Hashable, Markup] = OrderedDict()
_lock = threading.Lock()


def parameters_key(value: Any) -> Hashable:
    """The parameters as a hashable key that keeps apart what draws differently: HTML (Markup) from text that
    happens to spell the same characters, which a component escapes."""
    if isinstance(value, Markup):
        return ("html", str(value))
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(key), parameters_key(item)) for key, item in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(parameters_key(item) for item in value))
    return (type(value).__name__, str(value))  # dates and the like: what a template would print


def drawn(kind: Hashable, params: Any, draw: Callable[[], str]) -> Markup:
    """What draw() gives for these parameters, drawn the first time they are seen."""
    key = (kind, parameters_key(params))
    with _lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
    html = Markup(draw())  # noqa: S704 (the output of our own autoescaping templates)
    with _lock:
        _drawn[key] = html
        while len(_drawn) > MOST_ENTRIES:
            _drawn.popitem(last=False)
    return html


def macro_name(component: str) -> str:
    """govukCheckboxes for "checkboxes", govukErrorSummary for "error-summary"."""
    return "govuk" + "".join(part.capitalize() for part in component.split("-"))


def drawn_component(component: str, params: dict) -> Markup:
    """The GOV.UK component's HTML for these parameters."""

    def draw() -> str:
        template = current_app.jinja_env.get_template(f"govuk_frontend_jinja/components/{component}/macro.html")
        return getattr(template.module, macro_name(component))(params)

    return drawn(("component", component), params, draw)


def register_components(app: Flask) -> None:
    app.jinja_env.globals["drawn_component"] = drawn_component
