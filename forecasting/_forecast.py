"""The entry point ``forecast``, with the automatic pick by rolling-origin backtest."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._daily import DailyProfileETS, holiday_calendar
from ._errors import HistoryError
from ._history import clean_history
from ._models import SeasonalNaive, WeeklyAverage

_METHODS = ("seasonal_naive", "weekly_average", "daily_ets")
#: Weekly origins the automatic pick scores each candidate on (the last weeks of history).
N_ORIGINS = 3


def forecast(history: pd.DataFrame, horizon: int, *, interval_s: float,
             country: str | None = None, subdivision: str | None = None, level: float = 80,
             method: str = "auto") -> pd.DataFrame:
    """Forecast contacts per channel and interval for the ``horizon`` intervals after history.

    Parameters
    ----------
    history : pandas.DataFrame
        ``channel``, ``interval_start`` (naive local or time-zone aware),
        ``offered`` (NaN = missing), optional ``aht_s``.
    horizon : int
        Intervals to forecast after the end of the history, >= 1.
    interval_s : float
        Interval length, seconds.
    country : str, optional
        Public-holiday calendar (``holidays`` country code, e.g. ``"FR"``),
        used by ``daily_ets``.
    subdivision : str, optional
        Region within ``country`` (e.g. ``"NY"`` in ``"US"``).
    level : float, optional
        Prediction-interval level, percent. Default 80.
    method : str, optional
        ``"seasonal_naive"``, ``"weekly_average"``, ``"daily_ets"`` or
        ``"auto"``: per channel, each candidate is scored by interval WAPE on
        the last ``N_ORIGINS`` weeks of the history (fitted on what came
        before each week) and the best is refitted on all of it.
        ``daily_ets`` needs the history to end at midnight and three weeks
        of complete days; where it cannot run it is not a candidate.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start``, ``offered``, ``offered_lo``,
        ``offered_hi`` and ``aht_s`` when the history has it (from the
        weekly average of the same interval). ``attrs["methods"]`` records,
        per channel, the method used and the backtest scores.

    Raises
    ------
    HistoryError
        Bad history, horizon, method or holiday calendar.
    """
    if method not in _METHODS + ("auto",):
        raise HistoryError(f"forecast(): method must be one of auto, {', '.join(_METHODS)}; "
                           f"got {method!r}.")
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
        raise HistoryError("forecast(): horizon must be a whole number of intervals >= 1, got "
                           f"{horizon!r}.")
    holiday_calendar(country, subdivision, "forecast()")  # fail early on a bad calendar
    if country is not None and method in ("seasonal_naive", "weekly_average"):
        warnings.warn(f"forecast(): method {method!r} does not model public holidays; the "
                      f"{country!r} calendar is used by daily_ets (and by auto) only.",
                      UserWarning, stacklevel=2)
    tidy = clean_history(history, interval_s=interval_s, where="forecast()")

    def make(name):
        if name == "seasonal_naive":
            return SeasonalNaive(interval_s, level=level)
        if name == "weekly_average":
            return WeeklyAverage(interval_s, level=level)
        return DailyProfileETS(interval_s, level=level, country=country,
                               subdivision=subdivision)

    frames, report = [], {}
    for name, part in tidy.groupby("channel", sort=True):
        candidates = list(_METHODS) if method == "auto" else [method]
        if "daily_ets" in candidates and not _ends_at_midnight(part, interval_s):
            if method == "daily_ets":
                raise HistoryError(f"forecast(): method daily_ets needs the history of channel "
                                   f"{name!r} to end at midnight (whole days).")
            candidates.remove("daily_ets")
        if method == "auto":
            scores = _backtest(part, candidates, make, interval_s)
            usable = {k: v for k, v in scores.items() if np.isfinite(v)}
            chosen = min(usable, key=lambda k: usable[k]) if usable else "weekly_average"
        else:
            scores, chosen = {}, method
        result = make(chosen).fit(part).predict(int(horizon))
        if "aht_s" in part and "aht_s" not in result:
            result["aht_s"] = WeeklyAverage(interval_s).fit(part).predict(int(horizon))["aht_s"]
        frames.append(result)
        report[name] = {"method": chosen, "backtest_wape": scores}
    out = pd.concat(frames, ignore_index=True)
    out.attrs["methods"] = report
    return out


def _ends_at_midnight(part: pd.DataFrame, interval_s: float) -> bool:
    end = part["interval_start"].iloc[-1] + pd.Timedelta(seconds=interval_s)
    return end == end.normalize()


def _backtest(part, candidates, make, interval_s):
    """Interval WAPE of each candidate over the last N_ORIGINS weeks of ``part``."""
    week = int(round(7 * 86400 / interval_s))
    scores = {}
    for name in candidates:
        abs_error = total = 0.0
        for k in range(N_ORIGINS, 0, -1):
            cut = len(part) - k * week
            if cut <= 3 * week:
                continue
            train, test = part.iloc[:cut], part.iloc[cut:cut + week]
            try:
                predicted = make(name).fit(train).predict(len(test))["offered"].to_numpy()
            except HistoryError:
                abs_error = np.nan
                break
            actual = test["offered"].to_numpy()
            ok = np.isfinite(actual) & np.isfinite(predicted)
            abs_error += float(np.abs(predicted[ok] - actual[ok]).sum())
            total += float(actual[ok].sum())
        scores[name] = abs_error / total if total > 0 and np.isfinite(abs_error) else np.nan
    return scores
