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

Where ``x`` is large (``x >= 1e5``: many agents, or patience far longer than
the handle time) scipy's incomplete gamma function loses accuracy in the
lower tail (a relative error of 3% at ``x = 1e7``, 5 standard deviations
below the mean, and worse beyond), and the sums over the queue length grow
with ``sqrt(y)``. There every Erlang A quantity is taken instead from the law
of the scaled offered wait ``s = theta V`` of a waiting arrival, whose
density is proportional to ``w(s) = exp(-x s - y (e^-s - 1))`` on ``s >= 0``
(so ``J = x int w``, ``P(abandon | wait) = E[1 - e^-s]`` and ``theta E[V
e^{-theta V} | wait] = E[s e^-s]``), integrated by composite Gauss-Legendre
quadrature over the range where ``w`` exceeds ``e^-50`` of its maximum: a
fixed 128 points per value, whatever the size, so time and memory stay
bounded for every input.

The functions here take already-checked float arrays and return arrays; the
public, validating wrappers are in ``_kpis.py``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
_TINY = 1e-250  # below this an incomplete gamma value is replaced by a series
_BLOCK = 128  # series terms computed per vectorised block
_QUAD_MIN_X = 1e5  # from this x on, Erlang A uses the quadrature in s (module docstring)
_QUAD_LOG_CUT = 50.0  # the quadrature range ends where w(s) < e^-50 of its maximum
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(16)
_QUAD_PANELS = 8  # 8 panels x 16 nodes = 128 points per value
_QUAD_CHUNK = 4096  # values integrated per vectorised chunk (4096 x 128 points, 4 MB an array)
_WINDOW_CELLS = 1 << 20  # terms held at once by the queue-length sum (_asa_answered_sum)


def _stirlerr_series(x: np.ndarray) -> np.ndarray:
    # Stirling's series; for x >= 15 the first omitted term is below 1e-16.
    with np.errstate(over="ignore"):  # x > 1e154: x*x is inf and the series is 1/(12x)
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


# d + e^-d - 1 = sum_{k>=2} (-d)^k / k!, as Horner coefficients from k = 14 down to k = 2
_DPE_COEFS = tuple((-1.0) ** k / math.factorial(k) for k in range(14, 1, -1))


def _d_plus_expm1(d: np.ndarray) -> np.ndarray:
    """``d + e^-d - 1`` (>= 0) without cancellation near ``d = 0``.

    The series (to ``d^14``, exact to 1e-17 relative for ``|d| < 0.1``) there, the direct
    form elsewhere; both are evaluated on the whole array, which is faster than indexing.
    """
    series = np.full(d.shape, _DPE_COEFS[0])
    for coef in _DPE_COEFS[1:]:
        series = series * d + coef
    series = series * (d * d)
    return np.where(np.abs(d) < 0.1, series, d + np.expm1(-d))


def _u_minus_log1p(u: np.ndarray) -> np.ndarray:
    """``u - log(1 + u)`` (>= 0, ``u > -1``) without cancellation near ``u = 0``."""
    out = u - np.log1p(u)
    small = np.abs(u) < 0.1
    if small.any():
        us = u[small]
        term = -us
        acc = np.zeros(us.shape)
        for k in range(2, 24):  # sum_{k>=2} (-u)^k / k; |u| < 0.1: the rest is below 1e-24
            term = -term * us
            acc = acc + term / k
        out[small] = acc
    return out


def _s_quadrature(x: np.ndarray, y: np.ndarray, *, answered: bool = False,
                  s_cut: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Erlang A quantities by quadrature over the scaled offered wait, for ``x >= 1e5``.

    The scaled offered wait ``s = theta V`` of a waiting arrival has density
    ``w(s) / int w`` on ``s >= 0``, ``w(s) = exp(-x s - y expm1(-s))``
    (differentiate ``P(V > t | wait) = P(x, y e^-s) / P(x, y)`` in ``s``), and
    a waiting arrival is answered iff its patience outlasts ``V``, which has
    probability ``e^-s``. Returns a dict of arrays:

    - ``log_j``: ``log J(x, y) = log(x int w)``;
    - ``p_abandon_w``: ``P(abandon | wait) = E[1 - e^-s]``;
    - ``answered``: ``theta E[V e^{-theta V} | wait] = E[s e^-s]`` (if asked);
    - with ``s_cut`` (``theta T`` per value): ``waited_le_cut`` = ``P(V <= T |
      wait)`` and ``answered_le_cut`` = ``P(answered within T | wait) =
      E[e^-s; s <= theta T]``, both integrated directly, not as differences.

    ``log w`` is concave with its maximum at ``s0 = log(y/x)`` (overload) or
    ``0``; written as ``s = s0 + d``, ``log w(s) - log w(s0) = -(x - m) d - m
    (d + e^-d - 1)`` with ``m = min(x, y)``, which has no large terms to
    cancel. The range kept is bounded by closed-form points where that is
    below ``-50`` (each at most a few times farther out than needed); on it, 8
    Gauss-Legendre panels of 16 nodes are exact to about 1e-13 relative, since
    for ``x >= 1e5`` the range is narrower than 0.1 in ``s`` while the
    integrands vary on a scale of 1. Values go through in chunks of 4096.
    """
    size = x.size
    out = {"log_j": np.empty(size), "p_abandon_w": np.empty(size)}
    if answered:
        out["answered"] = np.empty(size)
    if s_cut is not None:
        out["waited_le_cut"] = np.empty(size)
        out["answered_le_cut"] = np.empty(size)
    unit = 0.5 * (_GL_NODES + 1.0)
    edges = np.linspace(0.0, 1.0, _QUAD_PANELS + 1)
    # nodes on [0, 1] and their weights, panel by panel
    frac = (edges[:-1, None] + (edges[1:] - edges[:-1])[:, None] * unit[None, :]).ravel()
    fw = ((edges[1:] - edges[:-1])[:, None] * 0.5 * _GL_WEIGHTS[None, :]).ravel()
    cut = _QUAD_LOG_CUT
    for start in range(0, size, _QUAD_CHUNK):
        sl = slice(start, start + _QUAD_CHUNK)
        xc, yc = x[sl], y[sl]
        u = (yc - xc) / xc
        over = u > 0
        s0 = np.where(over, np.log1p(np.maximum(u, 0.0)), 0.0)
        m = np.where(over, xc, yc)
        xm = np.where(over, 0.0, xc - yc)
        with np.errstate(divide="ignore"):
            c = cut / m  # m = 0 only if y underflowed to 0: then the exponential bound below
            right = np.sqrt(2.0 * c) + c  # m (d + e^-d - 1) >= cut there
            right = np.where(xm > 0, np.minimum(right, cut / xm), right)
        c_x = cut / xc
        left = np.where(over, np.minimum(s0, np.minimum(np.sqrt(2.0 * c_x),
                                                        1.0 + np.log1p(2.0 * c_x))), 0.0)
        width = right + left

        def weights(span, xm=xm, m=m, left=left):
            """``w / w(s0)`` times the quadrature weights on ``[0, 1]``, and ``d``, for the
            range ``[s0 - left, s0 - left + span]`` (multiply by ``span`` to integrate; it
            is left out so that nothing underflows when the range is 1e-200 wide)."""
            d = -left[:, None] + span[:, None] * frac[None, :]
            log_w = -xm[:, None] * d - m[:, None] * _d_plus_expm1(d)
            return np.exp(log_w) * fw[None, :], d

        w, d = weights(width)
        mass = w.sum(axis=1)
        s = s0[:, None] + d
        out["p_abandon_w"][sl] = (w * -np.expm1(-s)).sum(axis=1) / mass
        if answered:
            out["answered"][sl] = (w * (s * np.exp(-s))).sum(axis=1) / mass
        if s_cut is not None:
            span = np.clip(s_cut[sl] - (s0 - left), 0.0, width)
            share = span / width
            wc, dc = weights(span)
            out["waited_le_cut"][sl] = np.minimum(share * wc.sum(axis=1) / mass, 1.0)
            answered_c = (wc * np.exp(-(s0[:, None] + dc))).sum(axis=1)
            out["answered_le_cut"][sl] = share * answered_c / mass
        # log J = log x + log w(s0) + log int w/w(s0); log w(s0) = x (u - log1p(u)) in overload
        l0 = np.where(over, xc * _u_minus_log1p(np.maximum(u, 0.0)), 0.0)
        out["log_j"][sl] = np.log(xc) + l0 + np.log(mass) + np.log(width)
    return out


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

    ``p``, if given, is ``P(x, y)`` already computed (used for ``x < 1e5``;
    from ``x = 1e5`` on ``J`` comes from :func:`_s_quadrature`).
    """
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    big = x >= _QUAD_MIN_X
    if big.any():
        out = np.empty(x.shape)
        out[big] = _s_quadrature(x[big], y[big])["log_j"]
        small = ~big
        if small.any():
            out[small] = _log_j_small(x[small], y[small], None if p is None else p[small])
        return out
    return _log_j_small(x, y, p)


def _log_j_small(x: np.ndarray, y: np.ndarray, p: np.ndarray | None) -> np.ndarray:
    """:func:`log_j` for ``x < 1e5``: from scipy's ``P(x, y)``, or its series where that underflows.

    The series terms fall at least as fast as ``(y/x)^j`` and ``exp(-j^2 / (2 (x + j)))``,
    so it needs at most about ``10 sqrt(x)`` terms here.
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


#: The smallest load :func:`erlang_a` computes at (erlangs).
_MIN_LOAD = 1e-300


def erlang_a(n: np.ndarray, a: np.ndarray, r: np.ndarray, t_over_aht: np.ndarray | None = None,
             lb: np.ndarray | None = None, *, still_waiting: bool = True,
             answered: bool = False) -> dict[str, np.ndarray]:
    """Probabilities of M/M/n+M, 1-D arrays, ``n >= 1``, ``a > 0``.

    Parameters are agents ``n``, offered load ``a`` (erlangs), ``r`` = mean
    patience / AHT, optionally a wait threshold ``t_over_aht = T / AHT`` and
    ``lb = log B(n, a)`` already known. Returns a dict of arrays:

    - ``p_wait``, ``p_abandon_w`` (``P(abandon | wait)``);
    - with ``t_over_aht``: ``answered_within`` (answered within ``T``, over all
      arrivals) and, with ``still_waiting``, ``still_waiting`` (still in queue
      at ``T``);
    - with ``answered``: ``answered_theta`` = ``theta E[V e^{-theta V} | wait]``.

    For ``x = n r < 1e5``: ``J`` from scipy's ``P(x, y)`` (or its series),
    ``P(V > T | wait) = P(x, y e^{-T/patience}) / P(x, y)`` and ``P(answered
    after T | wait) = P(x+1, y e^{-T/patience}) / (rho P(x, y))``, and the
    queue-length sum of :func:`_asa_answered_sum`. From ``x = 1e5`` on, all of
    it from one call of :func:`_s_quadrature`.
    """
    # A load below 1e-300 erlangs (redials spilled by an exponential delay leave such loads)
    # is computed at 1e-300: 1 / rho and n / a overflow below about 1e-308, and every
    # probability a load that small gives is below 1e-299 either way (a wait, AHT times that).
    a = np.maximum(a, _MIN_LOAD)
    x = n * r
    y = a * r
    if lb is None:
        lb = log_erlang_b(n, a)
    theta_t = None if t_over_aht is None else t_over_aht / r  # T / mean patience
    big = x >= _QUAD_MIN_X
    small = ~big
    lj = np.empty(x.shape)
    out = {"p_abandon_w": np.empty(x.shape)}
    quad = None
    if big.any():
        quad = _s_quadrature(x[big], y[big], answered=answered,
                             s_cut=None if theta_t is None else theta_t[big])
        lj[big], out["p_abandon_w"][big] = quad["log_j"], quad["p_abandon_w"]
    if small.any():
        xs, ys = x[small], y[small]
        p_xy = special.gammainc(xs, ys)
        lj_s = _log_j_small(xs, ys, p_xy)
        lj[small] = lj_s
        rho = a[small] / n[small]
        inv_rho_j = np.exp(-lj_s) / rho
        p_s_ab = 1.0 - 1.0 / rho + inv_rho_j
        # Cancels when rho < 1 and J(1 - rho) is close to 1: sum the positive series there
        # (at most about 10 sqrt(x) terms for x < 1e5).
        cancel = (rho < 1.0) & (p_s_ab < 1e-3 * inv_rho_j)
        if np.any(cancel):
            p_s_ab[cancel] = _abandon_given_wait_series(xs[cancel], ys[cancel])
        out["p_abandon_w"][small] = p_s_ab
    out["p_abandon_w"] = np.clip(out["p_abandon_w"], 0.0, 1.0)
    # P(wait) = J B / (1 - B + J B) = 1 / (1 + (1 - B) / (J B))
    log1m_b = np.log1p(-np.exp(lb))
    p_wait = out["p_wait"] = special.expit(lj + lb - log1m_b)
    if theta_t is not None:
        within = out["answered_within"] = np.empty(x.shape)
        if still_waiting:
            out["still_waiting"] = np.empty(x.shape)
        if quad is not None:
            pw = p_wait[big]
            within[big] = (1.0 - pw) + pw * quad["answered_le_cut"]
            if still_waiting:
                out["still_waiting"][big] = (pw * (1.0 - quad["waited_le_cut"])
                                             * np.exp(-theta_t[big]))
        if small.any():
            sm = small
            t_aht = np.asarray(t_over_aht)
            w_s, still_s = _waits_gamma(n[sm], a[sm], t_aht[sm], theta_t[sm], p_wait[sm],
                                        out["p_abandon_w"][sm], lj[sm], x[sm], y[sm], p_xy,
                                        still_waiting)
            within[small] = w_s
            if still_waiting:
                out["still_waiting"][small] = still_s
        out["answered_within"] = np.clip(within, 0.0, 1.0)
        if still_waiting:
            out["still_waiting"] = np.clip(out["still_waiting"], 0.0, 1.0)
    if answered:
        theta_e = out["answered_theta"] = np.empty(x.shape)
        if quad is not None:
            theta_e[big] = quad["answered"]
        if small.any():
            theta_e[small] = _asa_answered_sum(x[small], y[small])
    return out


def _waits_gamma(n, a, t_over_aht, theta_t, p_wait, p_ab_w, lj, x, y, p_xy, still_waiting):
    """Answered within ``T`` and still waiting at ``T`` for ``x < 1e5``, from ratios of
    incomplete gamma functions (see :func:`erlang_a`)."""
    y_t = y * np.exp(-theta_t)
    after_t = _gamma_ratio(x, y, y_t, p_xy, lj, 1.0, n, t_over_aht, theta_t) * (n / a)
    answered_after = np.minimum(after_t, 1.0 - p_ab_w)
    answered_within = (1.0 - p_wait) + p_wait * (1.0 - p_ab_w - answered_after)
    if not still_waiting:
        return answered_within, None
    beyond = _gamma_ratio(x, y, y_t, p_xy, lj, 0.0, n, t_over_aht, theta_t)
    return answered_within, p_wait * np.minimum(beyond, 1.0) * np.exp(-theta_t)


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


def _asa_answered_sum(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``E[V e^{-theta V} | wait] * theta``, summed over the queue-length law.

    Given ``j`` waiting on arrival the offered wait ``V`` is hypoexponential with
    rates ``theta (x + i)``, ``i = 0..j``, so
    ``theta E[V e^{-theta V}] = x/(x+j+1) * sum_{i=1}^{j+1} 1/(x+i)``. The queue
    length seen by a waiting arrival has weights ``t_j = y^j/((x+1)...(x+j))``.
    Only the window of ``j`` that carries the mass is summed, at most
    ``_WINDOW_CELLS`` terms at a time (several values per block when their
    windows are short, one window in several blocks when it is long), so memory
    stays bounded; the window is ``O(sqrt(y))`` terms, about 2e6 at most for
    ``x < 1e5`` and loads up to 50,000 erlangs.
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
    order = np.argsort(width, kind="stable")
    i = 0
    while i < order.size:
        # widths ascend along `order`: take as many values as fit in the block budget
        k = max(1, min(order.size - i, _WINDOW_CELLS // max(int(width[order[i]]), 1)))
        while k > 1 and int(width[order[i + k - 1]]) * k > _WINDOW_CELLS:
            k //= 2
        idx = order[i : i + k]
        out[idx] = _asa_answered_block(x[idx], y[idx], lo[idx], hi[idx], int(width[idx].max()))
        i += k
    return out


def _asa_answered_block(x, y, lo, hi, w):
    """:func:`_asa_answered_sum` for values whose windows fit ``w`` terms, in column chunks."""
    k = x.size
    cols = max(1, _WINDOW_CELLS // k)
    xi, yi = x[:, None], y[:, None]
    log_y = np.log(yi)
    # running state carried from chunk to chunk
    log_t_last = np.zeros((k, 1))  # log t_j - log t_lo at the last column done
    # sum_{i=1}^{lo} 1/(x+i): the harmonic sum before the first column
    harm_last = _digamma_diff(x + 1.0, lo)[:, None]
    ref = np.full(k, -np.inf)  # running max of log t, the scale of the sums
    s_w = np.zeros(k)
    s_wv = np.zeros(k)
    for c0 in range(0, w, cols):
        j = lo[:, None] + np.arange(c0, min(w, c0 + cols), dtype=float)[None, :]
        # log t_j - log t_lo = sum_{i=lo+1}^{j} log(y / (x+i)): cumulative, no large cancellation
        steps = log_y - np.log(xi + j)
        if c0 == 0:
            steps[:, 0] = 0.0
        log_t = log_t_last + np.cumsum(steps, axis=1)
        log_t_last = log_t[:, -1:]
        harmonic = harm_last + np.cumsum(1.0 / (xi + j + 1.0), axis=1)
        harm_last = harmonic[:, -1:]
        log_t = np.where(j <= hi[:, None], log_t, -np.inf)
        new_ref = np.maximum(ref, log_t.max(axis=1))
        scale = np.exp(ref - new_ref)  # 0 on the first chunk (ref = -inf)
        wts = np.exp(log_t - new_ref[:, None])
        val = xi / (xi + j + 1.0) * harmonic
        s_w = s_w * scale + wts.sum(axis=1)
        s_wv = s_wv * scale + (wts * val).sum(axis=1)
        ref = new_ref
    return s_wv / s_w
