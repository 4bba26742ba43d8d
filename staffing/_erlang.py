"""Erlang B, C and A (M/M/n+M): numerically exact kernels.

Everything here works on float arrays in log space, so that nothing overflows
or underflows for loads from 0.01 to 50,000 erlangs and up to (at least)
60,000 agents. The method, with the formulas, is in ``docs/models.md``:

* Erlang B from the Poisson ratio ``B(n, a) = p(n; a) / P(N <= n; a)``, with
  ``log p`` from Loader's saddle-point form (``bd0`` and ``stirlerr``) and the
  Poisson distribution function from the regularised incomplete gamma
  function; where that underflows (``n`` far below ``a``) the finite series
  ``1/B = sum_j n!/(n-j)! / a^j`` converges geometrically instead.
* Erlang C from ``C = B / (1 - (a/n)(1 - B))`` (no cancellation: both terms
  in the denominator are positive).
* Erlang A (Garnett, Mandelbaum & Reiman 2002; Mandelbaum & Zeltyn 2007) in
  the scaled variables ``x = n·r``, ``y = a·r`` with ``r = mean patience /
  AHT``: ``J(x, y) = sum_j y^j / ((x+1)...(x+j)) = P(x, y) / q(x, y)`` where
  ``P`` is the regularised lower incomplete gamma function and ``q(x, y) =
  y^x e^-y / Gamma(x+1)``.

The functions here take already-checked float arrays and return arrays; the
public, validating wrappers are in ``_kpis.py``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
_TINY = 1e-250  # below this an incomplete gamma value is replaced by a series
_BLOCK = 128  # series terms computed per vectorised block


def _stirlerr_series(x: np.ndarray) -> np.ndarray:
    # Stirling's series; for x >= 15 the first omitted term is below 1e-16.
    x2 = 1.0 / (x * x)
    return (
        1.0 / 12.0 - x2 * (1.0 / 360.0 - x2 * (1.0 / 1260.0 - x2 * (1.0 / 1680.0 - x2 / 1188.0)))
    ) / x


def _bd0(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x log(x/y) + y - x`` for ``x > 0, y > 0`` without cancellation (Loader 2000).

    Near ``x = y`` it sums Loader's series in ``v = (x-y)/(x+y)``; elsewhere the
    direct form loses at most ``eps / |x/y - 1| <= 1e-14`` relative.
    """
    close = np.abs(x - y) < 0.01 * (x + y)
    if close.all():
        return _bd0_series(x, y)
    out = x * np.log(x / y) + y - x
    if close.any():
        out[close] = _bd0_series(x[close], y[close])
    return out


def _bd0_series(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    v = (x - y) / (x + y)
    s = (x - y) * v
    ej = 2.0 * x * v
    v2 = v * v
    # |v| < 0.005 here: term j is below v^(2j-1)/(2j+1) of the sum, so 5 terms reach 1e-19.
    for j in range(1, 6):
        ej = ej * v2
        s = s + ej / (2 * j + 1)
    return s


def log_q(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``log(y^x e^-y / Gamma(x+1))``: the Poisson log-probability, for real ``x >= 0, y > 0``.

    While the terms are below 1e5 in size the direct sum ``x log y - y -
    log Gamma(x+1)`` is exact to about 1e-11 absolute; beyond, Loader's
    saddle-point form ``-stirlerr(x) - log(2 pi x)/2 - bd0(x, y)`` avoids the
    cancellation of large terms.
    """
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    if x.shape != y.shape:
        x, y = np.broadcast_arrays(x, y)
    direct = ((x < 5000.0) & (y < 1e5)) | (x < 15.0)
    if direct.all():
        return special.xlogy(x, y) - y - special.gammaln(x + 1.0)
    out = np.empty(x.shape)
    xs, ys = x[direct], y[direct]
    out[direct] = special.xlogy(xs, ys) - ys - special.gammaln(xs + 1.0)
    xl, yl = x[~direct], y[~direct]
    out[~direct] = -_stirlerr_series(xl) - _HALF_LOG_2PI - 0.5 * np.log(xl) - _bd0(xl, yl)
    return out


def _ratio_series(x: np.ndarray, ratio, n_terms_max=None, weight=None):
    """Sum ``sum_{j>=0} t_j`` (and ``sum_j t_j w(j)``) with ``t_0 = 1``, ``t_j = t_{j-1} ratio(j)``.

    ``ratio(j, idx)`` and ``weight(j, idx)`` take a 2-D block of term indices
    ``j`` for the elements ``idx`` of ``x`` (which only gives the shape). The
    terms must decrease from some point on; an element stops when a block adds
    less than 1e-17 relative and its terms are falling. Terms past
    ``n_terms_max`` (per element) are zero.
    """
    total = np.ones(x.shape)
    weighted = weight(np.zeros((1, 1)), np.arange(x.size))[:, 0].copy() if weight else None
    last = np.ones(x.shape)
    active = np.arange(x.size)
    start = 1
    while active.size:
        j = np.arange(start, start + _BLOCK, dtype=float)[None, :]
        r = ratio(j, active)
        if n_terms_max is not None:
            r = np.where(j <= n_terms_max[active, None], r, 0.0)
        terms = last[active, None] * np.cumprod(r, axis=1)
        block = terms.sum(axis=1)
        total[active] += block
        if weighted is not None:
            weighted[active] += (terms * weight(j, active)).sum(axis=1)
        last[active] = terms[:, -1]
        done = (block <= 1e-17 * total[active]) & (terms[:, -1] <= terms[:, 0])
        active = active[~done]
        start += _BLOCK
    return total, weighted


def log_erlang_b(n: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Log of the Erlang B blocking probability for whole ``n >= 0`` and ``a >= 0`` (1-D)."""
    n = np.asarray(n, float)
    a = np.asarray(a, float)
    work = (a > 0) & (n > 0)
    if work.all():
        return _log_erlang_b_positive(n, a)
    out = np.zeros(n.shape)
    out[(a == 0) & (n > 0)] = -np.inf
    out[work] = _log_erlang_b_positive(n[work], a[work])
    return out


def _log_erlang_b_positive(nw: np.ndarray, aw: np.ndarray) -> np.ndarray:
    """``log_erlang_b`` for ``n >= 1`` and ``a > 0``."""
    cdf = special.gammaincc(nw + 1.0, aw)  # P(Poisson(a) <= n)
    direct = cdf > _TINY
    if direct.all():
        return log_q(nw, aw) - np.log(cdf)
    res = np.empty(nw.shape)
    res[direct] = log_q(nw[direct], aw[direct]) - np.log(cdf[direct])
    ns, as_ = nw[~direct], aw[~direct]
    # 1/B = sum_{j=0}^{n} n (n-1) ... (n-j+1) / a^j, geometric since n << a here.
    inv, _ = _ratio_series(ns, lambda j, idx: (ns[idx, None] - j + 1.0) / as_[idx, None], ns)
    res[~direct] = -np.log(inv)
    return res


def log_j(x: np.ndarray, y: np.ndarray, p: np.ndarray | None = None) -> np.ndarray:
    """``log J(x, y)``, ``J = sum_j y^j / ((x+1)...(x+j)) = P(x, y) / q(x, y)``, for ``x, y > 0``.

    ``p``, if given, is ``gammainc(x, y)`` already computed.
    """
    if p is None:
        p = special.gammainc(x, y)
    direct = p > _TINY
    if direct.all():
        return np.log(p) - log_q(x, y)
    out = np.empty(x.shape)
    out[direct] = np.log(p[direct]) - log_q(x[direct], y[direct])
    if np.any(~direct):
        xs, ys = x[~direct], y[~direct]
        series, _ = _ratio_series(xs, lambda j, idx: ys[idx, None] / (xs[idx, None] + j))
        out[~direct] = np.log(series)
    return out


def _abandon_given_wait_series(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``P(abandon | wait) = sum_j t_j (j+1)/(x+j+1) / sum_j t_j``, summed directly (y < x).

    ``t_j = y^j / ((x+1)...(x+j))`` is the law of the queue met by a waiting
    arrival; every term is positive, so nothing cancels.
    """
    total, weighted = _ratio_series(
        x,
        lambda j, idx: y[idx, None] / (x[idx, None] + j),
        weight=lambda j, idx: (j + 1.0) / (x[idx, None] + j + 1.0),
    )
    return weighted / total


def erlang_b_step(log_b: np.ndarray, n: np.ndarray, a: np.ndarray, up: np.ndarray) -> np.ndarray:
    """``log B`` at ``n + 1`` (where ``up``) or ``n - 1`` (elsewhere) from ``log B`` at ``n``.

    Up: ``B(n+1) = a B / (n + 1 + a B)``, which damps errors. Down: ``B(n-1) =
    n B / (a (1 - B))``, whose relative error grows by ``1 / (1 - B)``: used for
    single steps only. Needs ``a > 0`` and ``n >= 1`` (``n >= 2`` going down).
    """
    b = np.exp(log_b)
    with np.errstate(divide="ignore"):
        return np.where(up, np.log(a * b) - np.log(n + 1.0 + a * b),
                        np.log(n * b) - np.log(a) - np.log1p(-b))


def erlang_a_core(n: np.ndarray, a: np.ndarray, r: np.ndarray, lb: np.ndarray | None = None):
    """Waiting and abandonment probabilities of M/M/n+M, 1-D arrays, ``n >= 1``, ``a > 0``.

    Parameters are agents ``n``, offered load ``a`` (erlangs), ``r`` = mean
    patience / AHT and optionally ``lb = log B(n, a)`` already known. Returns
    ``(p_wait, p_abandon_given_wait, log_j, x, y, p_xy)`` with ``p_xy = P(x, y)``
    (the regularised lower incomplete gamma function).
    """
    x = n * r
    y = a * r
    if lb is None:
        lb = log_erlang_b(n, a)
    p_xy = special.gammainc(x, y)
    lj = log_j(x, y, p_xy)
    # P(wait) = J B / (1 - B + J B) = 1 / (1 + (1 - B) / (J B))
    log1m_b = np.log1p(-np.exp(lb))
    p_wait = special.expit(lj + lb - log1m_b)
    rho = a / n
    inv_rho_j = np.exp(-lj) / rho
    p_ab_w = 1.0 - 1.0 / rho + inv_rho_j
    # Cancels when rho < 1 and J(1 - rho) is close to 1: sum the positive series there.
    cancel = (rho < 1.0) & (p_ab_w < 1e-3 * inv_rho_j)
    if np.any(cancel):
        p_ab_w[cancel] = _abandon_given_wait_series(x[cancel], y[cancel])
    return p_wait, np.clip(p_ab_w, 0.0, 1.0), lj, x, y, p_xy


def erlang_a_waits(n, a, r, t_over_aht, p_wait, p_ab_w, lj, x, y, p_xy, *, still_waiting=True):
    """Service-level pieces of M/M/n+M for a wait threshold ``T`` (``t_over_aht = T / AHT``).

    Returns ``(answered_within, still_waiting_at_t)``: the probabilities, over
    all arrivals, of being answered within ``T`` and of being still in queue at
    ``T`` (``None`` unless ``still_waiting``). Uses
    ``P(V > T | wait) = P(x, y e^{-T/patience}) / P(x, y)`` and
    ``P(answered after T | wait) = P(x+1, y e^{-T/patience}) / (rho P(x, y))``.
    """
    theta_t = t_over_aht / r  # T / mean patience
    y_t = y * np.exp(-theta_t)
    after_t = _gamma_ratio(x, y, y_t, p_xy, lj, 1.0, n, t_over_aht, theta_t) * (n / a)
    answered_after = np.minimum(after_t, 1.0 - p_ab_w)
    answered_within = np.clip((1.0 - p_wait) + p_wait * (1.0 - p_ab_w - answered_after), 0.0, 1.0)
    if not still_waiting:
        return answered_within, None
    beyond = _gamma_ratio(x, y, y_t, p_xy, lj, 0.0, n, t_over_aht, theta_t)
    waiting_at_t = p_wait * np.minimum(beyond, 1.0) * np.exp(-theta_t)
    return answered_within, np.clip(waiting_at_t, 0.0, 1.0)


def _gamma_ratio(x, y, y_t, p_xy, lj, shift, n, t_over_aht, theta_t):
    """``P(x + shift, y_t) / P(x, y)`` for ``shift`` 0 or 1 and ``y_t = y e^{-theta T}``.

    Taken directly where neither value underflows; elsewhere as ``exp`` of
    ``log q`` differences written out (``log q(x, y_t) - log q(x, y) = -n T/AHT
    + y (1 - e^{-theta T})``, plus ``log(y_t / (x+1))`` for ``shift`` 1) and
    ``log J`` by its series.
    """
    p = special.gammainc(x + shift, y_t)
    plain = (p > _TINY) & (p_xy > _TINY)
    if plain.all():
        return p / p_xy
    out = np.empty(x.shape)
    out[plain] = p[plain] / p_xy[plain]
    rest = ~plain
    xr, yr, ytr = x[rest], y[rest], y_t[rest]
    dq = -n[rest] * t_over_aht[rest] - yr * np.expm1(-theta_t[rest])
    with np.errstate(under="ignore", divide="ignore"):
        if shift:
            dq = dq + np.log(ytr) - np.log(xr + 1.0)
        # log P(x+shift, y_t) - log P(x, y) = [log q difference] + log J(x+shift, y_t) - log J(x, y)
        out[rest] = np.exp(dq + log_j(xr + shift, ytr) - lj[rest])
    return out


def _digamma_diff(z: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``psi(z + k) - psi(z) = sum_{i=0}^{k-1} 1/(z+i)`` without cancellation for large ``z``."""
    out = np.zeros(z.shape)
    pos = k > 0
    zp, kp = z[pos], k[pos]
    big = zp > 1e3
    res = special.digamma(zp + kp) - special.digamma(zp)
    zb, kb = zp[big], kp[big]
    zk = zb + kb
    # psi(z) ~ log z - 1/(2z) - 1/(12 z^2) + 1/(120 z^4)
    res[big] = (
        np.log1p(kb / zb)
        - (0.5 / zk - 0.5 / zb)
        - (1.0 / (12.0 * zk * zk) - 1.0 / (12.0 * zb * zb))
        + (1.0 / (120.0 * zk**4) - 1.0 / (120.0 * zb**4))
    )
    out[pos] = res
    return out


def erlang_a_asa_answered(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``E[V e^{-theta V} | wait] * theta`` for M/M/n+M, summed over the queue-length law.

    Given ``j`` waiting on arrival the offered wait ``V`` is hypoexponential with
    rates ``theta (x + i)``, ``i = 0..j``, so
    ``theta E[V e^{-theta V}] = x/(x+j+1) * sum_{i=1}^{j+1} 1/(x+i)``. The queue
    length seen by a waiting arrival has weights ``t_j = y^j/((x+1)...(x+j))``.
    Only the window of ``j`` that carries the mass is summed.
    """
    out = np.empty(x.shape)
    rho = np.where(x > 0, y / x, np.inf)
    mode = np.maximum(0.0, np.ceil(y - x - 1.0))
    spread = 12.0 * np.sqrt(y + 1.0) + 12.0
    with np.errstate(divide="ignore"):
        geo = np.where(rho < 1.0, 45.0 / -np.log(rho), np.inf)
    tail = np.minimum(geo, 12.0 * np.sqrt(x + 1.0)) + spread
    lo = np.maximum(0.0, mode - spread)
    hi = mode + tail
    width = (hi - lo + 1).astype(np.int64)
    order = np.argsort(width)
    budget = 2_000_000
    i = 0
    while i < order.size:
        w = int(width[order[i]])
        k = max(1, min(order.size - i, budget // max(w, 1)))
        idx = order[i : i + k]
        w = int(width[idx].max())
        xi, yi, li = x[idx, None], y[idx, None], lo[idx, None]
        j = li + np.arange(w, dtype=float)[None, :]
        # log t_j - log t_lo = sum_{i=lo+1}^{j} log(y / (x+i)): cumulative, no large cancellation
        steps = np.log(yi) - np.log(xi + j)
        steps[:, 0] = 0.0
        log_t = np.cumsum(steps, axis=1)
        log_t = np.where(j <= hi[idx, None], log_t, -np.inf)
        wts = np.exp(log_t - log_t.max(axis=1, keepdims=True))
        # sum_{i=1}^{j+1} 1/(x+i) = [psi(x+lo+1) - psi(x+1)] + cumulative sum from lo
        base = _digamma_diff(xi[:, 0] + 1.0, li[:, 0])[:, None]
        harmonic = base + np.cumsum(1.0 / (xi + j + 1.0), axis=1)
        val = xi / (xi + j + 1.0) * harmonic
        out[idx] = (wts * val).sum(axis=1) / wts.sum(axis=1)
        i += k
    return out
