"""Scenarios: the one package that joins forecasting, staffing and simulation.

A scenario file describes a centre, its variants and sweep points, and the
expectations a plan must meet. The subpackages show the flow, and import one
way (docs/architecture.md)::

    files     -> pipeline              -> compare            -> report         -> cli
    YAML,        run_scenario: demand,    comparison table,     HTML reports,     the ccplan
    units,       requirements, schedule,  frontier, deltas,     every figure,     commands
    readers      simulate, cost, summary  expect: checks        the run folder

The names here are the everyday API: ``load_scenarios`` reads a file (base,
variants, sweep points), ``run_scenario`` / ``run_many`` run scenarios into
``ScenarioResult`` tables, ``comparison_table`` / ``deltas`` compare them,
``check_expectations`` / ``junit_xml`` judge their ``expect:`` blocks,
``write_bundle`` writes a run's folder and ``figures`` holds every chart.
Each subpackage's own ``__all__`` has the rest (e.g. ``scenarios.files.
scenario_json_schema``, ``scenarios.pipeline.contracts``).
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import InputFileError, ScenarioError

if TYPE_CHECKING:
    from .compare import check_expectations, comparison_table, deltas, junit_xml
    from .files import Scenario, example_files, load_scenarios, scenario_files
    from .pipeline import ScenarioResult, run_many, run_scenario
    from .report import figures, write_bundle

#: The subpackage of each public name (and each subpackage), imported on first use (PEP
#: 562): ``import scenarios`` (and every ``ccplan`` command through it) loads no engine,
#: report or model until a name is used. The imports above, for type checkers, say the same
#: (tests/scenarios/test_cli_startup.py checks that they agree).
_HOMES = {
    "check_expectations": ".compare",
    "comparison_table": ".compare",
    "deltas": ".compare",
    "junit_xml": ".compare",
    "Scenario": ".files",
    "example_files": ".files",
    "load_scenarios": ".files",
    "scenario_files": ".files",
    "ScenarioResult": ".pipeline",
    "run_many": ".pipeline",
    "run_scenario": ".pipeline",
    "figures": ".report",
    "write_bundle": ".report",
    "files": ".files",
    "pipeline": ".pipeline",
    "compare": ".compare",
    "report": ".report",
    "cli": ".cli",
}

__all__ = [
    "InputFileError",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "check_expectations",
    "comparison_table",
    "deltas",
    "example_files",
    "figures",
    "junit_xml",
    "load_scenarios",
    "run_many",
    "run_scenario",
    "scenario_files",
    "write_bundle",
]


if not TYPE_CHECKING:  # type checkers see the imports above (and no catch-all)

    def __getattr__(name: str) -> Any:
        """A public name, imported from its subpackage on first use."""
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = importlib.import_module(home, __name__)
        value = module if home == f".{name}" else getattr(module, name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_HOMES))
