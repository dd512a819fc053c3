"""Consistent copies of the embedded SQLite database, taken while the portal keeps writing.

SQLite's online backup API copies a consistent snapshot page by page, WAL included, without stopping writers; a
plain file copy of a live database in WAL mode can miss committed transactions or copy a torn page. PostgreSQL is
backed up with its own tools (pg_dump -Fc and WAL archiving), not from here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup could not be taken; nothing was written at the destination."""


def sqlite_path(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("only the embedded SQLite database is backed up here; use pg_dump -Fc for PostgreSQL")
    return Path(url.database)


def back_up_sqlite(database_url: str, destination: Path) -> dict[str, int | str]:
    """Copy the live database to `destination` (which must not exist) and check the copy; returns its figures."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise BackupError(f"there is no database at {source_path}")
    if destination.exists():
        raise BackupError(f"{destination} already exists: choose a new file name")
    partial = destination.with_name(destination.name + ".partial")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target, pages=1024)  # in steps, so writers are never held up for long
            integrity = target.execute("PRAGMA integrity_check").fetchone()[0]
            tables = target.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            version = target.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        finally:
            target.close()
    finally:
        source.close()
    if integrity != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {integrity}")
    partial.rename(destination)
    return {"tables": tables, "revision": version, "bytes": destination.stat().st_size}
