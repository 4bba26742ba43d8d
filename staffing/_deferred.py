"""Deferred work (email, back office): staffing to a response-time target of hours.

Model (documented in ``docs/models.md``, "Deferred work"): a deterministic
fluid queue worked first in, first out. Contacts arriving in interval ``s``
must all be handled by the end of interval ``s + k - 1`` with
``k = floor(response_within_s / interval_s)``: that is, within the target
even for a contact that arrived at the very start of interval ``s``. The plan
is a level number of agents ``c`` in every open interval; each open interval
handles up to ``c × interval_s / aht_s`` contacts. Work not done is carried to
the next interval (the backlog). ccplan returns the smallest whole ``c`` for
which every deadline that falls inside the horizon is met. Contacts whose
deadline lies after the horizon are not forced through and appear in the
final backlog.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._errors import InfeasibleTargetError, InvalidParameterError
from ._validate import as_float_array, broadcast


def _simulate(level: Any, arrivals: np.ndarray, capacity_per_agent: np.ndarray,
              backlog0: float):
    cap = level * capacity_per_agent
    handled = np.empty_like(arrivals)
    backlog = np.empty_like(arrivals)
    b = backlog0
    for t in range(arrivals.size):
        avail = b + arrivals[t]
        h = min(avail, cap[t])
        handled[t] = h
        b = avail - h
        backlog[t] = b
    return handled, backlog


def _meets_deadlines(handled, arrivals, backlog0, k) -> np.ndarray:
    """Per arrival interval s: True when its contacts are done by interval s + k - 1."""
    cum_arr = backlog0 + np.cumsum(arrivals)
    cum_done = np.cumsum(handled)
    n = arrivals.size
    due = np.arange(n) + k - 1
    inside = due < n
    ok = np.ones(n, dtype=bool)
    idx = np.flatnonzero(inside)
    tol = 1e-9 * np.maximum(1.0, cum_arr[idx])
    ok[idx] = cum_done[due[idx]] >= cum_arr[idx] - tol
    return ok


def deferred_requirements(offered: Any, interval_s: float, aht_s: Any, response_within_s: float,
                          *, is_open: Any = None, initial_backlog: float = 0.0,
                          max_agents: int = 100_000, agents: int | None = None) -> pd.DataFrame:
    """Level staffing for deferred work with a response-time target (email).

    Parameters
    ----------
    offered : array of float
        Contacts arriving in each interval, >= 0, in time order, one value per
        consecutive interval of the horizon (closed intervals included:
        emails arrive while the centre is closed).
    interval_s : float
        Interval length in seconds, > 0.
    aht_s : float or array of float
        Handle time per contact in seconds, > 0.
    response_within_s : float
        Response-time target in seconds (e.g. 86400 for 24 h), at least one
        interval.
    is_open : array of bool, optional
        Whether agents work in each interval. Default: always open.
    initial_backlog : float, optional
        Contacts already waiting at the start, >= 0; due like contacts of the
        first interval.
    max_agents : int, optional
        Largest level searched.
    agents : int or array of int, optional
        Evaluate this level instead of searching for the smallest one (the
        reverse question: what do 11 agents give?), or these agents per
        interval (a schedule's; one whole number >= 0 per interval, counted
        only while open). ``deadline_met`` then shows which intervals'
        contacts miss their deadline.

    Returns
    -------
    pandas.DataFrame
        One row per interval: ``offered``, ``is_open``, ``agents_required``
        (the level while open, 0 while closed), ``capacity`` (contacts the
        agents can handle), ``handled``, ``backlog`` (contacts waiting at the
        end of the interval), ``deadline_met`` (bool, for the contacts that
        arrived in the interval; True when the deadline is past the horizon).

    Raises
    ------
    InfeasibleTargetError
        No open interval lies between an interval's arrivals and their
        deadline, or more than ``max_agents`` would be needed.

    Examples
    --------
    >>> plan = deferred_requirements([10, 0, 0, 0], 3600, 360, 4 * 3600)
    >>> int(plan.agents_required.max())
    1
    """
    func = "deferred_requirements()"
    arr = np.atleast_1d(as_float_array(func, "offered", offered, ge=0.0))
    if arr.ndim != 1:
        raise InvalidParameterError(f"{func}: offered must be one value per interval (1-D), "
                                    f"got shape {arr.shape}.")
    ivl = float(as_float_array(func, "interval_s", interval_s, gt=0.0))
    aht = as_float_array(func, "aht_s", aht_s, gt=0.0,
                         hint="Set the handle time in seconds, e.g. 360.")
    within = float(as_float_array(func, "response_within_s", response_within_s, ge=ivl,
                                  hint=f"The target must be at least one interval ({ivl:g} s)."))
    backlog0 = float(as_float_array(func, "initial_backlog", initial_backlog, ge=0.0))
    open_ = np.ones(arr.size, dtype=bool) if is_open is None else np.asarray(is_open, dtype=bool)
    arr, aht, open_ = broadcast(func, offered=arr, aht_s=aht, is_open=open_)
    k = int(np.floor(within / ivl + 1e-9))
    per_agent = np.where(open_, ivl / aht, 0.0)

    # An interval whose window [s, s + k - 1] has no open interval can never be served in time.
    n = arr.size
    open_in_window = np.convolve(open_.astype(int)[::-1], np.ones(k, dtype=int))[: n][::-1]
    stuck = (arr > 0) & (open_in_window == 0) & (np.arange(n) + k - 1 < n)
    if np.any(stuck):
        s = int(np.flatnonzero(stuck)[0])
        raise InfeasibleTargetError(
            f"{func}: contacts arriving in interval {s} are due within {within:g} s, but the "
            "centre is closed for that whole window. Open earlier, or lengthen "
            "response_within_s."
        )

    if agents is not None:
        if np.ndim(agents) == 1 and not isinstance(agents, str):
            levels = np.asarray(agents, dtype=float)
            if levels.shape != arr.shape or not np.all((levels >= 0)
                                                       & (levels == np.floor(levels))):
                raise InvalidParameterError(
                    f"{func}: agents per interval must be {arr.size} whole numbers >= 0, one "
                    f"per interval, got {len(levels)} values (min "
                    f"{np.min(levels, initial=0):g}).")
            return _table(levels, arr, open_, per_agent, backlog0, k)
        if isinstance(agents, bool) or not isinstance(agents, int | np.integer) or agents < 0:
            raise InvalidParameterError(f"{func}: agents must be a whole number >= 0 (or one "
                                        f"per interval), got {agents!r}.")
        return _table(int(agents), arr, open_, per_agent, backlog0, k)

    def feasible(level: int) -> bool:
        handled, _ = _simulate(float(level), arr, per_agent, backlog0)
        return bool(_meets_deadlines(handled, arr, backlog0, k).all())

    lo, hi = -1, 1
    while not feasible(hi):
        lo, hi = hi, hi * 2
        if hi > 2 * max_agents:
            raise InfeasibleTargetError(
                f"{func}: the response target of {within:g} s needs more than "
                f"max_agents={max_agents} agents. Raise max_agents or check offered and aht_s."
            )
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if mid >= 0 and feasible(mid):
            hi = mid
        else:
            lo = mid
    level = hi
    if level > max_agents:
        raise InfeasibleTargetError(
            f"{func}: the response target of {within:g} s needs {level} agents, more than "
            f"max_agents={max_agents}. Raise max_agents or check offered and aht_s."
        )
    return _table(level, arr, open_, per_agent, backlog0, k)


def _table(level, arr, open_, per_agent, backlog0, k) -> pd.DataFrame:
    handled, backlog = _simulate(np.asarray(level, dtype=float), arr, per_agent, backlog0)
    return pd.DataFrame({
        "offered": arr,
        "is_open": open_,
        "agents_required": np.where(open_, level, 0).astype(np.int64),
        "capacity": level * per_agent,
        "handled": handled,
        "backlog": backlog,
        "deadline_met": _meets_deadlines(handled, arr, backlog0, k),
    })
