"""The type checker is real: with the project's own mypy settings it reports a planted error in a domain module.

`make lint` (and so `make test`) runs mypy on portal/domain, portal/scheduler and portal/services. This test runs it
on two tiny modules only, once, with its own empty cache: a few seconds, not the whole project's check.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pyproject.toml"

# An unannotated function: mypy skips its body unless check_untyped_defs is on, as the project's settings have it.
PLANTED = """
def pupils_seen(performances):
    seen: int = "three hundred"
    return seen
"""
CLEAN = """
def pupils_seen(performances: list[int]) -> int:
    return sum(performances)
"""


def test_the_type_checker_reports_a_planted_error_and_nothing_else(tmp_path):
    domain = tmp_path / "portal" / "domain"
    domain.mkdir(parents=True)
    for package in (domain.parent, domain):
        (package / "__init__.py").write_text("", encoding="utf-8")
    (domain / "planted.py").write_text(PLANTED, encoding="utf-8")
    (domain / "clean.py").write_text(CLEAN, encoding="utf-8")
    # One run for both modules, with its own cache: the project's settings, on these two files only.
    options = ["--config-file", str(CONFIG), "--cache-dir", str(tmp_path / "cache"), "--no-error-summary"]
    report, errors, status = api.run([*options, str(domain)])
    assert (errors, status) == ("", 1)
    assert report.splitlines() == [
        f'{domain / "planted.py"}:3: error: Incompatible types in assignment (expression has type "str", '
        'variable has type "int")  [assignment]'
    ]


def test_the_checked_packages_include_domain_scheduler_and_services():
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["tool"]["mypy"]
    assert {"portal/domain", "portal/scheduler", "portal/services"} <= set(settings["files"])
    assert settings["check_untyped_defs"] is True
