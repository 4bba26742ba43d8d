"""Scenarios: the one package that joins forecasting, staffing and simulation.

It holds the ``ccplan`` command line (``scenarios.cli``), the readers of its
input files (intervals CSV, shift templates and rules YAML) and the scenario
files: ``load_scenarios`` reads one (base, variants,
sweep points), ``run_scenario`` runs one through demand, requirements,
schedule, simulation, cost and summary (simulation-corrected staffing is
``staffing: {method: simulation}``; an opening-hours business case is a file
whose variants set ``hours:``), ``check_expectations`` judges its ``expect:``
block, and the reports and comparison tables read the ``ScenarioResult``;
``figures`` holds every chart, for the reports and the dashboard alike.
"""

from ._errors import InputFileError, ScenarioError
from .compare._expect import CheckOutcome, check_expectations, junit_xml
from .compare._table import comparison_table, cost_per_incremental_contact, deltas
from .files import (
    OpeningHours,
    Scenario,
    ShiftRules,
    example_files,
    load_scenarios,
    parse_target,
    read_intervals_csv,
    read_shift_rules,
    safe_csv_text,
    scenario_files,
    scenario_json_schema,
)
from .pipeline._closed_hours import closed_hours_demand
from .pipeline._demand import scenario_demand, scenario_forecast
from .pipeline._result import ResultInvariantError, ScenarioResult, check_result
from .pipeline._run import run_scenario
from .report import figures
from .report._bundle import write_bundle
from .report._html import comparison_report_html, run_report_html
from .report._scenario_report import scenario_report_html

__all__ = [
    "CheckOutcome",
    "Scenario",
    "ResultInvariantError",
    "ScenarioResult",
    "check_result",
    "check_expectations",
    "comparison_report_html",
    "comparison_table",
    "cost_per_incremental_contact",
    "deltas",
    "example_files",
    "figures",
    "junit_xml",
    "load_scenarios",
    "run_report_html",
    "run_scenario",
    "safe_csv_text",
    "scenario_demand",
    "scenario_forecast",
    "scenario_files",
    "scenario_json_schema",
    "scenario_report_html",
    "write_bundle",
    "InputFileError",
    "OpeningHours",
    "ScenarioError",
    "ShiftRules",
    "closed_hours_demand",
    "parse_target",
    "read_intervals_csv",
    "read_shift_rules",
]
