"""GOV.UK components drawn once per worker for the same parameters.

A component's HTML depends on nothing but its parameters. The request form draws a box of day checkboxes for every
week of the season, the same boxes for every school asking in that season, at about a millisecond a box: drawn once,
each is then a look-up. The cache is bounded, so parameters that never repeat cost only the look-up that misses.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from flask import Flask, current_app
from markupsafe import Markup

MOST_ENTRIES = 512

_drawn: OrderedDict[tuple[str, str], Markup] = OrderedDict()
_lock = threading.Lock()


def macro_name(component: str) -> str:
    """govukCheckboxes for "checkboxes", govukErrorSummary for "error-summary"."""
    return "govuk" + "".join(part.capitalize() for part in component.split("-"))


def drawn_component(component: str, params: dict) -> Markup:
    """The GOV.UK component's HTML for these parameters, drawn the first time they are seen."""
    key = (component, json.dumps(params, sort_keys=True, default=str))
    with _lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
    template = current_app.jinja_env.get_template(f"govuk_frontend_jinja/components/{component}/macro.html")
    html = Markup(getattr(template.module, macro_name(component))(params))  # noqa: S704 (a GOV.UK macro's output)
    with _lock:
        _drawn[key] = html
        while len(_drawn) > MOST_ENTRIES:
            _drawn.popitem(last=False)
    return html


def register_components(app: Flask) -> None:
    app.jinja_env.globals["drawn_component"] = drawn_component
