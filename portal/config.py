"""Settings from the environment.

One switch, PORTAL_ENV, picks the mode: "development" (the default: SQLite under instance/, e-mail written to
files, a secret key generated once and kept in instance/, cookies not marked Secure), "test", or "production"
(refuses to start without SECRET_KEY and DATABASE_URL).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class ConfigError(RuntimeError):
    """A setting the portal cannot run without is missing or wrong."""


def normalise_database_url(url: str) -> str:
    """Accept the postgres:// and postgresql:// URLs that hosting platforms give; use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret_key(instance: Path) -> str:
    """Generate a secret key once and keep it in instance/, so sessions survive restarts in development."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _second_factor_roles(value: str) -> frozenset[str]:
    roles = frozenset(role.strip() for role in value.split(",") if role.strip())
    unknown = roles - {"school", "company", "council", "admin"}
    if unknown:
        raise ConfigError(f"SECOND_FACTOR_ROLES names no such role: {', '.join(sorted(unknown))}")
    return roles


def _list_page_size(value: str) -> int:
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 500:
        raise ConfigError(f"LIST_PAGE_SIZE must be a whole number of rows from 1 to 500, not {value!r}")
    return int(value)


def _rate_limit(name: str, value: str) -> str:
    from limits import parse_many  # Flask-Limiter's own parser: what it accepts is what the limiter will enforce

    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} must be a rate such as '120 per minute', not {value!r}") from None
    return value


def _training_records_years(value: str) -> int:
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 100:
        raise ConfigError(f"TRAINING_RECORDS_YEARS must be a whole number of years from 1 to 100, not {value!r}")
    return int(value)


def load_config(env: dict[str, str] | None = None) -> dict:
    """Build the Flask config mapping for the mode PORTAL_ENV names."""
    env = dict(os.environ if env is None else env)
    mode = env.get("PORTAL_ENV", "development")
    if mode not in {"development", "test", "production"}:
        raise ConfigError(f"PORTAL_ENV must be development, test or production, not {mode!r}")
    production = mode == "production"
    instance = Path(env.get("PORTAL_INSTANCE", INSTANCE))
    if production:
        # REDIS_URL: without shared storage each worker would count guesses on its own (two workers, twice the
        # limit; a restart, none) and jobs would queue in one machine's SQLite file.
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL") if not env.get(name)]
        if missing:
            raise ConfigError(f"production mode needs {', '.join(missing)} set in the environment")
        secret_key = env["SECRET_KEY"]
    else:
        secret_key = env.get("SECRET_KEY") or _development_secret_key(instance)
    port = env.get("PORT", "5000")
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'portal.db'}"
    redis_url = env.get("REDIS_URL", "")
    trusted_proxies = env.get("TRUSTED_PROXIES", "0")
    if not trusted_proxies.isascii() or not trusted_proxies.isdigit():
        raise ConfigError(f"TRUSTED_PROXIES must be a whole number of proxies, not {trusted_proxies!r}")
    return {
        "PORTAL_ENV": mode,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PORTAL_URL": env.get("PORTAL_URL", f"http://127.0.0.1:{port}").rstrip("/"),
        "PORTAL_INSTANCE": str(instance),
        "MAIL_DIR": env.get("MAIL_DIR", str(instance / "mail")),
        # E-mail goes by SMTP when SMTP_HOST is set; otherwise each message is written as an .eml file in MAIL_DIR.
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("SMTP_PORT", "587")),
        "SMTP_STARTTLS": env.get("SMTP_STARTTLS", "true").strip().lower() in {"1", "true", "yes", "on"},
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_SENDER": env.get("SMTP_SENDER", "bookings@example.org"),
        "SMTP_TIMEOUT": int(env.get("SMTP_TIMEOUT", "30")),
        "REDIS_URL": redis_url,
        # How many reverse proxies stand in front of gunicorn and set X-Forwarded-For, -Proto, -Host and -Port. Only
        # those hops' headers are believed: the client's address is what rate limits count by.
        "TRUSTED_PROXIES": int(trusted_proxies),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        # Session cookies: server-side session records back them (portal.services.sessions).
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "30")),
        # Role changes, deactivation, API tokens and calendar links need the password entered this recently.
        "FRESH_LOGIN_MINUTES": int(env.get("FRESH_LOGIN_MINUTES", "15")),
        # Roles that must pass a second factor (an authenticator app's code) after their password.
        "SECOND_FACTOR_ROLES": _second_factor_roles(env.get("SECOND_FACTOR_ROLES", "admin")),
        # A shared inbox for the company's or the council's messages; without one, each active member gets them.
        "TEAM_MAILBOXES": {
            role: env[name].strip()
            for role, name in (("company", "COMPANY_MAILBOX"), ("council", "COUNCIL_MAILBOX"))
            if env.get(name, "").strip()
        },
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "HSTS": production,
        # Bodies are small by default; upload routes raise their own limit.
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        # portal.csrf checks that every form comes from this site by its Origin header (Referer when there is none).
        "WTF_CSRF_SSL_STRICT": False,
        "LOGIN_ATTEMPTS_PER_HOUR": int(env.get("LOGIN_ATTEMPTS_PER_HOUR", "10")),
        "SERVICE_NAME": env.get("SERVICE_NAME", "Book the CSE awareness drama"),
        "COUNCIL_NAME": env.get("COUNCIL_NAME", "Shireshire County Council"),
        "CSE_TEAM_NAME": env.get("CSE_TEAM_NAME", "the Exploitation and Missing Team"),
        "CSE_TEAM_PHONE": env.get("CSE_TEAM_PHONE", "01632 960 000"),
        "REACH_TARGET": int(env.get("REACH_TARGET", "18000")),
        "TRAINING_TARGET": int(env.get("TRAINING_TARGET", "7500")),
        "TRAINING_RECORDS_YEARS": _training_records_years(env.get("TRAINING_RECORDS_YEARS", "6")),
        # The local authorities a GIAS directory import keeps (its `LA (name)` values, separated by semicolons since
        # some names hold a comma: "Bristol, City of"); unset, every one.
        "LOCAL_AUTHORITIES": frozenset(
            name.strip().lower() for name in env.get("LOCAL_AUTHORITIES", "").split(";") if name.strip()
        ),
        "JOBS_IMMEDIATE": mode == "test",
        "ALLOCATION_TIME_LIMIT": int(env.get("ALLOCATION_TIME_LIMIT", "30")),
        # How long a freed place is held for the waiting requests it fits best before any school may book it.
        "PLACE_HOLD_HOURS": int(env.get("PLACE_HOLD_HOURS", "48")),
        # Rows a long list shows on a page (schools, users, approvals, requests, performances, the outbox).
        "LIST_PAGE_SIZE": _list_page_size(env.get("LIST_PAGE_SIZE", "50")),
        # Requests a minute the JSON API answers for one token, signed-in person or address.
        "API_RATE_LIMIT": _rate_limit("API_RATE_LIMIT", env.get("API_RATE_LIMIT", "120 per minute")),
    }
