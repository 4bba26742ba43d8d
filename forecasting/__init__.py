"""Forecasting contact volumes and handle times by channel and interval.

* ``clean_history`` checks and tidies the ``history`` table (gaps stay
  missing, daylight-saving days on the wall clock); ``aggregate_contacts``
  turns per-contact records into counts.
* Models with one interface (``fit`` returns self, ``predict(horizon)``
  returns the ``forecast`` table): ``SeasonalNaive``, ``WeeklyAverage``,
  ``DailyProfile`` (daily totals by statsmodels ETS and/or ARIMA with public
  holidays, times weekday intraday profiles) and ``MSTLForecast``;
  ``make_model`` builds one by its method name.
* ``forecast`` is the entry point, with the automatic pick per channel by
  rolling-origin backtest; it returns a ``Forecast`` (the table and the
  method chosen per channel). ``backtest`` and ``score_backtest`` measure
  every method on the history; ``sample_paths`` draws scenarios with
  day-level correlation for the simulator (a ``SamplePaths``);
  ``daily_totals`` gives each day's total with its own prediction interval
  (from the same day-level model, not a sum of interval bounds).

Public submodules: :mod:`forecasting.contracts` (the tables read and
written, their columns, and the method names ``METHODS`` and
``AUTO_CANDIDATES``), :mod:`forecasting.errors` (the exception tree under
``ForecastingError``) and :mod:`forecasting.behaviour` (customer behaviour
estimated from per-contact records: censored patience, hang-ups, pick-up
delay, redials; ``ccplan calibrate``) and :mod:`forecasting.longrange` (weekly
volumes 13-78 weeks ahead with trend, yearly seasonality, public holidays,
intervals and sample paths; the same-week-last-year baseline; planner events).
"""

import importlib
from typing import TYPE_CHECKING, Any

from .errors import ForecastingError

if TYPE_CHECKING:
    from ._backtest import backtest, score_backtest
    from ._daily import DailyProfile
    from ._forecast import Forecast, forecast, make_model
    from ._history import aggregate_contacts, clean_history
    from ._models import SeasonalNaive, WeeklyAverage
    from ._mstl import MSTLForecast
    from ._paths import SamplePaths, daily_totals, sample_paths

#: Where each public name (and public submodule) lives, imported on first use (PEP 562):
#: ``import forecasting`` loads no model (statsmodels, scipy.stats) until one is used. The
#: imports above, for type checkers, say the same (tests/scenarios/test_cli_startup.py).
_HOMES = {
    "backtest": "._backtest",
    "score_backtest": "._backtest",
    "DailyProfile": "._daily",
    "Forecast": "._forecast",
    "forecast": "._forecast",
    "make_model": "._forecast",
    "aggregate_contacts": "._history",
    "clean_history": "._history",
    "SeasonalNaive": "._models",
    "WeeklyAverage": "._models",
    "MSTLForecast": "._mstl",
    "SamplePaths": "._paths",
    "daily_totals": "._paths",
    "sample_paths": "._paths",
    "behaviour": ".behaviour",
    "contracts": ".contracts",
    "longrange": ".longrange",
}

__all__ = [
    "DailyProfile",
    "Forecast",
    "ForecastingError",
    "MSTLForecast",
    "SamplePaths",
    "SeasonalNaive",
    "WeeklyAverage",
    "aggregate_contacts",
    "backtest",
    "clean_history",
    "daily_totals",
    "forecast",
    "make_model",
    "sample_paths",
    "score_backtest",
]


if not TYPE_CHECKING:  # type checkers see the imports above (and no catch-all)

    def __getattr__(name: str) -> Any:
        """A public name, imported from its module on first use."""
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = importlib.import_module(home, __name__)
        value = module if home == f".{name}" else getattr(module, name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_HOMES))
