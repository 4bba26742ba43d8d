"""The entry point ``forecast``."""

from __future__ import annotations

import pandas as pd

from ._errors import HistoryError
from ._models import SeasonalNaive, WeeklyAverage

_METHODS = {"seasonal_naive": SeasonalNaive, "weekly_average": WeeklyAverage}


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
        Public-holiday calendar (``holidays`` country code). Not modelled yet:
        giving one is an error rather than being ignored.
    subdivision : str, optional
        Region within ``country``; as ``country``.
    level : float, optional
        Prediction-interval level, percent. Default 80.
    method : str, optional
        ``"weekly_average"`` (mean of the same interval over the last 4
        weeks), ``"seasonal_naive"`` (same interval last week) or ``"auto"``
        (for now the weekly average; the pick by rolling-origin backtest
        comes with the statistical models).

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start``, ``offered``, ``offered_lo``,
        ``offered_hi`` and ``aht_s`` when the history has it.

    Raises
    ------
    HistoryError
        Bad history, horizon, method, or a holiday calendar asked for.
    """
    if country is not None or subdivision is not None:
        raise HistoryError(
            "forecast(): public holidays are not modelled yet (country="
            f"{country!r}, subdivision={subdivision!r}); pass country=None for now."
        )
    name = "weekly_average" if method == "auto" else method
    if name not in _METHODS:
        raise HistoryError(f"forecast(): method must be one of auto, "
                           f"{', '.join(_METHODS)}; got {method!r}.")
    return _METHODS[name](interval_s, level=level).fit(history).predict(horizon)
