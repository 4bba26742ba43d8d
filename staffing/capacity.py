"""Long-range capacity: headcount supply week by week, and the hiring plan at least cost.

Numbers in, tables out (issue 17, the supply side). Weeks are numbered ``0 .. n_weeks - 1``
from the start of the horizon; the required productive FTE per week and group is an input.

The model (``docs/capacity.md`` has it with worked examples)
-------------------------------------------------------------
Every quantity is an expected value: fractional heads and leavers are kept as they are, never
rounded (an expected 0.4 leavers is 0.4); only class sizes are whole people.

* ``headcount[t]`` is the agents on the floor (trained) at the start of week ``t``; they work
  week ``t``. ``leavers[t]`` of them leave at its end, each at the weekly attrition rate of
  their tenure (weeks on the floor): ``early_attrition_weekly[k]`` in their ``k``-th week,
  ``attrition_weekly`` after.
* A hiring class of ``size`` starting in week ``s`` trains in weeks ``s .. s + w - 1`` (``w =
  training_weeks``); at the end of week ``s + w - 1`` a share ``graduation_share`` of it
  graduates (``graduates``) and the rest drop out (``training_dropouts``); graduates are on the
  floor from week ``s + w`` with tenure 0. A class without training (``w = 0``, ``s >= 1``)
  graduates at the end of week ``s - 1`` and works from week ``s``; its hires count in week
  ``s``.
* A transfer of ``headcount`` agents from group A to group B in week ``t`` moves them at the end
  of week ``t``; they are tenured (full productivity, tenured attrition) in both groups.
* Stock and flow, exactly: ``headcount[t + 1] = headcount[t] + graduates[t] - leavers[t] +
  transfers_in[t] - transfers_out[t]``, and ``trainees[t + 1] = trainees[t] + hires[t + 1] -
  graduates[t] - training_dropouts[t]``.
* Productive FTE available in week ``t``: the sum over agents on the floor of
  ``fte_per_head x ramp[k] x (1 - shrinkage[t])`` (``ramp[k]`` the productivity in the
  ``k``-th week on the floor, 1 after the ramp).
* Overtime fills the gap ``required - available`` up to ``overtime_limit_fte`` per week; what is
  left is ``short_fte``.
* Cost: ``wage_per_fte_week x fte_per_head`` for every agent on the floor and in training,
  ``hire_cost`` per hire in its start week, ``training_cost_per_week`` per trainee-week,
  ``wage_per_fte_week x (1 + overtime_premium)`` per FTE-week of overtime; the objective adds
  ``short_penalty_per_fte_week`` per FTE-week short.

Because every flow is linear in the class sizes, the hiring plan is a mixed-integer programme
(:func:`plan_hiring`, HiGHS, deterministic budgets) and its optimum is priced by the same
:func:`capacity_whatif`.

Also here: :func:`shrinkage_plan` (the weekly shrinkage by category that ``AgentGroup`` takes),
and the risk (Monte Carlo runs with binomial leavers and demand paths): :func:`capacity_risk`
-> :class:`CapacityRisk`, and :func:`plan_hiring_at_risk` (a plan whose coverage probability
reaches a level).

This module is public: import its ``__all__`` from here
(``from staffing.capacity import AgentGroup``); the code lives in private modules
(``_capacity``: the expected model and the MILP; ``_capacity_risk``; ``_shrinkage``).
"""

from ._capacity import CLASS_COLUMNS as CLASS_COLUMNS
from ._capacity import WEEKLY_COLUMNS as WEEKLY_COLUMNS
from ._capacity import WEEKS_PER_YEAR as WEEKS_PER_YEAR
from ._capacity import (
    AgentGroup,
    CapacityPlan,
    HiringClass,
    HiringRules,
    Transfer,
    capacity_whatif,
    plan_hiring,
    weekly_attrition,
)
from ._capacity_risk import RISK_COLUMNS as RISK_COLUMNS
from ._capacity_risk import CapacityRisk, capacity_risk, plan_hiring_at_risk
from ._shrinkage import shrinkage_plan

__all__ = [
    "AgentGroup",
    "CapacityPlan",
    "CapacityRisk",
    "HiringClass",
    "HiringRules",
    "Transfer",
    "capacity_risk",
    "capacity_whatif",
    "plan_hiring",
    "plan_hiring_at_risk",
    "shrinkage_plan",
    "weekly_attrition",
]
