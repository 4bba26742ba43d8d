"""Forecasting contact volumes and handle times by channel and interval.

So far: checking and tidying the ``history`` table, per-contact records to
counts, two baselines (seasonal naive, the weekly average of the same
interval) with empirical prediction intervals, and daily totals by ETS
(statsmodels) times a weekday intraday profile. Statistical models, holidays,
the backtest-based pick and sample paths arrive with the rest of the
forecasting issue.
"""

from ._backtest import BACKTEST_COLUMNS, backtest, score_backtest
from ._daily import DailyProfile
from ._errors import ForecastingError, HistoryError, NotFittedError
from ._forecast import AUTO_CANDIDATES, METHODS, forecast, make_model
from ._history import aggregate_contacts, clean_history
from ._models import SeasonalNaive, WeeklyAverage
from ._mstl import MSTLForecast

__all__ = [
    "BACKTEST_COLUMNS",
    "backtest",
    "score_backtest",
    "AUTO_CANDIDATES",
    "METHODS",
    "MSTLForecast",
    "make_model",
    "DailyProfile",
    "ForecastingError",
    "HistoryError",
    "NotFittedError",
    "SeasonalNaive",
    "WeeklyAverage",
    "aggregate_contacts",
    "clean_history",
    "forecast",
]
