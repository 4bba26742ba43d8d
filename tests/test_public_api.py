"""Every package's public names exist, are documented, and follow numpydoc (STYLE.md 2, 7).

Public means listed in ``__all__`` of a package or of one of its public submodules (a
module whose name has no leading underscore, e.g. ``staffing.errors``).
"""

import importlib
import inspect
import pkgutil

import pytest
from numpydoc.validate import validate

PACKAGES = ["staffing", "forecasting", "simulator", "scenarios", "scenarios.files",
            "scenarios.pipeline", "scenarios.compare", "scenarios.report", "scenarios.cli"]
MAX_PUBLIC_NAMES = 15

# numpydoc checks we hold public functions to: parameters documented and matching the
# signature, a Returns section, no unknown sections.
CHECKS = {"PR01", "PR02", "PR03", "PR04", "PR10", "RT01", "GL06", "GL07", "SS01", "SS03"}


def _public_modules(package):
    """The package and its public submodules (one level down), by dotted name."""
    module = importlib.import_module(package)
    yield package
    for info in pkgutil.iter_modules(module.__path__):
        if not info.name.startswith("_"):
            yield f"{package}.{info.name}"


PUBLIC_MODULES = list(dict.fromkeys(
    name for package in PACKAGES for name in _public_modules(package)))
#: Every public module must stay small (STYLE.md 2: about a dozen names, 15 at most).
SMALL_APIS = PUBLIC_MODULES


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_public_names_exist_and_have_docstrings(module_name):
    module = importlib.import_module(module_name)
    assert module.__doc__, f"{module_name} has no module docstring"
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        assert inspect.getdoc(obj), f"{module_name}.{name} has no docstring"


@pytest.mark.parametrize("package", SMALL_APIS)
def test_public_api_is_small(package):
    names = importlib.import_module(package).__all__
    assert len(names) <= MAX_PUBLIC_NAMES, f"{package}: {len(names)} public names: {names}"


def _public_functions():
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                yield f"{module_name}.{name}", obj


@pytest.mark.parametrize(("qualname", "func"), list(_public_functions()))
def test_public_functions_pass_numpydoc(qualname, func):
    result = validate(f"{func.__module__}.{func.__qualname__}")
    problems = [f"{code}: {msg}" for code, msg in result["errors"] if code in CHECKS]
    assert not problems, f"{qualname}: " + "; ".join(problems)


def test_dashboard_imports_without_streamlit_side_effects():
    importlib.import_module("dashboard")


#: Imports of private modules that stay, and why (STYLE.md 2: unit tests of a private helper
#: are the only exception). Anything else in tests/, dashboard/, benchmarks/ or docs/scripts/
#: goes through public names.
PRIVATE_IMPORTS_ALLOWED = {
    # the Erlang kernels' own thresholds are lowered to reach the large-x paths cheaply
    ("tests/staffing/test_erlang_bounded.py", "staffing._erlang"),
    # the scheduler's clock is what these tests slow down and jump
    ("tests/staffing/test_schedule_determinism.py", "staffing._schedule"),
    ("tests/schedule_clock.py", "staffing._schedule"),
    # a solver failure and a forecast failure injected into one pipeline stage
    ("tests/scenarios/test_scenario_misreads.py", "scenarios.pipeline._schedule"),
    ("tests/scenarios/test_scenario_misreads.py", "scenarios.pipeline._demand"),
    # unit tests of the report's band and point-label helpers
    ("tests/scenarios/test_report.py", "scenarios.report._scenario_figures"),
    ("tests/scenarios/test_report.py", "scenarios.report._money_figures"),
    # unit test of the simulator ledger's block-binned wait histogram
    ("tests/simulator/test_wait_histogram.py", "simulator._ledger"),
}


def _imported_modules(path):
    import ast

    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_tests_and_the_dashboard_import_only_public_modules():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    ours = ("staffing", "forecasting", "simulator", "scenarios", "dashboard")
    found = set()
    for folder in ("tests", "dashboard", "benchmarks", "docs/scripts"):
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            for module in _imported_modules(path):
                parts = module.split(".")
                if parts[0] not in ours or parts[0] == "dashboard":
                    continue  # the dashboard's own modules are its inside
                if any(part.startswith("_") for part in parts):
                    found.add((rel, module))
    assert found - PRIVATE_IMPORTS_ALLOWED == set()
    assert PRIVATE_IMPORTS_ALLOWED - found == set(), "an allowed private import is gone: drop it"
