"""Tables that :mod:`staffing` consumes and produces.

``forecast`` (consumed; produced by :mod:`forecasting`)
    Key ``channel`` (str), ``interval_start`` (timestamp, left edge of the
    interval). Columns used here: ``offered`` (expected contacts in the
    interval, float >= 0, no NaN) and ``aht_s`` (average handle time, seconds,
    > 0). Extra columns are ignored.

``requirements`` (produced by :func:`requirements`)
    Key ``channel``, ``interval_start``. Columns: ``agents_required`` (int,
    agents on the queue), ``service_level_expected`` (0-1, the
    ``service_level`` of :func:`queue_kpis` at that staffing), ``asa_s``
    (seconds, the ASA: mean wait of ANSWERED contacts), ``occupancy`` (0-1),
    ``abandon_rate`` (abandoned / offered, 0-1; 0 under Erlang C). Default ``RangeIndex``.

The interval length is never inferred from the spacing of rows: callers pass
``interval_s``. The tables of a schedule (``shifts``, ``coverage``, ``costs``
...) are documented on :class:`staffing.Schedule`, those of a cost report on
:func:`staffing.cost_report`.

This module is public: ``check_forecast`` and ``check_requirements`` check a
table at a package boundary, and ``FORECAST_COLUMNS`` and
``REQUIREMENTS_COLUMNS`` name the columns staffing reads and writes.
"""

from __future__ import annotations

import pandas as pd

from .errors import ContractError

__all__ = ["FORECAST_COLUMNS", "REQUIREMENTS_COLUMNS", "check_forecast", "check_requirements"]

#: Columns of the ``forecast`` table that staffing reads.
FORECAST_COLUMNS = ("channel", "interval_start", "offered", "aht_s")
#: Columns of the ``requirements`` table, in the order :func:`staffing.requirements` writes them.
REQUIREMENTS_COLUMNS = (
    "channel",
    "interval_start",
    "agents_required",
    "service_level_expected",
    "asa_s",
    "occupancy",
    "abandon_rate",
)


def _check_columns(where: str, table: str, df: pd.DataFrame, columns, fix: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ContractError(f"{where}: '{table}' must be a pandas DataFrame, got "
                            f"{type(df).__name__}. {fix}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns))
        raise ContractError(
            f"{where}: '{table}' has no column {', '.join(repr(m) for m in missing)} "
            f"(found: {found}). {fix}"
        )


def check_forecast(forecast: pd.DataFrame, where: str = "check_forecast()") -> None:
    """Check that a table meets the ``forecast`` contract as staffing reads it.

    Parameters
    ----------
    forecast : pandas.DataFrame
        Columns ``channel``, ``interval_start``, ``offered`` (contacts >= 0,
        no NaN), ``aht_s`` (seconds > 0).
    where : str, optional
        Caller named in error messages.

    Raises
    ------
    ContractError
        A column is missing, or a value breaks its rule; the message names the
        column, the row and the value.

    Examples
    --------
    >>> import pandas as pd
    >>> check_forecast(pd.DataFrame({"channel": ["voice"], "offered": [10.0], "aht_s": [240.0],
    ...                              "interval_start": [pd.Timestamp("2026-01-05 09:00")]}))
    """
    _check_columns(where, "forecast", forecast, FORECAST_COLUMNS,
                   "Build the table with forecasting.forecast(), or rename the columns.")
    for col, rule, bad in (
        ("offered", ">= 0 and not missing", ~(forecast["offered"] >= 0)),
        ("aht_s", "> 0 seconds and not missing", ~(forecast["aht_s"] > 0)),
    ):
        if bad.any():
            row = bad.to_numpy().nonzero()[0][0]
            raise ContractError(
                f"{where}: 'forecast' column {col!r} must be {rule}; row {row} "
                f"(channel {forecast['channel'].iloc[row]!r}, interval_start "
                f"{forecast['interval_start'].iloc[row]}) has {forecast[col].iloc[row]!r}. "
                "Fill or drop that interval: missing volumes are never read as zero."
            )
    if forecast["interval_start"].isna().any():
        raise ContractError(f"{where}: 'forecast' column 'interval_start' has missing values.")


def check_requirements(requirements: pd.DataFrame, where: str = "check_requirements()") -> None:
    """Check that a table meets the ``requirements`` contract.

    Parameters
    ----------
    requirements : pandas.DataFrame
        See the module docstring for the columns.
    where : str, optional
        Caller named in error messages.

    Raises
    ------
    ContractError
        A column is missing or ``agents_required`` is not whole and >= 0.
    """
    _check_columns(where, "requirements", requirements, REQUIREMENTS_COLUMNS,
                   "Build the table with staffing.requirements().")
    agents = requirements["agents_required"]
    if not pd.api.types.is_integer_dtype(agents) or (agents < 0).any():
        raise ContractError(f"{where}: 'requirements' column 'agents_required' must hold whole "
                            f"numbers >= 0 (dtype {agents.dtype}).")
