"""Every package's public names exist, are documented, and follow numpydoc (STYLE.md 2, 7).

Public means listed in ``__all__`` of a package or of one of its public submodules (a
module whose name has no leading underscore, e.g. ``staffing.errors``).
"""

import importlib
import inspect
import pkgutil

import pytest
from numpydoc.validate import validate

PACKAGES = ["staffing", "forecasting", "simulator", "scenarios", "scenarios.files"]
#: Packages whose top level must stay small (STYLE.md 2: about a dozen names, 15 at most).
SMALL_APIS = ["staffing", "forecasting", "simulator"]
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


PUBLIC_MODULES = [name for package in PACKAGES for name in _public_modules(package)]


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
