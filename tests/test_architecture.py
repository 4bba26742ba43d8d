"""The house keeps its shape (docs/architecture.md): no import cycles, no module that has
grown into a package, and every package folder shipped in the wheel."""

from __future__ import annotations

import fnmatch
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("staffing", "forecasting", "simulator", "scenarios", "dashboard")
#: A module this long is a package waiting to be cut (issue 15).
MAX_MODULE_LINES = 700


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), over direct imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.find_modules_directly_imported_by(v)):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for module in sorted(graph.modules):
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_import_cycles():
    graph = grimp.build_graph(*PACKAGES)
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    # The check above can fail: two modules importing each other are one group.
    graph = grimp.ImportGraph()
    for a, b in (("p.a", "p.b"), ("p.b", "p.a"), ("p.b", "p.c")):
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph) == [["p.a", "p.b"]]


def test_no_module_in_scenarios_or_simulator_is_over_700_lines():
    long = {str(p.relative_to(ROOT)): n for folder in ("scenarios", "simulator")
            for p in (ROOT / folder).rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_every_package_folder_is_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    folders = {".".join(p.parent.relative_to(ROOT).parts) for name in PACKAGES
               for p in (ROOT / name).rglob("__init__.py")}
    # setuptools' find: a package is shipped when its dotted name matches an include pattern.
    missing = {f for f in folders if not any(fnmatch.fnmatchcase(f, pat) for pat in include)}
    assert {"scenarios.files", "scenarios.pipeline", "dashboard"} <= folders
    assert missing == set()
