"""A multi-seasonal decomposition model: MSTL (statsmodels) with daily and weekly seasons.

Per channel, the last ``n_weeks`` weeks of the interval series are split by
``statsmodels.tsa.seasonal.MSTL`` into a daily season, a weekly season, a
trend and a remainder. The two seasons are carried forward unchanged (their
last cycle repeated); the deseasonalised series (trend + remainder) is
forecast by simple exponential smoothing (statsmodels ``ETSModel`` with
additive errors, no trend, no season), whose prediction interval gives the
range. Forecasts are floored at 0.

Missing intervals are filled before the decomposition (MSTL needs a complete
series) with the same interval one week earlier, else one week later, else
the series mean; at least two full weeks of history are needed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._history import clean_history
from ._validate import check_predict
from .errors import HistoryError


def _fill_weekly(values: np.ndarray, week: int) -> np.ndarray:
    """Missing values from the same interval a week earlier, else later, else the mean."""
    out = values.copy()
    for t in np.flatnonzero(~np.isfinite(out)):
        if t >= week and np.isfinite(out[t - week]):
            out[t] = out[t - week]
    for t in np.flatnonzero(~np.isfinite(out))[::-1]:
        if t + week < out.size and np.isfinite(out[t + week]):
            out[t] = out[t + week]
    out[~np.isfinite(out)] = np.nanmean(values)
    return out


class MSTLForecast:
    """Daily and weekly seasons by MSTL, the rest by simple exponential smoothing.

    Parameters
    ----------
    interval_s : float
        Interval length, seconds; a day must be a whole number of intervals.
    n_weeks : int, optional
        Weeks of the most recent history decomposed, >= 2. Default 8.
    level : float, optional
        Prediction-interval level, percent, in (0, 100). Default 80.
    """

    def __init__(self, interval_s: float, *, n_weeks: int = 8, level: float = 80.0):
        self.interval_s = interval_s
        self.n_weeks = n_weeks
        self.level = level

    def fit(self, history: pd.DataFrame) -> MSTLForecast:
        """Decompose each channel's recent history and fit the smoother.

        Parameters
        ----------
        history : pandas.DataFrame
            The ``history`` contract.

        Returns
        -------
        self
        """
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel
        from statsmodels.tsa.seasonal import MSTL

        where = "MSTLForecast.fit()"
        per_day = 86400.0 / self.interval_s
        if per_day != int(per_day) or self.n_weeks < 2:
            raise HistoryError(f"{where}: a day must be a whole number of intervals and "
                               f"n_weeks >= 2; got interval_s={self.interval_s!r}, "
                               f"n_weeks={self.n_weeks!r}.")
        if not 0 < self.level < 100:
            raise HistoryError(f"{where}: level must be in (0, 100), e.g. 80, got "
                               f"{self.level!r}.")
        per_day = int(per_day)
        week = 7 * per_day
        tidy = clean_history(history, interval_s=self.interval_s, where=where)
        self.channels_ = {}
        for name, part in tidy.groupby("channel", sort=True):
            values = part["offered"].to_numpy(dtype=float)[-self.n_weeks * week:]
            if values.size < 2 * week or np.isfinite(values).sum() < week:
                raise HistoryError(
                    f"{where}: channel {name!r} needs at least two weeks of history "
                    f"({2 * week} intervals) with at least a week of known values; it has "
                    f"{values.size} intervals, {int(np.isfinite(values).sum())} known.")
            series = _fill_weekly(values, week)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parts = MSTL(series, periods=(per_day, week)).fit()
                seasonal = np.asarray(parts.seasonal, dtype=float)
                adjusted = series - seasonal.sum(axis=1)
                smoother = ETSModel(pd.Series(adjusted), error="add").fit(disp=False)
            self.channels_[name] = {
                "season_daily": seasonal[-per_day:, 0], "season_weekly": seasonal[-week:, 1],
                "smoother": smoother, "end": part["interval_start"].iloc[-1],
            }
        self.intervals_per_day_ = per_day
        return self

    def predict(self, horizon: int) -> pd.DataFrame:
        """The ``forecast`` table for the ``horizon`` intervals after the history.

        Parameters
        ----------
        horizon : int
            Intervals to forecast, >= 1.

        Returns
        -------
        pandas.DataFrame
            ``channel``, ``interval_start``, ``offered``, ``offered_lo``,
            ``offered_hi``.
        """
        horizon = check_predict(self, horizon)
        step = pd.Timedelta(seconds=self.interval_s)
        alpha = 1 - self.level / 100.0
        frames = []
        for name, fitted in self.channels_.items():
            smoother = fitted["smoother"]
            prediction = smoother.get_prediction(start=smoother.nobs,
                                                 end=smoother.nobs + horizon - 1)
            level = np.asarray(prediction.predicted_mean, dtype=float)
            bounds = np.asarray(prediction.pred_int(alpha=alpha), dtype=float)
            season = (np.resize(fitted["season_daily"], horizon)
                      + np.resize(fitted["season_weekly"], horizon))
            frames.append(pd.DataFrame({
                "channel": name,
                "interval_start": pd.date_range(fitted["end"] + step, periods=horizon, freq=step),
                "offered": np.maximum(level + season, 0.0),
                "offered_lo": np.maximum(bounds[:, 0] + season, 0.0),
                "offered_hi": np.maximum(bounds[:, 1] + season, 0.0),
            }))
        return pd.concat(frames, ignore_index=True)

