"""The portal served by gunicorn, as a person would meet it.

Two shapes:
- `LiveServer`: one gunicorn (two workers, four threads, like `make run`) in test mode, on its own migrated SQLite
  database with the demo data loaded.
- `ProductionDeployment`: the portal as production runs it: `PORTAL_ENV=production`, gunicorn serving TLS with a
  certificate from a test certificate authority, PostgreSQL, Redis for rate limits and jobs, the Huey consumer
  beside it, and several app servers on one database and one Redis that must behave as one.
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import hashlib
import os
import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from portal.config import ROOT

BIN = ROOT / ".venv" / "bin"
START_TIMEOUT_SECONDS = 30
# Settings that would point the server at another database or shared storage; the live server has its own.
INHERITED_SETTINGS_DROPPED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "PORT", "PORTAL_URL", "MAIL_DIR", "PORTAL_ENV")
# The host name browsers use for the TLS servers: a `__Host-` cookie needs a secure origin, and the certificate
# names both localhost and 127.0.0.1.
TLS_HOST = "localhost"


def die_with_parent() -> None:
    """In the child before exec: when pytest dies without tearing down (killed), the server is stopped too."""
    with contextlib.suppress(OSError):  # not Linux: the fixture's teardown still stops it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class TestCertificate:
    """A server certificate for localhost and 127.0.0.1, signed by a certificate authority made for this run."""

    __test__ = False  # not a test class, whatever pytest thinks of its name

    authority_path: Path
    chain_path: Path
    key_path: Path
    # base64 SHA-256 of the server key's SubjectPublicKeyInfo: Chromium trusts exactly this key when given it in
    # --ignore-certificate-errors-spki-list, so pages are a secure context and Secure cookies, Origin and Referer
    # behave as they do for a real certificate.
    spki_sha256: str

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.authority_path))


def make_test_certificate(folder: Path) -> TestCertificate:
    import trustme
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    folder.mkdir(parents=True, exist_ok=True)
    authority = trustme.CA(organization_name="Portal test authority")
    server = authority.issue_cert(TLS_HOST, "127.0.0.1")
    paths = {name: folder / f"{name}.pem" for name in ("authority", "chain", "key")}
    authority.cert_pem.write_to_path(str(paths["authority"]))
    server.private_key_pem.write_to_path(str(paths["key"]))
    paths["key"].chmod(0o600)
    with paths["chain"].open("wb") as chain:
        for pem in server.cert_chain_pems:
            chain.write(pem.bytes())
    leaf = x509.load_pem_x509_certificate(server.cert_chain_pems[0].bytes())
    spki = leaf.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return TestCertificate(
        paths["authority"], paths["chain"], paths["key"], base64.b64encode(hashlib.sha256(spki).digest()).decode()
    )


def base_environment(**settings: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in INHERITED_SETTINGS_DROPPED}
    env.update(settings)
    return env


def server_environment(instance: Path, port: int) -> dict[str, str]:
    return base_environment(
        PORTAL_ENV="test",
        SECRET_KEY=secrets.token_urlsafe(48),
        PORTAL_INSTANCE=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'portal.db'}",
        PORT=str(port),
        PORTAL_URL=f"http://127.0.0.1:{port}",
    )


def run_flask(env: dict[str, str], *command: str) -> None:
    """Run a flask command as an operator would; fail with its output."""
    result = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")


def prepare_database(env: dict[str, str]) -> None:
    """Migrate and load the demo data through the same commands an operator runs."""
    run_flask(env, "db", "upgrade")
    run_flask(env, "demo", "load")


def healthy(url: str, context: ssl.SSLContext | None = None) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2, context=context) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class Process:
    """A child process whose output goes to a log file; stopped with SIGTERM, then SIGKILL."""

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path):
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent
        )

    def running(self) -> bool:
        return self.popen.poll() is None

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def gunicorn_command(port: int, certificate: TestCertificate | None = None) -> list[str]:
    command = [str(BIN / "gunicorn"), "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}"]
    if certificate is not None:
        command += ["--certfile", str(certificate.chain_path), "--keyfile", str(certificate.key_path)]
    return [*command, "wsgi:app"]


def wait_until_healthy(process: Process, url: str, context: ssl.SSLContext | None = None) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not process.running():
            raise RuntimeError(f"gunicorn exited with {process.popen.returncode}:\n{process.log_tail()}")
        if healthy(url, context):
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {START_TIMEOUT_SECONDS} s:\n{process.log_tail()}")


class LiveServer:
    """gunicorn with two workers and four threads each, like `make run`, in test mode on SQLite."""

    def __init__(self, instance: Path, server_settings: dict[str, str] | None = None):
        """server_settings are given to gunicorn only, not to the commands that load the demo data (a clock moved
        with PORTAL_FAKE_NOW, say, so that the demo data is dated from the real today and the server lives later)."""
        self.instance = instance
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.urls = [self.url]
        self.mail_dir = instance / "mail"
        self.env = server_environment(instance, self.port)
        self.server_settings = dict(server_settings or {})
        self.log_path = instance / "gunicorn.log"
        self.process: Process | None = None

    def start(self) -> None:
        prepare_database(self.env)
        self.process = Process(gunicorn_command(self.port), {**self.env, **self.server_settings}, self.log_path)
        try:
            wait_until_healthy(self.process, self.url)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()

    def log_tail(self, lines: int = 40) -> str:
        return self.process.log_tail(lines) if self.process else ""


def reset_postgresql_database(admin_url: str, name: str) -> str:
    """An empty database called name on the server admin_url points at (made when missing); returns its URL."""
    from sqlalchemy import create_engine, text

    from portal.config import normalise_database_url

    engine = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    engine = create_engine(normalise_database_url(url))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def reset_redis_database(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()


class ProductionDeployment:
    """The portal as production runs it: `servers` gunicorns over TLS, one PostgreSQL database, one Redis database,
    and the Huey consumer, all with PORTAL_ENV=production.

    Every server has the same SECRET_KEY, database and Redis, as behind a load balancer: a person signed in on one
    is signed in on the others, and rate limits count across them. The browser reaches them at
    https://localhost:<port>; cookies are not port-specific, so one browser context carries its session to every
    server, which is what a load balancer's rotation does.
    """

    def __init__(
        self,
        instance: Path,
        certificate: TestCertificate,
        *,
        database_url: str,
        redis_url: str,
        servers: int = 2,
        server_settings: dict[str, str] | None = None,
    ):
        self.instance = instance
        self.certificate = certificate
        self.ports = [free_port() for _ in range(servers)]
        self.urls = [f"https://{TLS_HOST}:{port}" for port in self.ports]
        self.url = self.urls[0]
        self.mail_dir = instance / "mail"
        self.redis_url = redis_url
        self.env = base_environment(
            PORTAL_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(48),
            PORTAL_INSTANCE=str(instance),
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            PORTAL_URL=self.url,
        )
        self.server_settings = dict(server_settings or {})
        self.processes: list[Process] = []

    def start(self) -> None:
        self.instance.mkdir(parents=True, exist_ok=True)
        reset_redis_database(self.redis_url)
        prepare_database(self.env)
        running_env = {**self.env, **self.server_settings}
        try:
            consumer = [str(BIN / "huey_consumer"), "portal.jobs.huey", "--workers", "1"]
            self.processes.append(Process(consumer, running_env, self.instance / "consumer.log"))
            for index, port in enumerate(self.ports):
                server = Process(
                    gunicorn_command(port, self.certificate), running_env, self.instance / f"gunicorn-{index}.log"
                )
                self.processes.append(server)
                wait_until_healthy(server, self.urls[index], self.certificate.ssl_context())
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()

    def log_tail(self, lines: int = 40) -> str:
        return "\n\n".join(process.log_tail(lines) for process in self.processes)
