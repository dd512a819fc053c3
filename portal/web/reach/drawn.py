"""HTML drawn once per worker for the same figures.

The dashboard's figures come from the stored figures (portal.services.reach_cache), which each worker decodes once
for each version: while the decoded objects are the very same ones, the HTML drawn from them is the same too, so a
repeated view of unchanged figures costs a look-up instead of drawing tables of every month and district again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from markupsafe import Markup

from portal.web.components import DrawnCache

# Each entry holds its figures as well as their HTML (identity is only safe while they live): a few periods' worth.
MOST_ENTRIES = 8


class DrawnOnce:
    def __init__(self, most: int = MOST_ENTRIES) -> None:
        self._entries = DrawnCache(most)

    def html(self, sources: tuple, extra: Hashable, draw: Callable[[], str]) -> Markup:
        """The HTML `draw` gives for these very objects (and `extra`, plain values), drawn only the first time."""
        key = (tuple(id(source) for source in sources), extra)
        found = self._entries.get(key)
        if found is not None and all(kept is source for kept, source in zip(found[0], sources, strict=True)):
            return found[1]
        drawn = Markup(draw())  # noqa: S704 (drawn by our own autoescaping template)
        self._entries.put(key, (sources, drawn))
        return drawn


DASHBOARD_FIGURES = DrawnOnce()
TRAINING_TABLES = DrawnOnce()
