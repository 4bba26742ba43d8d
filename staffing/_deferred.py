"""Deferred work (email, back office): staffing to a response-time target of hours.

Model (documented in ``docs/models.md``, "Deferred work"): a deterministic
fluid queue worked first in, first out. Contacts arriving in interval ``s``
must all be handled by the end of interval ``s + k - 1`` with
``k = floor(response_within_s / interval_s)``: that is, within the target
even for a contact that arrived at the very start of interval ``s``. The plan
is a level number of agents ``c`` in every open interval; each open interval
gives ``c × interval_s`` agent-seconds of work. The queue is kept in work, not
in contacts: the contacts of interval ``s`` bring ``offered[s] × aht_s[s]``
agent-seconds, and they keep that handle time when they are worked later out
of the backlog (an email that needs an hour still needs an hour when it is
answered in an interval whose own emails take a minute). Work not done is
carried to the next interval (the backlog). Deadlines are checked on the
cumulative work: the contacts of interval ``s`` are done when the work done so
far covers all work that arrived up to and including ``s``. ccplan returns the
smallest whole ``c`` for which every deadline that falls inside the horizon is
met. Contacts whose deadline lies after the horizon are not forced through and
appear in the final backlog.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._validate import as_float_array, broadcast
from .errors import InfeasibleTargetError, InvalidParameterError


def _simulate(level: Any, work: np.ndarray, seconds_per_agent: np.ndarray,
              backlog0_work: float) -> np.ndarray:
    """Work (agent-seconds) done in each interval, first in first out."""
    cap = level * seconds_per_agent
    done = np.empty_like(work)
    b = backlog0_work
    for t in range(work.size):
        avail = b + work[t]
        h = min(avail, cap[t])
        done[t] = h
        b = avail - h
    return done


def _meets_deadlines(done_work, work, backlog0_work, k) -> np.ndarray:
    """Per arrival interval s: True when its contacts are done by interval s + k - 1.

    First in, first out: interval s's contacts are done once the work done so far
    covers all work that arrived up to and including interval s.
    """
    cum_arr = backlog0_work + np.cumsum(work)
    cum_done = np.cumsum(done_work)
    n = work.size
    due = np.arange(n) + k - 1
    inside = due < n
    ok = np.ones(n, dtype=bool)
    idx = np.flatnonzero(inside)
    tol = 1e-9 * np.maximum(1.0, cum_arr[idx])
    ok[idx] = cum_done[due[idx]] >= cum_arr[idx] - tol
    return ok


def deferred_requirements(offered: Any, interval_s: float, aht_s: Any, response_within_s: float,
                          *, is_open: Any = None, initial_backlog: float = 0.0,
                          max_agents: int = 100_000, agents: Any = None) -> pd.DataFrame:
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
        Handle time per contact in seconds, > 0, of the contacts arriving in
        each interval: they keep it when they are worked later, out of the
        backlog.
    response_within_s : float
        Response-time target in seconds (e.g. 86400 for 24 h), at least one
        interval.
    is_open : array of bool, optional
        Whether agents work in each interval. Default: always open.
    initial_backlog : float, optional
        Contacts already waiting at the start, >= 0; due like contacts of the
        first interval, with the first interval's handle time, and worked
        before them.
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
        agents can handle: those handled, plus as many of the interval's own
        handle time as the agents' spare time would fit), ``handled``
        (contacts answered in the interval, first in first out, each at the
        handle time of the interval it arrived in), ``handled_work_s``
        (agent-seconds of work done in the interval: occupancy is
        ``handled_work_s / (agents_required × interval_s)``), ``backlog``
        (contacts waiting at the end of the interval), ``deadline_met``
        (bool, for the contacts that arrived in the interval; True when the
        deadline is past the horizon). Contact counts are fluid (fractions).

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
    # The queue is kept in work (agent-seconds): each interval's contacts at their own
    # handle time; the initial backlog at the first interval's.
    work = arr * aht
    backlog0_work = backlog0 * float(aht[0]) if arr.size else 0.0
    per_agent = np.where(open_, ivl, 0.0)

    # An interval whose window [s, s + k - 1] has no open interval can never be served in time.
    n = arr.size
    open_in_window = np.convolve(open_.astype(int)[::-1], np.ones(k, dtype=int))[: n][::-1]
    # The initial backlog is due like interval 0's arrivals.
    has_work = (arr > 0) | ((np.arange(n) == 0) & (backlog0 > 0))
    stuck = has_work & (open_in_window == 0) & (np.arange(n) + k - 1 < n)
    if np.any(stuck):
        s = int(np.flatnonzero(stuck)[0])
        what = ("the initial backlog and contacts arriving in interval 0" if s == 0
                and backlog0 > 0 else f"contacts arriving in interval {s}")
        raise InfeasibleTargetError(
            f"{func}: {what} are due within {within:g} s, but the "
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
            return _table(levels, arr, aht, open_, per_agent, backlog0, k)
        if isinstance(agents, bool) or not isinstance(agents, int | np.integer) or agents < 0:
            raise InvalidParameterError(f"{func}: agents must be a whole number >= 0 (or one "
                                        f"per interval), got {agents!r}.")
        return _table(int(agents), arr, aht, open_, per_agent, backlog0, k)

    def feasible(level: int) -> bool:
        done = _simulate(float(level), work, per_agent, backlog0_work)
        return bool(_meets_deadlines(done, work, backlog0_work, k).all())

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
    return _table(level, arr, aht, open_, per_agent, backlog0, k)


def _table(level, arr, aht, open_, per_agent, backlog0, k) -> pd.DataFrame:
    work = arr * aht
    backlog0_work = backlog0 * float(aht[0]) if arr.size else 0.0
    cap_work = np.asarray(level, dtype=float) * per_agent
    done = _simulate(np.asarray(level, dtype=float), work, per_agent, backlog0_work)
    # Contacts done so far, from work done so far: the contacts of interval s occupy the
    # stretch of cumulative work between the work arrived before s and the work arrived
    # up to s, each taking aht[s] of it (first in, first out).
    cum_work = np.concatenate([[0.0, backlog0_work], backlog0_work + np.cumsum(work)])
    cum_contacts = np.concatenate([[0.0, backlog0], backlog0 + np.cumsum(arr)])
    contacts_done = np.interp(np.cumsum(done), cum_work, cum_contacts)
    handled = np.diff(contacts_done, prepend=0.0)
    backlog = np.maximum(cum_contacts[2:] - contacts_done, 0.0)
    spare = np.maximum(cap_work - done, 0.0)
    return pd.DataFrame({
        "offered": arr,
        "is_open": open_,
        "agents_required": np.where(open_, level, 0).astype(np.int64),
        "capacity": handled + spare / aht,
        "handled": handled,
        "handled_work_s": done,
        "backlog": backlog,
        "deadline_met": _meets_deadlines(done, work, backlog0_work, k),
    })
