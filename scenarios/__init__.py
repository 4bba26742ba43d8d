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

from ._errors import InputFileError, ScenarioError
from .compare import check_expectations, comparison_table, deltas, junit_xml
from .files import Scenario, example_files, load_scenarios, scenario_files
from .pipeline import ScenarioResult, run_many, run_scenario
from .report import figures, write_bundle

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
