"""Every package's public names exist, are documented, and follow numpydoc (STYLE.md 2, 7)."""

import importlib
import inspect

import pytest
from numpydoc.validate import validate

PACKAGES = ["staffing", "forecasting", "simulator", "scenarios", "scenarios.files"]

# numpydoc checks we hold public functions to: parameters documented and matching the
# signature, a Returns section, no unknown sections.
CHECKS = {"PR01", "PR02", "PR03", "PR04", "PR10", "RT01", "GL06", "GL07", "SS01", "SS03"}


@pytest.mark.parametrize("package", PACKAGES)
def test_public_names_exist_and_have_docstrings(package):
    module = importlib.import_module(package)
    assert module.__doc__, f"{package} has no module docstring"
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name)
        assert inspect.getdoc(obj), f"{package}.{name} has no docstring"


def _public_functions():
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                yield f"{package}.{name}", obj


@pytest.mark.parametrize(("qualname", "func"), list(_public_functions()))
def test_public_functions_pass_numpydoc(qualname, func):
    result = validate(f"{func.__module__}.{func.__qualname__}")
    problems = [f"{code}: {msg}" for code, msg in result["errors"] if code in CHECKS]
    assert not problems, f"{qualname}: " + "; ".join(problems)


def test_dashboard_imports_without_streamlit_side_effects():
    importlib.import_module("dashboard")
