"""Browser fixtures: one live gunicorn server per session, Debian's Chromium, and pages that axe-core checks.

Every browser test module sets `pytestmark = pytest.mark.browser`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from portal.config import ROOT
from tests.browser import browsing
from tests.browser.live_server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000


def ensure_chromium() -> None:
    """A new machine has no Chromium: install Debian's (as `make chromium` does) when we can."""
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0:
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` as root")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def ensure_assets() -> None:
    """The pages need the compiled CSS and JS, and the tests need axe-core, both from npm."""
    if not (ROOT / "static" / "build" / "portal.css").exists() or not browsing.AXE_SCRIPT.exists():
        subprocess.run(["make", "assets"], cwd=ROOT, check=True)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """The base URL of the portal served by gunicorn on its own database, with the demo data loaded."""
    ensure_assets()
    server = LiveServer(tmp_path_factory.mktemp("live-server"))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    # Replaces pytest-playwright's own base_url fixture, a session fixture written as an instance method, which
    # pytest 9 warns about (and filterwarnings=error turns that into an error).
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    ensure_chromium()
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, live_server: str) -> dict:
    # bypass_csp lets the tests inject axe-core; the portal's own Content-Security-Policy refuses it otherwise.
    return {**browser_context_args, "base_url": live_server, "bypass_csp": True}


def tracked_page(context: BrowserContext) -> Page:
    page = context.new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    # axe-core loads with every document (bypass_csp allows it): quicker than injecting it before each check.
    page.add_init_script(path=str(browsing.AXE_SCRIPT))
    browsing.track(page)
    return page


def fail_on_unchecked(pages: list[Page]) -> None:
    missed = [url for page in pages if (tracker := browsing.untrack(page)) for url in tracker.unchecked()]
    if missed:
        pytest.fail("pages loaded without an axe-core check: " + ", ".join(missed))


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page whose every loaded document must be checked by axe before the test ends."""
    tracked = tracked_page(context)
    yield tracked
    fail_on_unchecked([tracked])


@pytest.fixture
def new_person(new_context: Callable[..., BrowserContext]) -> Iterator[Callable[[], Page]]:
    """Opens a page in a fresh browser context: another person, with their own cookies."""
    pages: list[Page] = []

    def open_page() -> Page:
        pages.append(tracked_page(new_context()))
        return pages[-1]

    yield open_page
    fail_on_unchecked(pages)


@pytest.fixture
def login() -> Callable[[Page, str, str], None]:
    """login(page, email, password) signs in through the sign-in page."""
    return browsing.login


@pytest.fixture
def assert_accessible() -> Callable[[Page], None]:
    """assert_accessible(page) runs axe-core on the page and fails listing the violations."""
    return browsing.assert_accessible
