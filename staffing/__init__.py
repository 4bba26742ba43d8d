"""Analytic staffing: Erlang B, C and A, requirements, shrinkage, FTE, shift scheduling, cost.

Durations are seconds, fractions are 0-1. Every formula takes scalars or
numpy arrays (one value per interval) and broadcasts. The models and their
assumptions are in ``docs/models.md``.

* The queue: ``erlang_b``, ``erlang_c``, ``queue_kpis`` (every KPI at a
  staffing), ``required_agents`` (the fewest agents that meet the targets),
  ``requirements`` (the same over a ``forecast`` table) and
  ``deferred_requirements`` (email-like work answered within a deadline).
* The workforce: ``scheduled_agents`` and ``agents_on_queue`` convert
  between agents on the queue and agents on duty (shrinkage), ``fte``
  turns agent-hours into full-time equivalents.
* The schedule: ``schedule_shifts`` returns a ``Schedule`` from the shift
  templates, labour rules and pay rates of :mod:`staffing.shifts`;
  ``cost_report`` prices it in a ``CostReport``.

Public submodules: :mod:`staffing.shifts` (the scheduler's inputs and the
local clock they go by), :mod:`staffing.capacity` (the long-range supply:
headcount, hiring classes, attrition and ramp week by week, the shrinkage
plan by category, the hiring plan at least cost, and the Monte Carlo risk
runs with the plan that covers the requirement at a given probability),
:mod:`staffing.errors` (the exception tree under ``StaffingError``) and
:mod:`staffing.contracts` (the tables staffing reads and writes, and their
checks).
"""

import importlib
from typing import TYPE_CHECKING, Any

from .errors import StaffingError

if TYPE_CHECKING:
    from ._cost import CostReport, cost_report
    from ._deferred import deferred_requirements
    from ._kpis import erlang_b, erlang_c, queue_kpis, required_agents
    from ._requirements import requirements
    from ._schedule import Schedule, schedule_shifts
    from ._workforce import agents_on_queue, fte, scheduled_agents

#: Where each public name (and public submodule) lives, imported on first use (PEP 562):
#: ``import staffing`` loads neither HiGHS nor scipy.optimize until a schedule is made. The
#: imports above, for type checkers, say the same (tests/scenarios/test_cli_startup.py).
_HOMES = {
    "CostReport": "._cost",
    "cost_report": "._cost",
    "deferred_requirements": "._deferred",
    "erlang_b": "._kpis",
    "erlang_c": "._kpis",
    "queue_kpis": "._kpis",
    "required_agents": "._kpis",
    "requirements": "._requirements",
    "Schedule": "._schedule",
    "schedule_shifts": "._schedule",
    "agents_on_queue": "._workforce",
    "fte": "._workforce",
    "scheduled_agents": "._workforce",
    "capacity": ".capacity",
    "contracts": ".contracts",
    "shifts": ".shifts",
}

__all__ = [
    "CostReport",
    "Schedule",
    "StaffingError",
    "agents_on_queue",
    "cost_report",
    "deferred_requirements",
    "erlang_b",
    "erlang_c",
    "fte",
    "queue_kpis",
    "required_agents",
    "requirements",
    "schedule_shifts",
    "scheduled_agents",
]


if not TYPE_CHECKING:  # type checkers see the imports above (and no catch-all)

    def __getattr__(name: str) -> Any:
        """A public name, imported from its module on first use."""
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = importlib.import_module(home, __name__)
        value = module if home == f".{name}" else getattr(module, name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_HOMES))
