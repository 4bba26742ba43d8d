"""Daily totals by exponential smoothing, spread over the day by an intraday profile.

The classic workforce-management decomposition: forecast how many contacts a
day brings, then how they spread across its intervals.

* Daily totals: ETS from statsmodels (``ETSModel``: additive errors, an
  additive damped trend, additive weekly seasonality of 7 days), fitted on
  the channel's daily totals. A day's total is known only when every interval
  of the day is known; unknown days are filled with the same weekday one week
  earlier before fitting (ETS needs a complete series), and at least three
  weeks of days are needed.
* Intraday profile: for each weekday, each interval's share of the day,
  averaged over the last ``n_profile_weeks`` known days of that weekday.
* Point forecast: daily total x share.
* Prediction interval: the daily total's ETS prediction interval gives a
  standard deviation for the day; an interval's variance is (share x that
  deviation)^2 for the day's level plus the Poisson variance of its own count
  (its expected value); the interval is the normal one at ``level``, floored
  at 0.

Closed hours must be in the history as zeros: a night left out is missing,
and a day with missing intervals has no known total.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from ._errors import HistoryError, NotFittedError
from ._history import clean_history


def _ets_fit(daily: pd.Series):
    """Fit the daily-total ETS model (the same call the tests make directly).

    ``daily`` carries a daily DatetimeIndex: statsmodels' prediction intervals
    need an index on the series.
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(daily, error="add", trend="add", damped_trend=True, seasonal="add",
                     seasonal_periods=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence chatter
        return model.fit(disp=False)


def holiday_calendar(country: str | None, subdivision: str | None, where: str):
    """The ``holidays`` calendar, or None; an unknown code is an error naming it."""
    if country is None:
        if subdivision is not None:
            raise HistoryError(f"{where}: subdivision {subdivision!r} needs a country, e.g. "
                               "country='FR'.")
        return None
    import holidays

    try:
        return holidays.country_holidays(country, subdiv=subdivision)
    except (NotImplementedError, KeyError) as err:
        raise HistoryError(
            f"{where}: unknown holiday calendar country={country!r}, subdivision="
            f"{subdivision!r} ({err}). Use an ISO code the holidays package knows, e.g. 'FR', "
            "'US' (subdivision 'NY'), 'IL'."
        ) from None


class DailyProfileETS:
    """Daily totals by ETS times a weekday intraday profile (see the module docstring).

    Parameters
    ----------
    interval_s : float
        Interval length, seconds; a day must be a whole number of intervals.
    n_profile_weeks : int, optional
        Weeks averaged for each weekday's intraday profile, >= 1. Default 4.
    level : float, optional
        Prediction-interval level, percent, in (0, 100). Default 80.
    country, subdivision : str, optional
        Public holidays from the ``holidays`` package (e.g. ``"FR"``,
        ``"US"`` with ``"NY"``). Holiday days are left out of the ETS fit
        (filled like missing days), forecast as the ETS value times the
        channel's holiday factor (the mean ratio of past holidays' totals to
        what the fill gave for them; 1 without past holidays), and spread by
        the mean intraday profile of past holidays (the Sunday profile without
        them).
    """

    def __init__(self, interval_s: float, *, n_profile_weeks: int = 4, level: float = 80.0,
                 country: str | None = None, subdivision: str | None = None):
        self.interval_s = interval_s
        self.n_profile_weeks = n_profile_weeks
        self.level = level
        self.country = country
        self.subdivision = subdivision

    def fit(self, history: pd.DataFrame) -> DailyProfileETS:
        """Fit the daily ETS and the profiles of each channel.

        Parameters
        ----------
        history : pandas.DataFrame
            The ``history`` contract; whole days from midnight, closed hours as 0.

        Returns
        -------
        self
        """
        where = "DailyProfileETS.fit()"
        per_day = 86400.0 / self.interval_s
        if per_day != int(per_day):
            raise HistoryError(f"{where}: a day must be a whole number of intervals; "
                               f"interval_s={self.interval_s!r}.")
        per_day = int(per_day)
        tidy = clean_history(history, interval_s=self.interval_s, where=where)
        calendar = holiday_calendar(self.country, self.subdivision, where)
        self.calendar_ = calendar
        self.channels_ = {}
        for name, part in tidy.groupby("channel", sort=True):
            part = part.set_index("interval_start")
            first_day = part.index[0].normalize()
            grid = pd.date_range(first_day, part.index[-1].normalize() + pd.Timedelta(days=1),
                                 freq=pd.Timedelta(seconds=self.interval_s), inclusive="left")
            values = part["offered"].reindex(grid).to_numpy(dtype=float)
            days = values.reshape(-1, per_day)
            known = np.isfinite(days).all(axis=1)
            totals = np.where(known, np.nansum(days, axis=1), np.nan)
            if known.sum() < 21:
                raise HistoryError(
                    f"{where}: channel {name!r} has {int(known.sum())} complete days; the "
                    "daily ETS needs at least 21 (three weeks). Closed hours must be 0, not "
                    "missing."
                )
            dates = [(first_day + pd.Timedelta(days=d)).date() for d in range(days.shape[0])]
            holiday = np.array([calendar is not None and d in calendar for d in dates])
            filled = np.where(holiday, np.nan, totals)
            for d in range(filled.size):
                if not np.isfinite(filled[d]):
                    filled[d] = filled[d - 7] if d >= 7 and np.isfinite(filled[d - 7]) \
                        else np.nanmean(totals[~holiday])
            weekday = np.array([(first_day + pd.Timedelta(days=d)).day_of_week
                                for d in range(days.shape[0])])
            profiles = np.full((8, per_day), 1.0 / per_day)  # row 7: public holidays
            for wd in range(7):
                usable = known & (weekday == wd) & (totals > 0) & ~holiday
                rows = np.flatnonzero(usable)[-self.n_profile_weeks:]
                if rows.size:
                    profiles[wd] = (days[rows] / totals[rows, None]).mean(axis=0)
            past = np.flatnonzero(holiday & known & (totals > 0))
            profiles[7] = (days[past] / totals[past, None]).mean(axis=0) if past.size \
                else profiles[6]
            factor = float(np.mean(totals[past] / filled[past])) if past.size else 1.0
            self.channels_[name] = {
                "fit": _ets_fit(pd.Series(filled, index=pd.date_range(
                    first_day.tz_localize(None), periods=filled.size, freq="D"))),
                "profiles": profiles, "end_day": grid[-1].normalize(),
                "holiday_factor": factor,
                "first_day": first_day,
            }
        self.intervals_per_day_ = per_day
        return self

    def predict(self, horizon: int) -> pd.DataFrame:
        """The ``forecast`` table for the ``horizon`` intervals after the last day.

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
        if not hasattr(self, "channels_"):
            raise NotFittedError("DailyProfileETS.predict(): fit the model first.")
        if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or horizon < 1:
            raise HistoryError("DailyProfileETS.predict(): horizon must be a whole number of "
                               f"intervals >= 1, got {horizon!r}.")
        per_day = self.intervals_per_day_
        n_days = -(-int(horizon) // per_day)
        z = stats.norm.ppf(0.5 + self.level / 200.0)
        frames = []
        for name, fitted in self.channels_.items():
            prediction = fitted["fit"].get_prediction(
                start=fitted["fit"].nobs, end=fitted["fit"].nobs + n_days - 1)
            mean = np.asarray(prediction.predicted_mean, dtype=float)
            upper = np.asarray(prediction.pred_int(alpha=1 - self.level / 100.0))[:, 1]
            day_mean = np.maximum(mean, 0.0)
            day_sd = (upper - mean) / z
            start = fitted["end_day"] + pd.Timedelta(days=1)
            starts = pd.date_range(start, periods=n_days * per_day,
                                   freq=pd.Timedelta(seconds=self.interval_s))
            weekdays = starts.day_of_week.to_numpy()
            day_dates = [(start + pd.Timedelta(days=d)).date() for d in range(n_days)]
            is_holiday = np.array([self.calendar_ is not None and d in self.calendar_
                                   for d in day_dates])
            day_mean = np.where(is_holiday, day_mean * fitted["holiday_factor"], day_mean)
            day_sd = np.where(is_holiday, day_sd * fitted["holiday_factor"], day_sd)
            day_index = np.repeat(np.arange(n_days), per_day)
            rows = np.where(is_holiday[day_index], 7, weekdays)
            shares = fitted["profiles"][rows, np.tile(np.arange(per_day), n_days)]
            point = day_mean[day_index] * shares
            sd = np.sqrt((shares * day_sd[day_index]) ** 2 + point)
            frames.append(pd.DataFrame({
                "channel": name, "interval_start": starts, "offered": point,
                "offered_lo": np.maximum(point - z * sd, 0.0), "offered_hi": point + z * sd,
            }).iloc[: int(horizon)])
        return pd.concat(frames, ignore_index=True)
