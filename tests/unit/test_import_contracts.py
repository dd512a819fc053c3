"""The import contracts are real: with the project's .importlinter, lint-imports reports planted breaches.

`make lint` (and so `make test`) runs lint-imports on the portal. This test runs it on a tiny package laid out like
the portal, once, without a cache: a second, not the whole project's graph.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".importlinter"

MODULES = {
    "extensions.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
    "models/users.py": "import sqlalchemy\n",
    "services/lookups.py": "from sqlalchemy import select\n\nfrom portal.extensions import db\n",
    "web/views.py": "from portal.services import lookups\n",  # allowed: the database through a service
    "domain/rules.py": "import datetime\n",
    # The planted breaches: one direct in each layer, one reaching the database through a service.
    "web/planted.py": "from sqlalchemy import select\n",
    "domain/planted.py": "from flask import current_app\n",
    "scheduler/planted.py": "from portal.models import users\n",
}
LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def test_lint_imports_reports_each_planted_breach_and_nothing_else(tmp_path):
    portal = tmp_path / "portal"
    for package in ("", "models", "services", "web", "domain", "scheduler"):
        (portal / package).mkdir(parents=True, exist_ok=True)
        (portal / package / "__init__.py").write_text("", encoding="utf-8")
    for name, source in MODULES.items():
        (portal / name).write_text(source, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, str(CONFIG), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=60,
    )
    report = " ".join(result.stdout.split())  # the report wraps long contract names
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 2 broken." in report
    assert "portal.web.planted -> sqlalchemy" in report
    assert "portal.domain.planted -> flask" in report
    assert "portal.scheduler.planted -> portal.models.users" in report
    assert "portal.web.views" not in report and "portal.domain.rules" not in report
