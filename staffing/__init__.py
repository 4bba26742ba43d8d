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

from ._cost import CostReport, cost_report
from ._deferred import deferred_requirements
from ._kpis import erlang_b, erlang_c, queue_kpis, required_agents
from ._requirements import requirements
from ._schedule import Schedule, schedule_shifts
from ._workforce import agents_on_queue, fte, scheduled_agents
from .errors import StaffingError

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
