"""Forecasting contact volumes and handle times by channel and interval.

* ``clean_history`` checks and tidies the ``history`` table (gaps stay
  missing, daylight-saving days on the wall clock); ``aggregate_contacts``
  turns per-contact records into counts.
* Models with one interface (``fit`` returns self, ``predict(horizon)``
  returns the ``forecast`` table): ``SeasonalNaive``, ``WeeklyAverage``,
  ``DailyProfile`` (daily totals by statsmodels ETS and/or ARIMA with public
  holidays, times weekday intraday profiles) and ``MSTLForecast``.
* ``forecast`` is the entry point, with the automatic pick per channel by
  rolling-origin backtest; ``backtest`` and ``score_backtest`` measure every
  method on the history; ``sample_paths`` draws scenarios with day-level
  correlation for the simulator.
"""

from ._backtest import BACKTEST_COLUMNS, backtest, score_backtest
from ._daily import DailyProfile
from ._errors import ForecastingError, HistoryError, NotFittedError
from ._forecast import AUTO_CANDIDATES, METHODS, forecast, make_model
from ._history import aggregate_contacts, clean_history
from ._models import SeasonalNaive, WeeklyAverage
from ._mstl import MSTLForecast
from ._paths import sample_paths

__all__ = [
    "AUTO_CANDIDATES",
    "BACKTEST_COLUMNS",
    "METHODS",
    "DailyProfile",
    "ForecastingError",
    "HistoryError",
    "MSTLForecast",
    "NotFittedError",
    "SeasonalNaive",
    "WeeklyAverage",
    "aggregate_contacts",
    "backtest",
    "clean_history",
    "forecast",
    "make_model",
    "sample_paths",
    "score_backtest",
]
