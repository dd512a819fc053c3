"""The scheduler stays a pure-Python package, independent of the web app."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

PACKAGE = pathlib.Path(__file__).resolve().parents[3] / "portal" / "scheduler"
FORBIDDEN = ("flask", "sqlalchemy", "portal.models", "portal.web", "portal.services", "portal.extensions")


def _imports(path: pathlib.Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against portal.scheduler
                base = "portal" if node.level >= 2 else "portal.scheduler"
                names.append(f"{base}.{node.module}" if node.module else base)
            else:
                names.append(node.module or "")
    return names


def test_scheduler_imports_no_web_app_modules():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for name in _imports(path):
            low = name.lower()
            if any(low == f or low.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_importing_the_package_does_not_import_ortools():
    code = "import sys, portal.scheduler; print('ortools' in sys.modules, 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parents[1])
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_the_instance_model_does_not_import_the_checker():
    assert not [name for name in _imports(PACKAGE / "model.py") if name.startswith("portal.scheduler.checker")]
