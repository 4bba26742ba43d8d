"""Apply the Erlang formulas across a ``forecast`` table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._kpis import queue_kpis, required_agents
from .contracts import REQUIREMENTS_COLUMNS, check_forecast
from .errors import InfeasibleTargetError, InvalidParameterError


def requirements(forecast: pd.DataFrame, *, interval_s: float, service_level_target: Any = 0.8,
                 answer_within_s: float = 20, mean_patience_s: float | None = None,
                 max_asa_s: float | None = None, max_abandon: float | None = None,
                 max_occupancy: float | None = None, min_agents: int = 0,
                 concurrency: int = 1) -> pd.DataFrame:
    """Agents required per interval for a ``forecast`` table.

    Parameters
    ----------
    forecast : pandas.DataFrame
        The ``forecast`` contract: ``channel``, ``interval_start``, ``offered``
        (contacts per interval), ``aht_s`` (seconds). Not modified.
    interval_s : float
        Interval length in seconds, > 0 (never inferred from the rows).
    service_level_target : float or None, optional
        Target for the service level, in (0, 1); default 0.8.
    answer_within_s : float, optional
        Service-level threshold in seconds, >= 0; default 20.
    mean_patience_s : float or None, optional
        MEAN patience in seconds for Erlang A; ``None`` for Erlang C.
    max_asa_s : float or None, optional
        Upper bound on the mean wait over all offered, seconds.
    max_abandon : float or None, optional
        Upper bound on the abandonment rate, in (0, 1).
    max_occupancy : float or None, optional
        Upper bound on occupancy, in (0, 1].
    min_agents : int, optional
        Floor on agents per interval.
    concurrency : int, optional
        Contacts one agent handles at once (chat), >= 1. All targets apply to
        every row, with the meaning of :func:`required_agents`.

    Returns
    -------
    pandas.DataFrame
        The ``requirements`` contract (see :mod:`staffing.contracts`), one row
        per forecast row, in the same order.

    Raises
    ------
    ContractError
        ``forecast`` lacks a column or holds a bad value.
    InfeasibleTargetError
        A target is unreachable; the message names the channel and interval.

    Examples
    --------
    >>> import pandas as pd
    >>> fc = pd.DataFrame({"channel": "voice", "offered": [100.0, 0.0], "aht_s": 180.0,
    ...                    "interval_start": pd.date_range("2026-01-05 09:00", periods=2,
    ...                                                    freq="30min")})
    >>> requirements(fc, interval_s=1800).agents_required.tolist()
    [14, 0]
    """
    check_forecast(forecast, "requirements()")
    offered = forecast["offered"].to_numpy(dtype=float)
    aht = forecast["aht_s"].to_numpy(dtype=float)
    try:
        agents = required_agents(
            offered, interval_s, aht, service_level_target, answer_within_s, mean_patience_s,
            max_asa_s, max_abandon, max_occupancy, min_agents, concurrency=concurrency,
        )
    except (InfeasibleTargetError, InvalidParameterError) as err:
        msg = str(err)
        row = getattr(err, "interval", None)
        if row is None:
            raise
        msg = (f"{msg} (that is channel {forecast['channel'].iloc[row]!r}, interval_start "
               f"{forecast['interval_start'].iloc[row]})")
        new = type(err)(msg)
        new.interval = row
        raise new from None
    kpis = queue_kpis(agents, offered, interval_s, aht, answer_within_s, mean_patience_s,
                      concurrency=concurrency)
    out = pd.DataFrame({
        "channel": forecast["channel"].to_numpy(),
        "interval_start": forecast["interval_start"].to_numpy(),
        "agents_required": np.asarray(agents, dtype=np.int64),
        "service_level_expected": kpis["service_level"].to_numpy(),
        "asa_s": kpis["asa_s"].to_numpy(),
        "occupancy": kpis["occupancy"].to_numpy(),
        "abandon_rate": kpis["abandon_rate"].to_numpy(),
    }, columns=list(REQUIREMENTS_COLUMNS))
    out["interval_start"] = forecast["interval_start"].reset_index(drop=True)
    return out

