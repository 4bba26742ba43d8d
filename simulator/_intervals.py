"""Confidence intervals for simulated means that stay in the quantity's physical range.

The replications of a simulation are independent, so the mean over them of a
KPI has an approximately normal error with standard error ``s / sqrt(r)``
(``s`` the standard deviation over the ``r`` replications). The symmetric
Student-t interval ``mean +- t * s / sqrt(r)`` is right for unbounded
quantities but leaves the range of bounded ones: a service level of 0.98 with a
wide spread gets an upper bound above 1, a wait of 5 s a lower bound below 0.
Three kinds of interval, all with Student's t on ``r - 1`` degrees of freedom
and all equal to the t-interval when the standard error is small against the
distance to the bound:

``"fraction"`` (service level, abandonment, occupancy: values in [0, 1])
    Wilson's score interval at the *effective sample size*
    ``n_eff = p (1 - p) / se**2`` (the number of independent contacts that
    would give the observed standard error; Korn and Graubard 1998, "Confidence
    intervals for proportions with small expected number of positive counts
    estimated from survey data", Survey Methodology 24, use the same
    design-effect idea with Clopper-Pearson). It lies inside [0, 1], contains the
    estimate, and where every replication gives the same value (a service
    level of 1 in every replication, so ``se`` is 0) it falls back to Wilson's
    interval for the contacts actually counted (``n_contacts``), instead of
    the zero-width interval a t-interval gives.
``"nonnegative"`` (waits, queue lengths: values >= 0)
    The t-interval on the log scale of the mean (delta method:
    ``mean * exp(+- t * se / mean)``): positive, wider above than below, as
    the sampling distribution of a mean of right-skewed waits is.
``"real"``
    The symmetric t-interval.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ._errors import SimulationInputError

_KINDS = ("fraction", "nonnegative", "real")
_MAX_LOG_STEP = 700.0  # exp() of more overflows a float


def interval_from_se(estimate, std_error, df, *, kind: str, n_contacts=None,
                     confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Confidence bounds for an estimate with a known standard error, kept in range.

    Parameters
    ----------
    estimate : array_like of float
        The estimates (a fraction in [0, 1] for ``kind="fraction"``, >= 0
        for ``"nonnegative"``; values outside are clipped into the range).
    std_error : array_like of float
        Their standard errors (same unit as ``estimate``); NaN gives NaN
        bounds.
    df : array_like of float
        Degrees of freedom of Student's t (replications - 1, or batches - 1).
    kind : {"fraction", "nonnegative", "real"}
        The quantity's range; see the module docstring for the method of each.
    n_contacts : array_like of float, optional
        For ``"fraction"``: the contacts counted over all replications (the
        proportion's denominator). Caps the effective sample size, and sets
        it where the standard error is 0. Without it the fallback is
        ``df + 1`` observations.
    confidence : float, optional
        Level of the interval, in (0, 1).

    Returns
    -------
    low, high : numpy.ndarray of float
        The bounds, broadcast to the inputs' shape; NaN where the estimate,
        its standard error or the degrees of freedom (< 1) are missing.

    Examples
    --------
    >>> low, high = interval_from_se(0.98, 0.05, 9, kind="fraction")
    >>> bool(0.0 <= low < 0.98 < high <= 1.0)
    True
    """
    if kind not in _KINDS:
        raise SimulationInputError(f"interval_from_se(): kind must be one of {_KINDS}, got "
                                   f"{kind!r}.")
    if not 0 < confidence < 1:
        raise SimulationInputError(f"interval_from_se(): confidence must be in (0, 1), got "
                                   f"{confidence!r}.")
    est, se, dof = np.broadcast_arrays(np.asarray(estimate, dtype=float),
                                       np.asarray(std_error, dtype=float),
                                       np.asarray(df, dtype=float))
    ok = np.isfinite(est) & np.isfinite(se) & (se >= 0) & np.isfinite(dof) & (dof >= 1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = stats.t.ppf(0.5 + confidence / 2.0, np.where(ok, dof, 1.0))
        if kind == "real":
            low, high = est - t * se, est + t * se
        elif kind == "nonnegative":
            m = np.maximum(est, 0.0)
            step = np.minimum(np.where(m > 0, t * se / np.where(m > 0, m, 1.0), 0.0),
                              _MAX_LOG_STEP)
            low, high = m * np.exp(-step), m * np.exp(step)
        else:
            p = np.clip(est, 0.0, 1.0)
            fallback = (np.broadcast_to(np.asarray(n_contacts, dtype=float), est.shape)
                        if n_contacts is not None else dof + 1.0)
            fallback = np.where(np.isfinite(fallback) & (fallback > 0), fallback, dof + 1.0)
            spread = p * (1.0 - p)
            n_eff = np.where((se > 0) & (spread > 0), spread / np.where(se > 0, se, 1.0) ** 2,
                             fallback)
            if n_contacts is not None:
                n_eff = np.minimum(n_eff, fallback)
            z2n = t * t / n_eff
            centre = (p + z2n / 2.0) / (1.0 + z2n)
            half = (t / (1.0 + z2n)) * np.sqrt(spread / n_eff + t * t / (4.0 * n_eff ** 2))
            low = np.clip(centre - half, 0.0, 1.0)
            high = np.clip(centre + half, 0.0, 1.0)
            # The score interval contains p in exact arithmetic; keep it so in floats.
            low, high = np.minimum(low, p), np.maximum(high, p)
    nan = np.full(est.shape, np.nan)
    return np.where(ok, low, nan), np.where(ok, high, nan)


def mean_interval(values, *, kind: str, n_contacts=None, confidence: float = 0.95
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over replications (axis 0) and its in-range confidence interval.

    Parameters
    ----------
    values : array_like of float
        One row per replication; NaN (the KPI undefined in that replication,
        e.g. no contact) is left out of the mean and the interval.
    kind : {"fraction", "nonnegative", "real"}
        The quantity's range (module docstring).
    n_contacts : array_like of float, optional
        For ``"fraction"``: contacts counted over all replications, per
        column (see :func:`interval_from_se`).
    confidence : float, optional
        Level of the interval, in (0, 1).

    Returns
    -------
    mean, low, high : numpy.ndarray of float
        Per column; the mean is NaN without a finite value, the bounds are NaN
        with fewer than two.

    Examples
    --------
    >>> mean, low, high = mean_interval([[1.0], [1.0], [0.9]], kind="fraction")
    >>> bool(low[0] >= 0 and high[0] <= 1 and low[0] < mean[0] < high[0])
    True
    """
    x = np.asarray(values, dtype=float)
    finite = np.isfinite(x)
    n = finite.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        total = np.where(finite, x, 0.0).sum(axis=0)
        mean = np.where(n >= 1, total / np.maximum(n, 1), np.nan)
        dev = np.where(finite, x - mean, 0.0)
        var = (dev ** 2).sum(axis=0) / np.maximum(n - 1, 1)
        se = np.where(n >= 2, np.sqrt(var / np.maximum(n, 1)), np.nan)
    low, high = interval_from_se(mean, se, n - 1.0, kind=kind, n_contacts=n_contacts,
                                 confidence=confidence)
    return mean, low, high
