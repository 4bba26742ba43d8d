"""The result of running one scenario: tidy tables and a JSON-able summary.

:func:`scenarios.run_scenario` returns one :class:`ScenarioResult` per
scenario, variant and sweep point. The reports, ``ccplan compare``,
``ccplan check`` and the dashboard read only these tables.

Tables (one row per key, default ``RangeIndex``; durations in seconds,
fractions 0-1, money in the scenario's currency; ``scenario`` is the
result's name in every table):

``intervals`` -- key ``scenario``, ``channel``, ``interval_start`` (tz-aware,
left edge of ``[interval_start, interval_start + interval_s)``):

- ``is_open`` (bool): the centre answers this channel in the interval.
- ``offered`` (contacts, float): expected contacts the centre sees (after
  closed-hours losses and retries). ``aht_s`` (s).
- ``agents_required`` (int): agents on the queue needed for the target
  (analytic), 0 while closed.
- ``agents_on_queue`` (float): agents on the queue for the channel (after
  shrinkage; a blended pool's agents are shared among its channels in
  proportion to their requirement, so it can be fractional).
- ``service_level_erlang``, ``asa_s_erlang``, ``abandon_rate_erlang``: the
  analytic (Erlang C or A) prediction at ``agents_on_queue``. ``asa_s`` is
  the ASA (average speed of answer) everywhere: the mean wait of ANSWERED
  contacts, seconds, analytic and simulated alike; ``abandon_rate`` is
  abandoned / offered.
- ``service_level``, ``asa_s``, ``abandon_rate``, ``mean_queue`` (mean
  contacts waiting), ``occupancy``: simulated means over replications when
  the scenario simulates, else the analytic values (``mean_queue`` NaN).
  NaN where nothing was offered, and for deferred work where the contacts'
  deadline falls after the horizon. Occupancy is simulated per channel for
  dedicated teams; agents shared by a group are measured per group, so a
  shared channel's ``occupancy`` is the analytic value and the ``totals``
  row carries the groups' simulated occupancy.
- ``service_level_low``/``_high``, ``asa_s_low``/``_high``,
  ``abandon_rate_low``/``_high``: 95 % confidence interval of the simulated
  mean (NaN without simulation or without two replications with contacts),
  kept in the quantity's range: Wilson's interval at the effective sample
  size for fractions, a t-interval on the log scale for waits
  (``simulator.mean_interval``; docs/validation.md).
- ``cost`` (currency): staff cost allocated to the channel and interval.

``channels`` -- key ``scenario``, ``channel``: ``offered``, ``handled``,
``abandoned`` (contacts over the horizon; with simulation, ``offered`` times
the simulated shares answered and abandoned, so ``handled + abandoned <=
offered``); ``service_level``,
``service_level_low``, ``service_level_high``, ``asa_s``, ``asa_s_low``,
``asa_s_high``, ``abandon_rate``, ``abandon_rate_low``,
``abandon_rate_high``, ``occupancy`` (busy time over the agents' time on the
queue over the horizon: the simulator's busy / paid for dedicated teams, else
the analytic intervals weighted by their agents; deferred work: the work done
over the agents' time); ``service_level_target`` and
``answer_within_s`` (the channel's target); ``open_intervals_meeting_target``
(share of open intervals with contacts whose service level reaches the
target, 0-1); ``cost``, ``cost_per_contact`` (cost / offered),
``cost_per_handled``.

``totals`` -- one row, key ``scenario``: the ``channels`` measures over all
channels (service level weighted by contacts offered; ASA by contacts
answered, over the live channels only: deferred work's waits of hours are
left out; occupancy by the agents' time, or the shared groups' simulated
busy / paid) and ``fte``,
``paid_hours`` (h), ``headcount`` (agents; NaN without a shift schedule),
``weekly_cost``, ``annual_cost`` (cost scaled from the horizon's length),
``budget`` (NaN when none), ``budget_period`` (``"week"``, ``"year"`` or
``""``), ``cost_vs_budget`` (the plan's cost over the budget's period / the
budget; NaN when none).

``cost_breakdown`` -- key ``scenario``, ``component``: ``amount`` (currency)
and ``share`` (0-1) of the horizon's cost, components as finance reads them
(wages, premiums, overhead; the time bought: handling, idle, shrinkage,
paid breaks), with a ``group`` column (``"component"`` or ``"use"``).

``shifts`` -- the schedule's shifts (``shift_id``, ``template``,
``shift_start``, ``duration_s``, ``headcount``), empty without a schedule.

``flows`` -- key ``scenario``, ``channel``, ``interval_start``: where the
contacts went under the opening hours (arrived, lost or diverted while
closed, retried, offered; the ``flows`` table of
:mod:`scenarios.pipeline.contracts`).

``rounds`` -- key ``scenario``, ``round``: one row per staffing round, several
with ``method: simulation`` (the ``rounds`` table of
:mod:`scenarios.pipeline.contracts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._errors import ScenarioError

#: Columns of ``ScenarioResult.intervals``, in order.
INTERVAL_COLUMNS = (
    "scenario", "channel", "interval_start", "is_open", "offered", "aht_s",
    "agents_required", "agents_on_queue",
    "service_level_erlang", "asa_s_erlang", "abandon_rate_erlang",
    "service_level", "service_level_low", "service_level_high",
    "asa_s", "asa_s_low", "asa_s_high",
    "abandon_rate", "abandon_rate_low", "abandon_rate_high",
    "mean_queue", "occupancy", "cost",
)

#: Columns of ``ScenarioResult.channels``, in order.
CHANNEL_COLUMNS = (
    "scenario", "channel", "offered", "handled", "abandoned",
    "service_level", "service_level_low", "service_level_high",
    "asa_s", "asa_s_low", "asa_s_high",
    "abandon_rate", "abandon_rate_low", "abandon_rate_high", "occupancy",
    "service_level_target", "answer_within_s", "open_intervals_meeting_target",
    "cost", "cost_per_contact", "cost_per_handled",
)

#: Columns of ``ScenarioResult.totals``, in order.
TOTAL_COLUMNS = (
    "scenario", "offered", "handled", "abandoned", "service_level", "asa_s", "abandon_rate",
    "occupancy", "open_intervals_meeting_target", "cost", "cost_per_contact",
    "cost_per_handled", "fte", "paid_hours", "headcount", "weekly_cost", "annual_cost",
    "budget", "budget_period", "cost_vs_budget",
)

#: Columns of ``ScenarioResult.cost_breakdown``, in order.
COST_BREAKDOWN_COLUMNS = ("scenario", "group", "component", "amount", "share")


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's (or variant's, or sweep point's) results.

    Attributes
    ----------
    name : str
        The scenario's name; a variant is ``"base / variant"``, a sweep point
        ``"base / field=value"``.
    intervals, channels, totals, cost_breakdown, shifts, flows, rounds : pandas.DataFrame
        The tables described in the module docstring (``flows`` and
        ``rounds`` are empty in a result built without them).
    summary : dict
        JSON-able: ``name``, ``file``, ``ccplan_version``, ``scenario_sha256``
        (SHA-256 of the scenario file's bytes), ``seed``, ``n_replications``
        (0 without simulation), ``interval_s``, ``timezone``,
        ``horizon_start``, ``horizon_end`` (ISO text), ``staffing_method``,
        ``currency``, ``schedule`` (solver status, gap, objective, agent-hours on shift while
        closed with nobody needed; ``None`` without shifts),
        ``overrides`` (the variant's or sweep point's fields) and ``totals``
        (the ``totals`` row as a dict).
    expectations : tuple of str
        The scenario's ``expect:`` lines, as written.
    """

    name: str
    intervals: pd.DataFrame
    channels: pd.DataFrame
    totals: pd.DataFrame
    cost_breakdown: pd.DataFrame
    shifts: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    expectations: tuple[str, ...] = ()
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)
    rounds: pd.DataFrame = field(default_factory=pd.DataFrame)


class ResultInvariantError(ScenarioError):
    """A result table broke a law of the queue: a bug in ccplan, not in the user's file."""


#: Columns that are fractions (0-1), per table.
_FRACTIONS = ("service_level", "service_level_low", "service_level_high",
              "service_level_erlang", "abandon_rate", "abandon_rate_low", "abandon_rate_high",
              "abandon_rate_erlang", "occupancy", "open_intervals_meeting_target",
              "service_level_target")
#: Columns that are >= 0 (waits, counts, agents, money).
_NONNEGATIVE = ("offered", "handled", "abandoned", "aht_s", "agents_required",
                "agents_on_queue", "asa_s", "asa_s_low", "asa_s_high", "asa_s_erlang",
                "mean_queue", "cost", "fte", "paid_hours", "headcount", "answer_within_s")
#: (estimate, low, high) triples whose bounds must hold the estimate.
_BANDS = (("service_level", "service_level_low", "service_level_high"),
          ("asa_s", "asa_s_low", "asa_s_high"),
          ("abandon_rate", "abandon_rate_low", "abandon_rate_high"))
_TOL = 1e-9


def check_result(result: ScenarioResult) -> None:
    """Check that every table of a result obeys the queue's laws.

    The laws: fractions (service level, abandonment, occupancy and their
    bounds) lie in [0, 1]; waits, counts, agents and money are >= 0;
    ``handled + abandoned <= offered``; a confidence interval holds its
    estimate (``low <= estimate <= high``). NaN (not measured) passes.
    :func:`run_scenario` calls this on every result it returns.

    Parameters
    ----------
    result : ScenarioResult
        The result to check.

    Raises
    ------
    ResultInvariantError
        A value breaks a law; the message names the table, column, row and
        value. This is a bug in ccplan (please report it with the file).
    """
    problems: list[str] = []
    for table_name in ("intervals", "channels", "totals"):
        table = getattr(result, table_name)
        if table.empty:
            continue

        def report(column: str, bad: np.ndarray, rule: str, values: np.ndarray,
                   table: pd.DataFrame = table, table_name: str = table_name) -> None:
            rows = np.flatnonzero(bad)
            if rows.size:
                i = int(rows[0])
                key = ", ".join(f"{k}={table[k].iloc[i]}" for k in ("channel", "interval_start")
                                if k in table)
                problems.append(f"{table_name}.{column} {rule} in {rows.size} row(s), e.g. "
                                f"{values[i]!r} at row {i}{' (' + key + ')' if key else ''}")

        for column in _FRACTIONS:
            if column in table:
                v = table[column].to_numpy(dtype=float)
                report(column, np.isfinite(v) & ((v < -_TOL) | (v > 1 + _TOL))
                       | np.isinf(v), "must be in [0, 1]", v)
        for column in _NONNEGATIVE:
            if column in table:
                v = table[column].to_numpy(dtype=float)
                report(column, np.isfinite(v) & (v < -_TOL) | np.isneginf(v), "must be >= 0", v)
        for mid, low, high in _BANDS:
            if {mid, low, high} <= set(table):
                m, lo, hi = (table[c].to_numpy(dtype=float) for c in (mid, low, high))
                with np.errstate(invalid="ignore"):  # inf - inf where an estimate is infinite
                    scale = _TOL * np.maximum(1.0, np.abs(m))
                    outside = (lo > m + scale) | (hi < m - scale)
                report(f"{low}/{high}", np.isfinite(m) & np.isfinite(lo) & np.isfinite(hi)
                       & outside, "must hold the estimate", m)
        if {"offered", "handled", "abandoned"} <= set(table):
            off, done, gone = (table[c].to_numpy(dtype=float)
                               for c in ("offered", "handled", "abandoned"))
            with np.errstate(invalid="ignore"):
                excess = done + gone - off
            report("handled + abandoned", np.isfinite(excess)
                   & (excess > 1e-6 * np.maximum(1.0, off)), "must be <= offered", done + gone)
    if problems:
        raise ResultInvariantError(
            f"{result.summary.get('file', result.name)}: scenario {result.name!r}: the results "
            "break the laws of the queue (a bug in ccplan; please report it with this file): "
            + "; ".join(problems) + ".")
