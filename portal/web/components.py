"""GOV.UK components and form widgets drawn once per worker for the same parameters.

A component's HTML depends on nothing but its parameters. The request form draws a box of day checkboxes for every
week of the season, the same boxes for every school asking in that season, at about a millisecond a box, and every
form field goes through Flask's whole render_template: drawn once, each is then a look-up. The cache is bounded, so
parameters that never repeat (a form sent back with what someone typed) cost only the look-up that misses.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup, escape

MOST_ENTRIES = 1024


class DrawnCache:
    """The most recently used drawings, at most `most` of them, shared by a worker's threads: a look-up moves its
    entry to the back, and the oldest goes first."""

    def __init__(self, most: int) -> None:
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._most = most

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._most:
                self._entries.popitem(last=False)


_drawn = DrawnCache(MOST_ENTRIES)


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
    if (found := _drawn.get(key)) is not None:
        return found
    html = Markup(draw())  # noqa: S704 (the output of our own autoescaping templates)
    _drawn.put(key, html)
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


def select_options(choices: Iterable[tuple[Any, Any]], selected: Any) -> Markup:
    """A select's <option> elements from (value, text) pairs, the one whose value is `selected` marked.

    A national tour's schedule filters by any of a hundred casts: a Jinja loop drew the options at several times the
    cost of the rest of the form."""
    return Markup(  # noqa: S704 (every part is escaped)
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(text)}</option>'
            for value, text in choices
        )
    )


def register_components(app: Flask) -> None:
    app.jinja_env.globals["drawn_component"] = drawn_component
    app.jinja_env.globals["select_options"] = select_options
