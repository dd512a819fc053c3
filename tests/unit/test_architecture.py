"""The pure layers stay pure: portal/domain and portal/scheduler import no web framework, ORM or app wiring; and
portal/web reaches the database only through services (no SQLAlchemy, no `db`).

lint-imports (.importlinter, run by make lint) checks the same rules on modules; this test also checks the one rule
import-linter cannot express, since it names modules only: web may import portal.extensions (for the rate limiter) but
not its `db`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
PURE_MODULES = sorted([*PORTAL.glob("domain/*.py"), *PORTAL.glob("scheduler/*.py")])
FORBIDDEN = ("flask", "flask_*", "sqlalchemy", "portal.models", "portal.extensions", "portal.services", "portal.web")
WEB_MODULES = sorted(PORTAL.glob("web/**/*.py"))
WEB_FORBIDDEN = ("sqlalchemy", "flask_sqlalchemy", "portal.extensions.db")


def forbidden(module: str, rules: tuple[str, ...] = FORBIDDEN) -> bool:
    for rule in rules:
        if rule.endswith("*"):
            if module.startswith(rule[:-1]):
                return True
        elif module == rule or module.startswith(rule + "."):
            return True
    return False


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module an import statement names, anywhere in the file (lazy imports inside functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(PORTAL.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def test_the_pure_layers_exist():
    assert any(path.parent.name == "domain" for path in PURE_MODULES)
    assert any(path.parent.name == "scheduler" for path in PURE_MODULES)


@pytest.mark.parametrize("path", PURE_MODULES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_pure_module_imports_no_framework_or_app_wiring(path):
    breaches = [f"line {line}: {module}" for line, module in imported_modules(path) if forbidden(module)]
    assert breaches == [], f"{path.relative_to(PORTAL.parent)} must stay pure"


@pytest.mark.parametrize("path", WEB_MODULES, ids=lambda path: str(path.relative_to(PORTAL / "web")))
def test_web_module_reaches_the_database_only_through_services(path):
    breaches = [f"line {line}: {module}" for line, module in imported_modules(path) if forbidden(module, WEB_FORBIDDEN)]
    assert breaches == [], f"{path.relative_to(PORTAL.parent)} must load and save through portal.services"


@pytest.mark.parametrize("source", ["from portal.extensions import db, limiter\n", "import sqlalchemy.orm\n"])
def test_the_web_rule_catches_the_database(monkeypatch, source):
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    modules = [module for _line, module in imported_modules(PORTAL / "web" / "example.py")]
    assert any(forbidden(module, WEB_FORBIDDEN) for module in modules)


def test_the_web_rule_lets_the_limiter_through(monkeypatch):
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: "from portal.extensions import limiter\n")
    modules = [module for _line, module in imported_modules(PORTAL / "web" / "example.py")]
    assert not any(forbidden(module, WEB_FORBIDDEN) for module in modules)


@pytest.mark.parametrize(
    "module",
    ["flask", "flask.cli", "flask_login", "flask_wtf.csrf", "sqlalchemy.orm", "portal.models.users", "portal.web"],
)
def test_the_rule_catches_what_it_should(module):
    assert forbidden(module)


@pytest.mark.parametrize("module", ["portal.domain.requests", "portal.clock", "datetime", "ortools", "flasky"])
def test_the_rule_lets_pure_imports_through(module):
    assert not forbidden(module)


def test_relative_imports_are_resolved(monkeypatch):
    source = "from ..models import User\nfrom . import calendars\n"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    modules = {module for _line, module in imported_modules(PORTAL / "domain" / "example.py")}
    assert {"portal.models", "portal.models.User", "portal.domain.calendars"} <= modules
