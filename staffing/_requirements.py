"""Apply the Erlang formulas across a ``forecast`` table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ._behaviour import spill_fractions, table_fixed_point, table_slots
from ._kpis import queue_kpis, required_agents
from ._validate import as_float_array
from .contracts import REQUIREMENTS_COLUMNS, check_forecast
from .errors import InfeasibleTargetError, InvalidParameterError


def requirements(forecast: pd.DataFrame, *, interval_s: float, service_level_target: Any = 0.8,
                 answer_within_s: float = 20, mean_patience_s: float | None = None,
                 max_asa_s: float | None = None, max_abandon: float | None = None,
                 max_occupancy: float | None = None, min_agents: int = 0,
                 concurrency: int = 1, hang_up_share: float = 0.0,
                 pickup_delay_s: Any = None, redial_probability: float = 0.0,
                 redial_delay_s: float | None = None) -> pd.DataFrame:
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
    hang_up_share : float, optional
        Share of contacts that hang up at once, in [0, 1); see
        :func:`staffing.queue_kpis`.
    pickup_delay_s : float, 1-D array of float or None, optional
        Pick-up delay in seconds (one value or equally likely values); see
        :func:`staffing.queue_kpis`.
    redial_probability : float, optional
        Probability in [0, 1] that an abandon calls again. The forecast's
        ``offered`` is then the first attempts; redials land after an exponential
        delay with mean ``redial_delay_s``, in the same or later intervals of the
        channel, and each interval is sized for its first attempts plus the
        redials that land in it (``docs/models.md``).
    redial_delay_s : float or None, optional
        MEAN delay from an abandon to its redial, seconds, >= 0; needed when
        ``redial_probability > 0``.

    Returns
    -------
    pandas.DataFrame
        The ``requirements`` contract (see :mod:`staffing.contracts`), one row
        per forecast row, in the same order. With any behaviour argument set,
        four columns follow: ``offered`` (attempts: first attempts + redials),
        ``first_attempts``, ``redials`` (landing in the interval) and
        ``redials_outside`` (redials this interval's abandons make that land
        where the table has no row: after its last interval or in a gap), all
        contacts per interval; ``offered + redials_outside`` summed over a
        channel equals its first attempts plus every redial made.

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
    func = "requirements()"
    check_forecast(forecast, func)
    offered = forecast["offered"].to_numpy(dtype=float)
    aht = forecast["aht_s"].to_numpy(dtype=float)
    behaviour = {"hang_up_share": hang_up_share, "pickup_delay_s": pickup_delay_s}
    is_plain = pickup_delay_s is None and hang_up_share == 0 and redial_probability == 0

    def size(rows, first, share):
        more = {} if is_plain else dict(behaviour, redial_probability=share)
        try:
            agents = required_agents(
                first, interval_s, aht[rows], service_level_target, answer_within_s,
                mean_patience_s, max_asa_s, max_abandon, max_occupancy, min_agents,
                concurrency=concurrency, **more,
            )
        except (InfeasibleTargetError, InvalidParameterError) as err:
            if getattr(err, "interval", None) is not None:
                err.interval = int(rows[err.interval])
            raise
        return agents, queue_kpis(agents, first, interval_s, aht[rows], answer_within_s,
                                  mean_patience_s, concurrency=concurrency, **more)

    try:
        if redial_probability:
            as_float_array(func, "redial_probability", redial_probability, ge=0.0, le=1.0,
                           hint="Give the probability that an abandon calls again, e.g. 0.35.")
            if redial_delay_s is None:
                raise InvalidParameterError(
                    f"{func}: redial_probability={redial_probability!r} needs redial_delay_s, "
                    "the mean delay from an abandon to its redial in seconds, e.g. 600."
                )
            delay = float(as_float_array(func, "redial_delay_s", redial_delay_s, ge=0.0,
                                         hint="Give the mean redial delay in seconds, e.g. 600."))
            ivl = float(as_float_array(func, "interval_s", interval_s, gt=0.0,
                                       hint="Give the interval length in seconds, e.g. 900."))
            starts = forecast["interval_start"].reset_index(drop=True)
            elapsed = (starts - starts.min()).dt.total_seconds().to_numpy()
            channel, slot = table_slots(func, forecast["channel"].to_numpy(), elapsed, ivl)
            agents, kpis, outside = table_fixed_point(
                func, size, offered, channel, slot, float(redial_probability),
                spill_fractions(delay, ivl))
        else:
            agents, kpis = size(np.arange(offered.size), offered, 0.0)
            outside = np.zeros(offered.size)
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
    if not is_plain:
        attempts = kpis["offered"].to_numpy()
        out["offered"] = attempts
        out["first_attempts"] = offered
        out["redials"] = attempts - offered
        out["redials_outside"] = outside
    return out
