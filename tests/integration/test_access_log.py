"""gunicorn's access log (as `make run` and production start it) never holds a feed token or an e-mailed link's."""

from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.request

import pytest

from portal.access_log import redact
from tests.live_server import LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("access-log"))
    server.start()
    yield server
    server.stop()


def fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own test server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_tokens_in_paths_are_redacted_from_the_access_log(server):
    token = secrets.token_urlsafe(32)
    paths = [f"/feeds/school/1/{token}.ics", f"/reset-password/{token}", f"/verify-email/{token}"]
    # Unknown tokens: no such feed, and a clear "this link has expired" page after the token-free redirect.
    assert [fetch(server.url + path) for path in paths] == [404, 400, 400]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and server.log_path.read_text().count("[redacted]") < len(paths):
        time.sleep(0.1)
    log = server.log_path.read_text()
    assert token not in log
    for line in (
        "GET /feeds/school/1/[redacted].ics",
        "GET /reset-password/[redacted]",
        "GET /verify-email/[redacted]",
    ):
        assert line in log


@pytest.mark.parametrize(
    ("logged", "shown"),
    [
        ("GET /feeds/cast/12/abc-DEF_123.ics HTTP/1.1", "GET /feeds/cast/12/[redacted].ics HTTP/1.1"),
        ("/reset-password/abc?next=1", "/reset-password/[redacted]?next=1"),
        ("https://portal.example/verify-email/xyz", "https://portal.example/verify-email/[redacted]"),
        ("GET /second-factor/link/abc-DEF HTTP/1.1", "GET /second-factor/link/[redacted] HTTP/1.1"),
        ("GET /school/performances/7.ics HTTP/1.1", "GET /school/performances/7.ics HTTP/1.1"),
        ("GET /reset-password HTTP/1.1", "GET /reset-password HTTP/1.1"),
    ],
)
def test_only_the_secret_part_of_a_path_is_redacted(logged, shown):
    assert redact(logged) == shown
