"""The Jinja environment the portal's templates render in."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from flask.templating import Environment


class TemplateEnvironment(Environment):
    """Flask's Jinja environment, with each template's globals a plain dict instead of Jinja's ChainMap over the
    environment's globals.

    Every GOV.UK component imports others inside its macro, and at each import Jinja compares the names of the
    template's globals with the importing context's (jinja2's Template._get_default_module); against a ChainMap
    that comparison runs name by name in Python, against a dict it is one set operation in C. A GOV.UK input then
    renders in 0.82 ms instead of 1.19 ms, about a third less for every form field and table on every page. The price:
    a template sees the environment's globals as they were when it was first loaded, so every global is set while
    the app is built (register_web, register_filters, register_security), before any template loads."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}
