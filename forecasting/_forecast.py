"""The entry point ``forecast``, with the automatic pick by rolling-origin backtest."""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._daily import DailyProfile, holiday_calendar
from ._history import LATEST_DAY, clean_history
from ._models import SeasonalNaive, WeeklyAverage
from ._mstl import MSTLForecast
from ._validate import check_horizon
from .contracts import AUTO_CANDIDATES, METHODS
from .errors import HistoryError

#: Weekly origins the automatic pick scores each candidate on (the last weeks of history).
N_ORIGINS = 3
_DAILY = {"daily_ets": ("ets",), "daily_arima": ("arima",), "daily_ets_arima": ("ets", "arima")}
_HOLIDAY_AWARE = frozenset(_DAILY)


@dataclass(frozen=True)
class Forecast:
    """What :func:`forecast` returns: the forecast table and the method chosen per channel.

    Attributes
    ----------
    table : pandas.DataFrame
        The ``forecast`` table (:mod:`forecasting.contracts`): ``channel``,
        ``interval_start``, ``offered`` (expected contacts), ``offered_lo``,
        ``offered_hi`` (the prediction interval, contacts) and ``aht_s``
        (seconds) when the history has it.
    methods : dict of str to dict
        Per channel: ``method`` (the method used, one of ``METHODS``) and
        ``backtest_wape`` (dict of candidate method to its interval WAPE on
        the backtest, 0-1 or NaN where it could not run; empty when the method
        was given rather than picked).

    Examples
    --------
    >>> import pandas as pd
    >>> history = pd.DataFrame({"channel": "voice", "offered": [10.0, 20.0] * 84,
    ...     "interval_start": pd.date_range("2026-01-05", periods=168, freq="h")})
    >>> result = forecast(history, 2, interval_s=3600, method="seasonal_naive")
    >>> result.table["offered"].tolist(), result.methods["voice"]["method"]
    ([10.0, 20.0], 'seasonal_naive')
    """

    table: pd.DataFrame
    methods: dict[str, dict[str, Any]]


def make_model(method: str, interval_s: float, *, level: float = 80.0,
               country: str | None = None, subdivision: str | None = None):
    """A fresh, unfitted model for ``method`` (one of ``METHODS``).

    Parameters
    ----------
    method : str
        One of ``METHODS``.
    interval_s : float
        Interval length, seconds.
    level : float, optional
        Prediction-interval level, percent.
    country, subdivision : str, optional
        Holiday calendar for the daily models.

    Returns
    -------
    object
        A model with ``fit(history)`` and ``predict(horizon)``.
    """
    if method == "seasonal_naive":
        return SeasonalNaive(interval_s, level=level)
    if method == "weekly_average":
        return WeeklyAverage(interval_s, level=level)
    if method == "mstl":
        return MSTLForecast(interval_s, level=level)
    if method in _DAILY:
        return DailyProfile(interval_s, daily_model="+".join(_DAILY[method]), level=level,
                            country=country, subdivision=subdivision)
    raise HistoryError(f"method must be one of auto, {', '.join(METHODS)}; got {method!r}.")


def forecast(history: pd.DataFrame, horizon: int, *, interval_s: float,
             country: str | None = None, subdivision: str | None = None, level: float = 80,
             method: str = "auto", tz: str | None = None, n_jobs: int = 1,
             on_channel: Callable[[int, int], None] | None = None) -> Forecast:
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
        used by the daily models.
    subdivision : str, optional
        Region within ``country`` (e.g. ``"NY"`` in ``"US"``).
    level : float, optional
        Prediction-interval level, percent (80 and 95 are the usual). Default 80.
    method : str, optional
        One of ``METHODS`` or ``"auto"``: per channel, each of
        ``AUTO_CANDIDATES`` is scored by interval WAPE on the last
        ``N_ORIGINS`` weeks of the history (fitted on what came before each
        week; the daily models keep the parameters estimated on the whole
        history and re-run on each window, four times cheaper than
        re-estimating) and the best is used, fitted on all of it. An origin
        with less than three weeks before it is skipped: with under four weeks
        of history there is no race and the weekly average is used. The daily models need
        the history to end at midnight and three weeks of complete days;
        where they cannot run they are not candidates.
    tz : str, optional
        IANA time zone (e.g. ``"Europe/Paris"``) of naive ``interval_start``
        values, for daylight-saving days (see ``clean_history``). Models work
        on the wall clock; with ``tz`` given or a time-zone-aware history the
        forecast's ``interval_start`` is put back in that zone (the spring
        hour that does not exist is left out, a repeated autumn hour is
        labelled with its first pass).
    n_jobs : int, optional
        Channels forecast in parallel processes; -1 uses every core. Default 1.
    on_channel : callable, optional
        Called as ``on_channel(done, total)`` as each channel finishes (progress bars).

    Returns
    -------
    Forecast
        ``table``: the ``forecast`` table, ``channel``, ``interval_start``,
        ``offered``, ``offered_lo``, ``offered_hi`` and ``aht_s`` when the
        history has it (whatever the method: the offered-weighted mean of the
        same interval over the last 4 weeks with a known ``aht_s``,
        ``sum(offered x aht_s) / sum(offered)``; the plain mean where those
        weeks had no contacts, the history's weighted mean where the interval
        never had a known ``aht_s``). ``methods``: per channel, the method
        used and the backtest scores that chose it.

    Raises
    ------
    HistoryError
        Bad history, horizon, method or holiday calendar.
    """
    if method not in METHODS + ("auto",):
        raise HistoryError(f"forecast(): method must be one of auto, {', '.join(METHODS)}; "
                           f"got {method!r}.")
    horizon = check_horizon(horizon, "forecast()")
    if not 0 < level < 100:
        raise HistoryError(f"forecast(): level must be in (0, 100), e.g. 80, got {level!r} "
                           "(95 for a wider range).")
    holiday_calendar(country, subdivision, "forecast()")  # fail early on a bad calendar
    if country is not None and method not in _HOLIDAY_AWARE | {"auto"}:
        warnings.warn(f"forecast(): method {method!r} does not model public holidays; the "
                      f"{country!r} calendar is used by the daily models (and by auto) only.",
                      UserWarning, stacklevel=2)
    tidy = clean_history(history, interval_s=interval_s, where="forecast()", tz=tz)
    end = tidy["interval_start"].max() + pd.Timedelta(seconds=interval_s) * (horizon + 1)
    if end > LATEST_DAY + pd.Timedelta(days=1):
        raise HistoryError(
            f"forecast(): {horizon:,} intervals of {interval_s:g} s after the history's end "
            f"({tidy['interval_start'].max()}) run to {end:%Y-%m-%d}, past "
            f"{LATEST_DAY:%Y-%m-%d}; ask for fewer intervals.")
    zone = tz
    if zone is None and isinstance(history, pd.DataFrame) and "interval_start" in history:
        column = history["interval_start"]
        zone = str(column.dt.tz) if isinstance(column.dtype, pd.DatetimeTZDtype) else None

    settings = {"horizon": int(horizon), "method": method, "interval_s": interval_s,
                "level": level, "country": country, "subdivision": subdivision}
    parts = [(name, part.reset_index(drop=True))
             for name, part in tidy.groupby("channel", sort=True)]
    workers = min(len(parts), os.cpu_count() or 1) if n_jobs == -1 else max(1, int(n_jobs))
    results = []
    if workers > 1 and len(parts) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_forecast_channel, parts, [settings] * len(parts)):
                results.append(result)
                if on_channel is not None:
                    on_channel(len(results), len(parts))
    else:
        for item in parts:
            results.append(_forecast_channel(item, settings))
            if on_channel is not None:
                on_channel(len(results), len(parts))
    frames = [frame for frame, _ in results]
    report = {name: info for (name, _), (_, info) in zip(parts, results, strict=True)}
    out = pd.concat(frames, ignore_index=True)
    unknown = out["offered"].isna().to_numpy()
    if unknown.any():  # every model refuses this itself; a forecast never holds silent NaN
        row = int(np.flatnonzero(unknown)[0])
        raise HistoryError(
            f"forecast(): channel {out['channel'].iloc[row]!r}: {int(unknown.sum())} forecast "
            f"interval(s) have no value (first {out['interval_start'].iloc[row]}). The history "
            "has too little known data there; closed hours must be 0, not missing."
        )
    if zone is not None:  # back on the zone's clock: the spring hour that does not exist goes
        local = out["interval_start"].dt.tz_localize(  # and a repeated hour is its first pass
            zone, ambiguous=np.ones(len(out), dtype=bool), nonexistent="NaT")
        out = out.assign(interval_start=local)[local.notna().to_numpy()].reset_index(drop=True)
    return Forecast(table=out, methods=report)


def _forecast_channel(item, settings):
    """One channel's forecast and report (module level so worker processes can run it)."""
    name, part = item
    method, interval_s, horizon = settings["method"], settings["interval_s"], settings["horizon"]

    def make(label):
        return make_model(label, interval_s, level=settings["level"],
                          country=settings["country"], subdivision=settings["subdivision"])

    candidates = list(AUTO_CANDIDATES) if method == "auto" else [method]
    if not _ends_at_midnight(part, interval_s):
        if method in _DAILY:
            raise HistoryError(f"forecast(): method {method} needs the history of channel "
                               f"{name!r} to end at midnight (whole days).")
        candidates = [c for c in candidates if c not in _DAILY]
    fitted = {}
    if method == "auto":
        # The daily model is fitted once on the whole history; the race re-runs it on each
        # origin's window with those parameters (re-estimating them at every origin costs 4x).
        fixed = None
        daily = [c for c in candidates if c in _DAILY]
        if daily:
            try:
                fitted[daily[0]] = make(daily[0]).fit(part)
                fixed = {name: [f.params for f in fitted[daily[0]].channels_[name]["fits"]]}
            except HistoryError:
                candidates = [c for c in candidates if c not in _DAILY]
        scores = _race(part, candidates, make, interval_s, fixed)
        usable = {k: v for k, v in scores.items() if np.isfinite(v)}
        chosen = min(usable, key=lambda k: usable[k]) if usable else "weekly_average"
    else:
        scores, chosen = {}, method
    model = fitted[chosen] if chosen in fitted else make(chosen).fit(part)
    result = model.predict(horizon)
    if "aht_s" in part:  # whatever the method: the offered-weighted 4-week average
        aht = (WeeklyAverage(interval_s).fit(part).predict(horizon)
               .set_index("interval_start")["aht_s"])
        result["aht_s"] = aht.reindex(pd.DatetimeIndex(result["interval_start"])).to_numpy()
    return result, {"method": chosen, "backtest_wape": scores}


def _ends_at_midnight(part: pd.DataFrame, interval_s: float) -> bool:
    end = part["interval_start"].iloc[-1] + pd.Timedelta(seconds=interval_s)
    return end == end.normalize()


def _daily_variant(model: DailyProfile, kinds: tuple[str, ...]) -> DailyProfile:
    """A fitted ``ets+arima`` DailyProfile narrowed to some of its daily models (no refit)."""
    fitted = model.daily_model.split("+")
    clone = copy.copy(model)
    clone.daily_model = "+".join(kinds)
    clone.channels_ = {name: {**info, "fits": [f for f, k in zip(info["fits"], fitted, strict=True)
                                                if k in kinds]}
                       for name, info in model.channels_.items()}
    return clone


def origin_forecasts(part: pd.DataFrame, candidates: list[str], make: Callable, cut: int,
                     horizon: int, fixed: dict | None = None) -> dict[str, pd.DataFrame | None]:
    """Each candidate's forecast of ``horizon`` intervals from ``part.iloc[:cut]``.

    The daily candidates share one fit of ETS and ARIMA. A candidate that
    cannot fit that training window gives None. ``fixed`` (channel -> list
    of parameter vectors, ETS then ARIMA) runs the daily models with those
    parameters instead of estimating them.
    """
    train = part.iloc[:cut]
    out: dict[str, pd.DataFrame | None] = {}
    daily = [c for c in candidates if c in _DAILY]
    if daily:
        kinds = tuple(k for k in ("ets", "arima") if any(k in _DAILY[c] for c in daily))
        try:
            shared = make(daily[0])
            shared.daily_model = "+".join(kinds)
            shared._fit(train, fixed)
        except HistoryError:
            shared = None
        for c in daily:
            out[c] = None if shared is None else \
                _daily_variant(shared, _DAILY[c]).predict(horizon)
    for c in candidates:
        if c not in _DAILY:
            try:
                out[c] = make(c).fit(train).predict(horizon)
            except HistoryError:
                out[c] = None
    return out


def _race(part, candidates, make, interval_s, fixed=None):
    """Interval WAPE of each candidate over the last N_ORIGINS weeks of ``part``."""
    week = int(round(7 * 86400 / interval_s))
    abs_error = dict.fromkeys(candidates, 0.0)
    total = 0.0
    scored = 0
    for k in range(N_ORIGINS, 0, -1):
        cut = len(part) - k * week
        if cut < 3 * week:  # each origin trains on three weeks at least
            continue
        actual = part["offered"].to_numpy()[cut:cut + week]
        predictions = origin_forecasts(part, candidates, make, cut, len(actual), fixed)
        ok = np.isfinite(actual)
        for c, frame in predictions.items():
            if frame is None:
                abs_error[c] = np.nan
                continue
            predicted = frame["offered"].to_numpy()
            abs_error[c] += float(np.abs(predicted[ok] - actual[ok]).sum())
        total += float(actual[ok].sum())
        scored += 1
    return {c: (abs_error[c] / total if scored and total > 0 else np.nan) for c in candidates}
