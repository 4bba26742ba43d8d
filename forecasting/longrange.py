"""Long-range weekly forecasts (13-78 weeks ahead), their baseline, and planner events.

The capacity plan needs weekly volumes per channel for a year or more, with
their uncertainty. This public module holds that forecast; it reads and
writes long tables keyed by ``channel`` and ``week_start``.

``weekly`` history (read by :func:`long_range_forecast` and :func:`seasonal_naive_weekly`)
    ``channel`` (str), ``week_start`` (the Monday 00:00 that starts the week,
    naive local time) and ``offered`` (contacts in the week, >= 0). Or
    ``channel``, ``date`` (a day) and ``offered`` (contacts that day): the
    days are summed into Monday-Sunday weeks; a week at either end of a
    channel's history with fewer than 7 days is left out (the result's
    ``weeks_used`` says which weeks were fitted). Weeks (or days) must follow
    each other without a gap: a missing one is an error, never read as zero.

``weekly forecast`` (written by both forecasts)
    ``channel``, ``week_start``, ``horizon_week`` (1 = the week after the
    history), ``offered`` (expected contacts in the week, float >= 0),
    ``offered_lo`` and ``offered_hi`` (the prediction interval at ``level``).

``events`` (read by :func:`apply_events`)
    ``channel``, ``start`` and ``end`` (first and last day, inclusive),
    ``volume_change`` (fraction: 0.1 = +10% on the channel's volume on those
    days, > -1) and optionally ``aht_s`` (handle time during the event,
    seconds, > 0; NaN = unchanged).

The model (:func:`long_range_forecast`) is a regression with ARIMA(0,1,1)
errors on ``log(offered + 1)``, fitted per channel by statsmodels ``SARIMAX``:
a linear trend (per year; differenced, it is the drift), ``n_harmonics``
pairs of Fourier terms of the calendar year (365.25 days, so the 52- and
53-week years need no special case) and the number of public holidays on
working days in the week. On the seasonally adjusted series this is simple
exponential smoothing with drift (the Theta method's form). Why this one, on
2-6 years of history: the Fourier terms estimate a yearly shape from a few
parameters even with under two years of data, where a 52-lag seasonal ETS or
SARIMA needs two full years just to start and then copies last year's noise;
the integrated errors let the level move for good (a new product, a
channel shift), so the forecast starts from the recent level and its
intervals widen with the lead, where a level fixed around a deterministic
trend line gave 80% intervals that covered 50-65% of real weeks (the first
version of this module, docs/forecasting.md "Long range"); the regression
coefficients are kept in the state vector (``mle_regression=False``), so the
intervals include the uncertainty of the drift and the seasonal shape; and
the log scale makes seasonality and events multiplicative and the forecast
positive.
``offered`` is the mean of the log-normal forecast (``exp(m + s^2/2) - 1``),
the interval its quantiles. Sample paths are drawn from the same state-space
model (``SARIMAX.simulate`` from the end of the history, the starting state
drawn from its filtered distribution), so they carry the same uncertainty as
the intervals and the correlation between weeks. Maximum likelihood
underestimates the variance by the share of parameters in the mean, so the
forecast's standard deviation (and each path's deviation from the mean) is
scaled by ``sqrt(n / (n - k))``: ``n`` weeks, ``k`` the regressors, the MA
term and the starting level.

The baseline (:func:`seasonal_naive_weekly`) repeats the same week last year:
the week 52 weeks earlier (104 for leads beyond 52), with an interval from the
spread of the history's own 52-week log differences.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._daily import holiday_calendar
from .errors import HistoryError

__all__ = ["MIN_HISTORY_WEEKS", "LongRangeForecast", "apply_events", "long_range_forecast",
           "seasonal_naive_weekly"]

#: Fewest weeks of history per channel: a year to see every season, half a year more to
#: tell the trend from the seasonal shape.
MIN_HISTORY_WEEKS = 78
_MAX_HORIZON_WEEKS = 156
_YEAR_DAYS = 365.25
_EPOCH = pd.Timestamp("2000-01-03")  # a Monday: the origin of the trend and Fourier terms
_WEEK = pd.Timedelta(days=7)


@dataclass(frozen=True)
class LongRangeForecast:
    """What :func:`long_range_forecast` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        The ``weekly forecast`` table (module docstring): ``channel``,
        ``week_start``, ``horizon_week``, ``offered``, ``offered_lo``,
        ``offered_hi`` (contacts per week).
    paths : pandas.DataFrame or None
        With ``n_paths`` > 0: ``path`` (0 .. n_paths-1), ``channel``,
        ``week_start``, ``horizon_week``, ``offered`` (that scenario's
        contacts in the week, >= 0). None otherwise.
    weeks_used : dict of str to tuple of pandas.Timestamp
        Per channel, the first and last ``week_start`` fitted.
    """

    table: pd.DataFrame
    paths: pd.DataFrame | None
    weeks_used: dict[str, tuple[pd.Timestamp, pd.Timestamp]]


def _weekly(history: pd.DataFrame, where: str) -> dict[str, pd.Series]:
    """Per channel, the weekly volumes on a gap-free Monday index; errors name the fix."""
    if "week_start" in history.columns:
        time_col = "week_start"
    elif "date" in history.columns:
        time_col = "date"
    else:
        raise HistoryError(f"{where}: history has neither 'week_start' nor 'date' (found: "
                           f"{', '.join(map(str, history.columns))}). Pass weekly volumes with "
                           "week_start (Monday) or daily volumes with date.")
    for col in ("channel", "offered"):
        if col not in history.columns:
            raise HistoryError(f"{where}: history has no column {col!r}; add it (offered = "
                               "contacts in the week or day, channel = its name).")
    times = pd.to_datetime(history[time_col])
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_localize(None)
    offered = pd.to_numeric(history["offered"], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(offered) | (offered < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise HistoryError(f"{where}: offered must be a count >= 0 in every row, got "
                           f"{history['offered'].iloc[row]!r} on {time_col} "
                           f"{times.iloc[row].date()} (channel {history['channel'].iloc[row]!r})"
                           ". Fix the value; leave a missing period out only if the history "
                           "ends there.")
    if (times != times.dt.normalize()).any():
        raise HistoryError(f"{where}: {time_col} must be midnight (a day), got "
                           f"{times[times != times.dt.normalize()].iloc[0]}.")
    frame = pd.DataFrame({"channel": history["channel"].to_numpy(), "t": times.to_numpy(),
                          "offered": offered})
    dup = frame.duplicated(["channel", "t"])
    if dup.any():
        row = frame[dup].iloc[0]
        raise HistoryError(f"{where}: two rows for channel {row.channel!r} on {time_col} "
                           f"{row.t.date()}; sum them into one row.")
    step = _WEEK if time_col == "week_start" else pd.Timedelta(days=1)
    if time_col == "week_start" and (frame["t"].dt.day_of_week != 0).any():
        bad_day = frame.loc[frame["t"].dt.day_of_week != 0, "t"].iloc[0]
        raise HistoryError(f"{where}: week_start must be a Monday, got {bad_day.date()} "
                           f"({bad_day.day_name()}). Label each week by its Monday.")
    out = {}
    for name, part in frame.sort_values("t").groupby("channel", sort=False):
        t = pd.DatetimeIndex(part["t"])
        gaps = np.flatnonzero(np.diff(t.values) != step.to_timedelta64())
        if gaps.size:
            raise HistoryError(f"{where}: channel {name!r} has a gap in {time_col} after "
                               f"{t[gaps[0]].date()} (next: {t[gaps[0] + 1].date()}). Fill "
                               "the missing periods with their real volumes, or start the "
                               "history after the gap; a gap is never read as zero.")
        series = pd.Series(part["offered"].to_numpy(), index=t)
        if time_col == "date":
            monday = t - pd.to_timedelta(t.day_of_week, unit="D")
            grouped = series.groupby(monday)
            series = grouped.sum()[grouped.size() == 7]
        out[str(name)] = series
    return out


def _check_weeks(value, label: str, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) \
            or not low <= value <= high:
        raise HistoryError(f"{where}: {label} must be a whole number of weeks from {low} to "
                           f"{high}, got {value!r}. E.g. 52 for a year ahead.")
    return int(value)


def _check_level(level, where: str) -> float:
    if not isinstance(level, int | float) or not 0 < level < 100:
        raise HistoryError(f"{where}: level must be a percent in (0, 100), e.g. 80, got "
                           f"{level!r}.")
    return float(level)


def _design(weeks: pd.DatetimeIndex, n_harmonics: int, calendar) -> np.ndarray:
    """Regressors per week: trend (years), Fourier pairs, working-day holidays.

    No intercept: the errors are integrated, so the level is in the state.
    """
    days = (weeks - _EPOCH).days.to_numpy(dtype=float)
    cols = [days / _YEAR_DAYS]
    mid = days + 3.0  # the week's middle day: Thursday
    for k in range(1, n_harmonics + 1):
        angle = 2 * np.pi * k * mid / _YEAR_DAYS
        cols += [np.sin(angle), np.cos(angle)]
    if calendar is not None:
        weekend = set(getattr(calendar, "weekend", {5, 6}))
        counts = []
        for start in weeks:
            dates = pd.date_range(start, periods=7, freq="D")
            counts.append(sum(d in calendar for d in dates.date if d.weekday() not in weekend))
        cols.append(np.asarray(counts, dtype=float))
    return np.column_stack(cols)


def _future_weeks(last: pd.Timestamp, horizon_weeks: int) -> pd.DatetimeIndex:
    return pd.date_range(last + _WEEK, periods=horizon_weeks, freq="7D")


def long_range_forecast(history: pd.DataFrame, *, horizon_weeks: int, level: float = 80.0,
                        country: str | None = None, subdivision: str | None = None,
                        n_harmonics: int = 6, n_paths: int = 0,
                        seed: int | None = None) -> LongRangeForecast:
    """Weekly volumes per channel, 1 to ``horizon_weeks`` weeks after the history.

    Parameters
    ----------
    history : pandas.DataFrame
        The ``weekly`` history (module docstring): ``channel``, ``week_start``
        or ``date``, ``offered`` (contacts, >= 0). At least
        ``MIN_HISTORY_WEEKS`` whole weeks per channel, without gaps. Not modified.
    horizon_weeks : int
        Weeks to forecast, 1 to 156 (13-78 for a capacity plan).
    level : float, optional
        Prediction-interval level, percent. Default 80.
    country, subdivision : str, optional
        Public-holiday calendar (ISO code of the ``holidays`` package); adds the
        count of holidays on working days in each week as a regressor. Default: none.
    n_harmonics : int, optional
        Pairs of yearly Fourier terms, 1 to 12. Default 6 (shapes down to about
        two months wide; the holiday count carries the sharp dips).
    n_paths : int, optional
        Sample paths to draw per channel, >= 0. Default 0 (none).
    seed : int, optional
        Seed of the sample paths; the same seed gives the same paths.

    Returns
    -------
    LongRangeForecast
        ``table`` (the ``weekly forecast``), ``paths`` and ``weeks_used``.

    Raises
    ------
    HistoryError
        A missing column, a negative or missing volume, a gap, a week not
        starting on Monday, too little history or a bad argument.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> weeks = pd.date_range("2022-01-03", periods=156, freq="7D")
    >>> season = 1 + 0.2 * np.sin(2 * np.pi * np.arange(156) / 52.18)
    >>> hist = pd.DataFrame({"channel": "voice", "week_start": weeks,
    ...                      "offered": (1000 * season).round()})
    >>> fc = long_range_forecast(hist, horizon_weeks=13).table
    >>> len(fc), fc.week_start.iloc[0].date()
    (13, datetime.date(2024, 12, 30))
    """
    where = "long_range_forecast()"
    horizon_weeks = _check_weeks(horizon_weeks, "horizon_weeks", where, 1, _MAX_HORIZON_WEEKS)
    level = _check_level(level, where)
    if isinstance(n_harmonics, bool) or not isinstance(n_harmonics, int | np.integer) \
            or not 1 <= n_harmonics <= 12:
        raise HistoryError(f"{where}: n_harmonics must be a whole number from 1 to 12, got "
                           f"{n_harmonics!r}.")
    if isinstance(n_paths, bool) or not isinstance(n_paths, int | np.integer) or n_paths < 0:
        raise HistoryError(f"{where}: n_paths must be a whole number >= 0, got {n_paths!r}.")
    calendar = holiday_calendar(country, subdivision, where)
    series = _weekly(history, where)
    z = stats.norm.ppf(0.5 + level / 200.0)
    streams = np.random.SeedSequence(seed).spawn(len(series))
    tables, paths, used = [], [], {}
    for (name, weekly), stream in zip(series.items(), streams, strict=True):
        if len(weekly) < MIN_HISTORY_WEEKS:
            raise HistoryError(
                f"{where}: channel {name!r} has {len(weekly)} whole weeks of history; yearly "
                f"seasonality needs at least {MIN_HISTORY_WEEKS} (a year and a half). Give a "
                "longer history, or use forecasting.forecast for a few weeks ahead.")
        future = _future_weeks(weekly.index[-1], horizon_weeks)
        mean, sd, sims = _fit_predict(np.log1p(weekly.to_numpy()), _design(weekly.index,
                                      n_harmonics, calendar), _design(future, n_harmonics,
                                      calendar), n_paths, np.random.default_rng(stream))
        tables.append(pd.DataFrame({
            "channel": name, "week_start": future, "horizon_week": np.arange(1, horizon_weeks + 1),
            "offered": np.expm1(mean + sd ** 2 / 2),
            "offered_lo": np.maximum(np.expm1(mean - z * sd), 0.0),
            "offered_hi": np.expm1(mean + z * sd)}))
        if n_paths:
            paths.append(pd.DataFrame({
                "path": np.repeat(np.arange(n_paths), horizon_weeks), "channel": name,
                "week_start": np.tile(future, n_paths),
                "horizon_week": np.tile(np.arange(1, horizon_weeks + 1), n_paths),
                "offered": np.maximum(np.expm1(sims.T.ravel()), 0.0)}))
        used[name] = (weekly.index[0], weekly.index[-1])
    path_table = None
    if n_paths:
        path_table = (pd.concat(paths, ignore_index=True)
                      .sort_values(["path", "channel"], kind="stable").reset_index(drop=True))
    return LongRangeForecast(table=pd.concat(tables, ignore_index=True), paths=path_table,
                             weeks_used=used)


def _fit_predict(y: np.ndarray, exog: np.ndarray, future: np.ndarray, n_paths: int,
                 rng: np.random.Generator):
    """Log-scale forecast mean and sd per future week, and ``n_paths`` simulated log paths."""
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    model = SARIMAX(y, exog=exog, order=(0, 1, 1), mle_regression=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' convergence chatter
        result = model.fit(disp=False)
        prediction = result.get_forecast(len(future), exog=future)
        sims = (result.simulate(len(future), anchor="end", repetitions=n_paths, exog=future,
                                rng=rng)[:, 0, :] if n_paths else None)
    mean = np.asarray(prediction.predicted_mean, dtype=float)
    # Maximum likelihood divides by n; the degrees-of-freedom correction n / (n - k), k the
    # regressors, the MA term and the starting level, restores the variance's scale.
    inflate = np.sqrt(len(y) / (len(y) - exog.shape[1] - 2))
    sd = inflate * np.sqrt(np.asarray(prediction.var_pred_mean, dtype=float))
    if sims is not None:
        sims = mean[:, None] + inflate * (sims - mean[:, None])
    return mean, sd, sims


def seasonal_naive_weekly(history: pd.DataFrame, *, horizon_weeks: int,
                          level: float = 80.0) -> pd.DataFrame:
    """The same week last year: the baseline a long-range forecast must beat.

    Week ``h`` after the history repeats the week ``52 * ceil(h / 52)``
    weeks before it. The interval is the normal one on the log scale with the
    standard deviation of the history's 52-week differences of ``log(offered + 1)``,
    times ``sqrt(ceil(h / 52))``.

    Parameters
    ----------
    history : pandas.DataFrame
        The ``weekly`` history (module docstring); at least 53 whole weeks per
        channel (``horizon_weeks`` > 52 needs 105). Not modified.
    horizon_weeks : int
        Weeks to forecast, 1 to 156.
    level : float, optional
        Prediction-interval level, percent. Default 80.

    Returns
    -------
    pandas.DataFrame
        The ``weekly forecast`` table (module docstring).

    Raises
    ------
    HistoryError
        Bad history or arguments, or fewer weeks than the horizon needs.

    Examples
    --------
    >>> import pandas as pd
    >>> weeks = pd.date_range("2024-01-01", periods=60, freq="7D")
    >>> hist = pd.DataFrame({"channel": "voice", "week_start": weeks,
    ...                      "offered": range(100, 160)})
    >>> seasonal_naive_weekly(hist, horizon_weeks=2).offered.tolist()
    [108.0, 109.0]
    """
    where = "seasonal_naive_weekly()"
    horizon_weeks = _check_weeks(horizon_weeks, "horizon_weeks", where, 1, _MAX_HORIZON_WEEKS)
    z = stats.norm.ppf(0.5 + _check_level(level, where) / 200.0)
    years = -(-np.arange(1, horizon_weeks + 1) // 52)
    tables = []
    for name, weekly in _weekly(history, where).items():
        need = 52 * int(years[-1]) + 1
        if len(weekly) < need:
            raise HistoryError(f"{where}: channel {name!r} has {len(weekly)} whole weeks; a "
                               f"{horizon_weeks}-week horizon needs at least {need}. Shorten "
                               "horizon_weeks or give a longer history.")
        values = weekly.to_numpy()
        source = len(values) - 52 * years + np.arange(horizon_weeks)
        logs = np.log1p(values)
        sd = float(np.std(logs[52:] - logs[:-52], ddof=1)) if len(values) > 53 else 0.0
        base = logs[source]
        spread = z * sd * np.sqrt(years)
        tables.append(pd.DataFrame({
            "channel": name, "week_start": _future_weeks(weekly.index[-1], horizon_weeks),
            "horizon_week": np.arange(1, horizon_weeks + 1), "offered": values[source],
            "offered_lo": np.maximum(np.expm1(base - spread), 0.0),
            "offered_hi": np.expm1(base + spread)}))
    return pd.concat(tables, ignore_index=True)


def apply_events(table: pd.DataFrame, events: pd.DataFrame, *,
                 value_columns: Sequence[str] = ("offered", "offered_lo", "offered_hi"),
                 ) -> pd.DataFrame:
    """Planner events on top of a weekly forecast: +x% on a channel from one day to another.

    A week's volume is multiplied by ``1 + sum(volume_change * days / 7)``
    over the events on its channel, ``days`` being how many of the week's 7
    days the event covers (volume spread evenly over the week). An event with
    ``aht_s`` sets the week's ``aht_s`` to the volume-weighted mean of the
    base handle time and the event's: with base volume ``v``, base ``aht_s``
    ``a`` and an event covering a share ``f = days / 7`` at change ``c``, the
    event's contacts ``v * f * (1 + c)`` take ``aht_s`` of the event, the other
    ``v * (1 - f)`` keep ``a`` (several AHT events in one week apply in turn).

    Parameters
    ----------
    table : pandas.DataFrame
        A ``weekly forecast`` table or sample paths (``channel``,
        ``week_start`` and the ``value_columns``); ``aht_s`` (seconds) is
        needed when an event sets one. Not modified.
    events : pandas.DataFrame
        The ``events`` table (module docstring): ``channel``, ``start``,
        ``end`` (days, inclusive), ``volume_change`` (fraction > -1), optional
        ``aht_s`` (seconds > 0, NaN = unchanged). Every event must lie within
        the table's weeks, on a channel the table has.
    value_columns : sequence of str, optional
        Columns scaled by the events. Default ``offered``, ``offered_lo``,
        ``offered_hi`` (the columns present are scaled).

    Returns
    -------
    pandas.DataFrame
        A copy of ``table`` with the value columns (and ``aht_s``) changed.

    Raises
    ------
    HistoryError
        A missing column, a bad value, or an event outside the horizon or on
        an unknown channel; the message names the event row and the fix.

    Examples
    --------
    >>> import pandas as pd
    >>> fc = pd.DataFrame({"channel": "voice", "week_start": pd.to_datetime(["2026-01-05"]),
    ...                    "offered": [700.0]})
    >>> ev = pd.DataFrame({"channel": ["voice"], "start": ["2026-01-05"],
    ...                    "end": ["2026-01-06"], "volume_change": [0.35]})
    >>> apply_events(fc, ev).offered.round(6).tolist()  # 2 of 7 days at +35%: 700 * 1.1
    [770.0]
    """
    where = "apply_events()"
    for col in ("channel", "week_start"):
        if col not in table.columns:
            raise HistoryError(f"{where}: the forecast table has no column {col!r}; pass the "
                               "table long_range_forecast returned (its .table or .paths).")
    missing = [c for c in ("channel", "start", "end", "volume_change") if c not in events]
    if missing:
        raise HistoryError(f"{where}: events have no column {', '.join(missing)}; each event "
                           "needs channel, start, end (days) and volume_change (0.1 = +10%).")
    out = table.copy()
    weeks = pd.to_datetime(out["week_start"])
    first, last = weeks.min(), weeks.max() + pd.Timedelta(days=6)
    channels = set(out["channel"])
    scale = np.ones(len(out))
    for i, event in enumerate(events.itertuples(index=False)):
        row = f"events row {i} (channel {event.channel!r})"
        start, end = pd.Timestamp(event.start), pd.Timestamp(event.end)
        change = float(event.volume_change)
        if event.channel not in channels:
            raise HistoryError(f"{where}: {row}: channel not in the forecast (has: "
                               f"{', '.join(sorted(map(str, channels)))}). Fix the channel name.")
        if not np.isfinite(change) or change <= -1:
            raise HistoryError(f"{where}: {row}: volume_change must be a fraction > -1 (0.1 = "
                               f"+10%), got {event.volume_change!r}.")
        if end < start:
            raise HistoryError(f"{where}: {row}: end {end.date()} is before start "
                               f"{start.date()}; swap them.")
        if start < first or end > last:
            raise HistoryError(f"{where}: {row}: start..end {start.date()}..{end.date()} is "
                               f"outside the horizon {first.date()}..{last.date()}. Move the "
                               "event inside it, or forecast more weeks.")
        covered = np.clip((np.minimum(end, weeks + pd.Timedelta(days=6)) -
                           np.maximum(start, weeks)).dt.days.to_numpy() + 1, 0, 7)
        share = np.where(out["channel"].to_numpy() == event.channel, covered / 7.0, 0.0)
        aht = getattr(event, "aht_s", np.nan)
        if aht is not None and not pd.isna(aht):
            if "aht_s" not in out.columns:
                raise HistoryError(f"{where}: {row} sets aht_s but the forecast has no aht_s "
                                   "column; add the base handle time (seconds) to the table.")
            if not float(aht) > 0:
                raise HistoryError(f"{where}: {row}: aht_s must be > 0 seconds, got {aht!r}.")
            base = out["aht_s"].to_numpy(dtype=float)
            event_volume = share * (1 + change)
            out["aht_s"] = (base * (1 - share) + float(aht) * event_volume) \
                / (1 - share + event_volume)
        scale += share * change
    for col in value_columns:
        if col in out.columns:
            out[col] = out[col].to_numpy(dtype=float) * scale
    return out
