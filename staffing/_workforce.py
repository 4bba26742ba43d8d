"""Agents on the queue and agents on duty (shrinkage), and full-time equivalents.

Shrinkage is the share of on-duty time in which an agent is not available for
contacts (absence, meetings, training, coaching). This module owns the two
conversions between agents on the queue and agents on duty, and everything
else in ccplan calls them:

* on queue -> on duty, :func:`scheduled_agents`:
  ``ceil(on_queue / (1 - shrinkage))``, the fewest agents on duty that leave
  at least ``on_queue`` after shrinkage;
* on duty -> on queue, :func:`agents_on_queue`:
  ``floor(on_duty x (1 - shrinkage))``, the most agents a staffing of
  ``on_duty`` puts on the queue.

The two are inverse in the sense that matters for planning:
``agents_on_queue(scheduled_agents(x)) >= x`` and
``scheduled_agents(agents_on_queue(y)) <= y``. Both forgive float noise of
1e-9 agents, so exact products and quotients (10 x 0.7 = 7, 7 / 0.7 = 10)
are not pushed to the next whole agent.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_float_array, as_int_array, broadcast

#: Seconds in one week, the period FTE is expressed against by default.
WEEK_S = 7 * 24 * 3600.0
#: Float noise forgiven when a shrinkage conversion rounds, in agents.
_ROUNDING_SLACK = 1e-9


def on_duty_for(on_queue: np.ndarray, shrinkage: np.ndarray | float) -> np.ndarray:
    """``ceil(on_queue / (1 - shrinkage))`` on checked arrays (int64); see the module docstring."""
    return np.ceil(on_queue / (1.0 - shrinkage) - _ROUNDING_SLACK).astype(np.int64)


def on_queue_of(on_duty: np.ndarray, shrinkage: np.ndarray | float) -> np.ndarray:
    """``floor(on_duty x (1 - shrinkage))`` on checked arrays (int64); see the module docstring."""
    return np.floor(on_duty * (1.0 - shrinkage) + _ROUNDING_SLACK).astype(np.int64)


def _convert(func: str, agents_name: str, agents: Any, shrinkage: Any, kernel, hint: str):
    agents_arr = as_int_array(func, agents_name, agents, hint=hint)
    shr = as_float_array(func, "shrinkage", shrinkage, ge=0.0, lt=1.0,
                         hint="Give a fraction in [0, 1), e.g. 0.3 for 30%.")
    scalar_in = agents_arr.ndim == 0 and shr.ndim == 0
    agents_arr, shr = broadcast(func, **{agents_name: agents_arr, "shrinkage": shr})
    out = kernel(agents_arr, shr)
    return int(out.item()) if scalar_in else out


def scheduled_agents(agents_required: Any, shrinkage: Any):
    """Agents to schedule so that, after shrinkage, enough remain on the queue.

    ``scheduled = ceil(required / (1 - shrinkage))``. Shrinkage is the share of
    paid time in which a scheduled agent is not available for contacts
    (breaks, meetings, training, absence), as a fraction of scheduled time.

    Parameters
    ----------
    agents_required : int or array of int
        Agents needed on the queue per interval (e.g. from
        :func:`required_agents`), whole numbers >= 0.
    shrinkage : float or array of float
        Fraction of scheduled time lost, in [0, 1).

    Returns
    -------
    int or numpy.ndarray of int64
        Agents to schedule per interval.

    Examples
    --------
    >>> scheduled_agents(14, 0.3)
    20
    >>> scheduled_agents([0, 7, 10], 0.3).tolist()
    [0, 10, 15]
    """
    return _convert("scheduled_agents()", "agents_required", agents_required, shrinkage,
                    on_duty_for, "Give agents per interval, e.g. from required_agents().")


def agents_on_queue(agents_on_duty: Any, shrinkage: Any):
    """Agents left on the queue when ``agents_on_duty`` are on duty, after shrinkage.

    ``on_queue = floor(on_duty x (1 - shrinkage))``: the inverse of
    :func:`scheduled_agents`, rounded down so that meeting the scheduled
    number gives back at least the requirement
    (``agents_on_queue(scheduled_agents(x, s), s) >= x``).

    Parameters
    ----------
    agents_on_duty : int or array of int
        Agents on duty (scheduled and off break) per interval, whole numbers
        >= 0 (e.g. the ``agents_scheduled`` column of a schedule's coverage).
    shrinkage : float or array of float
        Fraction of on-duty time lost to absence, meetings and training, in
        [0, 1).

    Returns
    -------
    int or numpy.ndarray of int64
        Agents on the queue per interval (an int for scalar inputs).

    Examples
    --------
    >>> agents_on_queue(20, 0.3)
    14
    >>> agents_on_queue([0, 10, 15], 0.3).tolist()
    [0, 7, 10]
    """
    return _convert("agents_on_queue()", "agents_on_duty", agents_on_duty, shrinkage,
                    on_queue_of, "Give agents on duty per interval, e.g. a schedule's "
                    "agents_scheduled.")


def fte(agents_scheduled: Any, interval_s: float, contracted_hours_per_week: float,
        period_s: float = WEEK_S) -> float:
    """Full-time equivalents needed to staff a period.

    ``FTE = scheduled agent-hours in the period / (contracted hours per week ×
    period length in weeks)``. Pass the intervals of one period (by default a
    week); closed intervals may be left out, as they add no hours.

    Parameters
    ----------
    agents_scheduled : int or array of int
        Scheduled agents per interval, whole numbers >= 0.
    interval_s : float
        Interval length in seconds, > 0.
    contracted_hours_per_week : float
        Paid hours of one full-time agent per week, > 0 (e.g. 37.5).
    period_s : float, optional
        Length of the period the intervals cover, seconds, > 0. Default one
        week (604800 s).

    Returns
    -------
    float
        FTE, >= 0.

    Examples
    --------
    >>> fte([10] * 40, 3600, 40.0)  # 10 agents for 40 hours of one week
    10.0
    """
    func = "fte()"
    sched = as_int_array(func, "agents_scheduled", agents_scheduled)
    ivl = float(as_float_array(func, "interval_s", interval_s, gt=0.0))
    hours = float(as_float_array(func, "contracted_hours_per_week", contracted_hours_per_week,
                                 gt=0.0, hint="Give paid hours per week, e.g. 37.5."))
    period = float(as_float_array(func, "period_s", period_s, gt=0.0))
    agent_hours = float(sched.sum()) * ivl / 3600.0
    return agent_hours / (hours * period / WEEK_S)
