"""Comparing scenarios: one row per result, the efficient frontier and deltas to a baseline.

``ccplan compare`` and the comparison report read these tables. They use only
the ``totals`` row and the summary (currency, horizon) of each
:class:`~scenarios.pipeline._result.ScenarioResult`.

What is compared with what: money in two currencies, or over horizons of
different lengths, is never judged on one scale. The scenarios fall into
*comparison groups* of one currency and one horizon length, and each group
has its own frontier. Within a group the frontier judges total cost when every
scenario serves the same volume, and cost per handled contact when the volumes
differ (a 24x7 plan that answers 15,500 contacts at 3.68 each is not beaten by
an 8x5 plan that answers 12,340 at 4.29 each only because its total is lower).
The table says which basis each group used (``frontier_basis``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..pipeline import ScenarioResult

#: Numeric columns of :func:`comparison_table`, taken from each result's ``totals`` row.
COMPARISON_MEASURES = (
    "cost", "cost_per_contact", "service_level", "asa_s", "abandon_rate", "occupancy",
    "fte", "paid_hours", "annual_cost", "budget", "cost_vs_budget",
    "offered", "handled", "cost_per_handled",
)

#: Columns of :func:`comparison_table`, in order.
COMPARISON_COLUMNS = ("scenario", *COMPARISON_MEASURES, "budget_period", "currency",
                      "horizon_days", "comparison_group", "frontier_basis", "frontier_cost",
                      "is_efficient", "schedule_status", "schedule_gap", "headcount",
                      "peak_agents_on_shift")

#: Measures in money (not comparable across currencies or horizons).
_MONEY_MEASURES = ("cost", "cost_per_contact", "annual_cost", "budget", "cost_per_handled")

#: Relative difference in contacts offered below which two scenarios serve "the same volume".
_SAME_VOLUME_RTOL = 1e-6


def solver_text(status: object, gap: object) -> str:
    """A solver's verdict as a planner reads it, from its status and relative gap.

    One wording for the shift schedule and the hiring plan, on every page, table and message.

    Parameters
    ----------
    status : str or None
        ``"optimal"`` (the gap asked was reached), ``"gap_above_target"`` (the node budget
        ran out first), ``"time_limit"`` (the wall-clock safety net fired) or another status;
        None, NaN or ``""`` when there was no solve.
    gap : float or None
        The proved relative gap, a fraction (0.008 = 0.8%); None or NaN when unknown.

    Returns
    -------
    str
        ``"optimal within 0.8%"`` (no plan costs more than 0.8% less), ``"stopped at its node
        budget, within 2.0% (above the gap asked)"``, ``"STOPPED AT THE TIME LIMIT, within
        3.1% - depends on machine speed"``, or ``"no shift schedule"`` without a solve.

    Examples
    --------
    >>> solver_text("optimal", 0.007687586471845895)
    'optimal within 0.8%'
    >>> solver_text(None, None)
    'no shift schedule'
    """
    if status is None or status == "" or (isinstance(status, float) and math.isnan(status)):
        return "no shift schedule"
    known = (isinstance(gap, int | float) and not isinstance(gap, bool)
             and math.isfinite(gap))
    within = f"within {100 * gap:.1f}%" if known else "gap unknown"  # type: ignore[operator]
    if status == "optimal":
        return f"optimal {within}" if known else "optimal"
    if status == "gap_above_target":
        return f"stopped at its node budget, {within} (above the gap asked)"
    if status == "time_limit":
        return f"STOPPED AT THE TIME LIMIT, {within} \N{EM DASH} depends on machine speed"
    return f"{status}, {within}"


def frontier_basis(offered: Sequence[float] | np.ndarray) -> str:
    """The cost basis a frontier judges on: ``"cost"`` or ``"cost_per_handled"``.

    Parameters
    ----------
    offered : sequence of float
        Contacts offered over the horizon by each scenario of one comparison
        group (same currency and horizon).

    Returns
    -------
    str
        ``"cost"`` (total cost over the horizon) when every scenario offers
        the same volume (within a relative 1e-6), else ``"cost_per_handled"``
        (cost per contact answered): with different volumes, a lower total
        can mean serving fewer contacts, not serving them better.

    Examples
    --------
    >>> frontier_basis([15500.0, 15500.0]), frontier_basis([15500.0, 12340.0])
    ('cost', 'cost_per_handled')
    """
    values = np.asarray(offered, dtype=float)
    if values.size == 0 or not np.all(np.isfinite(values)):
        return "cost_per_handled" if values.size else "cost"
    spread = float(values.max() - values.min())
    return ("cost" if spread <= _SAME_VOLUME_RTOL * max(float(np.abs(values).max()), 1.0)
            else "cost_per_handled")


def peak_agents_on_shift(shifts: pd.DataFrame) -> float:
    """The most agents on shift at once: the seats and logins the roster needs at its busiest.

    At each moment ``t``, the agents on shift are the ``headcount`` of every
    shift with ``shift_start <= t < shift_start + duration_s``, summed over
    all shifts (all agent groups and channels); breaks count as on shift
    (the agent is at work, only not on the queue). The maximum over the
    horizon is reached at some shift's start.

    Parameters
    ----------
    shifts : pandas.DataFrame
        ``ScenarioResult.shifts``: ``shift_start`` (timestamp),
        ``duration_s`` (s, > 0), ``headcount`` (agents).

    Returns
    -------
    float
        Agents; NaN when there is no shift schedule (an empty table, or one
        without those columns): nothing is on shift, which is not zero.

    Examples
    --------
    >>> import pandas as pd
    >>> shifts = pd.DataFrame({"shift_start": pd.to_datetime(["2026-03-02 08:00",
    ...     "2026-03-02 12:00", "2026-03-02 16:00"]), "duration_s": [8 * 3600.0] * 3,
    ...     "headcount": [10, 5, 7]})
    >>> peak_agents_on_shift(shifts)  # 12:00-16:00: 10 + 5; at 16:00 the first has left
    15.0
    """
    if len(shifts) == 0 or not {"shift_start", "duration_s", "headcount"} <= set(shifts.columns):
        return float("nan")
    starts = pd.to_datetime(shifts["shift_start"])
    ends = starts + pd.to_timedelta(shifts["duration_s"].to_numpy(dtype=float), unit="s")
    heads = shifts["headcount"].to_numpy(dtype=float)
    # Half-open shifts: at one instant, those ending leave before those starting arrive.
    events = pd.DataFrame({"at": pd.concat([ends, starts], ignore_index=True),
                           "order": [0] * len(ends) + [1] * len(starts),
                           "change": np.concatenate([-heads, heads])})
    events = events.sort_values(["at", "order"], kind="stable")
    return float(max(events["change"].cumsum().max(), 0.0))


def _horizon_days(result: ScenarioResult) -> float:
    start, end = result.summary.get("horizon_start"), result.summary.get("horizon_end")
    if not start or not end:
        return float("nan")
    return round((pd.Timestamp(end) - pd.Timestamp(start)).total_seconds() / 86400.0, 2)


def _group_label(currency: str, days: float) -> str:
    money = currency or "currency not given"
    return f"{money}, {days:g}-day horizon" if np.isfinite(days) else money


def pareto_efficient(cost: Sequence[float] | np.ndarray,
                     service_level: Sequence[float] | np.ndarray) -> np.ndarray:
    """Flag the points on the efficient frontier of (lower cost, higher service level).

    A point is efficient when no other point has a cost lower than or equal
    to its cost and a service level higher than or equal to its service
    level, with at least one of the two strictly better. Identical points do
    not dominate each other, so both are efficient. A point whose cost or
    service level is NaN is never efficient and never dominates another.

    Parameters
    ----------
    cost : sequence of float
        Cost of each point, in the scenarios' currency.
    service_level : sequence of float
        Service level of each point, 0-1. Same length as ``cost``.

    Returns
    -------
    numpy.ndarray
        One bool per point, in input order.

    Raises
    ------
    ValueError
        When ``cost`` and ``service_level`` differ in length.

    Examples
    --------
    >>> pareto_efficient([100.0, 120.0, 120.0, 90.0], [0.8, 0.9, 0.85, 0.8]).tolist()
    [False, True, False, True]
    """
    cost_arr = np.asarray(cost, dtype=float)
    level_arr = np.asarray(service_level, dtype=float)
    if cost_arr.shape != level_arr.shape or cost_arr.ndim != 1:
        raise ValueError(
            f"pareto_efficient(): 'cost' has shape {cost_arr.shape} and 'service_level' has "
            f"shape {level_arr.shape}; pass two one-dimensional sequences of the same length."
        )
    valid = np.isfinite(cost_arr) & np.isfinite(level_arr)
    efficient = valid.copy()
    for i in np.flatnonzero(valid):
        others = valid.copy()
        others[i] = False
        no_worse = (cost_arr <= cost_arr[i]) & (level_arr >= level_arr[i])
        better = (cost_arr < cost_arr[i]) | (level_arr > level_arr[i])
        if np.any(others & no_worse & better):
            efficient[i] = False
    return efficient


def comparison_table(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """One row per scenario result with its headline measures and efficient-frontier flag.

    Parameters
    ----------
    results : sequence of ScenarioResult
        The results to compare; each ``totals`` table must hold exactly one
        row with the columns listed below.

    Returns
    -------
    pandas.DataFrame
        One row per result, in input order (default ``RangeIndex``), columns
        :data:`COMPARISON_COLUMNS`:

        - ``scenario`` (str): the result's ``name``.
        - ``cost`` (currency over the horizon), ``cost_per_contact``
          (currency per offered contact), ``service_level`` (0-1),
          ``asa_s`` (s), ``abandon_rate`` (0-1), ``occupancy`` (0-1),
          ``fte`` (full-time equivalents), ``paid_hours`` (h),
          ``annual_cost`` (currency per year), ``budget`` (currency over the
          budget's period, NaN when none) and ``cost_vs_budget`` (ratio,
          NaN when no budget): copied from the ``totals`` row.
        - ``offered``, ``handled`` (contacts over the horizon) and
          ``cost_per_handled`` (currency per handled contact): from ``totals``.
        - ``budget_period`` (``"week"``, ``"year"`` or ``""``): the period of
          ``budget``; budgets of different periods are different quantities.
        - ``currency`` (str), ``horizon_days`` (days, NaN when the summary
          has no horizon) and ``comparison_group`` (``"GBP, 7-day
          horizon"``): scenarios are judged only against their own group.
        - ``frontier_basis`` (``"cost"`` or ``"cost_per_handled"``, one per
          group, see :func:`frontier_basis`) and ``frontier_cost`` (the
          value judged on, currency).
        - ``is_efficient`` (bool): the scenario is on its group's frontier of
          lower ``frontier_cost`` and higher service level (see
          :func:`pareto_efficient`); False when either is NaN.
        - ``schedule_status`` (str): the shift solver's status from
          ``summary["schedule"]`` (``optimal``, ``gap_above_target`` when its
          node budget ended first, ``time_limit`` when the safety net cut it:
          that plan depends on the machine), ``""`` without shifts.
        - ``schedule_gap`` (relative): its certified gap, NaN when none.
        - ``headcount`` (agents): the agents the shift schedule needs, the
          ``totals`` column (the scheduler's count: each weekly tour's agents
          once, plus the daily shifts of the busiest day); NaN without a
          shift schedule (interval staffing has no roster to count).
        - ``peak_agents_on_shift`` (agents): see :func:`peak_agents_on_shift`;
          NaN without a shift schedule.

    Raises
    ------
    ValueError
        When a result's ``totals`` does not have exactly one row or lacks a
        column.

    Examples
    --------
    >>> import pandas as pd
    >>> from scenarios.pipeline import ScenarioResult
    >>> from scenarios.pipeline.contracts import TOTAL_COLUMNS
    >>> def result(name, cost, service_level):
    ...     row = dict.fromkeys(TOTAL_COLUMNS, 0.0)
    ...     row.update(scenario=name, cost=cost, service_level=service_level, offered=100.0)
    ...     empty = pd.DataFrame()
    ...     return ScenarioResult(name, empty, empty, pd.DataFrame([row]), empty, empty)
    >>> table = comparison_table([result("lean", 900.0, 0.70), result("base", 1000.0, 0.80),
    ...                           result("rich", 1100.0, 0.78)])
    >>> table[["scenario", "cost", "service_level", "is_efficient"]]
      scenario    cost  service_level  is_efficient
    0     lean   900.0           0.70          True
    1     base  1000.0           0.80          True
    2     rich  1100.0           0.78         False
    """
    rows = []
    for position, result in enumerate(results):
        totals = result.totals
        if len(totals) != 1:
            raise ValueError(
                f"comparison_table(): results[{position}] ({result.name!r}) has {len(totals)} "
                "rows in 'totals'; the totals table holds exactly one row. Pass the "
                "ScenarioResult returned by scenarios.run_scenario."
            )
        missing = [c for c in COMPARISON_MEASURES if c not in totals.columns]
        if missing:
            raise ValueError(
                f"comparison_table(): results[{position}] ({result.name!r}) 'totals' has no "
                f"column {', '.join(repr(c) for c in missing)} (found: "
                f"{', '.join(map(str, totals.columns))}). Build the totals table with the "
                "columns of scenarios.pipeline._result.TOTAL_COLUMNS."
            )
        row: dict[str, object] = {"scenario": str(result.name)}
        for column in COMPARISON_MEASURES:
            row[column] = float(totals[column].iloc[0])
        rows.append(row)
    table = pd.DataFrame(rows, columns=["scenario", *COMPARISON_MEASURES])
    table["scenario"] = table["scenario"].astype(object)
    for column in COMPARISON_MEASURES:
        table[column] = table[column].astype(float)
    table["budget_period"] = [str(r.totals["budget_period"].iloc[0])
                              if "budget_period" in r.totals.columns else "" for r in results]
    table["currency"] = [str(r.summary.get("currency") or "") for r in results]
    table["horizon_days"] = [_horizon_days(r) for r in results]
    table["comparison_group"] = [_group_label(c, d) for c, d in
                                 zip(table["currency"], table["horizon_days"], strict=True)]
    table["frontier_basis"] = ""
    table["frontier_cost"] = np.nan
    table["is_efficient"] = False
    for _, members in table.groupby("comparison_group", sort=False).groups.items():
        rows_in = list(members)
        basis = frontier_basis(table.loc[rows_in, "offered"].to_numpy(dtype=float))
        judged = table.loc[rows_in, basis].to_numpy(dtype=float)
        table.loc[rows_in, "frontier_basis"] = basis
        table.loc[rows_in, "frontier_cost"] = judged
        table.loc[rows_in, "is_efficient"] = pareto_efficient(
            judged, table.loc[rows_in, "service_level"].to_numpy(dtype=float))
    table["is_efficient"] = table["is_efficient"].astype(bool)
    table["frontier_cost"] = table["frontier_cost"].astype(float)
    table["horizon_days"] = table["horizon_days"].astype(float)
    status, gap = [], []
    for result in results:
        schedule = result.summary.get("schedule") if isinstance(result.summary, dict) else None
        schedule = schedule if isinstance(schedule, dict) else {}
        status.append(str(schedule.get("status") or ""))
        value = schedule.get("mip_gap")
        gap.append(float(value) if isinstance(value, int | float) else np.nan)
    table["schedule_status"] = pd.Series(status, dtype=object)
    table["schedule_gap"] = pd.Series(gap, dtype=float)
    table["headcount"] = pd.Series(
        [float(r.totals["headcount"].iloc[0]) if "headcount" in r.totals.columns else np.nan
         for r in results], dtype=float)
    table["peak_agents_on_shift"] = pd.Series([peak_agents_on_shift(r.shifts) for r in results],
                                              dtype=float)
    table = table[list(COMPARISON_COLUMNS)]
    return table


def deltas(table: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Each scenario's measures minus the baseline scenario's.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`comparison_table` (``scenario`` and the numeric columns of
        :data:`COMPARISON_MEASURES`; other columns are ignored). Not changed.
    baseline : str
        The ``scenario`` whose row is subtracted; it must occur exactly once.

    Returns
    -------
    pandas.DataFrame
        One row per row of ``table``, in its order (default ``RangeIndex``):
        ``scenario``, then ``delta_<column>`` for each column of
        :data:`COMPARISON_MEASURES`, in the same unit as the column
        (currency, 0-1 fractions as differences of fractions, seconds, FTE,
        hours). The baseline's own row is all zeros (NaN where its value is
        NaN). Money deltas are NaN for rows of another ``comparison_group``
        (currency or horizon) and ``delta_budget`` for another
        ``budget_period``, when ``table`` has those columns.

    Raises
    ------
    ValueError
        When ``baseline`` is not a scenario of ``table`` (the message lists
        the available names), occurs more than once, or a column is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"scenario": ["base", "lean"]})
    >>> for column in COMPARISON_MEASURES:
    ...     table[column] = [1.0, 1.0]
    >>> table["cost"] = [1000.0, 900.0]
    >>> table["service_level"] = [0.80, 0.70]
    >>> out = deltas(table, "base")
    >>> out[["scenario", "delta_cost", "delta_service_level"]].round(2)
      scenario  delta_cost  delta_service_level
    0     base         0.0                  0.0
    1     lean      -100.0                 -0.1
    """
    missing = [c for c in ("scenario", *COMPARISON_MEASURES) if c not in table.columns]
    if missing:
        raise ValueError(
            f"deltas(): 'table' has no column {', '.join(repr(c) for c in missing)} (found: "
            f"{', '.join(map(str, table.columns))}). Build it with comparison_table()."
        )
    names = table["scenario"].astype(str)
    matches = np.flatnonzero((names == str(baseline)).to_numpy())
    if len(matches) == 0:
        available = ", ".join(repr(n) for n in names) or "none"
        raise ValueError(
            f"deltas(): baseline {baseline!r} is not a scenario in the table (available: "
            f"{available}). Pass one of these names as the baseline."
        )
    if len(matches) > 1:
        raise ValueError(
            f"deltas(): baseline {baseline!r} occurs {len(matches)} times in the table's "
            "'scenario' column, so the baseline row is ambiguous. Give the scenarios "
            "distinct names."
        )
    base_row = table.iloc[int(matches[0])]
    out = pd.DataFrame({"scenario": table["scenario"].to_numpy(dtype=object)})
    for column in COMPARISON_MEASURES:
        values = table[column].to_numpy(dtype=float)
        out[f"delta_{column}"] = values - float(base_row[column])
    if "budget_period" in table.columns:
        # A weekly budget minus a yearly one means nothing: NaN.
        other = (table["budget_period"].astype(str) != str(base_row["budget_period"])).to_numpy()
        out.loc[other, "delta_budget"] = np.nan
    if "comparison_group" in table.columns:
        # Money in another currency or over another horizon is not subtracted either.
        other = (table["comparison_group"].astype(str)
                 != str(base_row["comparison_group"])).to_numpy()
        for column in _MONEY_MEASURES:
            out.loc[other, f"delta_{column}"] = np.nan
    return out


def cost_per_incremental_contact(delta: pd.DataFrame) -> pd.Series:
    """What each scenario costs per contact it handles beyond the baseline.

    The business-case figure of moving from the baseline to a scenario (e.g.
    extended hours to 24x7): its extra cost over its extra contacts handled.
    A ratio of two deltas over the same horizon, so it is the same per
    horizon, per week and per year.

    Parameters
    ----------
    delta : pandas.DataFrame
        A :func:`deltas` table (``scenario``, ``delta_cost`` in currency,
        ``delta_handled`` in contacts). Not changed.

    Returns
    -------
    pandas.Series
        Currency per incremental contact handled, one value per row of
        ``delta`` (its index), named ``cost_per_incremental_contact``. NaN
        where the scenario handles the same contacts as the baseline (a pure
        cost or saving, no cost per contact; the baseline's own row) or where
        the cost delta is unknown (another comparison group). Negative when the
        scenario costs less and handles more, or costs more and handles fewer.

    Examples
    --------
    >>> import pandas as pd
    >>> delta = pd.DataFrame({"scenario": ["ext", "24x7"], "delta_cost": [0.0, 6000.0],
    ...                       "delta_handled": [0.0, 1500.0]})
    >>> cost_per_incremental_contact(delta).tolist()
    [nan, 4.0]
    """
    missing = [c for c in ("delta_cost", "delta_handled") if c not in delta.columns]
    if missing:
        raise ValueError(
            f"cost_per_incremental_contact(): 'delta' has no column "
            f"{', '.join(repr(c) for c in missing)} (found: {', '.join(map(str, delta.columns))})."
            " Build it with deltas().")
    cost = delta["delta_cost"].to_numpy(dtype=float)
    handled = delta["delta_handled"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(handled != 0, cost / handled, np.nan)
    return pd.Series(ratio, index=delta.index, name="cost_per_incremental_contact")
