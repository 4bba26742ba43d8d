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
- ``agents_scheduled`` (float): agents on the queue for the channel (after
  shrinkage; a blended pool's agents are shared among its channels in
  proportion to their requirement, so it can be fractional).
- ``service_level_erlang``, ``asa_s_erlang``, ``abandon_rate_erlang``: the
  analytic (Erlang C or A) prediction at ``agents_scheduled``.
- ``service_level``, ``asa_s``, ``abandon_rate``, ``queue_length`` (mean
  contacts waiting), ``occupancy``: simulated means over replications when
  the scenario simulates, else the analytic values (``queue_length`` NaN).
  NaN where nothing was offered, and for deferred work where the contacts'
  deadline falls after the horizon. Occupancy is simulated per channel for
  dedicated teams; agents shared by a group are measured per group, so a
  shared channel's ``occupancy`` is the analytic value and the ``totals``
  row carries the groups' simulated occupancy.
- ``service_level_low``/``_high``, ``asa_s_low``/``_high``,
  ``abandon_rate_low``/``_high``: confidence interval of the simulated mean
  (NaN without simulation or without two replications with contacts).
- ``cost`` (currency): staff cost allocated to the channel and interval.

``channels`` -- key ``scenario``, ``channel``: ``offered``, ``handled``,
``abandoned`` (contacts over the horizon); ``service_level``,
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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

#: Columns of ``ScenarioResult.intervals``, in order.
INTERVAL_COLUMNS = (
    "scenario", "channel", "interval_start", "is_open", "offered", "aht_s",
    "agents_required", "agents_scheduled",
    "service_level_erlang", "asa_s_erlang", "abandon_rate_erlang",
    "service_level", "service_level_low", "service_level_high",
    "asa_s", "asa_s_low", "asa_s_high",
    "abandon_rate", "abandon_rate_low", "abandon_rate_high",
    "queue_length", "occupancy", "cost",
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
    intervals, channels, totals, cost_breakdown, shifts : pandas.DataFrame
        The tables described in the module docstring.
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
