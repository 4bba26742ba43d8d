"""Baseline forecasting models with one interface (STYLE.md section 4).

``__init__`` stores its arguments; ``fit(history)`` checks and learns and
returns the model; ``predict(horizon)`` returns a ``forecast`` table and
changes nothing. Learned attributes end in ``_``.

Prediction intervals are empirical: the model's own one-season-ahead errors on
the last ``ERROR_SEASONS`` seasons of the history (actual minus what the rule
would have said one season earlier),
their ``(100 - level) / 2`` and ``(100 + level) / 2`` percentiles added to the
point forecast (the lower end floored at 0). A percentile on the wrong side of
zero (all recent errors of one sign, as on a trend) is taken as 0, so
``0 <= offered_lo <= offered <= offered_hi`` always. The same width is used at
every horizon within the season.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._history import clean_history
from ._validate import check_predict
from .errors import HistoryError

WEEK_S = 7 * 86400.0
#: Seasons at the end of the history whose one-season-ahead errors set the interval width.
ERROR_SEASONS = 8
#: Seasons the handle-time forecast averages (weighted by offered), for every model.
AHT_SEASONS = 4


class _SeasonalBaseline:
    """Shared machinery: per channel, the history as a (seasons x season length) matrix."""

    def __init__(self, interval_s: float, *, season_s: float = WEEK_S, level: float = 80.0):
        self.interval_s = interval_s
        self.season_s = season_s
        self.level = level

    def _rule(self, past: np.ndarray) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, history: pd.DataFrame) -> _SeasonalBaseline:
        """Learn each channel's recent seasons and error quantiles from ``history``.

        Parameters
        ----------
        history : pandas.DataFrame
            The ``history`` contract (see ``forecasting.clean_history``).

        Returns
        -------
        self
        """
        where = f"{type(self).__name__}.fit()"
        m = self.season_s / self.interval_s
        if not (self.interval_s > 0 and m == int(m) and m >= 1):
            raise HistoryError(f"{where}: season_s ({self.season_s:g}) must be a whole number "
                               f"of intervals of interval_s ({self.interval_s:g}).")
        if not 0 < self.level < 100:
            raise HistoryError(f"{where}: level must be in (0, 100), e.g. 80, got "
                               f"{self.level!r}.")
        tidy = clean_history(history, interval_s=self.interval_s, where=where)
        m = int(m)
        self.channels_ = {}
        for name, part in tidy.groupby("channel", sort=True):
            values = part["offered"].to_numpy(dtype=float)
            if np.isfinite(values).sum() == 0:
                raise HistoryError(f"{where}: channel {name!r} has no known value in history.")
            if values.size < m:
                first, last = part["interval_start"].iloc[0], part["interval_start"].iloc[-1]
                raise HistoryError(
                    f"{where}: channel {name!r} has {values.size} interval"
                    f"{'s' if values.size > 1 else ''} of history ({first} to {last}); "
                    f"{type(self).__name__} needs at least one season of "
                    f"{self.season_s / 86400:g} days ({m} intervals of {self.interval_s:g} s), "
                    "so that every interval it forecasts has been seen. Give a longer "
                    "history; if the channel name is a typo, fix it or drop its rows."
                )
            aht = part["aht_s"].to_numpy(dtype=float) if "aht_s" in part else None
            self.channels_[name] = {
                "values": values,
                "end": part["interval_start"].iloc[-1],
                "aht": aht,
                "errors": self._errors(values, m),
            }
        self.season_intervals_ = m
        return self

    def _errors(self, values: np.ndarray, m: int) -> np.ndarray:
        """Errors of the rule one season ahead, over the history (NaN where not computable)."""
        errors = np.full(values.size, np.nan)
        for t in range(max(m, values.size - ERROR_SEASONS * m), values.size):
            guess = self._point(values[:t], m, 1)[0]
            errors[t] = values[t] - guess
        return errors

    def _point(self, values: np.ndarray, m: int, horizon: int) -> np.ndarray:
        """Point forecasts for the next ``horizon`` intervals after ``values``."""
        n = values.size
        out = np.empty(horizon)
        for h in range(horizon):
            position = n + h
            same = values[position % m::m][: (position // m)] if position >= m else np.array([])
            same = same[np.isfinite(same)]
            out[h] = self._rule(same[::-1]) if same.size else np.nan
        return out

    def predict(self, horizon: int) -> pd.DataFrame:
        """The ``forecast`` table for the ``horizon`` intervals after the history.

        Parameters
        ----------
        horizon : int
            Number of intervals to forecast, >= 1.

        Returns
        -------
        pandas.DataFrame
            ``channel``, ``interval_start``, ``offered``, ``offered_lo``,
            ``offered_hi`` (expected contacts and the ``level``% interval), and
            ``aht_s`` (seconds) when the history had it: for both models the
            offered-weighted mean of the same interval over the last 4 seasons
            (``weighted_aht``).
        """
        horizon = check_predict(self, horizon)
        m = self.season_intervals_
        step = pd.Timedelta(seconds=self.interval_s)
        frames = []
        for name, fitted in self.channels_.items():
            point = self._point(fitted["values"], m, int(horizon))
            starts = pd.date_range(fitted["end"] + step, periods=int(horizon), freq=step)
            if np.isnan(point).any():
                _raise_unseen(f"{type(self).__name__}.predict()", name, starts, point,
                              self.season_s)
            errors = fitted["errors"][np.isfinite(fitted["errors"])]
            if errors.size:
                lo_q, hi_q = np.percentile(errors, [(100 - self.level) / 2,
                                                    (100 + self.level) / 2])
            else:
                lo_q = hi_q = 0.0
            # The interval always holds the point forecast: when all recent errors have one
            # sign (a trend), the other end is the point itself.
            lo_q, hi_q = min(lo_q, 0.0), max(hi_q, 0.0)
            frame = pd.DataFrame({
                "channel": name, "interval_start": starts, "offered": point,
                "offered_lo": np.maximum(point + lo_q, 0.0),
                "offered_hi": np.maximum(point + hi_q, 0.0),
            })
            if fitted["aht"] is not None:
                frame["aht_s"] = self._aht(fitted["values"], fitted["aht"], m, int(horizon))
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def _aht(self, offered: np.ndarray, aht: np.ndarray, m: int, horizon: int) -> np.ndarray:
        """Handle time per interval, whatever the model: ``weighted_aht`` over the last
        ``n_seasons`` seasons (``AHT_SEASONS`` for models without that parameter)."""
        return weighted_aht(offered, aht, m, horizon,
                            int(getattr(self, "n_seasons", AHT_SEASONS)))


def _raise_unseen(where: str, name: str, starts: pd.DatetimeIndex, point: np.ndarray,
                  season_s: float) -> None:
    """A HistoryError for forecast intervals whose slot of the season was never known."""
    unseen = np.flatnonzero(np.isnan(point))
    fmt = "%a %H:%M" if season_s == WEEK_S else "%H:%M"
    slots = list(dict.fromkeys(starts[unseen].strftime(fmt)))
    shown = ", ".join(slots[:6]) + (", ..." if len(slots) > 6 else "")
    raise HistoryError(
        f"{where}: channel {name!r}: {unseen.size} of the {point.size} intervals asked "
        f"(first {starts[unseen[0]]}) fall at a time of the "
        f"{'week' if season_s == WEEK_S else 'season'} with no known value in any season of "
        f"the history ({shown}), so they cannot be forecast. Closed hours must be 0, not "
        "missing: write offered 0 for intervals with no contacts (a file that leaves them out "
        "reads as missing), or fill the gaps."
    )


def weighted_aht(offered: np.ndarray, aht: np.ndarray, m: int, horizon: int,
                 n_seasons: int = AHT_SEASONS) -> np.ndarray:
    """Handle time for the ``horizon`` intervals after the history: the offered-weighted mean.

    For each interval, over the last ``n_seasons`` seasons whose same interval
    has a known ``aht``: ``sum(offered x aht) / sum(offered)`` (a missing
    ``offered`` weighs 0). Where those seasons had no contacts, the plain mean
    of their ``aht``; where the interval never has a known ``aht``, the
    offered-weighted mean of the whole history (its plain mean without
    contacts); NaN only when the history has no known ``aht`` at all.
    """
    known = np.isfinite(aht)
    weight = np.where(known, np.nan_to_num(offered, nan=0.0), 0.0)
    values = np.where(known, aht, 0.0)
    if weight.sum() > 0:
        overall = float((weight * values).sum() / weight.sum())
    else:
        overall = float(aht[known].mean()) if known.any() else np.nan
    n = aht.size
    out = np.empty(horizon)
    for h in range(horizon):
        same = np.arange((n + h) % m, n, m)
        same = same[known[same]][-n_seasons:]
        if not same.size:
            out[h] = overall
        elif weight[same].sum() > 0:
            out[h] = (weight[same] * values[same]).sum() / weight[same].sum()
        else:
            out[h] = values[same].mean()
    return out


class SeasonalNaive(_SeasonalBaseline):
    """Each interval as the same interval one season (by default one week) earlier.

    Where that value is missing, the latest earlier season that has it.

    Parameters
    ----------
    interval_s : float
        Interval length, seconds.
    season_s : float, optional
        Season length, seconds; a whole number of intervals. Default one week.
    level : float, optional
        Prediction-interval level, percent, in (0, 100). Default 80.
    """

    def _rule(self, past: np.ndarray) -> float:
        return float(past[0])


class WeeklyAverage(_SeasonalBaseline):
    """Each interval as the mean of the same interval over the last ``n_seasons`` seasons.

    The traditional workforce-management average ("the last 4 Mondays at
    09:00"); missing values are skipped, not read as zero.

    Parameters
    ----------
    interval_s : float
        Interval length, seconds.
    n_seasons : int, optional
        Seasons averaged, >= 1. Default 4.
    season_s : float, optional
        Season length, seconds. Default one week.
    level : float, optional
        Prediction-interval level, percent. Default 80.
    """

    def __init__(self, interval_s: float, *, n_seasons: int = 4, season_s: float = WEEK_S,
                 level: float = 80.0):
        super().__init__(interval_s, season_s=season_s, level=level)
        self.n_seasons = n_seasons

    def _rule(self, past: np.ndarray) -> float:
        return float(np.mean(past[: self.n_seasons]))
