"""Customer behaviour in the analytic queue (issue 16): hang-ups, pick-up delay, redials.

The public functions :func:`staffing.queue_kpis`, :func:`staffing.required_agents` and
:func:`staffing.requirements` take ``hang_up_share``, ``pickup_delay_s`` and
``redial_probability`` (and ``requirements`` also ``redial_delay_s``) and hand the work to
this module when any of them is set; with all of them off they never come here. The model
and its assumptions are in ``docs/models.md`` ("Customer behaviour"):

* hang-ups: a share ``p`` of the contacts offered leaves at once; the queue sees the other
  ``1 - p`` (a thinned Poisson stream is Poisson);
* pick-up delay ``D`` (equally likely values ``d_k``): an answered contact waits ``W + D``
  and holds its agent for ``D`` + handle time; the queue is solved with the exponential
  service time ``AHT + E[D]`` and the service level is ``P(answered, W + D <= T) =
  mean_k P(answered, W <= T - d_k)``;
* redials: an abandon calls again with probability ``r``; the offered attempts ``x`` solve
  ``x = first + r x P_ab(x)`` (stationary fixed point, as in Erlang X).

Built on the Erlang kernels of ``_metrics.py`` (``_evaluate``, ``_c_metrics``,
``_a_metrics``), so that every number here is the one those compute for the queue of
contacts that stay.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ._metrics import _a_metrics, _c_metrics, _evaluate
from ._validate import as_float_array
from .errors import InfeasibleTargetError, InvalidParameterError

#: Columns :func:`staffing.queue_kpis` adds when a behaviour argument is set.
BEHAVIOUR_COLUMNS = ("first_attempts", "redials", "first_attempt_answered")

#: The redial fixed point stops when ``|x (1 - r P_ab(x)) - first| <= FIXED_POINT_TOL * first``
#: (first attempts = offered attempts minus redials, to 1e-11 of the first attempts) or the
#: bracket around ``x`` is narrower than ``FIXED_POINT_TOL * x``.
FIXED_POINT_TOL = 1e-11
#: Iterations of the bracketing root-finder before it gives up with an error.
FIXED_POINT_MAX_ITER = 200
#: The redial spill kernel stops where the exponential tail is below this share.
SPILL_TAIL = 1e-16


@dataclass(frozen=True)
class Behaviour:
    """Checked behaviour arguments: per-interval ``hang_up`` and ``redial`` arrays (broadcast
    with the other arguments by the caller) and the distinct pick-up ``delays`` (seconds) with
    their probabilities ``weights`` (``[0.0]`` and ``[1.0]`` without a delay)."""

    hang_up: np.ndarray
    redial: np.ndarray
    delays: np.ndarray
    weights: np.ndarray

    @property
    def mean_delay_s(self) -> float:
        """``E[D]`` in seconds."""
        return float(np.dot(self.delays, self.weights))


def check_behaviour(func: str, hang_up_share, pickup_delay_s, redial_probability):
    """Check the behaviour arguments; ``None`` when every one of them is off (the old path)."""
    if pickup_delay_s is None and np.all(np.asarray(hang_up_share, dtype=object) == 0) \
            and np.all(np.asarray(redial_probability, dtype=object) == 0):
        return None
    p = as_float_array(func, "hang_up_share", hang_up_share, ge=0.0, lt=1.0,
                       hint="Give the share of contacts that hang up at once, e.g. 0.04.")
    r = as_float_array(func, "redial_probability", redial_probability, ge=0.0, le=1.0,
                       hint="Give the probability that an abandon calls again, e.g. 0.35.")
    if pickup_delay_s is None:
        delays, weights = np.zeros(1), np.ones(1)
    else:
        d = as_float_array(func, "pickup_delay_s", pickup_delay_s, ge=0.0,
                           hint="Give the delay in seconds, e.g. 4, or an array of equally "
                                "likely delays, e.g. [2, 3, 7].")
        if d.ndim > 1 or d.size == 0:
            raise InvalidParameterError(
                f"{func}: pickup_delay_s must be a number or a 1-D array of equally likely "
                f"delays in seconds, got an array of shape {d.shape}. Give e.g. 4 or [2, 3, 7]."
            )
        delays, counts = np.unique(np.atleast_1d(d), return_counts=True)
        weights = counts / counts.sum()
    return Behaviour(p, r, delays, weights)


@dataclass(frozen=True)
class Queue:
    """One row per interval (flat arrays of equal length): the queue with its behaviours.

    ``first`` is the first attempts per interval (contacts), ``service_s`` the service time
    ``AHT + E[D]`` that holds an agent, ``redial`` the share of abandons that call again and
    land in the same interval (``r`` for a stationary queue), ``position`` the index each row
    has in the caller's input (named in error messages).
    """

    first: np.ndarray
    interval_s: np.ndarray
    aht_s: np.ndarray
    service_s: np.ndarray
    within_s: np.ndarray
    patience_s: np.ndarray
    hang_up: np.ndarray
    redial: np.ndarray
    position: np.ndarray
    delays: np.ndarray
    weights: np.ndarray

    def take(self, idx: np.ndarray) -> Queue:
        """The rows ``idx`` (the delay law is shared by all rows)."""
        return Queue(**{f.name: getattr(self, f.name) if f.name in ("delays", "weights")
                        else getattr(self, f.name)[idx] for f in fields(self)})


def make_queue(beh: Behaviour, first, interval_s, aht_s, within_s, patience_s, hang_up,
               redial, position) -> Queue:
    """A :class:`Queue` from flat, broadcast arrays (``position``: their input indices)."""
    return Queue(first, interval_s, aht_s, aht_s + beh.mean_delay_s, within_s, patience_s,
                 hang_up, redial, position, beh.delays, beh.weights)


def _joined_load(q: Queue, offered: np.ndarray) -> np.ndarray:
    """Erlangs of the contacts that stay: ``(1 - p) x offered x (AHT + E[D]) / interval``."""
    return (1.0 - q.hang_up) * offered * q.service_s / q.interval_s


def abandon_share(n: np.ndarray, q: Queue, offered: np.ndarray) -> np.ndarray:
    """Abandoned / offered at ``offered`` attempts: ``p + (1 - p) P_ab`` of the queue that stays."""
    load = _joined_load(q, offered)
    pab = np.zeros(n.shape)
    impatient = np.isfinite(q.patience_s) & (load > 0)
    pab[impatient & (n == 0)] = 1.0
    a = np.flatnonzero(impatient & (n > 0))
    if a.size:
        pab[a] = _a_metrics(n[a], load[a], q.service_s[a], q.within_s[a], q.patience_s[a],
                            False, need_asa=False)[2]
    return q.hang_up + (1.0 - q.hang_up) * pab


def offered_fixed_point(func: str, n: np.ndarray, q: Queue, *, strict: bool = True
                        ) -> np.ndarray:
    """Offered attempts ``x`` with ``x = first + r x P_ab(x)`` per row (``x = first`` if ``r = 0``).

    ``h(x) = x (1 - r P_ab(x))`` is increasing (the sum of ``(1 - r) x`` and ``r`` x the
    throughput, both increasing), so the root is unique. It is bracketed by ``first`` (``h
    <= first``) and ``first / (1 - r)`` (``P_ab <= 1``; for ``r = 1`` by doubling) and found
    by regula falsi with the Illinois step, vectorised over the rows, to
    :data:`FIXED_POINT_TOL`. Raises :class:`InvalidParameterError` when there is no root
    (``r = 1`` and the agents cannot answer the first attempts; with ``strict=False`` such
    rows get ``inf``) or after :data:`FIXED_POINT_MAX_ITER` iterations.
    """
    x = q.first.astype(float).copy()
    rows = np.flatnonzero((q.redial > 0) & (q.first > 0))
    if not rows.size:
        return x
    sub = q.take(rows)
    nn = n[rows]
    x0, rho = sub.first, sub.redial

    def h(xv, idx):
        part = sub.take(idx)
        # Erlang B of a load far above the agents is 1 to the last bit: log1p(-1) is -inf
        with np.errstate(divide="ignore", over="ignore"):
            return xv * (1.0 - rho[idx] * abandon_share(nn[idx], part, xv)) - x0[idx]

    # r = 1 with patience: h(x) is the throughput, below n x interval / service time at any
    # load, so first attempts at or above it have no fixed point.
    capacity = nn * sub.interval_s / sub.service_s
    never = (rho >= 1.0) & np.isfinite(sub.patience_s) & (x0 >= capacity)
    every = np.arange(rows.size)
    lo, h_lo = x0.copy(), h(x0, every)
    with np.errstate(divide="ignore"):
        hi = np.where(rho < 1.0, x0 / (1.0 - rho), 2.0 * x0)
    h_hi = np.where(never, -1.0, h(hi, every))
    for _ in range(64):  # r = 1: double until the bracket holds the root
        short = np.flatnonzero((h_hi < 0) & ~never)
        if not short.size:
            break
        lo[short], h_lo[short] = hi[short], h_hi[short]
        hi[short] = 2.0 * hi[short]
        h_hi[short] = h(hi[short], short)
    if np.any(h_hi < 0) and not strict:
        x[rows[h_hi < 0]] = np.inf
        keep = np.flatnonzero(h_hi >= 0)
        settled = offered_fixed_point(func, n[rows[keep]], sub.take(keep))
        x[rows[keep]] = settled
        return x
    if np.any(h_hi < 0):
        i = int(rows[np.flatnonzero(h_hi < 0)[0]])
        err = InvalidParameterError(
            f"{func}: interval {q.position[i]} has no steady state with redial_probability=1: "
            f"{q.first[i]:g} first attempts are at least what {int(n[i])} agents can ever "
            "answer, so callers redial without end. Add agents, or give a "
            "redial_probability below 1."
        )
        err.interval = int(q.position[i])
        raise err
    out = np.where(h_hi == 0, hi, lo)
    live = np.flatnonzero((h_lo < 0) & (h_hi > 0))
    side = np.zeros(rows.size, dtype=np.int8)  # which end moved last: -1 lo, +1 hi
    for _ in range(FIXED_POINT_MAX_ITER):
        if not live.size:
            break
        a, b, ha, hb = lo[live], hi[live], h_lo[live], h_hi[live]
        xn = np.clip(a - (ha / (hb - ha)) * (b - a), a, b)  # in this order: no underflow
        hn = h(xn, live)
        done = (np.abs(hn) <= FIXED_POINT_TOL * x0[live]) | (b - a <= FIXED_POINT_TOL * b)
        out[live[done]] = xn[done]
        left = hn < 0
        # Illinois: halve the value kept at the end that did not move twice in a row
        h_hi[live] = np.where(left & (side[live] == -1), 0.5 * hb, hb)
        h_lo[live] = np.where(~left & (side[live] == 1), 0.5 * ha, ha)
        lo[live] = np.where(left, xn, a)
        h_lo[live] = np.where(left, hn, h_lo[live])
        hi[live] = np.where(left, b, xn)
        h_hi[live] = np.where(left, h_hi[live], hn)
        side[live] = np.where(left, -1, 1)
        live = live[~done]
    if live.size:
        i = int(rows[live[0]])
        err = InvalidParameterError(
            f"{func}: the redial fixed point of interval {q.position[i]} (first attempts "
            f"{q.first[i]:g}, redial_probability {q.redial[i]:g}, {int(n[i])} agents) did "
            f"not converge in {FIXED_POINT_MAX_ITER} iterations. This is a bug in ccplan: "
            "please report it with these values."
        )
        err.interval = int(q.position[i])
        raise err
    x[rows] = out
    return x


def answered_within(n: np.ndarray, q: Queue, offered: np.ndarray) -> np.ndarray:
    """``P(answered, W + D <= T)`` for a contact that stays (not hung up), per row.

    ``= sum_k w_k P(answered, W <= T - d_k)`` over the delay values with ``d_k <= T``, each
    term the Erlang C or A service level at the threshold ``T - d_k`` with the service time
    ``AHT + E[D]``. Rows with no load: ``P(D <= T)``; with no agent (or Erlang C unstable): 0.
    """
    load = _joined_load(q, offered)
    thr = q.within_s[None, :] - q.delays[:, None]  # (k, m)
    kk, mm = np.nonzero(thr >= 0)
    t = thr[kk, mm]
    vals = np.zeros(mm.size)
    nm, lm, sm, pm = n[mm], load[mm], q.service_s[mm], q.patience_s[mm]
    vals[lm == 0] = 1.0
    c = np.flatnonzero((lm > 0) & np.isinf(pm) & (nm > lm))
    if c.size:
        vals[c] = _c_metrics(nm[c], lm[c], sm[c], t[c])[0]
    a = np.flatnonzero((lm > 0) & np.isfinite(pm) & (nm > 0))
    if a.size:
        vals[a] = _a_metrics(nm[a], lm[a], sm[a], t[a], pm[a], True, need_asa=False)[0]
    out = np.zeros(n.shape)
    np.add.at(out, mm, q.weights[kk] * vals)
    return np.clip(out, 0.0, 1.0)


def kpis(func: str, n: np.ndarray, q: Queue) -> dict[str, np.ndarray]:
    """Every KPI column of :func:`staffing.queue_kpis` (plus :data:`BEHAVIOUR_COLUMNS`) per row.

    The queue of contacts that stay is evaluated by ``_evaluate`` at ``(1 - p) x`` offered
    attempts with the service time ``AHT + E[D]``; the columns "of offered" are then scaled
    by ``1 - p`` with the hang-ups added where they belong (abandoned, within T, short
    abandons), and the delay is added to the waits of answered contacts.
    """
    offered = offered_fixed_point(func, n, q)
    p = q.hang_up
    joined = (1.0 - p) * offered
    res = _evaluate(n, joined, q.interval_s, q.service_s, q.within_s, q.patience_s)
    loaded = joined > 0
    sl = np.where(loaded, answered_within(n, q, offered), 1.0)
    pab, short = res["abandon_rate"], res["p_abandon_within_target"]
    mean_delay = float(np.dot(q.delays, q.weights))
    with np.errstate(divide="ignore", invalid="ignore"):
        of_answered = np.where(pab < 1.0, np.clip(sl / (1.0 - pab), 0.0, 1.0), np.nan)
        excl_short = np.where(short < 1.0, np.clip(sl / (1.0 - short), 0.0, 1.0), 0.0)
    out = {
        "offered": offered,
        "offered_load_erl": joined * q.service_s / q.interval_s,
        "p_wait": (1.0 - p) * res["p_wait"],
        "service_level": (1.0 - p) * sl,
        "service_level_of_answered": np.where(loaded, of_answered,
                                              res["service_level_of_answered"]),
        # hang-ups are short abandons: (1-p) SL / (1 - p - (1-p) short) = SL / (1 - short)
        "service_level_excl_short_abandons": np.where(
            loaded, excl_short, res["service_level_excl_short_abandons"]),
        "service_level_wait_within": np.where(
            loaded, p + (1.0 - p) * np.clip(sl + short, 0.0, 1.0), 1.0),
        "p_abandon_within_target": p + (1.0 - p) * short,
        "mean_wait_s": (1.0 - p) * (res["mean_wait_s"] + mean_delay * (1.0 - pab)),
        "asa_s": res["asa_s"] + mean_delay,
        "abandon_rate": p + (1.0 - p) * pab,
        "occupancy": res["occupancy"],
        "mean_queue": res["mean_queue"],
        "first_attempts": q.first,
        "redials": offered - q.first,
    }
    out["first_attempt_answered"] = 1.0 - out["abandon_rate"]
    # no contact at all: the conventions of queue_kpis (nothing waits, nothing is missed)
    out["asa_s"] = np.where(loaded, out["asa_s"], 0.0)
    out["mean_wait_s"] = np.where(loaded, out["mean_wait_s"], 0.0)
    return out


def _caps(func: str, q: Queue, tgt: dict) -> None:
    """Refuse targets that no staffing can meet because of the hang-ups or the pick-up delay.

    With any number of agents the service level stays below ``(1 - p) P(D <= T)``, the
    abandon rate above ``p`` and the ASA above ``E[D]``.
    """
    p = q.hang_up
    reach = np.array([float(q.weights[q.delays <= t].sum()) for t in q.within_s])
    limits = {
        "service_level_target": ((1.0 - p) * reach, ">=",
                                 "(1 - hang_up_share) x P(pickup delay <= answer_within_s)"),
        "max_abandon": (p, "<=", "hang_up_share (every hang-up abandons)"),
        "max_asa_s": (q.service_s - q.aht_s, "<=", "the mean pick-up delay"),
    }
    for name, (bound, op, what) in limits.items():
        if name not in tgt:
            continue
        value = tgt[name]
        bad = value >= bound if op == ">=" else value <= bound
        if np.any(bad):
            j = int(np.flatnonzero(bad)[0])
            i = int(q.position[j])
            need = "below" if op == ">=" else "above"
            err = InfeasibleTargetError(
                f"{func}: interval {i} cannot meet {name}={float(value[j]):g} with any number "
                f"of agents: it must be {need} {what} = {float(bound[j]):.6g}. Relax the "
                "target, or check hang_up_share and pickup_delay_s."
            )
            err.interval = i
            raise err


def _meets(func: str, slots: np.ndarray, q: Queue, tgt: dict) -> np.ndarray:
    """True where ``slots`` servers meet every target, at their own redial fixed point.

    Unstable points (Erlang C with no more servers than the load of the contacts that stay,
    Erlang A with no server, no steady state with ``r = 1``) fail.
    """
    offered = offered_fixed_point(func, slots, q, strict=False)  # inf: no steady state
    load = _joined_load(q, offered)
    ok = (np.where(np.isinf(q.patience_s), slots > load, slots > 0) | (load == 0)) \
        & np.isfinite(offered)
    live = np.flatnonzero(ok & (load > 0))
    if not live.size:
        return ok
    sub, s, off, ld = q.take(live), slots[live], offered[live], load[live]
    p = sub.hang_up
    need_asa = "max_asa_s" in tgt
    asa, pab, occ = (np.zeros(live.size) for _ in range(3))
    for rows, is_c in ((np.flatnonzero(np.isinf(sub.patience_s)), True),
                       (np.flatnonzero(np.isfinite(sub.patience_s)), False)):
        if not rows.size:
            continue
        args = (s[rows], ld[rows], sub.service_s[rows], sub.within_s[rows])
        m = (_c_metrics(*args) if is_c
             else _a_metrics(*args, sub.patience_s[rows], False, need_asa=need_asa))
        asa[rows], pab[rows], occ[rows] = m[1], m[2], m[3]
    good = np.ones(live.size, dtype=bool)
    t = {k: v[live] for k, v in tgt.items()}
    if "service_level_target" in t:
        good &= (1.0 - p) * answered_within(s, sub, off) >= t["service_level_target"]
    if need_asa:
        good &= asa + (sub.service_s - sub.aht_s) <= t["max_asa_s"]
    if "max_abandon" in t:
        good &= p + (1.0 - p) * pab <= t["max_abandon"]
    if "max_occupancy" in t:
        good &= occ <= t["max_occupancy"]
    ok[live] = good
    return ok


def required_slots(func: str, q: Queue, tgt: dict, max_slots: np.ndarray) -> np.ndarray:
    """Smallest number of servers per row that meets every target, with the behaviours.

    Monotone-safe with redials: each candidate ``n`` is judged at its OWN fixed point
    ``x*(n)``. More agents lower ``P_ab`` at every load, so ``x*(n)`` does not increase with
    ``n``; the KPIs improve with more agents and with less load, so "``n`` meets the targets"
    is monotone in ``n`` and a bracket search is exact. It keeps ``lo`` (judged infeasible,
    or below the model's minimum: Erlang C needs more servers than the load of the first
    attempts alone, Erlang A one) and ``hi`` (judged feasible), grows ``hi`` by doubling steps
    from a guess, then bisects until ``hi - lo = 1``. All rows must have first attempts > 0.
    """
    size = q.first.size
    _caps(func, q, tgt)
    load0 = _joined_load(q, q.first)
    is_c = np.isinf(q.patience_s)
    lo = np.where(is_c, np.floor(load0), 0.0).astype(np.int64)
    hi = np.full(size, -1, dtype=np.int64)  # -1: no feasible point known yet
    step = np.maximum(1, np.ceil(np.sqrt(load0) + 1.0)).astype(np.int64)
    cand = np.maximum(lo + 1, np.ceil(load0 + np.sqrt(load0))).astype(np.int64)
    live = np.arange(size)
    while live.size:
        known = hi[live] >= 0
        c = np.where(known, (lo[live] + hi[live]) // 2, np.minimum(cand[live], max_slots[live]))
        ok = _meets(func, c, q.take(live), tgt)
        hi[live] = np.where(ok, c, hi[live])
        lo[live] = np.where(ok, lo[live], c)
        grow = ~known & ~ok
        step[live] = np.where(grow, 2 * step[live], step[live])
        cand[live] = np.where(grow, c + step[live], cand[live])
        stuck = ~ok & ~known & (c >= max_slots[live])
        if stuck.any():
            i = int(live[np.flatnonzero(stuck)[0]])
            shown = ", ".join(f"{k}={float(v[i]):g}" for k, v in tgt.items())
            err = InfeasibleTargetError(
                f"{func}: interval {q.position[i]} (first attempts {q.first[i]:g}) cannot "
                f"meet {shown} with the servers allowed ({int(max_slots[i])}). Raise "
                "max_agents, relax the target, or check the offered volume, aht_s and the "
                "behaviour arguments."
            )
            err.interval = int(q.position[i])
            raise err
        finished = (hi[live] >= 0) & (hi[live] - lo[live] <= 1)
        live = live[~finished]
    return hi


def spill_fractions(mean_delay_s: float, interval_s: float) -> np.ndarray:
    """Shares ``f_0, f_1, ...`` of an interval's redials landing ``0, 1, ...`` intervals later.

    Abandons spread evenly over the interval (length ``L``), delays exponential with mean
    ``m``: ``f_0 = 1 - (m/L)(1 - e^{-L/m})`` and ``f_k = (m/L)(1 - e^{-L/m})^2 e^{-(k-1)L/m}``
    for ``k >= 1``; the kernel stops where the tail left is below :data:`SPILL_TAIL` (that
    tail is counted as landing outside the table, so nothing is lost).
    """
    m, ell = float(mean_delay_s), float(interval_s)
    if m == 0.0:
        return np.ones(1)
    g = -np.expm1(-ell / m)  # 1 - e^{-L/m}
    k_max = 1 + int(np.ceil(max(0.0, np.log(max(m / ell * g, 1e-300) / SPILL_TAIL)) * m / ell))
    k = np.arange(1, k_max + 1)
    rest = (m / ell) * g * g * np.exp(-(k - 1) * ell / m)
    return np.concatenate([[1.0 - (m / ell) * g], rest])


def spill(made: np.ndarray, channel: np.ndarray, slot: np.ndarray,
          fractions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Redials landing in each row from earlier rows, and those landing on no row.

    ``made`` is the redials each row's abandons make, ``channel`` a code per row and ``slot``
    its whole interval number (rows of one channel have distinct slots). A share
    ``fractions[k]`` of ``made[i]`` lands ``k`` intervals later; ``k = 0`` is the row itself
    (left to the caller's fixed point). Returns ``(incoming, outside)``: ``incoming[j] =
    sum_i made[i] f[slot_j - slot_i]`` over earlier rows of the channel, and ``outside[i]``
    the part of ``made[i]`` that lands at a slot with no row (after the table, in a gap, or
    in the kernel's tail), so ``f_0 made + sum incoming + sum outside = sum made``.
    """
    incoming = np.zeros(made.size)
    outside = np.zeros(made.size)
    later = fractions.copy()
    later[0] = 0.0
    for code in np.unique(channel):
        rows = np.flatnonzero(channel == code)
        s = slot[rows] - slot[rows].min()
        dense = np.zeros(int(s.max()) + 1)
        dense[s] = made[rows]
        present = np.zeros(dense.size + later.size)
        present[s] = 1.0
        incoming[rows] = np.convolve(dense, later)[: dense.size][s]
        placed = np.correlate(present, later, "valid")[: dense.size]  # sum_k f_k present[i+k]
        outside[rows] = made[rows] * np.maximum(1.0 - fractions[0] - placed[s], 0.0)
    return incoming, outside


def table_slots(func: str, channel: np.ndarray, elapsed_s: np.ndarray,
                interval_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Channel codes and whole interval numbers of the rows of a forecast table.

    ``elapsed_s`` is each row's ``interval_start`` in seconds from the table's first. Rows
    must lie on the ``interval_s`` grid, one per channel and interval.
    """
    codes = np.unique(channel, return_inverse=True)[1].ravel()
    slot = elapsed_s / float(interval_s)
    whole = np.round(slot)
    off = np.abs(slot - whole) > 1e-9 * np.maximum(1.0, np.abs(slot))
    if np.any(off):
        i = int(np.flatnonzero(off)[0])
        raise InvalidParameterError(
            f"{func}: row {i} starts {elapsed_s[i]:g} s after the first row, not a whole number "
            f"of intervals (interval_s={interval_s:g}); redials are spread by interval. Give "
            "interval_start on the interval grid."
        )
    slot = whole.astype(np.int64)
    key = codes * (int(slot.max()) + 1) + slot
    uniq, first, counts = np.unique(key, return_index=True, return_counts=True)
    if np.any(counts > 1):
        i = int(np.flatnonzero(key == uniq[np.flatnonzero(counts > 1)[0]])[1])
        raise InvalidParameterError(
            f"{func}: row {i} repeats the channel and interval_start of an earlier row; "
            "redials are spread by interval, so each channel needs one row per interval. "
            "Sum or drop the repeated rows."
        )
    return codes, slot


def table_fixed_point(func: str, size, first: np.ndarray, channel: np.ndarray, slot: np.ndarray,
                      redial_probability: float, fractions: np.ndarray):
    """Agents and KPIs of a forecast table whose redials spill into later intervals.

    ``size(rows, attempts_in, share)`` sizes the rows ``rows`` for ``attempts_in`` arrivals
    other than their own redials, with a share ``share`` of their abandons redialling into
    themselves (the stationary fixed point of one interval), and returns ``(agents, kpis)``
    as :func:`staffing.queue_kpis` gives them. Starting with no redials from earlier rows,
    each sweep sizes the rows not yet settled, spreads the redials every row makes (``r`` x
    attempts x abandon_rate) with :func:`spill`, and repeats until the redials arriving in
    every row change by less than 1e-9 of its attempts. Rows only feed later rows, so the
    rows before the earliest interval whose arrivals changed are settled: each sweep sizes
    only the rest, and the settled front advances by at least one interval a sweep, so it
    ends within ``rows + 1`` sweeps (in practice 5 to 20; a step of the chain carries ``r
    P_ab (1 - f_0)`` of the load). Returns ``(agents, kpis, outside)`` (``outside`` as in
    :func:`spill`).
    """
    incoming = np.zeros(first.size)
    rows = np.arange(first.size)
    agents = np.zeros(first.size, dtype=np.int64)
    kpis = None
    for _ in range(first.size + 1):
        fresh_agents, fresh = size(rows, first[rows] + incoming[rows],
                                   redial_probability * fractions[0])
        agents[rows] = fresh_agents
        if kpis is None:
            kpis = fresh.reset_index(drop=True)
        else:
            kpis.iloc[rows] = fresh.to_numpy()
        made = redial_probability * kpis["offered"].to_numpy() * kpis["abandon_rate"].to_numpy()
        new, outside = spill(made, channel, slot, fractions)
        changed = np.abs(new - incoming) > 1e-9 * np.maximum(1.0, first + incoming)
        if not changed.any():
            return agents, kpis, outside
        rows = np.flatnonzero(slot >= slot[changed].min())
        incoming = new
    raise InvalidParameterError(
        f"{func}: the redials spread over the table did not settle in {first.size + 1} "
        f"sweeps (redial_probability={redial_probability:g}). This is a bug in ccplan: please "
        "report it with the table."
    )
