"""Schedule stage: agents on duty per group, then on the queue per group and channel.

Each agent group (one per channel unless ``agents:`` says otherwise; a
channel belongs to the first group with its skill) needs the sum of its
channels' requirements on the queue, raised by shrinkage. With ``shifts:``
the group's agents come from :func:`staffing.schedule_shifts` (groups are
the pools); without, agents are paid interval by interval (a one-interval
"shift" per interval, so the same pay rules and cost model apply). Agents on
the queue = agents on duty x (1 - shrinkage), rounded down
(:func:`staffing.agents_on_queue`); each channel gets a share of its home group's agents
by requirement (by workload where the group needs nobody).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from staffing import (
    Schedule,
    StaffingError,
    agents_on_queue,
    schedule_shifts,
)
from staffing.shifts import PayRates, ScheduleRules, ShiftTemplate

from .._errors import ScenarioError
from ..files import Scenario
from ._tables import long_table, scenario_grid, wide
from .contracts import CHANNEL_STAFFING_COLUMNS, GROUP_STAFFING_COLUMNS


@dataclass(frozen=True)
class StaffingPlan:
    """What the requirements and schedule stages decided.

    Attributes
    ----------
    requirements : pandas.DataFrame
        The ``requirements`` table the schedule covers.
    schedule : staffing.Schedule
        The solved schedule (pools are the agent groups).
    groups : pandas.DataFrame
        The ``group_staffing`` table.
    channels : pandas.DataFrame
        The ``channel_staffing`` table.
    """

    requirements: pd.DataFrame
    schedule: Schedule
    groups: pd.DataFrame
    channels: pd.DataFrame


def scenario_groups(scn: Scenario) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The agent groups with their skills, and each channel's home group (its first)."""
    groups = scn.groups or {ch.name: (ch.name,) for ch in scn.channels}
    home: dict[str, str] = {}
    for g, skills in groups.items():
        for c in skills:
            home.setdefault(c, g)
    return groups, home


def schedule_plan(scn: Scenario, centre: pd.DataFrame,
                  requirements: pd.DataFrame) -> StaffingPlan:
    """Schedule the groups for ``requirements`` and share their agents among the channels.

    Parameters
    ----------
    scn : Scenario
        The scenario (groups, shift rules or pay rates, shrinkage).
    centre : pandas.DataFrame
        The ``centre_demand`` table (open intervals; workload for the shares).
    requirements : pandas.DataFrame
        The ``requirements`` table.

    Returns
    -------
    StaffingPlan
        The schedule and the ``group_staffing`` and ``channel_staffing`` tables.

    Raises
    ------
    ScenarioError
        No schedule meets the rules (the message names the file).
    """
    groups, home = scenario_groups(scn)
    grid = scenario_grid(scn)
    names = [ch.name for ch in scn.channels]
    need = wide(requirements, "agents_required", names, grid, dtype=np.int64)
    group_need = np.array([need[[names.index(c) for c in names if home[c] == g]].sum(axis=0)
                           for g in groups])
    group_req = long_table("channel", list(groups), grid, {"agents_required": group_need})
    open_any = pd.DatetimeIndex(centre.loc[centre["is_open"], "interval_start"].unique())
    sched = _schedule(scn, group_req, open_any)
    cov = sched.coverage.set_index(["channel", "interval_start"])["agents_scheduled"]
    on_duty = np.array([cov.loc[g].reindex(grid).to_numpy(dtype=float) for g in groups])
    on_queue = agents_on_queue(on_duty, scn.shrinkage).astype(float)
    # Each channel's share of its home group's agents, by requirement (then workload).
    load_all = wide(centre, "offered", names, grid) * wide(centre, "aht_s", names, grid)
    alloc = np.zeros((len(names), len(grid)))
    for gi, g in enumerate(groups):
        rows = [names.index(c) for c in names if home[c] == g]
        load = load_all[rows]
        weights = np.where(need[rows].sum(axis=0, keepdims=True) > 0, need[rows], load)
        alloc[rows] = allocate(on_queue[gi], weights)
    group_table = long_table("group", list(groups), grid, {
        "agents_required": group_need, "agents_on_duty": on_duty,
        "agents_on_queue": on_queue.astype(np.int64)})[list(GROUP_STAFFING_COLUMNS)]
    channel_table = long_table("channel", names, grid, {"agents_on_queue": alloc})
    return StaffingPlan(requirements, sched, group_table,
                        channel_table[list(CHANNEL_STAFFING_COLUMNS)])


def _interval_template(scn: Scenario, rates: PayRates) -> ShiftTemplate:
    # Interval staffing pays the 'agent' rate (the loader requires it without shifts, and
    # Scenario.analytic supplies it from the first template with them).
    if "agent" not in rates.hourly_rates:
        known = ", ".join(rates.hourly_rates) or "none"
        raise ScenarioError(f"{scn.path}: pay.hourly_rates has no 'agent' rate (found: "
                            f"{known}); interval staffing pays every agent that rate. Add it, "
                            "e.g. hourly_rates: {agent: 20}.")
    return ShiftTemplate("interval", scn.interval_s, 0.0, 86400.0 - scn.interval_s,
                         start_step_s=scn.interval_s, agent_type="agent")


def _schedule(scn: Scenario, group_req: pd.DataFrame,
              open_intervals: pd.DatetimeIndex) -> Schedule:
    if scn.shift_rules is not None:
        sr = scn.shift_rules
        rules = replace(sr.rules, blend=False, shrinkage=scn.shrinkage)
        try:
            return schedule_shifts(group_req, list(sr.templates), interval_s=scn.interval_s,
                                   rules=rules, rates=sr.rates, open_intervals=open_intervals)
        except StaffingError as err:
            raise ScenarioError(f"{scn.path}: {err}") from None
    rules = ScheduleRules(coverage="hard", blend=False, shrinkage=scn.shrinkage,
                          mip_rel_gap=0.0)
    return schedule_shifts(group_req, [_interval_template(scn, scn.rates)],
                           interval_s=scn.interval_s, rules=rules, rates=scn.rates,
                           open_intervals=open_intervals)


def allocate(total: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Split each column's total over the rows by weight (equal split where weights are 0)."""
    w = np.asarray(weights, dtype=float)
    s = w.sum(axis=0, keepdims=True)
    even = np.full_like(w, 1.0 / w.shape[0])
    share = np.where(s > 0, w / np.where(s > 0, s, 1.0), even)
    return share * total[None, :]
