"""Page benchmark: every page each role's crawl reaches, on the national data set, served as `make run` serves it.

1. A fresh instance (a temporary folder, or --work-dir to keep and --reuse it) is migrated and filled by the flask
   commands an operator runs: `flask demo national` (about 3,000 schools and 100,000 performances; --demo for the
   demo data instead), on SQLite, or on PostgreSQL with --postgresql (the database named by --database-url, default
   bench_national, dropped and made again; TEST_DATABASE_URL's server when that is set).
2. gunicorn serves it as `make run` does (development mode, 2 workers x 4 threads, started from the repository root
   so that gunicorn.conf.py applies).
3. For each role (school, company, council, admin: the demo logins; the administrator's second factor from the demo
   key) the benchmark signs in with a plain HTTP client keeping the session cookie, and crawls the HTML links from the
   role's home page breadth-first, as tests/browser/crawling.py does, one page per URL shape (numbers, ISO dates and
   tokens in the path or query become placeholders). Downloads it links to (CSV, calendars) are measured, not crawled.
4. Each page: p50 and p95 of one user's sequential requests (after one warm-up; 20 samples or 10 s, at least 3), and
   requests per second at 8 connections (wrk when installed, else a pool of 8 Python threads), beside the bare page,
   anonymous GET /login (a GOV.UK form page), measured the same way before each role's pages and again for as long
   right after each page: the ratio is to that second rate, so a load that changes over a long run (this machine is
   shared) weighs on both sides of each ratio alike.

    .venv/bin/python benchmarks/pages.py [--postgresql] [--demo] [--work-dir DIR --reuse] [--roles council,admin]
        [--output results.json] [--profile 10] [--also council:/api/v1/reach --no-crawl]

--profile N profiles, in-process on the same database, one request to each of the N slowest pages (cProfile and the
SQL statements' time), and prints where the time goes.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import BIN, Process, base_environment, free_port, wait_until_healthy  # noqa: E402

DEFAULT_POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/bench_national"
PASSWORD = "tour-demo-password"  # noqa: S105 (the demo logins' published password)
LOGINS = {"school": "school@example.org", "company": "company@example.org"}
LOGINS |= {"council": "council@example.org", "admin": "admin@example.org"}
HOMES = {"school": "/school/", "company": "/company/", "council": "/council/", "admin": "/admin/"}
BARE_PAGE = "/login"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Links that change state when followed, or are not pages of the portal (as tests/browser/crawling.py).
NOT_PAGES = re.compile(r"^/(static/|healthz$|signed-out$|logout$|session/)")
MOST_PAGES_PER_ROLE = 150
SAMPLES, SAMPLE_SECONDS, LEAST_SAMPLES = 20, 10.0, 3
CONNECTIONS = 8


def shape(path: str) -> str:
    """The route a path comes from, as far as links tell: numbers, ISO dates and tokens become placeholders."""
    path = re.sub(r"(?<=/)(?=[^/?.]*\d)[A-Za-z0-9_-]{24,}(?=[/?.]|$)", "{token}", path)
    path = re.sub(r"(?<=[/=])\d{4}-\d{2}-\d{2}(?=[/&]|$)", "{date}", path)
    path = re.sub(r"(?<=[/=])\d{4}-W\d{2}(?=[/&]|$)", "{week}", path)
    return re.sub(r"(?<=[/=])\d+(?=[/&.]|$)", "{id}", path)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str
    location: str
    seconds: float


class Browser:
    """One person's browser: a cookie jar, answers never followed (a redirect is seen as such)."""

    def __init__(self, origin: str):
        self.origin = origin
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path: str, form: dict | None = None) -> Answer:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.origin + path, data=data, headers={"Referer": self.origin + "/"})  # noqa: S310
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=300) as response:
                body = response.read()
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            body, status, headers = error.read(), error.code, error.headers
        seconds = time.perf_counter() - started
        return Answer(status, body, headers.get("Content-Type", ""), headers.get("Location", ""), seconds)

    def cookie_header(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)

    def post_form(self, path: str, fields: dict) -> Answer:
        token = CSRF_FIELD.search(self.get(path).body.decode())
        if token is None:
            sys.exit(f"no CSRF token on {path}")
        return self.get(path, {**fields, "csrf_token": token.group(1)})

    def sign_in(self, role: str) -> None:
        answer = self.post_form("/login", {"email": LOGINS[role], "password": PASSWORD})
        if answer.status != 302:
            sys.exit(f"sign-in as {LOGINS[role]} answered {answer.status}")
        if "/second-factor" in self.get(HOMES[role]).location:
            import pyotp

            from portal.services.demo import DEMO_ADMIN_SET_UP_KEY

            answer = self.post_form("/second-factor", {"code": pyotp.TOTP(DEMO_ADMIN_SET_UP_KEY).now()})
            if answer.status != 302:
                sys.exit(f"second factor for {LOGINS[role]} answered {answer.status}")


@dataclass
class Measured:
    role: str
    path: str
    shape: str
    status: int
    content_type: str
    size: int
    samples: list[float] = field(default_factory=list)
    per_second: float | None = None
    bare_per_second: float | None = None  # the bare page's rate, measured for as long right after this page's
    errors: int = 0  # at 8 connections: answers other than 2xx/3xx (500, 429...) and requests with no answer in 60 s

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def is_html(answer: Answer) -> bool:
    return answer.content_type.startswith("text/html")


def links_of(answer: Answer, origin: str, here: str) -> list[str]:
    parser = Links()
    parser.feed(answer.body.decode(errors="replace"))
    found = []
    for href in parser.hrefs:
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(origin + here, href))
        if f"{parts.scheme}://{parts.netloc}" == origin and not NOT_PAGES.match(parts.path):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(browser: Browser, start: str) -> list[tuple[str, Answer]]:
    """Breadth-first over the links from start: one page per shape; downloads kept, not followed."""
    queue, seen, shapes, pages = deque([start]), {start}, set(), []
    while queue and len(pages) < MOST_PAGES_PER_ROLE:
        path = queue.popleft()
        if shape(path) in shapes:
            continue
        answer = browser.get(path)
        shapes.add(shape(path))
        pages.append((path, answer))
        if answer.status == 200 and is_html(answer):
            for link in links_of(answer, browser.origin, path):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return pages


def sample(browser: Browser, path: str) -> list[float]:
    browser.get(path)  # warm-up
    samples, started = [], time.perf_counter()
    while len(samples) < SAMPLES and (len(samples) < LEAST_SAMPLES or time.perf_counter() - started < SAMPLE_SECONDS):
        samples.append(browser.get(path).seconds)
    return samples


def load_with_wrk(url: str, cookie: str, seconds: float) -> tuple[float, int]:
    """Good answers (2xx, 3xx) per second at 8 connections, and the answers that were not (500, 429) or never came."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--timeout", "60s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", output)
    answers, elapsed = int(done.group(1)), float(done.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[done.group(3)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    bad_answers = int(bad.group(1)) if bad else 0
    return (answers - bad_answers) / elapsed, bad_answers + (int(timeouts.group(1)) if timeouts else 0)


def load_with_threads(origin: str, path: str, cookie: str, seconds: float, status: int) -> tuple[float, int]:
    """As load_with_wrk, with 8 Python threads."""
    done, bad, stop = [0], [0], time.perf_counter() + seconds
    lock = threading.Lock()

    def run() -> None:
        opener = urllib.request.build_opener(NoRedirect())
        while time.perf_counter() < stop:
            request = urllib.request.Request(origin + path, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
            try:
                with opener.open(request, timeout=120) as response:
                    response.read()
                    code = response.status
            except urllib.error.HTTPError as error:
                error.read()
                code = error.code
            with lock:
                done[0] += 1
                bad[0] += code != status

    started = time.perf_counter()
    threads = [threading.Thread(target=run) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (done[0] - bad[0]) / (time.perf_counter() - started), bad[0]


def per_second(origin: str, path: str, cookie: str, seconds: float, status: int) -> tuple[float, int]:
    if shutil.which("wrk"):
        rate, bad = load_with_wrk(origin + path, cookie, seconds)
        return rate, bad if status == 200 else 0  # wrk counts a page's own 302 as fine too
    return load_with_threads(origin, path, cookie, seconds, status)


def measure(role: str, browser: Browser, path: str, answer: Answer, load_seconds: float) -> Measured:
    cookie = browser.cookie_header() if role != "anonymous" else ""
    page = Measured(role, path, shape(path), answer.status, answer.content_type.split(";")[0], len(answer.body))
    page.samples = sample(browser, path)
    # A slow page gets longer under load, so that several answers still come back at 8 connections.
    seconds = min(30.0, max(load_seconds, 4 * page.p50))
    page.per_second, page.errors = per_second(browser.origin, path, cookie, seconds, answer.status)
    if role != "anonymous":
        page.bare_per_second = per_second(browser.origin, BARE_PAGE, "", seconds, 200)[0]
    print(
        f"{role:9} {path[:60]:60} {answer.status} p50 {page.p50 * 1000:7.0f} ms p95 {page.p95 * 1000:7.0f} ms"
        f" {page.per_second:7.1f}/s {page.size / 1024:7.0f} KB"
        + (f" (bare beside: {page.bare_per_second:.1f}/s)" if page.bare_per_second else ""),
        flush=True,
    )
    return page


def environment(instance: Path, port: int, database_url: str) -> dict[str, str]:
    """`make run`'s settings (development mode), on this benchmark's own instance and database, the API's rate limit
    aside."""
    return base_environment(
        PORTAL_ENV="development",
        PORTAL_INSTANCE=str(instance),
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(48),
        PORT=str(port),
        PORTAL_URL=f"http://127.0.0.1:{port}",
        # What the API can answer, not its limit for one person: at 120 a minute, wrk's 8 connections measured the
        # limiter's refusals.
        API_RATE_LIMIT="1000000 per minute",
    )


def flask(env: dict[str, str], *command: str) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def recreate_postgresql(url: str) -> None:
    from sqlalchemy import create_engine, text

    from portal.config import normalise_database_url

    base, name = url.rsplit("/", 1)
    admin = create_engine(normalise_database_url(base + "/postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def build(env: dict[str, str], args: argparse.Namespace) -> None:
    started = time.perf_counter()
    if args.postgresql:
        recreate_postgresql(env["DATABASE_URL"])
    flask(env, "db", "upgrade")
    if args.demo:
        print(flask(env, "demo", "load").strip())
    else:
        command = ["demo", "national", "--schools", str(args.schools), "--performances", str(args.performances)]
        print(flask(env, *command).strip())
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def run_role(origin: str, role: str, load_seconds: float, also: list[str], crawling: bool) -> list[Measured]:
    """The bare page, then each page of the role's crawl (unless not crawling) and the pages named with --also."""
    anonymous = Browser(origin)
    bare = measure("anonymous", anonymous, BARE_PAGE, anonymous.get(BARE_PAGE), load_seconds)
    browser = Browser(origin)
    browser.sign_in(role)
    pages = [bare]
    found = crawl(browser, HOMES[role]) if crawling else []
    for path, answer in found + [(path, browser.get(path)) for path in also]:
        if answer.status == 200:
            pages.append(measure(role, browser, path, answer, load_seconds))
        else:
            print(f"{role:9} {path[:60]:60} {answer.status} (not measured) {answer.location}", flush=True)
    return pages


def table(pages: list[Measured]) -> str:
    lines = [
        "| role | page | p50 ms | p95 ms | req/s at 8 | bare req/s beside | ratio to bare | size KB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for page in pages:
        bare = page.bare_per_second or page.per_second
        name = page.shape + ("" if page.content_type == "text/html" else f" ({page.content_type})")
        lines.append(
            f"| {page.role} | `{name}` | {page.p50 * 1000:.0f} | {page.p95 * 1000:.0f} | {page.per_second:.1f}"
            f" | {bare:.1f} | {page.per_second / bare:.2f} | {page.size / 1024:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--database-url", default=None, help=f"with --postgresql (default {DEFAULT_POSTGRESQL})")
    parser.add_argument("--demo", action="store_true", help="the demo data instead of the national data set")
    parser.add_argument("--schools", type=int, default=3000)
    parser.add_argument("--performances", type=int, default=100_000)
    parser.add_argument("--roles", default="school,company,council,admin")
    parser.add_argument("--seconds", type=float, default=5.0, help="load time per page at 8 connections (at least)")
    parser.add_argument("--work-dir", type=Path, help="keep the instance here (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="use the instance already built in --work-dir")
    parser.add_argument("--output", type=Path, help="write every measurement here as JSON")
    parser.add_argument("--profile", type=int, default=0, help="profile the N slowest pages in-process")
    parser.add_argument("--also", action="append", default=[], help="role:/path, a page no link leads to")
    parser.add_argument("--no-crawl", action="store_true", help="measure only the --also pages")
    args = parser.parse_args()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="pages-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"sqlite:///{work / 'portal.db'}"
    if args.postgresql:
        url = args.database_url or _postgresql_url()
    env = environment(work, port, url)
    if not args.reuse:
        build(env, args)
    server = Process(
        [str(BIN / "gunicorn"), "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        env,
        work / "gunicorn.log",
    )
    origin = f"http://127.0.0.1:{port}"
    pages: list[Measured] = []
    try:
        wait_until_healthy(server, origin)
        for role in args.roles.split(","):
            also = [path for who, path in (page.split(":", 1) for page in args.also) if who == role]
            pages += run_role(origin, role, args.seconds, also, not args.no_crawl)
    finally:
        server.stop()
    print(table(pages))
    print(f"load average at the end: {os.getloadavg()}")
    if args.output:
        args.output.write_text(json.dumps([asdict(page) for page in pages], indent=1))
    if args.profile:
        from benchmarks.page_profile import profile_pages

        slowest = sorted((p for p in pages if p.role != "anonymous"), key=lambda p: p.p50, reverse=True)
        profile_pages(env, [(page.role, page.path) for page in slowest[: args.profile]])


def _postgresql_url() -> str:
    server = os.environ.get("TEST_DATABASE_URL")
    return server.rsplit("/", 1)[0] + "/bench_national" if server else DEFAULT_POSTGRESQL


if __name__ == "__main__":
    main()
