"""Consistent copies of the embedded SQLite database, taken while the portal keeps writing, and restored from.

SQLite's online backup API copies a consistent snapshot page by page, WAL included, without stopping writers; a
plain file copy of a live database in WAL mode can miss committed transactions or copy a torn page. A restore goes
the other way through the same API, so the database file is replaced as one transaction (never half a copy), and
only from a file that is a whole portal database of the current schema. PostgreSQL is backed up and restored with
its own tools (pg_dump -Fc and pg_restore, and WAL archiving), not from here.
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
        raise BackupError(
            "only the embedded SQLite database is backed up and restored here; for PostgreSQL use pg_dump -Fc and "
            "pg_restore, then flask reach rebuild"
        )
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


def check_backup(path: Path, head: str) -> dict[str, int | str]:
    """The backup's figures if it is a sound portal database at the migrations' `head`; BackupError otherwise."""
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}")
    try:
        copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as error:
        raise BackupError(f"{path} cannot be opened as a database: {error}") from error
    try:
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            raise BackupError(f"{path} failed its integrity check: {integrity}")
        names = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in names:
            raise BackupError(f"{path} is not a portal database: it has no alembic_version table")
        versions = [row[0] for row in copy.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.DatabaseError as error:  # "file is not a database", a truncated file
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from error
    finally:
        copy.close()
    if versions != [head]:
        found = ", ".join(versions) or "none"
        raise BackupError(f"{path} is at migration {found}, not {head}: restore it into a portal of its own version")
    return {"tables": len(names), "revision": head, "bytes": path.stat().st_size}


def restore_sqlite(database_url: str, source: Path, head: str) -> dict[str, int | str]:
    """Replace the configured database's content with the checked backup `source`, in one transaction, and check the
    result; the database is left as it was when the backup is refused."""
    target_path = sqlite_path(database_url)
    if target_path.exists() and source.exists() and target_path.samefile(source):
        raise BackupError(f"{source} is the portal's own database, not a backup of it")
    figures = check_backup(source, head)
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(target_path, timeout=30)
        try:
            backup.backup(target)
            integrity = target.execute("PRAGMA integrity_check").fetchone()[0]
            foreign_keys = target.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            target.close()
    except sqlite3.Error as error:
        raise BackupError(f"the copy into {target_path} failed: {error}") from error
    finally:
        backup.close()
    if integrity != "ok" or foreign_keys:
        raise BackupError(
            f"the restored database failed its checks: {integrity}, {len(foreign_keys)} broken references"
        )
    return figures
