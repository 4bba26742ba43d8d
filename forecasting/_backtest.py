"""Rolling-origin backtests: how accurate each method has been on the history itself.

``backtest`` cuts the history at ``n_origins`` origins spaced ``step_s`` apart
(the last one ``horizon`` intervals before the end), each moved back to the
midnight that starts its day (the daily models forecast whole days, and every
method is scored on the same intervals), fits every method on what came before
each origin and forecasts the ``horizon`` intervals after it. Forecasts are
matched with actuals by ``interval_start``.
``score_backtest`` turns the rows into the measures planners read:

* ``wape``: sum of absolute errors over the sum of actuals, interval level;
* ``daily_wape``: the same on daily totals, over days whose intervals are all known;
* ``bias``: sum of (forecast - actual) over the sum of actuals (> 0: over-forecast);
* ``mase``: mean absolute error over the mean absolute one-week difference of
  the training history (the in-sample seasonal-naive error; < 1 beats it);
* ``coverage``: share of actuals inside the prediction interval.

Missing actuals are skipped, never read as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from ._daily import holiday_calendar
from ._forecast import forecast, make_model, origin_forecasts
from ._history import clean_history
from ._models import WEEK_S
from ._validate import check_count, check_horizon
from .contracts import BACKTEST_COLUMNS, METHODS
from .errors import HistoryError


def backtest(history: pd.DataFrame, *, interval_s: float, horizon: int, n_origins: int = 8,
             step_s: float = WEEK_S, methods: Sequence[str] = METHODS + ("auto",),
             country: str | None = None, subdivision: str | None = None, level: float = 80,
             on_origin: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Forecast from rolling origins inside the history and keep forecast and actual side by side.

    Parameters
    ----------
    history : pandas.DataFrame
        The ``history`` contract (``channel``, ``interval_start``, ``offered``).
    interval_s : float
        Interval length, seconds.
    horizon : int
        Intervals forecast from each origin, >= 1 (336 = one week of 30 min).
    n_origins : int, optional
        Origins per channel, >= 1. Default 8.
    step_s : float, optional
        Time between origins, seconds; a whole number of intervals. Default one week.
        With a whole number of days, every origin is moved back to the midnight
        that starts its day; otherwise origins stay where they fall, and rows a
        method that ran does not forecast (the daily models start at the next
        midnight) are left out for every method.
    methods : sequence of str, optional
        Names from ``forecasting.contracts.METHODS`` and ``"auto"``. Default: all of them.
    country, subdivision : str, optional
        Holiday calendar for the daily models.
    level : float, optional
        Prediction-interval level, percent. Default 80.
    on_origin : callable, optional
        Called as ``on_origin(done, total)`` after each channel-origin (progress bars).

    Returns
    -------
    pandas.DataFrame
        One row per method, channel, origin and forecast interval:
        ``forecasting.contracts.BACKTEST_COLUMNS``. ``horizon_day`` counts days from the origin
        (1 = the first 24 hours); ``actual`` is NaN where the history is
        missing; ``offered`` is NaN where the method could not fit at that
        origin; ``scale`` is the MASE denominator of that channel and origin.

    Raises
    ------
    HistoryError
        Bad history, horizon, method or calendar, or a history too short for
        ``n_origins`` origins.
    """
    where = "backtest()"
    unknown = [m for m in methods if m not in METHODS + ("auto",)]
    if unknown or not methods:
        raise HistoryError(f"{where}: methods must be taken from auto, {', '.join(METHODS)}; "
                           f"got {list(methods)!r}.")
    horizon = check_horizon(horizon, where)
    n_origins = check_count(n_origins, "n_origins", where)
    step = step_s / interval_s if interval_s > 0 else np.nan
    if not np.isfinite(step) or step != int(step) or step < 1:
        raise HistoryError(f"{where}: step_s ({step_s:g}) must be a whole number of intervals "
                           f"of {interval_s:g} s.")
    holiday_calendar(country, subdivision, where)
    tidy = clean_history(history, interval_s=interval_s, where=where)
    week = int(round(WEEK_S / interval_s))
    plain = [m for m in methods if m != "auto"]
    channels = list(tidy.groupby("channel", sort=True))
    total = len(channels) * int(n_origins)
    done = 0
    rows = []
    for name, part in channels:
        part = part.reset_index(drop=True)
        values = part["offered"].to_numpy(dtype=float)
        first_cut = len(part) - int(horizon) - (int(n_origins) - 1) * int(step)
        cuts = [] if first_cut < 2 * week else [  # (checked first: n_origins may be huge)
            len(part) - int(horizon) - k * int(step) for k in range(int(n_origins) - 1, -1, -1)]
        cuts = _midnight_cuts(part["interval_start"], cuts, step_s) if cuts else cuts
        if not cuts or cuts[0] < 2 * week:
            raise HistoryError(
                f"{where}: channel {name!r} has {len(part)} intervals; {n_origins} origins "
                f"{step_s / 86400:g} days apart with a horizon of {horizon} need at least "
                f"{2 * week + int(horizon) + (int(n_origins) - 1) * int(step)}. Use fewer "
                "origins or a shorter horizon."
            )

        def make(method):
            return make_model(method, interval_s, level=level, country=country,
                              subdivision=subdivision)

        for cut in cuts:
            predictions = origin_forecasts(part, plain, make, cut, int(horizon))
            if "auto" in methods:
                predictions["auto"] = forecast(part.iloc[:cut], int(horizon),
                                               interval_s=interval_s, country=country,
                                               subdivision=subdivision, level=level).table
            train = values[:cut]
            diffs = np.abs(train[week:] - train[:-week])
            scale = float(np.nanmean(diffs)) if np.isfinite(diffs).any() else np.nan
            actual = values[cut:cut + int(horizon)]
            starts = part["interval_start"].iloc[cut:cut + int(horizon)].to_numpy()
            origin = part["interval_start"].iloc[cut]
            day = ((starts - origin.to_datetime64()) // np.timedelta64(1, "D")).astype(int) + 1
            # Forecasts meet actuals by interval_start, never by position; rows some method
            # that ran does not forecast are left out for all, so all are scored on the same rows.
            ran = {method: frame.set_index("interval_start")
                   for method, frame in predictions.items() if frame is not None}
            covered = np.ones(len(starts), dtype=bool)
            for frame in ran.values():
                covered &= pd.DatetimeIndex(starts).isin(frame.index)
            aligned = {method: frame[["offered", "offered_lo", "offered_hi"]]
                       .reindex(pd.DatetimeIndex(starts)) for method, frame in ran.items()}
            for method in methods:
                frame = aligned.get(method)
                block = {c: (np.where(covered, frame[c].to_numpy(dtype=float), np.nan)
                             if frame is not None else np.full(len(actual), np.nan))
                         for c in ("offered", "offered_lo", "offered_hi")}
                rows.append(pd.DataFrame({
                    "method": method, "channel": name, "origin": origin,
                    "interval_start": starts, "horizon_day": day, "actual": actual,
                    **block, "scale": scale,
                }))
            done += 1
            if on_origin is not None:
                on_origin(done, total)
    return pd.concat(rows, ignore_index=True)[list(BACKTEST_COLUMNS)]


def _midnight_cuts(starts: pd.Series, cuts: list[int], step_s: float) -> list[int]:
    """Each cut moved back to the first interval of its day (the daily models forecast whole
    days from midnight, so every method starts there and is scored on the same intervals).

    Left as they are when origins ``step_s`` apart cannot all be midnights (``step_s`` not a
    whole number of days) or the interval grid has no midnight.
    """
    if step_s % 86400 != 0:
        return cuts
    times = pd.DatetimeIndex(starts)
    midnights = np.flatnonzero(times == times.normalize())
    if midnights.size == 0:
        return cuts
    moved = []
    for cut in cuts:
        before = midnights[midnights <= cut]
        moved.append(int(before[-1]) if before.size else cut)
    return moved


def score_backtest(table: pd.DataFrame,
                   by: Sequence[str] = ("method", "channel")) -> pd.DataFrame:
    """Accuracy measures of a ``backtest`` table, grouped by ``by``.

    Parameters
    ----------
    table : pandas.DataFrame
        What ``backtest`` returned (or a filter of it).
    by : sequence of str, optional
        Grouping columns, e.g. ``("method",)``, ``("method", "channel")`` or
        ``("method", "horizon_day")``.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, then ``n`` (intervals scored), ``wape``,
        ``daily_wape``, ``bias``, ``mase``, ``coverage`` (see the module
        docstring). WAPE and bias are NaN for a group without contacts.
    """
    scored = table[np.isfinite(table["actual"]) & np.isfinite(table["offered"])].copy()
    scored["abs_error"] = (scored["offered"] - scored["actual"]).abs()
    scored["error"] = scored["offered"] - scored["actual"]
    scored["inside"] = ((scored["actual"] >= scored["offered_lo"])
                        & (scored["actual"] <= scored["offered_hi"])).astype(float)
    scored["scaled"] = scored["abs_error"] / scored["scale"].where(scored["scale"] > 0)
    # Daily totals: only days whose every interval is known, within each channel-origin.
    day_keys = ["method", "channel", "origin", "horizon_day"]
    complete = (table.assign(known=np.isfinite(table["actual"]))
                .groupby(day_keys)["known"].transform("all"))
    days = (table[complete & np.isfinite(table["offered"])]
            .groupby(day_keys, as_index=False)[["actual", "offered"]].sum())
    days["abs_error"] = (days["offered"] - days["actual"]).abs()
    keys = list(by)
    grouped = scored.groupby(keys)
    actual_sum = grouped["actual"].sum()
    actual_sum = actual_sum.where(actual_sum > 0)  # no contacts: WAPE and bias undefined
    out = pd.DataFrame({
        "n": grouped.size(),
        "wape": grouped["abs_error"].sum() / actual_sum,
        "bias": grouped["error"].sum() / actual_sum,
        "mase": grouped["scaled"].mean(),
        "coverage": grouped["inside"].mean(),
    })
    if set(keys) <= set(days.columns):
        daily = days.groupby(keys)
        day_sum = daily["actual"].sum()
        out["daily_wape"] = daily["abs_error"].sum() / day_sum.where(day_sum > 0)
    else:
        out["daily_wape"] = np.nan
    out = out.reset_index()
    return out[keys + ["n", "wape", "daily_wape", "bias", "mase", "coverage"]]
