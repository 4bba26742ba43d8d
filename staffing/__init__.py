"""Analytic staffing: Erlang B, C and A, requirements, shrinkage, FTE, shift scheduling, cost.

Durations are seconds, fractions are 0-1. Every formula takes scalars or
numpy arrays (one value per interval) and broadcasts. The models and their
assumptions are in ``docs/models.md``.
"""

from ._contracts import check_forecast, check_requirements
from ._cost import CostReport, cost_report
from ._deferred import deferred_requirements
from ._errors import (
    ContractError,
    InfeasibleScheduleError,
    InfeasibleTargetError,
    InvalidParameterError,
    StaffingError,
)
from ._kpis import erlang_b, erlang_c, queue_kpis, required_agents
from ._pay import clock_seconds
from ._requirements import requirements
from ._schedule import Schedule, schedule_shifts
from ._shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate
from ._workforce import fte, scheduled_agents

__all__ = [
    "BreakRule",
    "CostReport",
    "PayRates",
    "Schedule",
    "ScheduleRules",
    "ShiftTemplate",
    "InfeasibleScheduleError",
    "schedule_shifts",
    "ContractError",
    "InfeasibleTargetError",
    "InvalidParameterError",
    "StaffingError",
    "check_forecast",
    "clock_seconds",
    "check_requirements",
    "cost_report",
    "deferred_requirements",
    "erlang_b",
    "erlang_c",
    "fte",
    "queue_kpis",
    "required_agents",
    "requirements",
    "scheduled_agents",
]
