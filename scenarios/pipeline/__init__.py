"""The pipeline: one scenario through its stages, tables in and tables out.

demand -> requirements -> schedule -> simulate -> cost -> summary; each stage
hands the next a documented long table (``channel`` or ``group``,
``interval_start``; the columns are in :mod:`scenarios.pipeline.contracts`).
``run_scenario`` is the one entry point; ``run_many`` runs several, serially,
on local processes or on Dask.
"""

from . import contracts
from ._capacity import run_capacity
from ._capacity_result import CapacityResult
from ._closed_hours import closed_hours_demand
from ._demand import scenario_demand, scenario_forecast
from ._parallel import TaskFailure, default_workers, run_many
from ._result import ResultInvariantError, ScenarioResult, check_result
from ._run import run_scenario

__all__ = [
    "CapacityResult",
    "ResultInvariantError",
    "ScenarioResult",
    "TaskFailure",
    "check_result",
    "closed_hours_demand",
    "contracts",
    "default_workers",
    "run_capacity",
    "run_many",
    "run_scenario",
    "scenario_demand",
    "scenario_forecast",
]
