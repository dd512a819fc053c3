"""Walk every page a signed-in (or anonymous) person can reach by following links, checking each with axe-core."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.browser.browsing import visit

# Links that change state when followed, or are not pages of the portal.
NOT_PAGES = re.compile(r"^/(static/|healthz$|signed-out$|logout$|session/)")
# Two pages of each shape (/council/schools/{id}) are enough: they share one template.
PAGES_PER_SHAPE = 2
MOST_PAGES = 80
FIRST_LINK_PER_STATUS = """(pattern) => {
  const found = {};
  for (const row of document.querySelectorAll('tbody tr')) {
    const tag = row.querySelector('.govuk-tag');
    const link = [...row.querySelectorAll('a[href]')].find((a) => new RegExp(pattern).test(new URL(a.href).pathname));
    if (tag && link && !(tag.textContent.trim() in found)) found[tag.textContent.trim()] = new URL(link.href).pathname;
  }
  return found;
}"""


def shape(path: str) -> str:
    """The route a path comes from, as far as links tell: numbers and ISO dates become placeholders."""
    path = re.sub(r"(?<=[/=])\d{4}-\d{2}-\d{2}(?=[/&]|$)", "{date}", path)
    return re.sub(r"(?<=[/=])\d+(?=[/&]|$)", "{id}", path)


def first_link_per_status(page: Page, link_path: str) -> dict[str, str]:
    """In the tables of the page shown: status tag text -> the first link (path matching link_path) of that status."""
    return page.evaluate(FIRST_LINK_PER_STATUS, link_path)


class Crawler:
    """Breadth-first over the portal's links from the pages it is started on, running axe on every page."""

    def __init__(self, page: Page, origin: str):
        self.page = page
        self.origin = origin
        self.seen: set[str] = set()
        self.shapes: Counter[str] = Counter()
        self.visited: list[str] = []

    def crawl(self, start: str, *, always: bool = False) -> list[str]:
        """Visit start (even if its shape was seen, when always) and every new page reachable from it."""
        queue: deque[tuple[str, bool]] = deque([(start, always)])
        self.seen.add(start)
        while queue and len(self.visited) < MOST_PAGES:
            path, forced = queue.popleft()
            if (not forced and self.shapes[shape(path)] >= PAGES_PER_SHAPE) or not self.is_html_page(path):
                continue
            visit(self.page, path)
            self.shapes[shape(path)] += 1
            self.visited.append(path)
            for link in self.links():
                if link not in self.seen:
                    self.seen.add(link)
                    queue.append((link, False))
        return self.visited

    def links(self) -> list[str]:
        paths = []
        for href in self.page.eval_on_selector_all("a[href]", "links => links.map((link) => link.href)"):
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" == self.origin and not NOT_PAGES.match(parts.path):
                paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return paths

    def is_html_page(self, path: str) -> bool:
        """Downloads (CSV, calendars) are not pages: ask first, with the same cookies, without navigating.

        A broken link is a page: visiting it fails the test on its status.
        """
        response = self.page.request.get(path, max_redirects=5)
        try:
            return not response.ok or response.headers.get("content-type", "").startswith("text/html")
        finally:
            response.dispose()
