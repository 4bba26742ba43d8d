"""Erlang C and A metrics of one queue per interval, shared by the KPI and sizing code.

``_evaluate`` gives every column of :func:`staffing.queue_kpis`; ``_c_metrics`` and
``_a_metrics`` give the few that a staffing search needs. ``_kpis.py`` (the public
functions) and ``_behaviour.py`` (hang-ups, pick-up delay, redials) both build on them.
Inputs are checked, flat float arrays.
"""

from __future__ import annotations

import numpy as np

from . import _erlang

#: Columns of the frame returned by :func:`queue_kpis`, in order.
KPI_COLUMNS = (
    "n_agents",
    "offered",
    "offered_load_erl",
    "p_wait",
    "service_level",
    "service_level_of_answered",
    "service_level_excl_short_abandons",
    "service_level_wait_within",
    "p_abandon_within_target",
    "mean_wait_s",
    "asa_s",
    "abandon_rate",
    "occupancy",
    "mean_queue",
)


def _evaluate(n, offered, interval_s, aht_s, within_s, patience_s) -> dict[str, np.ndarray]:
    """KPIs for flat float arrays of equal length (``n`` agents, or slots)."""
    size = n.size
    a = offered * aht_s / interval_s
    lam = offered / interval_s
    res = {k: np.zeros(size) for k in KPI_COLUMNS[3:]}
    res["service_level"][:] = 1.0
    for k in ("service_level_of_answered", "service_level_excl_short_abandons",
              "service_level_wait_within"):
        res[k][:] = 1.0

    loaded = a > 0
    no_abandon = np.isinf(patience_s)

    # Erlang C, stable: n > a
    c_ok = loaded & no_abandon & (n > a)
    if np.any(c_ok):
        sl, asa, _, occ, pw = _c_metrics(n[c_ok], a[c_ok], aht_s[c_ok], within_s[c_ok],
                                         with_p_wait=True)
        res["p_wait"][c_ok] = pw
        for k in ("service_level", "service_level_of_answered",
                  "service_level_excl_short_abandons", "service_level_wait_within"):
            res[k][c_ok] = sl
        res["mean_wait_s"][c_ok] = asa
        res["asa_s"][c_ok] = asa
        res["occupancy"][c_ok] = occ
        res["mean_queue"][c_ok] = lam[c_ok] * asa

    # Erlang C, unstable: n <= a. Every contact waits; the wait grows without bound.
    c_bad = loaded & no_abandon & (n <= a)
    if np.any(c_bad):
        res["p_wait"][c_bad] = 1.0
        for k in ("service_level", "service_level_of_answered",
                  "service_level_excl_short_abandons", "service_level_wait_within"):
            res[k][c_bad] = 0.0
        for k in ("mean_wait_s", "asa_s", "mean_queue"):
            res[k][c_bad] = np.inf
        res["occupancy"][c_bad] = np.where(n[c_bad] > 0, 1.0, np.nan)

    # Erlang A with at least one agent
    a_ok = loaded & ~no_abandon & (n > 0)
    if np.any(a_ok):
        na, aa, ahta = n[a_ok], a[a_ok], aht_s[a_ok]
        pat = patience_s[a_ok]
        r = pat / ahta
        kpi = _erlang.erlang_a(na, aa, r, within_s[a_ok] / ahta, answered=True)
        pw = kpi["p_wait"]
        p_ab = pw * kpi["p_abandon_w"]
        res["p_wait"][a_ok] = pw
        res["abandon_rate"][a_ok] = p_ab
        res["mean_wait_s"][a_ok] = p_ab * pat  # E[wait] = P(abandon) / theta
        res["mean_queue"][a_ok] = lam[a_ok] * p_ab * pat  # Little's law
        # served work over capacity: at most 1 (rounding can give 1 + 2e-16 in overload)
        res["occupancy"][a_ok] = np.minimum(aa * (1.0 - p_ab) / na, 1.0)
        within, still = kpi["answered_within"], kpi["still_waiting"]
        short = np.clip(1.0 - still - within, 0.0, 1.0)
        res["service_level"][a_ok] = within
        res["service_level_wait_within"][a_ok] = 1.0 - still
        res["p_abandon_within_target"][a_ok] = short
        res["service_level_of_answered"][a_ok] = np.clip(within / (1.0 - p_ab), 0.0, 1.0)
        res["service_level_excl_short_abandons"][a_ok] = np.clip(within / (1.0 - short), 0.0, 1.0)
        res["asa_s"][a_ok] = pw * kpi["answered_theta"] * pat / (1.0 - p_ab)

    # Erlang A with no agent: everyone waits and abandons; mean wait = mean patience.
    a_none = loaded & ~no_abandon & (n == 0)
    if np.any(a_none):
        pat = patience_s[a_none]
        gone = -np.expm1(-within_s[a_none] / pat)
        res["p_wait"][a_none] = 1.0
        res["abandon_rate"][a_none] = 1.0
        res["service_level"][a_none] = 0.0
        res["service_level_excl_short_abandons"][a_none] = 0.0
        res["service_level_wait_within"][a_none] = gone
        res["p_abandon_within_target"][a_none] = gone
        res["service_level_of_answered"][a_none] = np.nan
        res["mean_wait_s"][a_none] = pat
        res["asa_s"][a_none] = np.nan
        res["occupancy"][a_none] = np.nan
        res["mean_queue"][a_none] = lam[a_none] * pat
    return res


def _c_metrics(n, load, aht, within, log_b=None, *, with_p_wait=False):
    """Erlang C service level, ASA (= mean wait), abandonment (0) and occupancy for ``n > load``.

    With ``with_p_wait`` the probability of waiting is returned fifth.
    """
    b = np.exp(_erlang.log_erlang_b(n, load) if log_b is None else log_b)
    pw = np.clip(b / (1.0 - (load / n) * (1.0 - b)), 0.0, 1.0)
    sl = 1.0 - pw * np.exp(-(n - load) * within / aht)
    out = (sl, pw * aht / (n - load), np.zeros(n.shape), load / n)
    return (*out, pw) if with_p_wait else out


def _a_metrics(n, load, aht, within, pat, need_sl, log_b=None, *, need_asa=True):
    """Erlang A service level (if needed), ASA (answered), abandonment and occupancy, ``n >= 1``."""
    r = pat / aht
    kpi = _erlang.erlang_a(n, load, r, within / aht if need_sl else None, log_b,
                           still_waiting=False, answered=need_asa)
    pab = kpi["p_wait"] * kpi["p_abandon_w"]
    sl = kpi["answered_within"] if need_sl else np.zeros(n.shape)
    # ASA: the mean wait of answered contacts (what max_asa_s bounds), not over all offered.
    # Its sum over the queue-length law costs more than the rest: only when a target needs it.
    asa = np.zeros(n.shape)
    if need_asa:
        with np.errstate(divide="ignore", invalid="ignore"):
            asa = np.where(pab < 1.0, kpi["p_wait"] * kpi["answered_theta"] * pat / (1.0 - pab),
                           np.inf)
    return sl, asa, pab, np.minimum(load * (1.0 - pab) / n, 1.0)
