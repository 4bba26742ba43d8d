"""Scenarios: the one package that joins forecasting, staffing and simulation.

It holds the ``ccplan`` command line (``scenarios.cli``), the readers of its
input files (intervals CSV, shift templates and rules YAML), the
opening-hours business case and scheduling with the simulator in the loop;
the scenario schema and pipeline arrive with later issues.
"""

from ._business_case import BusinessCase, OpeningHours, business_case, closed_hours_demand
from ._errors import InputFileError, ScenarioError
from ._intervals import parse_target, read_intervals_csv
from ._shift_rules import ShiftRules, read_shift_rules
from ._sim_loop import SimulationLoopResult, schedule_with_simulation

__all__ = [
    "BusinessCase",
    "InputFileError",
    "OpeningHours",
    "ScenarioError",
    "ShiftRules",
    "SimulationLoopResult",
    "business_case",
    "closed_hours_demand",
    "parse_target",
    "read_intervals_csv",
    "read_shift_rules",
    "schedule_with_simulation",
]
