"""The portal served by gunicorn, on a migrated SQLite database with the demo data loaded, as a person would meet it."""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from portal.config import ROOT

BIN = ROOT / ".venv" / "bin"
START_TIMEOUT_SECONDS = 30
# Settings that would point the server at another database or shared storage; the live server has its own.
INHERITED_SETTINGS_DROPPED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PORT", "PORTAL_URL", "MAIL_DIR")


def die_with_parent() -> None:
    """In the child before exec: when pytest dies without tearing down (killed), the server is stopped too."""
    with contextlib.suppress(OSError):  # not Linux: the fixture's teardown still stops it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(instance: Path, port: int) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in INHERITED_SETTINGS_DROPPED}
    env.update(
        PORTAL_ENV="test",
        SECRET_KEY=secrets.token_urlsafe(48),
        PORTAL_INSTANCE=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'portal.db'}",
        PORT=str(port),
        PORTAL_URL=f"http://127.0.0.1:{port}",
    )
    return env


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and load the demo data through the same commands an operator runs."""
    for command in (["db", "upgrade"], ["demo", "load"]):
        result = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 (our own local server)
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class LiveServer:
    """gunicorn with two workers and four threads each, like `make run`."""

    def __init__(self, instance: Path, server_settings: dict[str, str] | None = None):
        """server_settings are given to gunicorn only, not to the commands that load the demo data (a clock moved
        with PORTAL_FAKE_NOW, say, so that the demo data is dated from the real today and the server lives later)."""
        self.instance = instance
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = server_environment(instance, self.port)
        self.server_settings = dict(server_settings or {})
        self.log_path = instance / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self._log = None

    def start(self) -> None:
        prepare_database(self.env)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT,
            env={**self.env, **self.server_settings},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            if healthy(self.url):
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within {START_TIMEOUT_SECONDS} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
