"""Tables that :mod:`forecasting` reads and writes, and the method names in them.

``history`` (read by :func:`forecasting.clean_history`, :func:`forecasting.forecast`,
:func:`forecasting.backtest` and every model's ``fit``)
    Key ``channel`` (str), ``interval_start`` (timestamp, naive local time or
    time-zone aware; the left edge of the interval). ``offered`` (contacts in
    the interval, >= 0; NaN = missing, never read as zero), optional ``aht_s``
    (average handle time, seconds, > 0).

``forecast`` (written by :func:`forecasting.forecast` as ``Forecast.table``,
and by every model's ``predict``)
    Key ``channel``, ``interval_start``. ``offered`` (expected contacts,
    float >= 0), ``offered_lo`` and ``offered_hi`` (the prediction interval at
    the forecast's ``level``, contacts), ``aht_s`` (seconds) when the history
    had it. Default ``RangeIndex``.

``paths`` (written by :func:`forecasting.sample_paths` as ``SamplePaths.table``)
    ``path`` (0 .. n_paths-1), then the forecast's columns with ``offered``
    the path's arrival rate (expected contacts per interval) and without
    ``offered_lo`` / ``offered_hi``.

``backtest`` (written by :func:`forecasting.backtest`)
    The columns ``BACKTEST_COLUMNS``: ``method``, ``channel``, ``origin``
    (timestamp), ``interval_start``, ``horizon_day`` (1 = the first 24 hours
    after the origin), ``actual`` (contacts, NaN = missing), ``offered``,
    ``offered_lo``, ``offered_hi`` (contacts; NaN where the method could not
    fit), ``scale`` (the MASE denominator of that channel and origin).

The ``method`` of a backtest row and of ``Forecast.methods`` is one of
``METHODS`` (or ``"auto"`` in a backtest); ``method="auto"`` races
``AUTO_CANDIDATES``. The interval length is never inferred from the spacing
of rows: callers pass ``interval_s``.

This module is public (``from forecasting.contracts import METHODS``).
"""

from __future__ import annotations

__all__ = ["AUTO_CANDIDATES", "BACKTEST_COLUMNS", "METHODS"]

#: Every method ``forecast`` knows, in the order reports list them.
METHODS = ("seasonal_naive", "weekly_average", "daily_ets", "daily_arima", "daily_ets_arima",
           "mstl")
#: The candidates of ``method="auto"``. The daily model races as the ETS+ARIMA mean, which
#: beat ETS alone on the AXA backtest (picking between two so close only adds noise). MSTL is
#: left out: it costs about 2 s a fit and lost to the daily models (docs/forecasting.md).
AUTO_CANDIDATES = ("seasonal_naive", "weekly_average", "daily_ets_arima")
#: Columns of the table ``backtest`` returns, in order.
BACKTEST_COLUMNS = ("method", "channel", "origin", "interval_start", "horizon_day", "actual",
                    "offered", "offered_lo", "offered_hi", "scale")
