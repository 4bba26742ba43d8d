"""Analytic staffing: Erlang B, C and A, required agents, shrinkage, FTE and deferred work.

Durations are seconds, fractions are 0-1. Every formula takes scalars or
numpy arrays (one value per interval) and broadcasts.
"""

from ._errors import ContractError, InfeasibleTargetError, InvalidParameterError, StaffingError
from ._kpis import erlang_b, erlang_c, queue_kpis, required_agents

__all__ = [
    "ContractError",
    "InfeasibleTargetError",
    "InvalidParameterError",
    "StaffingError",
    "erlang_b",
    "erlang_c",
    "queue_kpis",
    "required_agents",
]
