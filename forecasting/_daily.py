"""Daily totals by a statistical model, spread over the day by an intraday profile.

The classic workforce-management decomposition: forecast how many contacts a
day brings, then how they spread across its intervals.

* Working days and weekend: the weekend is the calendar country's
  (``holidays``' ``weekend``: Friday-Saturday in Israel), Saturday-Sunday
  without a calendar. The rest day is the quietest weekend day that has
  contacts (Sunday in France, Saturday in Israel).
* Day types. With a holiday calendar, three kinds of day are special: a
  public holiday on a working day, a public holiday at the weekend, and the
  first working day after a working-day holiday (the catch-up day). Special
  days are left out of the daily model's fit (filled like missing days) and
  forecast as the model's value times their type's factor: the sum of their
  past totals over the sum of what the fill gave for them. A working-day
  holiday with no past one to learn from is forecast like the rest day (the
  model's value times the recent rest-day-to-working-day ratio), or as an
  ordinary day when the centre has no weekend contacts to learn from; the
  other types default to 1.
* Daily totals: ETS from statsmodels (``ETSModel``: additive errors, an
  additive damped trend, additive weekly seasonality) or a seasonal ARIMA
  (``ARIMA`` order (1,0,1)(0,1,1) weekly, fitted by innovations MLE), fitted
  on the channel's daily totals. A day's total is known only when every
  interval of the day is known; unknown and special days are filled with the
  same weekday one week earlier before fitting (the models need a complete
  series; in the first week, with the next known ordinary day of the same
  weekday); at least three weeks of days are needed.
* Intraday profile: for each weekday, each interval's share of the day,
  averaged over the last ``n_profile_weeks`` known ordinary days of that
  weekday; working-day profiles are then pulled a fraction
  ``profile_pooling`` towards the working days' mean (a shrinkage that
  halves the noise of the shares at little cost in shape). Holidays use the
  mean profile of past working-day holidays, else the rest day's profile,
  else their own weekday's.
* Point forecast: daily total x share.
* Prediction interval: the daily model's prediction interval gives a
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

from ._history import clean_history
from ._validate import check_predict
from .errors import HistoryError

DAILY_MODELS = ("ets", "arima", "ets+arima")
#: Row of the profile table used by weekday public holidays.
_HOLIDAY_ROW = 7


def _ets_fit(daily: pd.Series, params: np.ndarray | None = None):
    """Fit the daily-total ETS model (the same call the tests make directly).

    ``daily`` carries a daily DatetimeIndex: statsmodels' prediction intervals
    need an index on the series. With ``params`` the model is run with those
    parameters instead of estimated (``ETSModel.smooth``).
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(daily, error="add", trend="add", damped_trend=True, seasonal="add",
                     seasonal_periods=7)
    if params is not None:
        return model.smooth(params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence chatter
        # 200 L-BFGS iterations: on the AXA queues the likelihood is within 0.5 of the
        # default 1,000's optimum, and small flat queues fit five times faster.
        return model.fit(disp=False, maxiter=200)


def _arima_fit(daily: pd.Series, params: np.ndarray | None = None):
    """Fit the daily-total seasonal ARIMA (1,0,1)(0,1,1)_7 (the call the tests make directly).

    Maximum likelihood by the innovations algorithm: the same optimum as the
    default state-space fit on the AXA queues, 5-10 times faster. Where it
    breaks down (a series of zeros divides by zero) the state-space fit runs.
    With ``params`` the model is run with those parameters (``ARIMA.smooth``).
    """
    from statsmodels.tsa.arima.model import ARIMA

    model = ARIMA(daily, order=(1, 0, 1), seasonal_order=(0, 1, 1, 7))
    with warnings.catch_warnings():
        if params is not None:
            warnings.simplefilter("ignore")
            return model.smooth(params)
        warnings.simplefilter("ignore")
        try:
            return model.fit(method="innovations_mle")
        except (ZeroDivisionError, ValueError, np.linalg.LinAlgError):
            # a fresh model: the failed attempt leaves state that slows the next fit 7x
            return ARIMA(daily, order=(1, 0, 1), seasonal_order=(0, 1, 1, 7)).fit()


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


def weekend_days(calendar) -> frozenset[int]:
    """The weekend (0 = Monday) of the calendar's country (Friday-Saturday in Israel), else
    Saturday-Sunday."""
    return frozenset(getattr(calendar, "weekend", None) or (5, 6))


def day_types(dates: pd.DatetimeIndex, calendar) -> np.ndarray:
    """Per day: 0 ordinary, 1 holiday on a working day, 2 holiday at the weekend, 3 first
    working day after a working-day holiday (the catch-up day); the weekend is the country's."""
    kinds = np.zeros(len(dates), dtype=int)
    if calendar is None:
        return kinds
    holiday = np.array([d.date() in calendar for d in dates])
    weekday = ~np.isin(dates.day_of_week.to_numpy(), list(weekend_days(calendar)))
    kinds[holiday & weekday] = 1
    kinds[holiday & ~weekday] = 2
    for i in np.flatnonzero(holiday & weekday):
        j = i + 1
        while j < len(dates) and (not weekday[j] or holiday[j]):
            j += 1
        if j < len(dates):
            kinds[j] = 3
    return kinds


def _daily_forecast(fits, n_days, z, level):
    """Mean and standard deviation of the next ``n_days`` daily totals (the mean of the models'
    means; the root mean of their variances)."""
    means, variances = [], []
    for result in fits:
        prediction = result.get_prediction(start=result.nobs, end=result.nobs + n_days - 1)
        mean = np.asarray(prediction.predicted_mean, dtype=float)
        if hasattr(prediction, "pred_int"):  # ETS
            upper = np.asarray(prediction.pred_int(alpha=1 - level / 100.0))[:, 1]
        else:  # ARIMA
            upper = np.asarray(prediction.conf_int(alpha=1 - level / 100.0))[:, 1]
        means.append(mean)
        variances.append(((upper - mean) / z) ** 2)
    return np.mean(means, axis=0), np.sqrt(np.mean(variances, axis=0))


class DailyProfile:
    """Daily totals by ETS or ARIMA times a weekday intraday profile (see the module docstring).

    Parameters
    ----------
    interval_s : float
        Interval length, seconds; a day must be a whole number of intervals.
    daily_model : {"ets", "arima", "ets+arima"}, optional
        Model of the daily totals; ``"ets+arima"`` averages the two. Default
        ``"ets"``.
    n_profile_weeks : int, optional
        Weeks averaged for each weekday's intraday profile, >= 1. Default 8.
    profile_pooling : float, optional
        Fraction in [0, 1] by which working-day profiles are pulled towards
        their common mean. Default 0.5.
    level : float, optional
        Prediction-interval level, percent, in (0, 100). Default 80.
    country, subdivision : str, optional
        Public holidays from the ``holidays`` package (e.g. ``"FR"``,
        ``"US"`` with ``"NY"``); see the module docstring for their treatment.
    history_days : int, optional
        Most recent days the daily model is fitted on (>= 21; day-type
        factors use the whole history). Default 371 (53 weeks): on the AXA
        backtest a longer window did not forecast better and fits slower.
    """

    def __init__(self, interval_s: float, *, daily_model: str = "ets", n_profile_weeks: int = 8,
                 profile_pooling: float = 0.5, level: float = 80.0, country: str | None = None,
                 subdivision: str | None = None, history_days: int = 371):
        self.interval_s = interval_s
        self.history_days = history_days
        self.daily_model = daily_model
        self.n_profile_weeks = n_profile_weeks
        self.profile_pooling = profile_pooling
        self.level = level
        self.country = country
        self.subdivision = subdivision

    def fit(self, history: pd.DataFrame) -> DailyProfile:
        """Fit the daily model, the day-type factors and the profiles of each channel.

        Parameters
        ----------
        history : pandas.DataFrame
            The ``history`` contract; whole days from midnight, closed hours as 0.

        Returns
        -------
        self
        """
        return self._fit(history)

    def _fit(self, history: pd.DataFrame, fixed: dict | None = None) -> DailyProfile:
        """``fit``; ``fixed`` (channel -> parameter vectors in ``daily_model`` order) runs the
        daily models with those parameters instead of estimating them (the quick race of
        ``forecast``)."""
        where = f"{type(self).__name__}.fit()"
        per_day = 86400.0 / self.interval_s
        if per_day != int(per_day):
            raise HistoryError(f"{where}: a day must be a whole number of intervals; "
                               f"interval_s={self.interval_s!r}.")
        if self.daily_model not in DAILY_MODELS:
            raise HistoryError(f"{where}: daily_model must be one of {', '.join(DAILY_MODELS)}; "
                               f"got {self.daily_model!r}.")
        if not 0 < self.level < 100:
            raise HistoryError(f"{where}: level must be in (0, 100), e.g. 80, got "
                               f"{self.level!r}.")
        if not 0 <= self.profile_pooling <= 1:
            raise HistoryError(f"{where}: profile_pooling must be in [0, 1], got "
                               f"{self.profile_pooling!r}.")
        per_day = int(per_day)
        tidy = clean_history(history, interval_s=self.interval_s, where=where)
        self.calendar_ = holiday_calendar(self.country, self.subdivision, where)
        self.channels_ = {}
        for name, part in tidy.groupby("channel", sort=True):
            self.channels_[name] = self._fit_channel(name, part, per_day, where,
                                                     (fixed or {}).get(name))
        self.intervals_per_day_ = per_day
        return self

    def _fit_channel(self, name, part, per_day, where, fixed):
        part = part.set_index("interval_start")
        first_day = part.index[0].normalize()
        grid = pd.date_range(first_day, part.index[-1].normalize() + pd.Timedelta(days=1),
                             freq=pd.Timedelta(seconds=self.interval_s), inclusive="left")
        days = part["offered"].reindex(grid).to_numpy(dtype=float).reshape(-1, per_day)
        known = np.isfinite(days).all(axis=1)
        totals = np.where(known, np.nansum(days, axis=1), np.nan)
        if known.sum() < 21:
            raise HistoryError(
                f"{where}: channel {name!r} has {int(known.sum())} complete days; the daily "
                "model needs at least 21 (three weeks). Closed hours must be 0, not missing."
            )
        dates = pd.date_range(first_day, periods=days.shape[0], freq="D")
        kinds = day_types(dates, self.calendar_)
        weekday = dates.day_of_week.to_numpy()
        filled = np.where(kinds == 0, totals, np.nan)
        ordinary_mean = float(np.nanmean(filled)) if np.isfinite(filled).any() \
            else float(np.nanmean(totals))
        ordinary = filled.copy()
        for d in range(filled.size):
            if not np.isfinite(filled[d]):
                if d >= 7 and np.isfinite(filled[d - 7]):
                    filled[d] = filled[d - 7]
                else:  # no week before: the next ordinary known day of the same weekday
                    later = ordinary[d + 7::7]
                    later = later[np.isfinite(later)]
                    filled[d] = later[0] if later.size else ordinary_mean
        factors = {}
        for kind in (1, 2, 3):
            past = np.flatnonzero((kinds == kind) & known)
            if past.size and filled[past].sum() > 0:
                factors[kind] = float(totals[past].sum() / filled[past].sum())
        weekend = sorted(weekend_days(self.calendar_))
        working = ~np.isin(weekday, weekend)
        recent = np.flatnonzero(known & (kinds == 0))[-28:]
        rest_days = {wd: totals[recent][weekday[recent] == wd] for wd in weekend}
        rest_days = {wd: v for wd, v in rest_days.items() if v.size and v.mean() > 0}
        # The quietest weekend day with contacts (Sunday in France, Saturday in Israel).
        rest_day = min(rest_days, key=lambda wd: rest_days[wd].mean()) if rest_days else None
        if 1 not in factors and rest_day is not None:  # no past holiday: like the rest day
            workdays = totals[recent][working[recent]]
            if workdays.size and workdays.mean() > 0:
                factors[1] = float(rest_days[rest_day].mean() / workdays.mean())
        shares = np.divide(days, totals[:, None], out=np.full_like(days, np.nan),
                           where=(totals > 0)[:, None])
        usable = known & (totals > 0) & (kinds == 0)
        profiles = np.full((8, per_day), 1.0 / per_day)
        for wd in range(7):
            rows = np.flatnonzero(usable & (weekday == wd))[-self.n_profile_weeks:]
            if rows.size:
                profiles[wd] = shares[rows].mean(axis=0)
        workdays = [wd for wd in range(7) if wd not in weekend]
        rows = np.flatnonzero(usable & working)[-len(workdays) * self.n_profile_weeks:]
        if rows.size:
            pooled = shares[rows].mean(axis=0)
            profiles[workdays] = (1 - self.profile_pooling) * profiles[workdays] \
                + self.profile_pooling * pooled
        past = np.flatnonzero((kinds == 1) & known & (totals > 0))
        # Holidays take past holidays' profile, else the rest day's, else their own weekday's.
        holiday_row = past.size > 0 or rest_day is not None
        if past.size:
            profiles[_HOLIDAY_ROW] = shares[past].mean(axis=0)
        elif rest_day is not None:
            profiles[_HOLIDAY_ROW] = profiles[rest_day]
        keep = max(int(self.history_days), 21)
        series = pd.Series(filled, index=pd.date_range(first_day.tz_localize(None),
                                                       periods=filled.size, freq="D"))[-keep:]
        fits = [(_ets_fit if kind == "ets" else _arima_fit)(
                    series, None if fixed is None else fixed[i])
                for i, kind in enumerate(self.daily_model.split("+"))]
        return {"fits": fits, "profiles": profiles, "end_day": grid[-1].normalize(),
                "factors": factors, "first_day": first_day, "holiday_row": holiday_row}

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
        horizon = check_predict(self, horizon)
        per_day = self.intervals_per_day_
        n_days = -(-int(horizon) // per_day)
        z = stats.norm.ppf(0.5 + self.level / 200.0)
        frames = []
        for channel, fitted in self.channels_.items():
            mean, day_sd = _daily_forecast(fitted["fits"], n_days, z, self.level)
            start = fitted["end_day"] + pd.Timedelta(days=1)
            # Day types need the days before the horizon too (a catch-up day after a holiday).
            dates = pd.date_range(start - pd.Timedelta(days=7), periods=n_days + 7, freq="D")
            kinds = day_types(dates, self.calendar_)[7:]
            factor = np.array([fitted["factors"].get(k, 1.0) if k else 1.0 for k in kinds])
            day_mean = np.maximum(mean, 0.0) * factor
            day_sd = day_sd * factor
            starts = pd.date_range(start, periods=n_days * per_day,
                                   freq=pd.Timedelta(seconds=self.interval_s))
            day_index = np.repeat(np.arange(n_days), per_day)
            holiday = (kinds[day_index] == 1) & fitted["holiday_row"]
            rows = np.where(holiday, _HOLIDAY_ROW, starts.day_of_week.to_numpy())
            shares = fitted["profiles"][rows, np.tile(np.arange(per_day), n_days)]
            point = day_mean[day_index] * shares
            sd = np.sqrt((shares * day_sd[day_index]) ** 2 + point)
            frames.append(pd.DataFrame({
                "channel": channel, "interval_start": starts, "offered": point,
                "offered_lo": np.maximum(point - z * sd, 0.0), "offered_hi": point + z * sd,
            }).iloc[: int(horizon)])
        return pd.concat(frames, ignore_index=True)
