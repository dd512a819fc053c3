"""Backup and restore drill for the embedded SQLite database, under write load.

1. A fresh instance is migrated and loaded with the demo data through the flask commands an operator runs.
2. Writer threads commit rows as fast as they can (each a small transaction, like requests and audit events).
3. `flask backup` copies the live database while they write.
4. The copy is restored as a new instance: integrity check, foreign key check, `flask db current` at head, and the
   app answers /healthz on it.

Reported: the rows committed before the backup started (all must be in the copy), the rows in the copy, the
window of writes the copy may miss (RPO: writes after the backup began), and the restore time (RTO).

    .venv/bin/python benchmarks/backup_drill.py [--writers 4] [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]


def flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([*FLASK, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed: {result.stderr.strip().splitlines()[-1:]}")
    return result.stdout


def environment(instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_INSTANCE": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'portal.db'}",
    }


def write_until(stop: threading.Event, database: Path, committed: list[int], lock: threading.Lock) -> None:
    """Commit one audit event at a time, as the portal does (WAL, synchronous=FULL, busy timeout)."""
    connection = sqlite3.connect(database, timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    while not stop.is_set():
        connection.execute("BEGIN IMMEDIATE")
        cursor = connection.execute(
            "INSERT INTO audit_events (at, actor_role, action, object_type, outcome, detail) "
            "VALUES (datetime('now'), 'drill', 'drill.write', 'drill', 'ok', '')"
        )
        connection.execute("COMMIT")
        with lock:
            committed.append(cursor.lastrowid)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0, help="how long the writers run before the backup")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="backup-drill-"))
    try:
        live, restored = work / "live", work / "restored"
        live.mkdir()
        env = environment(live)
        flask(env, "db", "upgrade")
        flask(env, "demo", "load")
        database = live / "portal.db"

        stop, lock, committed = threading.Event(), threading.Lock(), []
        writers = [
            threading.Thread(target=write_until, args=(stop, database, committed, lock)) for _ in range(options.writers)
        ]
        for writer in writers:
            writer.start()
        time.sleep(options.seconds)
        with lock:
            before_backup = set(committed)
        started = time.monotonic()
        output = flask(env, "backup", str(work / "copy.db"))
        backup_seconds = time.monotonic() - started
        time.sleep(1)
        stop.set()
        for writer in writers:
            writer.join()

        started = time.monotonic()
        restored.mkdir()
        shutil.copyfile(work / "copy.db", restored / "portal.db")
        restored_env = environment(restored)
        current = flask(restored_env, "db", "current")
        copy = sqlite3.connect(restored / "portal.db")
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
        foreign_keys = copy.execute("PRAGMA foreign_key_check").fetchall()
        in_copy = {row[0] for row in copy.execute("SELECT id FROM audit_events WHERE action = 'drill.write'")}
        copy.close()
        health = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "python"),
                "-c",
                "from wsgi import app; r = app.test_client().get('/healthz'); print(r.status_code, r.get_json())",
            ],
            cwd=ROOT,
            env=restored_env,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        restore_seconds = time.monotonic() - started

        lost = before_backup - in_copy
        print(output.strip())
        print(f"writers: {options.writers}, rows committed in all: {len(committed)}")
        print(f"rows committed before the backup began: {len(before_backup)}; missing from the copy: {len(lost)}")
        print(f"rows in the copy: {len(in_copy)} (writes after the backup began may be missing: that is the RPO)")
        print(f"backup took {backup_seconds:.2f} s while writing; restore to healthy: {restore_seconds:.2f} s (RTO)")
        print(f"integrity_check: {integrity}; foreign_key_check rows: {len(foreign_keys)}")
        print(f"flask db current: {current.strip()}; /healthz: {health}")
        if lost or integrity != "ok" or foreign_keys or "(head)" not in current or not health.startswith("200"):
            sys.exit("DRILL FAILED")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
