"""From agents on the phones to agents scheduled and to full-time equivalents."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validate import as_float_array, as_int_array, broadcast

#: Seconds in one week, the period FTE is expressed against by default.
WEEK_S = 7 * 24 * 3600.0


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
    func = "scheduled_agents()"
    req = as_int_array(func, "agents_required", agents_required,
                       hint="Give agents per interval, e.g. from required_agents().")
    shr = as_float_array(func, "shrinkage", shrinkage, ge=0.0, lt=1.0,
                         hint="Give a fraction in [0, 1), e.g. 0.3 for 30%.")
    scalar_in = req.ndim == 0 and shr.ndim == 0
    req, shr = broadcast(func, agents_required=req, shrinkage=shr)
    # The tolerance keeps exact quotients (7 / 0.7 = 10) from rounding up by float noise.
    out = np.ceil(req / (1.0 - shr) - 1e-9).astype(np.int64)
    return int(out.item()) if scalar_in else out


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
