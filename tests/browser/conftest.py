"""Browser fixtures: one live gunicorn server per session, Debian's Chromium, and pages that axe-core checks.

Every browser test module sets `pytestmark = pytest.mark.browser`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from portal import clock
from portal.config import ROOT
from tests.browser import browsing
from tests.live_server import (
    LiveServer,
    ProductionDeployment,
    TestCertificate,
    make_test_certificate,
    reset_postgresql_database,
)

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
# Every browser test runs against the portal in test mode (gunicorn over HTTP on SQLite) and, when PostgreSQL is
# given as for the integration suite, again in production mode: TLS, PostgreSQL, Redis, the job consumer and two app
# servers, as it is deployed.
POSTGRESQL = os.environ.get("TEST_DATABASE_URL")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
SERVER_MODES = ["test"] + (["production"] if POSTGRESQL else [])
# Each production deployment gets its own PostgreSQL database and Redis database, apart from the integration suite's
# and, when the browser tests run in parallel (pytest-xdist), apart from the other workers': worker gwN uses Redis
# databases 11 - 2N and 12 - 2N (the integration suite's production settings use 13).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
WORKER_INDEX = int(WORKER.removeprefix("gw") or 0)
MOST_WORKERS = 6
PRODUCTION_STORES = {
    "live": (f"portal_browser_live_{WORKER}", 11 - 2 * WORKER_INDEX),
    "after-deadline": (f"portal_browser_later_{WORKER}", 12 - 2 * WORKER_INDEX),
}
# The second server's clock: past the demo open season's request deadline (today + 21 days when the demo data is
# loaded) and before its first performance (the Monday six weeks on, at least 36 days away).
DAYS_AFTER_DEADLINE_SERVER = 30


def pytest_collection_modifyitems(config, items) -> None:
    """The crawls that check every page with axe-core run against the test-mode server only.

    A page renders the same templates and styles in both modes (axe runs with the Content-Security-Policy bypassed
    either way), and every route already answers on PostgreSQL as each role in the integration suite's access policy
    test; production mode keeps every journey. Walking the crawls twice was most of the browser suite's second half.
    """
    production_crawls = [
        item
        for item in items
        if item.get_closest_marker("every_page")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("server_mode") == "production"
    ]
    if production_crawls:
        config.hook.pytest_deselected(items=production_crawls)
        items[:] = [item for item in items if item not in production_crawls]


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
    """The pages need the compiled CSS and JS, and the tests need axe-core, both from npm.

    make rebuilds the CSS when portal.scss is newer than it, so the pages tested are the pages as they are now."""
    subprocess.run(["make", "--quiet", "assets"], cwd=ROOT, check=True)
    if not (ROOT / "static" / "build" / "portal.css").exists() or not browsing.AXE_SCRIPT.exists():
        pytest.fail("make assets did not build static/build/portal.css and node_modules/axe-core")


@pytest.fixture(scope="session")
def test_certificate(tmp_path_factory) -> TestCertificate:
    """The production servers' TLS certificate, from a certificate authority made for this run."""
    return make_test_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session", params=SERVER_MODES)
def server_mode(request) -> str:
    """ "test" or "production": how the live servers of this run of the test are deployed."""
    if request.param == "production" and not POSTGRESQL:
        pytest.skip("production mode runs on PostgreSQL: set TEST_DATABASE_URL (as .ci/run does)")
    return request.param


def start_portal(mode: str, role: str, folder: Path, certificate: TestCertificate, settings: dict[str, str]):
    """A running portal in the given mode, with the demo data loaded; the caller stops it."""
    ensure_assets()
    if mode == "production":
        if WORKER_INDEX >= MOST_WORKERS:
            pytest.fail(
                f"production mode has Redis databases for {MOST_WORKERS} parallel workers: use -n {MOST_WORKERS}"
            )
        database, redis_number = PRODUCTION_STORES[role]
        server = ProductionDeployment(
            folder,
            certificate,
            database_url=reset_postgresql_database(POSTGRESQL, database),
            redis_url=f"{REDIS}/{redis_number}",
            server_settings=settings,
        )
    else:
        server = LiveServer(folder, server_settings=settings)
    server.start()
    return server


@pytest.fixture(scope="session")
def live_portal(server_mode, test_certificate, tmp_path_factory) -> Iterator[LiveServer | ProductionDeployment]:
    """The portal served by gunicorn on its own database, with the demo data loaded (in production mode: two
    servers over TLS sharing PostgreSQL and Redis, and the job consumer)."""
    server = start_portal(server_mode, "live", tmp_path_factory.mktemp(f"live-{server_mode}"), test_certificate, {})
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def live_server(live_portal) -> str:
    """The base URL of the live portal (its first server, in production mode)."""
    return live_portal.url


@dataclass(frozen=True)
class LaterServer:
    url: str
    now: datetime  # the server's clock (PORTAL_FAKE_NOW), fixed for its whole life
    loaded_on: datetime  # when the demo data was loaded (its dates count from this real day)
    mail_dir: Path  # where it writes the e-mails it sends
    env: dict[str, str]  # its settings, for running a flask command on it as its operator would (its clock aside)


@pytest.fixture(scope="session")
def server_after_deadline(server_mode, test_certificate, tmp_path_factory) -> Iterator[LaterServer]:
    """A second portal, on its own database with the demo data loaded today, whose clock stands 30 days on.

    The demo's open season is then past its request deadline (the company can allocate it) but not yet touring,
    and some of the touring season's confirmed performances are in the past (they can be recorded delivered).
    The scheduler gets 5 seconds a run; in test mode the run happens inside the web request that starts it, in
    production mode the job consumer runs it.
    """
    loaded_on = clock.now()  # PORTAL_FAKE_NOW, when set, moves the whole browser suite to another day
    now = loaded_on + timedelta(days=DAYS_AFTER_DEADLINE_SERVER)
    server = start_portal(
        server_mode,
        "after-deadline",
        tmp_path_factory.mktemp(f"after-deadline-{server_mode}"),
        test_certificate,
        {"PORTAL_FAKE_NOW": now.isoformat(), "ALLOCATION_TIME_LIMIT": "5"},
    )
    try:
        yield LaterServer(server.url, now, loaded_on, server.mail_dir, server.env)
    finally:
        server.stop()


@pytest.fixture
def later_person(browser: Browser, server_after_deadline: LaterServer) -> Iterator[Callable[[], Page]]:
    """Opens a page on the server whose clock is 30 days on, in a fresh context (another person, own cookies).

    Like the page fixture, every document it loads must be checked by axe before the test ends."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def open_page() -> Page:
        contexts.append(browser.new_context(base_url=server_after_deadline.url, bypass_csp=True))
        pages.append(tracked_page(contexts[-1]))
        return pages[-1]

    yield open_page
    try:
        fail_on_unchecked(pages)
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    # Replaces pytest-playwright's own base_url fixture, a session fixture written as an instance method, which
    # pytest 9 warns about (and filterwarnings=error turns that into an error).
    return live_server


@pytest.fixture(scope="session")
def playwright(test_certificate: TestCertificate) -> Iterator[Playwright]:
    """pytest-playwright's fixture, with the test authority trusted by Playwright's own Node.js process too: its
    request API (page.request, which the crawler uses) does not go through Chromium."""
    os.environ["NODE_EXTRA_CA_CERTS"] = str(test_certificate.authority_path)
    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(test_certificate: TestCertificate) -> dict:
    ensure_chromium()
    # Chromium trusts the production servers' test key as it would a real certificate (a secure context: Secure
    # cookies kept, Origin and Referer sent as on a real deployment); ignore_https_errors would not prove that.
    trust = f"--ignore-certificate-errors-spki-list={test_certificate.spki_sha256}"
    return {"executable_path": str(CHROMIUM), "args": [*CHROMIUM_ARGS, trust]}


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


@pytest.fixture(scope="session")
def small_pages_portal(server_mode, tmp_path_factory) -> Iterator[str]:
    """A test-mode portal with the demo data that shows SMALL_PAGE_SIZE rows to a page (shared: it is only read)."""
    if server_mode != "test":
        pytest.skip("the small-page portal runs in test mode only")
    settings = {"LIST_PAGE_SIZE": str(browsing.SMALL_PAGE_SIZE)}
    server = LiveServer(tmp_path_factory.mktemp("small-pages"), server_settings=settings)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def officer(browser: Browser, small_pages_portal: str) -> Iterator[Page]:
    """A council officer signed in on the small-page portal; every page they load must pass axe."""
    context = browser.new_context(base_url=small_pages_portal, bypass_csp=True)
    page = tracked_page(context)
    browsing.login(page, browsing.DEMO_LOGINS["council"], browsing.DEMO_PASSWORD)
    yield page
    try:
        fail_on_unchecked([page])
    finally:
        context.close()
