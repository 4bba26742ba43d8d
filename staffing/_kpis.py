"""Public Erlang B, C and A functions: KPIs at given staffing and required agents.

Definitions (all per interval, stationary within the interval):

* offered load ``a = offered * aht_s / interval_s`` erlangs; arrival rate
  ``offered / interval_s`` per second; exponential handle times with mean
  ``aht_s``; exponential patience with MEAN ``mean_patience_s`` (``None`` or
  ``inf``: nobody abandons, Erlang C).
* ``service_level``: contacts answered within ``answer_within_s`` divided by
  ALL contacts offered (abandoned ones count as misses). The other
  definitions in use are separate columns; see :func:`queue_kpis`.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Literal, overload

import numpy as np

from . import _behaviour, _erlang
from ._metrics import KPI_COLUMNS, _a_metrics, _c_metrics, _evaluate
from ._validate import as_float_array, as_int_array, broadcast
from .errors import InfeasibleTargetError, InvalidParameterError

if TYPE_CHECKING:
    import pandas as pd

#: Largest offered load per interval, erlangs (a billion agents' worth of work; the
#: formulas are tested up to 50,000).
MAX_LOAD_ERL = 1e9
#: Largest mean patience / AHT handled by Erlang A; beyond, nobody abandons in practice.
MAX_PATIENCE_OVER_AHT = 1e200


def _check_scale(func: str, offered, interval_s, aht_s, mean_patience_s) -> None:
    """Refuse loads and patience-to-AHT ratios beyond what the formulas compute exactly.

    Arguments are broadcast flat arrays. The message names the first interval.
    """
    with np.errstate(over="ignore"):
        load = offered * aht_s / interval_s
        ratio = mean_patience_s / aht_s
    big = load > MAX_LOAD_ERL
    if np.any(big):
        i = int(np.flatnonzero(big)[0])
        err = InvalidParameterError(
            f"{func}: interval {i} has an offered load of {load[i]:.6g} erlangs (offered="
            f"{offered[i]:g} contacts x aht_s={aht_s[i]:g} s / interval_s={interval_s[i]:g} s), "
            f"more than ccplan computes ({MAX_LOAD_ERL:g} erlangs). Check the units: offered is "
            "contacts per interval, aht_s and interval_s are seconds."
        )
        err.interval = i
        raise err
    long = np.isfinite(mean_patience_s) & (ratio > MAX_PATIENCE_OVER_AHT)
    if np.any(long):
        i = int(np.flatnonzero(long)[0])
        err = InvalidParameterError(
            f"{func}: interval {i} has mean_patience_s={mean_patience_s[i]:g} s, "
            f"{ratio[i]:.3g} times aht_s={aht_s[i]:g} s; Erlang A is computed up to "
            f"{MAX_PATIENCE_OVER_AHT:g} times. Patience that long means nobody abandons: give "
            "mean_patience_s=None (Erlang C), or check the units (seconds)."
        )
        err.interval = i
        raise err


def _scalar_or_array(arr: np.ndarray, scalar_in: bool):
    return arr.item() if scalar_in else arr


def _agents_and_load(func: str, n_agents: Any, offered_load_erl: Any):
    """Checked, broadcast and flattened ``(n, load, shape, scalar_in)`` for Erlang B and C."""
    n = as_int_array(func, "n_agents", n_agents)
    a = as_float_array(func, "offered_load_erl", offered_load_erl, ge=0.0,
                       hint="Give the load in erlangs, e.g. 10.5.")
    scalar_in = n.ndim == 0 and a.ndim == 0
    n, a = broadcast(func, n_agents=n, offered_load_erl=a)
    return n.ravel().astype(float), a.ravel(), n.shape, scalar_in


def erlang_b(n_agents: Any, offered_load_erl: Any):
    """Blocking probability of the Erlang B (M/M/n/n) loss system.

    Parameters
    ----------
    n_agents : int or array of int
        Servers (agents or trunks), whole numbers >= 0.
    offered_load_erl : float or array of float
        Offered load in erlangs (arrival rate × mean holding time), >= 0.

    Returns
    -------
    float or numpy.ndarray
        Probability in [0, 1] that an arrival finds every server busy; an
        array when either argument is an array (the two broadcast).

    Examples
    --------
    >>> round(erlang_b(1, 1.0), 12)
    0.5
    >>> round(erlang_b(17, 10.0), 4)
    0.0129
    """
    nf, af, shape, scalar_in = _agents_and_load("erlang_b()", n_agents, offered_load_erl)
    out = np.exp(_erlang.log_erlang_b(nf, af)).reshape(shape)
    return _scalar_or_array(out, scalar_in)


def erlang_c(n_agents: Any, offered_load_erl: Any):
    """Probability that an arriving contact has to wait, in Erlang C (M/M/n).

    Parameters
    ----------
    n_agents : int or array of int
        Agents on the queue, whole numbers >= 0.
    offered_load_erl : float or array of float
        Offered load in erlangs (arrival rate × AHT), >= 0.

    Returns
    -------
    float or numpy.ndarray
        Probability in [0, 1]; 1.0 when ``offered_load_erl >= n_agents`` (the
        queue is unstable and every contact waits), 0.0 when the load is 0.

    Examples
    --------
    >>> round(erlang_c(2, 1.0), 4)
    0.3333
    >>> erlang_c(3, 3.0)
    1.0
    """
    nf, af, shape, scalar_in = _agents_and_load("erlang_c()", n_agents, offered_load_erl)
    out = np.ones(nf.shape)
    out[af == 0] = 0.0
    ok = (af > 0) & (nf > af)
    b = np.exp(_erlang.log_erlang_b(nf[ok], af[ok]))
    out[ok] = b / (1.0 - (af[ok] / nf[ok]) * (1.0 - b))
    return _scalar_or_array(np.clip(out, 0.0, 1.0).reshape(shape), scalar_in)


def _check_inputs(func: str, offered, interval_s, aht_s, answer_within_s, mean_patience_s,
                  concurrency):
    offered_a = as_float_array(func, "offered", offered, ge=0.0,
                               hint="Give the contacts offered per interval, e.g. 120.")
    interval_a = as_float_array(func, "interval_s", interval_s, gt=0.0,
                                hint="Give the interval length in seconds, e.g. 900.")
    aht_a = as_float_array(func, "aht_s", aht_s, gt=0.0,
                           hint="Set the average handle time in seconds, e.g. 240.")
    within_a = as_float_array(func, "answer_within_s", answer_within_s, ge=0.0,
                              hint="Give the service-level threshold in seconds, e.g. 20.")
    if mean_patience_s is None:
        patience_a = np.asarray(np.inf)
    else:
        patience_a = as_float_array(
            func, "mean_patience_s", mean_patience_s, gt=0.0, allow_inf=True,
            hint="Give the MEAN patience in seconds (e.g. 120), or None for no abandonment.",
        )
    conc = as_int_array(func, "concurrency", concurrency, ge=1,
                        hint="Give the contacts one agent handles at once, e.g. 2 for chat.")
    return offered_a, interval_a, aht_a, within_a, patience_a, conc


@overload
def queue_kpis(n_agents: Any, offered: Any, interval_s: Any, aht_s: Any, answer_within_s: Any,
               mean_patience_s: Any = None, *, concurrency: Any = 1, hang_up_share: Any = 0.0,
               pickup_delay_s: Any = None, redial_probability: Any = 0.0,
               as_frame: Literal[True] = True) -> pd.DataFrame: ...


@overload
def queue_kpis(n_agents: Any, offered: Any, interval_s: Any, aht_s: Any, answer_within_s: Any,
               mean_patience_s: Any = None, *, concurrency: Any = 1, hang_up_share: Any = 0.0,
               pickup_delay_s: Any = None, redial_probability: Any = 0.0,
               as_frame: Literal[False]) -> dict[str, np.ndarray]: ...


def queue_kpis(n_agents: Any, offered: Any, interval_s: Any, aht_s: Any, answer_within_s: Any,
               mean_patience_s: Any = None, *, concurrency: Any = 1, hang_up_share: Any = 0.0,
               pickup_delay_s: Any = None, redial_probability: Any = 0.0,
               as_frame: bool = True) -> pd.DataFrame | dict[str, np.ndarray]:
    """Queue KPIs per interval at a given staffing, by Erlang C or Erlang A.

    Parameters
    ----------
    n_agents : int or array of int
        Agents on the queue in each interval, whole numbers >= 0.
    offered : float or array of float
        Contacts offered in each interval, >= 0.
    interval_s : float or array of float
        Interval length in seconds, > 0 (e.g. 900).
    aht_s : float or array of float
        Average handle time in seconds, > 0.
    answer_within_s : float or array of float
        Service-level threshold T in seconds, >= 0 (the 20 of "80/20").
    mean_patience_s : float, array of float or None, optional
        MEAN of the exponential patience in seconds, > 0 (Erlang A). ``None``
        (or ``inf`` elements) means nobody abandons (Erlang C).
    concurrency : int or array of int, optional
        Contacts one agent works at once (chat), >= 1. Each agent counts as
        that many servers, each with handle time ``aht_s`` (the handle time
        observed while working concurrently); see ``docs/models.md``.
    hang_up_share : float or array of float, optional
        Share of the contacts offered that hang up at once (balking), in [0, 1).
        They count as offered and abandoned (short abandons); the queue sees the rest.
    pickup_delay_s : float, 1-D array of float or None, optional
        Pick-up delay in seconds, >= 0: one value, or equally likely values (e.g. a
        law's quantiles). Every answered contact waits it on top of its queue wait, and
        its agent is held for it on top of the handle time. ``None``: no delay.
    redial_probability : float or array of float, optional
        Probability in [0, 1] that a contact that abandons (hang-ups included) calls
        again. ``offered`` is then the first attempts; the attempts (first attempts +
        redials) solve the stationary fixed point ``x = offered + r x abandon_rate(x)``.
    as_frame : bool, optional
        ``True`` (default): a pandas.DataFrame. ``False``: the same columns, in the
        same order, as a dict of column name to 1-D numpy array, without importing
        pandas (for callers whose start-up time counts, such as ``ccplan erlang``).

    Returns
    -------
    pandas.DataFrame or dict of str to numpy.ndarray
        One row per interval (arguments broadcast), columns:

        - ``n_agents``, ``offered`` (contacts), ``offered_load_erl`` (erlangs)
        - ``p_wait``: probability that an arrival waits (all servers busy).
        - ``service_level``: answered within T / all offered. **The** service
          level of ccplan, used by :func:`required_agents`.
        - ``service_level_of_answered``: answered within T / answered.
        - ``service_level_excl_short_abandons``: answered within T / (offered
          - abandoned within T).
        - ``service_level_wait_within``: P(wait <= T), an abandonment before T
          counting as within T (= 1 - P(still waiting at T)).
        - ``p_abandon_within_target``: abandoned within T / offered.
        - ``mean_wait_s``: mean wait in queue over ALL offered contacts, seconds.
        - ``asa_s``: mean wait of answered contacts, seconds.
        - ``abandon_rate``: abandoned / offered.
        - ``occupancy``: served work / capacity of the agents (slots), 0-1.
        - ``mean_queue``: mean number of contacts waiting.

        Without abandonment all four service levels are equal. With
        ``offered = 0`` the service levels are 1 and waits 0. Under Erlang C
        with ``n_agents <= offered_load_erl`` the queue is unstable:
        ``p_wait`` is 1, service levels 0, ``mean_wait_s`` and ``mean_queue`` are
        ``inf`` and a ``RuntimeWarning`` names the intervals. With no agents
        and abandonment, the ratios over answered contacts and the occupancy
        are NaN (nothing is answered).

        With any behaviour argument set (``docs/models.md``, "Customer
        behaviour in the analytic model"): ``offered`` is the attempts (first
        attempts + redials) and the ratios "of offered" count over them; three
        columns follow: ``first_attempts``, ``redials`` (contacts per interval)
        and ``first_attempt_answered`` (share of first attempts answered, 1 -
        ``abandon_rate`` by the independence approximation).
        ``offered_load_erl`` is the load of the contacts that stay, held
        ``aht_s`` + mean pick-up delay; the service levels, ``asa_s`` and
        ``mean_wait_s`` count the delay in the wait; ``p_abandon_within_target``
        and ``abandon_rate`` count the hang-ups.

    Examples
    --------
    >>> kpis = queue_kpis(14, 100, 1800, 180, 20)
    >>> round(float(kpis.service_level[0]), 5)
    0.88835
    """
    func = "queue_kpis()"
    n = as_int_array(func, "n_agents", n_agents,
                     hint="Give the agents on the queue, e.g. 14.")
    off, ivl, aht, within, pat, conc = _check_inputs(
        func, offered, interval_s, aht_s, answer_within_s, mean_patience_s, concurrency
    )
    beh = _behaviour.check_behaviour(func, hang_up_share, pickup_delay_s, redial_probability)
    more = {} if beh is None else {"hang_up_share": beh.hang_up,
                                   "redial_probability": beh.redial}
    arrays = broadcast(func, n_agents=n, offered=off, interval_s=ivl, aht_s=aht,
                       answer_within_s=within, mean_patience_s=pat, concurrency=conc, **more)
    flat = [np.atleast_1d(x).ravel() for x in arrays]
    n_f, off_f, ivl_f, aht_f, within_f, pat_f, conc_f = flat[:7]
    _check_scale(func, off_f, ivl_f, aht_f, pat_f)
    slots = (n_f * conc_f).astype(float)
    columns = list(KPI_COLUMNS)
    if beh is None:
        res = _evaluate(slots, off_f, ivl_f, aht_f, within_f, pat_f)
        load = off_f * aht_f / ivl_f
    else:
        queue = _behaviour.make_queue(beh, off_f, ivl_f, aht_f, within_f, pat_f, flat[7],
                                      flat[8], np.arange(off_f.size))
        res = _behaviour.kpis(func, slots, queue)
        off_f, load = res.pop("offered"), res.pop("offered_load_erl")
        columns += _behaviour.BEHAVIOUR_COLUMNS
    unstable = np.isinf(res["mean_wait_s"])
    if np.any(unstable):
        idx = np.flatnonzero(unstable)
        shown = ", ".join(str(i) for i in idx[:10]) + (" ..." if idx.size > 10 else "")
        warnings.warn(
            f"queue_kpis(): {idx.size} interval(s) [{shown}] have n_agents <= offered load "
            "with no abandonment: the Erlang C queue is unstable, so asa_s, mean_wait_s and "
            "mean_queue are "
            "inf. Add agents, or give mean_patience_s to use Erlang A.",
            RuntimeWarning,
            stacklevel=2,
        )
    table = {"n_agents": n_f, "offered": off_f, "offered_load_erl": load}
    table.update(res)
    if not as_frame:
        return {column: np.asarray(table[column]) for column in columns}
    import pandas as pd  # here, not at the top: required_agents and as_frame=False need none

    return pd.DataFrame(table, columns=columns)


def required_agents(offered: Any, interval_s: Any, aht_s: Any, service_level_target: Any = 0.8,
                    answer_within_s: Any = 20, mean_patience_s: Any = None,
                    max_asa_s: Any = None, max_abandon: Any = None, max_occupancy: Any = None,
                    min_agents: Any = 0, *, concurrency: Any = 1, max_agents: int = 100_000,
                    hang_up_share: Any = 0.0, pickup_delay_s: Any = None,
                    redial_probability: Any = 0.0):
    """Smallest number of agents per interval that meets every target given.

    Parameters
    ----------
    offered : float or array of float
        Contacts offered in each interval, >= 0.
    interval_s : float or array of float
        Interval length in seconds, > 0.
    aht_s : float or array of float
        Average handle time in seconds, > 0.
    service_level_target : float, array or None, optional
        Target for ``service_level`` (answered within ``answer_within_s`` /
        offered), in (0, 1). Default 0.8. ``None``: no service-level target.
    answer_within_s : float or array of float, optional
        Threshold T in seconds, >= 0. Default 20.
    mean_patience_s : float, array or None, optional
        MEAN exponential patience in seconds (> 0) for Erlang A; ``None``
        for Erlang C.
    max_asa_s : float, array or None, optional
        Upper bound on ``asa_s`` (average speed of answer: the mean wait of
        ANSWERED contacts), seconds, > 0. Under Erlang C every contact is
        answered and it equals ``mean_wait_s``.
    max_abandon : float, array or None, optional
        Upper bound on ``abandon_rate``, in (0, 1). Needs ``mean_patience_s``.
    max_occupancy : float, array or None, optional
        Upper bound on ``occupancy``, in (0, 1].
    min_agents : int or array of int, optional
        Floor on the answer, also the answer for intervals with no contacts.
    concurrency : int or array of int, optional
        Contacts one agent works at once (chat), >= 1: the smallest number of
        servers meeting the targets is found and divided by ``concurrency``,
        rounded up.
    max_agents : int, optional
        Largest staffing searched. A target that needs more raises
        :class:`InfeasibleTargetError`.
    hang_up_share : float or array of float, optional
        Share of contacts that hang up at once, in [0, 1); see :func:`queue_kpis`.
    pickup_delay_s : float, 1-D array of float or None, optional
        Pick-up delay in seconds (one value or equally likely values); see
        :func:`queue_kpis`.
    redial_probability : float or array of float, optional
        Probability in [0, 1] that an abandon calls again; ``offered`` is then the
        first attempts and each staffing is judged at its own fixed point of the
        attempts (fewer agents, more abandons, more redials); see ``docs/models.md``.

    Returns
    -------
    int or numpy.ndarray of int64
        Agents per interval. Under Erlang C always more than the offered load
        (in servers); under Erlang A at least 1 whenever contacts are offered.

    Raises
    ------
    InvalidParameterError
        A parameter is out of range, NaN, or shapes do not match.
    InfeasibleTargetError
        An interval needs more than ``max_agents`` agents; the message names
        the interval and the targets.

    Examples
    --------
    >>> int(required_agents(100, 1800, 180, 0.8, 20))
    14
    >>> required_agents([0, 100, 400], 1800, 180, 0.8, 20, min_agents=1).tolist()
    [1, 14, 45]
    """
    func = "required_agents()"
    off, ivl, aht, within, pat, conc = _check_inputs(
        func, offered, interval_s, aht_s, answer_within_s, mean_patience_s, concurrency
    )
    hint_t = "Give a fraction in (0, 1), e.g. 0.8 for 80%."
    sl_t = (None if service_level_target is None else as_float_array(
        func, "service_level_target", service_level_target, gt=0.0, lt=1.0, hint=hint_t))
    asa_t = (None if max_asa_s is None else as_float_array(
        func, "max_asa_s", max_asa_s, gt=0.0, hint="Give the ASA limit in seconds, e.g. 30."))
    ab_t = (None if max_abandon is None else as_float_array(
        func, "max_abandon", max_abandon, gt=0.0, lt=1.0, hint=hint_t))
    occ_t = (None if max_occupancy is None else as_float_array(
        func, "max_occupancy", max_occupancy, gt=0.0, le=1.0,
        hint="Give a fraction in (0, 1], e.g. 0.85."))
    floor_a = as_int_array(func, "min_agents", min_agents, hint="Give a whole number >= 0.")
    if sl_t is None and asa_t is None and ab_t is None and occ_t is None:
        raise InvalidParameterError(
            f"{func}: no target given. Set at least one of service_level_target, max_asa_s, "
            "max_abandon or max_occupancy."
        )
    if ab_t is not None and mean_patience_s is None:
        raise InvalidParameterError(
            f"{func}: max_abandon={max_abandon!r} needs mean_patience_s: without patience "
            "(Erlang C) nobody abandons. Give the mean patience in seconds, e.g. 120."
        )
    scalar_in = all(np.ndim(v) == 0 for v in (off, ivl, aht, within, pat, conc, floor_a)) and all(
        t is None or np.ndim(t) == 0 for t in (sl_t, asa_t, ab_t, occ_t))
    named = dict(offered=off, interval_s=ivl, aht_s=aht, answer_within_s=within,
                 mean_patience_s=pat, concurrency=conc, min_agents=floor_a)
    targets = {"service_level_target": sl_t, "max_asa_s": asa_t, "max_abandon": ab_t,
               "max_occupancy": occ_t}
    named.update({k: v for k, v in targets.items() if v is not None})
    beh = _behaviour.check_behaviour(func, hang_up_share, pickup_delay_s, redial_probability)
    if beh is not None:
        named.update(hang_up_share=beh.hang_up, redial_probability=beh.redial)
        scalar_in = scalar_in and beh.hang_up.ndim == 0 and beh.redial.ndim == 0
    arrays = broadcast(func, **named)
    shape = arrays[0].shape
    flat = {k: np.atleast_1d(v).ravel() for k, v in zip(named, arrays, strict=True)}
    tgt = {k: flat[k] for k in targets if k in flat}
    _check_scale(func, flat["offered"], flat["interval_s"], flat["aht_s"],
                 flat["mean_patience_s"])

    result = flat["min_agents"].astype(np.int64).copy()
    work = np.flatnonzero(flat["offered"] > 0)
    if work.size and beh is not None:
        off_w, ivl_w, aht_w, within_w, pat_w, p_w, r_w = (
            flat[k][work] for k in ("offered", "interval_s", "aht_s", "answer_within_s",
                                    "mean_patience_s", "hang_up_share", "redial_probability"))
        queue = _behaviour.make_queue(beh, off_w, ivl_w, aht_w, within_w, pat_w, p_w, r_w, work)
        conc_w = flat["concurrency"][work]
        slots = _behaviour.required_slots(func, queue, {k: v[work] for k, v in tgt.items()},
                                          max_agents * conc_w)
        result[work] = np.maximum(-(-slots // conc_w), result[work])
    elif work.size:
        same = _repeats(flat, work)
        if same is None:
            slots = _search_slots(flat, tgt, work, max_agents)
        else:  # identical intervals are solved once
            first, back = same
            slots = _search_slots(flat, tgt, work[first], max_agents)[back]
        conc_w = flat["concurrency"][work]
        agents = -(-slots // conc_w)
        result[work] = np.maximum(agents, result[work])
    too_many = result > max_agents
    if np.any(too_many):
        i = int(np.flatnonzero(too_many)[0])
        err = InfeasibleTargetError(
            f"{func}: interval {i} needs min_agents={int(result[i])}, more than "
            f"max_agents={max_agents}. Raise max_agents or lower min_agents."
        )
        err.interval = i
        raise err
    out = result.reshape(shape)
    return int(out.item()) if scalar_in else out


def _repeats(flat, work):
    """``(first, back)`` so that ``work[first]`` are the distinct intervals and
    ``[back]`` maps their answers to all of ``work``; ``None`` when it would not pay.

    Volumes are counts, so the same offered volume with the same parameters
    recurs often (quiet hours, weekends); each is solved once.
    """
    if work.size < 64:
        return None
    columns = [v[work] for v in flat.values()]
    key = [c for c in columns if c.min() != c.max()]
    if not key:  # every interval alike
        return np.zeros(1, dtype=np.int64), np.zeros(work.size, dtype=np.int64)
    if len(key) == 1:
        _, first, back = np.unique(key[0], return_index=True, return_inverse=True)
    else:
        table = np.ascontiguousarray(np.column_stack(key), dtype=float)
        rows = table.view(np.dtype((np.void, table.dtype.itemsize * table.shape[1]))).ravel()
        _, first, back = np.unique(rows, return_index=True, return_inverse=True)
    if first.size > 0.8 * work.size:
        return None
    return first, back.ravel()


def _slack(n, load, aht, within, pat, targets, log_b=None):
    """Signed distance to the targets: >= 0 exactly when ``n`` servers meet all of them.

    Service level enters as ``log(1 - target) - log(1 - service_level)``; ASA,
    abandonment and occupancy as ``log(limit) - log(value)``. These are close
    to linear in ``n``, which lets the secant in :func:`_search_slots` land on
    the answer in one or two rounds. Unstable (Erlang C with ``n <= load``) or
    unstaffed points get a negative slack. All arguments are 1-D arrays of
    equal length (``targets`` maps target names to arrays), with ``log_b`` the
    log Erlang B at ``n`` when the caller has it; only the metrics that carry
    a target are computed.
    """
    nf = n.astype(float)
    c_rows = np.isinf(pat)
    if c_rows.all():
        stable = nf > load
        metrics = _c_metrics(np.where(stable, nf, load + 1.0), load, aht, within,
                             None if log_b is None else np.where(stable, log_b, 0.0))
    elif not c_rows.any():
        stable = nf > 0
        metrics = _a_metrics(np.maximum(nf, 1.0), load, aht, within, pat,
                             "service_level_target" in targets, log_b,
                             need_asa="max_asa_s" in targets)
    else:
        stable = np.where(c_rows, nf > load, nf > 0)
        ci, ai = np.flatnonzero(c_rows), np.flatnonzero(~c_rows)
        mc = _c_metrics(np.where(stable[ci], nf[ci], load[ci] + 1.0), load[ci], aht[ci],
                        within[ci])
        ma = _a_metrics(np.maximum(nf[ai], 1.0), load[ai], aht[ai], within[ai], pat[ai],
                        "service_level_target" in targets, need_asa="max_asa_s" in targets)
        metrics = []
        for vc, va in zip(mc, ma, strict=True):
            v = np.empty(n.shape)
            v[ci], v[ai] = vc, va
            metrics.append(v)
    sl, asa, pab, occ = metrics
    out = np.full(n.shape, np.inf)
    with np.errstate(divide="ignore"):
        if "service_level_target" in targets:
            out = np.minimum(out, np.log1p(-targets["service_level_target"]) - np.log1p(-sl))
        for key, value in (("max_asa_s", asa), ("max_abandon", pab), ("max_occupancy", occ)):
            if key in targets:
                out = np.minimum(out, np.log(targets[key]) - np.log(value))
    out = np.clip(out, -700.0, 700.0)
    return np.where(stable, out, -1000.0)


def _scan_erlang_c(load, aht, within, targets, max_slots, max_steps=64):
    """Smallest feasible servers for Erlang C rows by walking the Erlang B recursion.

    Starts at ``s = max(floor(load) + 1, floor(load + sqrt(load)/2))`` with
    ``B(s)`` from the incomplete gamma function, then steps ``n`` up with
    ``B(n+1) = a B / (n + 1 + a B)`` (stable) or down with ``B(n-1) = n B /
    (a (1 - B))`` (its relative error grows by ``1/(1 - B)`` a step, a few
    ulps over the few steps taken) until the targets flip. Returns the answer
    and a mask of the rows resolved within ``max_steps``; the others go to
    the general search.
    """
    a = load
    n = np.maximum(np.floor(a) + 1.0, np.floor(a + 0.5 * np.sqrt(a)))
    n = np.minimum(n, max_slots.astype(float))
    b = np.exp(_erlang.log_erlang_b(n, a))

    def feasible(n, b, a, aht, within, tg):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            pw = b / (1.0 - (a / n) * (1.0 - b))
            ok = n > a
            if "service_level_target" in tg:
                ok &= 1.0 - pw * np.exp(-(n - a) * within / aht) >= tg["service_level_target"]
            if "max_asa_s" in tg:
                ok &= pw * aht / (n - a) <= tg["max_asa_s"]
            if "max_occupancy" in tg:
                ok &= a / n <= tg["max_occupancy"]
        return ok

    size = a.size
    answer = np.zeros(size, dtype=np.int64)
    resolved = np.zeros(size, dtype=bool)
    ok0 = feasible(n, b, a, aht, within, targets)
    idx = np.arange(size)
    # Feasible starts walk down (the answer is the last feasible n), the others walk up.
    for going_up in (False, True):
        rows = idx[~ok0] if going_up else idx[ok0]
        nn, bb = n[rows], b[rows]
        aa, ah, wi = a[rows], aht[rows], within[rows]
        tg = {k: v[rows] for k, v in targets.items()}
        ms = max_slots[rows]
        for _ in range(max_steps):
            if not rows.size:
                break
            if going_up:
                bb = aa * bb / (nn + 1.0 + aa * bb)
                nn = nn + 1.0
                hit = feasible(nn, bb, aa, ah, wi, tg)
                stop = hit | (nn >= ms)
                answer[rows[hit]] = nn[hit].astype(np.int64)
            else:
                below = nn - 1.0
                with np.errstate(divide="ignore", invalid="ignore"):
                    b_below = nn * bb / (aa * (1.0 - bb))
                hit = stop = ~feasible(below, b_below, aa, ah, wi, tg) | (below <= aa)
                answer[rows[hit]] = nn[hit].astype(np.int64)
                nn, bb = np.where(hit, nn, below), np.where(hit, bb, b_below)
            resolved[rows[hit]] = True
            keep = ~stop
            rows, nn, bb, aa, ah, wi, ms = (v[keep] for v in (rows, nn, bb, aa, ah, wi, ms))
            tg = {k: v[keep] for k, v in tg.items()}
    return answer, resolved


def _certify(answer, load, aht, within, targets):
    """True where ``answer`` passes and ``answer - 1`` fails, evaluated as queue_kpis does.

    The recursion walk of :func:`_scan_erlang_c` and the incomplete-gamma
    evaluation agree to about 1e-15; this check makes the answer exactly
    consistent with :func:`queue_kpis` even when a KPI lies that close to
    its target. Erlang C rows only (``answer - 1 <= load`` is unstable).
    """
    below = answer - 1
    needs = np.flatnonzero(below > load)
    n = np.concatenate([answer, below[needs]])
    rows = np.concatenate([np.arange(answer.size), needs])
    inf = np.full(rows.size, np.inf)
    slack = _slack(n, load[rows], aht[rows], within[rows], inf,
                   {k: v[rows] for k, v in targets.items()})
    ok = slack[: answer.size] >= 0
    ok[needs] &= slack[answer.size:] < 0
    return ok


def _evaluate_candidates(cand, fs, tnames):
    """Slack of each row of candidate points ``cand`` (k x m) for the m searched intervals.

    Each distinct point is evaluated once. ``log B`` comes from the incomplete
    gamma function for the first row and, for points up to four agents from
    it, from steps of the Erlang B recursion.
    """
    k, m = cand.shape
    c0 = cand[0].astype(float)
    lb0 = _erlang.log_erlang_b(np.maximum(c0, 1.0), fs[_F_LOAD])
    pts, cols, lbs, where = [cand[0]], [np.arange(m)], [lb0], []
    for r in range(1, k):
        fresh = np.all(cand[r] != cand[:r], axis=0)
        idx = np.flatnonzero(fresh)
        d = cand[r][idx] - cand[0][idx]
        # Up to 4 recursion steps away: walk. Going down multiplies the relative error by
        # 1/(1 - B) a step, so only while B < 1/2 (at most 16x a few ulps), never below 1.
        down_ok = (lb0[idx] < np.log(0.5)) & (c0[idx] + d >= 1.0)
        near = (np.abs(d) <= 4) & ((d > 0) | down_ok)
        lb = np.empty(idx.size)
        lb_near, n_near, d_near = lb0[idx][near], c0[idx][near], d[near]
        a_near = fs[_F_LOAD][idx][near]
        for _ in range(int(np.abs(d_near).max(initial=0))):
            move = d_near != 0
            up = d_near > 0
            lb_near = np.where(move, _erlang.erlang_b_step(lb_near, n_near, a_near, up), lb_near)
            step = np.where(move, np.where(up, 1, -1), 0)
            n_near, d_near = n_near + step, d_near - step
        lb[near] = lb_near
        far = ~near
        lb[far] = _erlang.log_erlang_b(np.maximum(cand[r][idx][far], 1.0).astype(float),
                                       fs[_F_LOAD][idx][far])
        pts.append(cand[r][idx])
        cols.append(idx)
        lbs.append(lb)
        where.append(idx)
    cols_all = np.concatenate(cols)
    rows = fs[:, cols_all]
    flat = _slack(
        np.concatenate(pts), rows[_F_LOAD], rows[_F_AHT], rows[_F_WITHIN], rows[_F_PAT],
        {name: rows[_F_TARGETS + j] for j, name in enumerate(tnames)}, np.concatenate(lbs),
    )
    slack = np.empty((k, m))
    slack[0] = flat[:m]
    offset = m
    for r, idx in enumerate(where, start=1):
        # a repeated point takes the slack of its first occurrence
        same = np.argmax(cand[r][None, :] == cand[:r], axis=0)
        slack[r] = slack[same, np.arange(m)]
        slack[r, idx] = flat[offset:offset + idx.size]
        offset += idx.size
    return slack


# Rows of the packed search state (see _search_slots).
_F_LOAD, _F_AHT, _F_WITHIN, _F_PAT, _F_N0, _F_N1, _F_S0, _F_S1, _F_TARGETS = range(9)
_I_POS, _I_MAX, _I_LO, _I_HI, _I_STEP, _I_SLOW = range(6)


def _search_slots(flat, tgt, work, max_agents):
    """Smallest feasible number of servers per interval, vectorised.

    Erlang C rows (unless an abandonment target is set) are found by
    :func:`_scan_erlang_c` and certified by :func:`_certify`; everything else,
    and any row the walk or the certificate leaves open, by
    :func:`_secant_search`.
    """
    load = flat["offered"][work] * flat["aht_s"][work] / flat["interval_s"][work]
    pat = flat["mean_patience_s"][work]
    is_c = np.isinf(pat)
    if is_c.any() and "max_abandon" not in tgt:
        ci = np.flatnonzero(is_c)
        sub = work[ci]
        ans_c, ok_c = _scan_erlang_c(
            load[ci], flat["aht_s"][sub], flat["answer_within_s"][sub],
            {k: v[sub] for k, v in tgt.items()},
            (max_agents * flat["concurrency"][sub]).astype(np.int64),
        )
        ok_c &= _certify(ans_c, load[ci], flat["aht_s"][sub], flat["answer_within_s"][sub],
                         {k: v[sub] for k, v in tgt.items()})
        if ok_c.all() and ci.size == work.size:
            return ans_c
        answer = np.zeros(work.size, dtype=np.int64)
        answer[ci[ok_c]] = ans_c[ok_c]
        rest = np.ones(work.size, dtype=bool)
        rest[ci[ok_c]] = False
        if rest.any():
            answer[rest] = _secant_search(flat, tgt, work[rest], max_agents)
        return answer
    return _secant_search(flat, tgt, work, max_agents)


def _secant_search(flat, tgt, work, max_agents):
    """Smallest feasible number of servers per interval by a safeguarded secant search.

    Keeps a bracket ``lo`` (infeasible) < ``hi`` (feasible) per interval. The
    first round evaluates two neighbouring points near a typical answer; later
    rounds evaluate where the line through the two points seen so far with the
    smallest slack (in absolute value) crosses zero and the point below it (in
    the first secant round also one or two points lower, as the slacks are
    convex), or the midpoint after two rounds in a row that did not halve the
    bracket. It stops when ``hi - lo == 1``: ``hi`` was evaluated feasible and
    ``hi - 1`` infeasible (or is below the model's minimum), so only
    monotonicity in ``n`` is assumed; the secant only chooses where to look.
    The state of the intervals still searched is packed in one float and one
    int array, compacted as intervals finish.
    """
    size = work.size
    load = flat["offered"][work] * flat["aht_s"][work] / flat["interval_s"][work]
    pat = flat["mean_patience_s"][work]
    is_c = np.isinf(pat)
    root = np.sqrt(load)
    tnames = list(tgt)
    fs = np.empty((_F_TARGETS + len(tnames), size))
    fs[_F_LOAD], fs[_F_AHT] = load, flat["aht_s"][work]
    fs[_F_WITHIN], fs[_F_PAT] = flat["answer_within_s"][work], pat
    fs[_F_N0:_F_N1 + 1] = 0.0
    fs[_F_S0:_F_S1 + 1] = np.inf  # the two points nearest the target: (n0, s0), (n1, s1)
    for k, name in enumerate(tnames):
        fs[_F_TARGETS + k] = tgt[name][work]
    ist = np.empty((6, size), dtype=np.int64)
    ist[_I_POS] = np.arange(size)
    ist[_I_MAX] = max_agents * flat["concurrency"][work]
    # lo is infeasible by construction: Erlang C needs n > load, Erlang A n >= 1.
    ist[_I_LO] = np.where(is_c, np.floor(load), 0.0)
    ist[_I_HI] = ist[_I_MAX] + 1  # sentinel: no feasible point known yet
    ist[_I_STEP] = np.maximum(1, np.ceil(root))
    ist[_I_SLOW] = 0  # 1 when the last round did not halve the bracket
    # First round: two neighbours near a typical answer, so that the secant through them
    # follows the local slope.
    start = np.maximum(1.0, np.floor(np.where(is_c, load + 0.5 * root, load - 0.5 * root)))
    cand = np.stack([start, start + 1.0]).astype(np.int64)
    answer = np.zeros(size, dtype=np.int64)
    first_round = True

    while True:
        lo, hi, max_slots = ist[_I_LO], ist[_I_HI], ist[_I_MAX]
        width_before = hi - lo
        cand = np.clip(cand, lo + 1, np.minimum(hi - 1, max_slots))
        slack = _evaluate_candidates(cand, fs, tnames)
        good = slack >= 0
        hi = np.minimum(hi, np.where(good, cand, hi).min(axis=0))
        lo = np.maximum(lo, np.where(good, lo, cand).max(axis=0))
        # keep the two distinct points with the smallest |slack|
        pts = np.concatenate([fs[_F_N0:_F_N1 + 1], cand])
        sks = np.concatenate([fs[_F_S0:_F_S1 + 1], slack])
        for r in range(1, cand.shape[0]):  # a repeated point counts once
            sks[2 + r] = np.where(np.any(cand[r] == cand[:r], axis=0), np.inf, sks[2 + r])
        order = np.argsort(np.abs(sks), axis=0)[:2]
        fs[_F_N0:_F_N1 + 1] = np.take_along_axis(pts, order, axis=0)
        fs[_F_S0:_F_S1 + 1] = np.take_along_axis(sks, order, axis=0)
        ist[_I_LO], ist[_I_HI] = lo, hi
        stuck = (lo >= max_slots) & (hi > max_slots)
        if stuck.any():
            i = int(ist[_I_POS][np.flatnonzero(stuck)[0]])
            _raise_infeasible(work[i], tgt, work[i], max_agents, load[i])
        width = hi - lo
        done = width <= 1
        answer[ist[_I_POS][done]] = hi[done]
        if done.all():
            return answer
        if done.any():
            keep = ~done
            fs, ist = fs[:, keep], ist[:, keep]
            width, width_before = width[keep], width_before[keep]
            lo, hi = ist[_I_LO], ist[_I_HI]
        known = hi <= ist[_I_MAX]
        n0, s0 = fs[_F_N0], fs[_F_S0]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            slope = (fs[_F_S1] - s0) / (fs[_F_N1] - n0)
            cross = n0 - s0 / slope
        usable = np.isfinite(cross) & (slope > 0)
        grow = ist[_I_STEP]
        # With no feasible point yet, never jump further than a few steps above lo.
        top = np.where(known, hi, lo + 4 * grow)
        mid = np.where(known, (lo + hi) // 2, lo + grow)
        secant = np.where(usable, np.ceil(np.clip(cross, lo, top)), mid)
        secant = np.clip(secant, lo + 1, np.maximum(lo + 1, np.minimum(top, hi) - 1))
        halved = 2 * width <= width_before
        bisect = ~halved & (ist[_I_SLOW] == 1)
        ist[_I_SLOW] = ~halved
        ist[_I_STEP] = np.where(known, grow, 2 * grow)
        # The neighbour below the secant point, or above it when the one below is lo.
        neighbour = np.where(secant - 1 > lo, secant - 1, secant + 1)
        second = np.where(~bisect & usable, neighbour, mid)
        # Two points left inside the bracket: evaluate both and finish.
        last = known & (width <= 3)
        secant, second = np.where(last, lo + 1, secant), np.where(last, lo + 2, second)
        rows = [secant, second]
        if first_round:
            # The slacks are convex in n, so the first secant step (from the starting
            # neighbours' slope) lands at or just above the answer: look one point lower too.
            lower = usable & ~last & ~bisect
            rows.append(np.where(lower, second - 1, second))
            # A long extrapolation overshoots by more: one point lower again.
            far = lower & (np.abs(cross - n0) > 3.0)
            rows.append(np.where(far, second - 2, second))
            first_round = False
        cand = np.stack(rows).astype(np.int64)


def _raise_infeasible(interval, targets, i, max_agents, load):
    shown = ", ".join(f"{k}={float(v[i]):g}" for k, v in targets.items())
    err = InfeasibleTargetError(
        f"required_agents(): interval {interval} (offered load {load:.6g} erlangs) cannot meet "
        f"{shown} with max_agents={max_agents}. Raise max_agents, relax the target, or check "
        "the offered volume and aht_s of that interval."
    )
    err.interval = int(interval)
    raise err
