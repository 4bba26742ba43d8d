"""Sample paths: whole scenarios of arrivals that vary the way real days do.

Real arrivals are not independent Poisson counts around a known mean: a whole
day runs high or low (weather, a campaign, an outage), so every interval of
that day moves together. A forecast's prediction intervals hold both parts,
the day's level and the Poisson noise of each count. ``sample_paths`` splits
them back apart and draws scenarios a simulator can run one by one.

Per channel and calendar day, with ``mu`` the interval forecast and ``s`` the
standard deviation its interval implies (``(offered_hi - offered) / z`` at the
forecast's level), the model is ``variance = mu + (sigma_d * mu)^2``: Poisson
noise plus a day level with relative standard deviation ``sigma_d``, fitted
by least squares over the day's intervals (``sigma_d^2 = sum(max(s^2 - mu,
0)) / sum(mu^2)``). Each path draws one multiplier per day, gamma with mean 1
and standard deviation ``sigma_d``; consecutive days' multipliers are
correlated ``day_correlation`` through a Gaussian copula (an AR(1) on the
normal scores). A path's ``offered`` is ``mu`` times its day's multiplier:
the arrival rate of that scenario (expected contacts per interval), so the
simulator adds the Poisson noise itself and a path's counts have the
forecast's spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._validate import check_count
from .errors import HistoryError


@dataclass(frozen=True)
class SamplePaths:
    """What :func:`sample_paths` returns: the scenarios and the day-level spread they carry.

    Attributes
    ----------
    table : pandas.DataFrame
        The ``paths`` table (:mod:`forecasting.contracts`): ``path`` (0 ..
        n_paths-1), then the forecast's columns with ``offered`` the path's
        arrival rate (expected contacts per interval) and without
        ``offered_lo`` / ``offered_hi``.
    day_sd : dict of str to list of float
        Per channel, the relative standard deviation (>= 0, a fraction of the
        day's level) of each calendar day's level, in date order: the
        ``sigma_d`` fitted to the forecast's intervals.
    """

    table: pd.DataFrame
    day_sd: dict[str, list[float]]


def sample_paths(forecast: pd.DataFrame, n_paths: int, *, level: float = 80.0,
                 day_correlation: float = 0.0, seed: int | None = None) -> SamplePaths:
    """Scenarios of interval arrival rates with the day-level correlation real arrivals have.

    Parameters
    ----------
    forecast : pandas.DataFrame
        A ``forecast`` table: ``channel``, ``interval_start``, ``offered``,
        ``offered_lo``, ``offered_hi`` (other columns, e.g. ``aht_s``, are
        carried into every path). Not modified.
    n_paths : int
        Number of scenarios, >= 1.
    level : float, optional
        The level, percent, the forecast's intervals were made at. Default 80.
    day_correlation : float, optional
        Correlation in [0, 1) between consecutive days' levels. Default 0.
    seed : int, optional
        Seed; the same seed gives the same paths.

    Returns
    -------
    SamplePaths
        ``table``: ``path`` (0 .. n_paths-1), then the forecast's columns
        with ``offered`` replaced by the path's arrival rate and without
        ``offered_lo`` / ``offered_hi``. ``day_sd``: per channel, its per-day
        relative standard deviations.

    Raises
    ------
    HistoryError
        A column is missing, ``n_paths`` < 1, or ``level`` /
        ``day_correlation`` is out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> fc = pd.DataFrame({"channel": "voice", "offered": [100.0, 100.0],
    ...                    "offered_lo": [80.0, 80.0], "offered_hi": [120.0, 120.0],
    ...                    "interval_start": pd.to_datetime(["2026-01-05 09:00",
    ...                                                      "2026-01-05 09:30"])})
    >>> paths = sample_paths(fc, 3, seed=1).table
    >>> paths.groupby("path").offered.nunique().tolist()  # one level per day
    [1, 1, 1]
    """
    where = "sample_paths()"
    _check_forecast(forecast, level, where)
    n_paths = check_count(n_paths, "n_paths", where)
    if not 0 <= day_correlation < 1:
        raise HistoryError(f"{where}: day_correlation must be in [0, 1), got "
                           f"{day_correlation!r}.")
    rng = np.random.default_rng(seed)
    base = forecast.drop(columns=["offered_lo", "offered_hi"]).reset_index(drop=True)
    mu, codes, uniques, sigma2 = _day_spread(forecast, level)
    sigma = np.sqrt(sigma2)
    # Normal scores per (path, channel-day), AR(1) along each channel's days.
    scores = rng.standard_normal((n_paths, len(uniques)))
    channel_of = uniques.get_level_values(0).to_numpy()
    for j in range(1, len(uniques)):
        if channel_of[j] == channel_of[j - 1] and day_correlation > 0:
            scores[:, j] = day_correlation * scores[:, j - 1] \
                + np.sqrt(1 - day_correlation ** 2) * scores[:, j]
    multipliers = np.ones_like(scores)
    varied = sigma > 0
    shape = 1.0 / sigma2[varied]
    multipliers[:, varied] = stats.gamma.ppf(stats.norm.cdf(scores[:, varied]), a=shape,
                                             scale=1.0 / shape)
    out = base.iloc[np.tile(np.arange(len(base)), n_paths)].reset_index(drop=True)
    out["offered"] = (mu[None, :] * multipliers[:, codes]).ravel()
    out.insert(0, "path", np.repeat(np.arange(n_paths), len(base)))
    day_sd = {name: sigma[channel_of == name].tolist() for name in pd.unique(channel_of)}
    return SamplePaths(table=out, day_sd=day_sd)


def _check_forecast(forecast: pd.DataFrame, level: float, where: str) -> None:
    need = ["channel", "interval_start", "offered", "offered_lo", "offered_hi"]
    missing = [c for c in need if c not in forecast.columns]
    if missing:
        raise HistoryError(f"{where}: the forecast has no column {', '.join(missing)}; pass the "
                           "table forecasting.forecast returned (its .table).")
    if not 0 < level < 100:
        raise HistoryError(f"{where}: level must be in (0, 100), e.g. 80, got {level!r}.")


def _day_spread(forecast: pd.DataFrame, level: float):
    """The day-level model of the module docstring fitted to the forecast's intervals.

    Returns ``mu`` (the interval forecasts), ``codes`` (each row's channel-day),
    ``uniques`` (the (channel, day) keys, in order of first appearance) and
    ``sigma2`` (each channel-day's relative variance ``sigma_d^2``).
    """
    z = stats.norm.ppf(0.5 + level / 200.0)
    mu = forecast["offered"].to_numpy(dtype=float)
    spread = (forecast["offered_hi"].to_numpy(dtype=float) - mu) / z
    excess = np.maximum(spread ** 2 - mu, 0.0)
    excess[~np.isfinite(excess)] = 0.0
    day = pd.to_datetime(forecast["interval_start"]).dt.normalize().to_numpy()
    keys = pd.MultiIndex.from_arrays([forecast["channel"].to_numpy(), day])
    codes, uniques = pd.factorize(keys)
    weight = np.bincount(codes, weights=np.nan_to_num(mu) ** 2, minlength=len(uniques))
    sigma2 = np.divide(np.bincount(codes, weights=excess, minlength=len(uniques)), weight,
                       out=np.zeros(len(uniques)), where=weight > 0)
    return mu, codes, uniques, sigma2


def daily_totals(forecast: pd.DataFrame, *, level: float = 80.0) -> pd.DataFrame:
    """Each calendar day's expected contacts and the prediction interval of the day's total.

    Summing the intervals' bounds is not an interval of the day (the bounds of
    intervals are not reached together). The day's total follows from the same
    model as :func:`sample_paths`: counts are Poisson around ``mu`` times one
    gamma day level of mean 1 and relative standard deviation ``sigma_d``, so
    the day's total is negative binomial with mean ``M = sum(mu)`` and
    variance ``M + (sigma_d * M)^2`` (Poisson when ``sigma_d`` is 0). The
    interval is its central quantiles at ``level``.

    Parameters
    ----------
    forecast : pandas.DataFrame
        A ``forecast`` table: ``channel``, ``interval_start``, ``offered``,
        ``offered_lo``, ``offered_hi``. Not modified.
    level : float, optional
        The level, percent, of the forecast's intervals and of the daily
        interval returned. Default 80.

    Returns
    -------
    pandas.DataFrame
        One row per channel and calendar day, in the forecast's order:
        ``channel``, ``date`` (the day's midnight, on the forecast's clock),
        ``n_intervals`` (intervals of the forecast on that day: a day cut by
        the horizon has fewer), ``offered`` (expected contacts of those
        intervals), ``offered_lo`` and ``offered_hi`` (the day total's
        prediction interval at ``level``, whole contacts) and ``day_sd`` (the
        day level's relative standard deviation ``sigma_d``, >= 0).

    Raises
    ------
    HistoryError
        A column is missing or ``level`` is out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> fc = pd.DataFrame({"channel": "voice", "offered": [50.0, 50.0],
    ...                    "offered_lo": [41.0, 41.0], "offered_hi": [59.0, 59.0],
    ...                    "interval_start": pd.to_datetime(["2026-01-05 09:00",
    ...                                                      "2026-01-05 09:30"])})
    >>> daily_totals(fc)[["offered", "offered_lo", "offered_hi"]].values.tolist()
    [[100.0, 87.0, 113.0]]
    """
    _check_forecast(forecast, level, "daily_totals()")
    mu, codes, uniques, sigma2 = _day_spread(forecast, level)
    sigma = np.sqrt(sigma2)
    expected = np.bincount(codes, weights=np.nan_to_num(mu), minlength=len(uniques))
    counts = np.bincount(codes, minlength=len(uniques))
    tails = np.array([(1 - level / 100.0) / 2, (1 + level / 100.0) / 2])
    bounds = np.zeros((len(uniques), 2))
    for j, (total, sd) in enumerate(zip(expected, sigma, strict=True)):
        if total <= 0:
            continue
        if sd > 0:
            shape = 1.0 / sigma2[j]
            bounds[j] = stats.nbinom.ppf(tails, shape, shape / (shape + total))
        else:
            bounds[j] = stats.poisson.ppf(tails, total)
    return pd.DataFrame({
        "channel": uniques.get_level_values(0).to_numpy(),
        "date": pd.to_datetime(pd.Series(uniques.get_level_values(1))),
        "n_intervals": counts, "offered": expected, "offered_lo": bounds[:, 0],
        "offered_hi": bounds[:, 1], "day_sd": sigma})
