"""Start-up: small ``ccplan`` commands load only what they use (no timing here; the times are
in ``benchmarks/bench_pipeline.py``).

``import scenarios`` and the command line import nothing heavy; ``ccplan erlang`` on one
interval needs numpy and scipy.special (the Erlang formulas), and never pandas (with pyarrow,
about a third of a second: it reads --csv and writes --out only) nor the statistics,
optimisation, forecasting, simulation, plotting, solver or dashboard libraries.
The package ``__init__`` files that import their names on first use (PEP 562) say each
name's module twice, for the interpreter (``_HOMES``) and for type checkers (the
``TYPE_CHECKING`` imports): both must agree with ``__all__``.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Never needed by ``ccplan --help`` nor by ``ccplan erlang`` on one interval.
HEAVY = ("scipy.stats", "scipy.optimize", "scipy.sparse", "statsmodels", "plotly", "simpy",
         "highspy", "streamlit", "holidays", "yaml", "forecasting._daily", "simulator._engine",
         "staffing._schedule", "scenarios.pipeline", "scenarios.report", "scenarios.compare",
         "scenarios.files._scenario")
#: Not needed either by ``ccplan --help`` (nor by the import of the command line).
TABLES = ("numpy", "pandas", "scipy", "pyarrow")
ERLANG = ["erlang", "--offered", "100", "--interval-s", "1800", "--aht-s", "180", "--target",
          "80/20"]


def _loaded_after(code: str, watched: tuple[str, ...] = HEAVY) -> list[str]:
    """The ``watched`` modules loaded once ``code`` ran in a new interpreter."""
    probe = (f"{code}\nimport sys\nprint(__import__('json').dumps(sorted(m for m in "
             f"{watched!r} if m in sys.modules)), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["scenarios", "scenarios.files", "scenarios.cli._app",
                                    "staffing", "forecasting", "simulator"])
def test_importing_loads_nothing_heavy(module):
    assert _loaded_after(f"import {module}") == []


@pytest.mark.parametrize("argv", [["--help"], ["erlang", "--help"], ["run", "--help"]])
def test_ccplan_help_loads_nothing_heavy_nor_the_table_libraries(argv):
    code = (f"import sys\nsys.argv = ['ccplan', *{argv!r}]\nfrom scenarios.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert _loaded_after(code, HEAVY + TABLES) == []


def test_ccplan_erlang_loads_only_the_erlang_formulas():
    code = (f"import sys\nsys.argv = ['ccplan', *{ERLANG!r}]\nfrom scenarios.cli import main\n"
            "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "assert 'scipy.special' in sys.modules and 'staffing._erlang' in sys.modules")
    assert _loaded_after(code, HEAVY + ("pandas", "pyarrow")) == []


LAZY_PACKAGES = ["scenarios", "scenarios.files", "staffing", "forecasting", "simulator"]


def _type_checking_imports(path: Path) -> dict[str, str]:
    """Name -> relative module of the imports under ``if TYPE_CHECKING:``."""
    found = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                assert isinstance(stmt, ast.ImportFrom), ast.dump(stmt)
                for alias in stmt.names:
                    found[alias.name] = "." * stmt.level + (stmt.module or alias.name)
    return found


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_lazy_names_agree_with_the_type_checking_imports_and_all(package):
    module = importlib.import_module(package)
    homes = module._HOMES
    submodules = {name for name, home in homes.items() if home == f".{name}"}
    path = Path(module.__file__)
    typed = _type_checking_imports(path)
    assert {n: h for n, h in homes.items() if n not in submodules} == {
        n: h for n, h in typed.items() if n not in submodules}
    eager = set(vars(module)) - set(homes)
    for name in module.__all__:
        assert name in homes or name in eager, f"{package}.{name} is neither lazy nor imported"
        assert getattr(module, name) is not None
    for name in submodules:
        assert getattr(module, name).__name__ == f"{package}.{name}"
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        module.no_such_name  # noqa: B018
