"""Cost stage: the schedule priced per group, shared among the group's channels.

:func:`staffing.cost_report` prices each group's schedule against its
workload (its channels' contacts and handle time, chat divided by its
concurrency); a group's cost in an interval is shared among its channels by
workload (offered x AHT / concurrency), evenly by the horizon's workload
where the group handles nothing in that interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from staffing import CostReport, cost_report

from ..files import Scenario
from ._schedule import StaffingPlan, allocate, scenario_groups
from ._tables import long_table, scenario_grid, wide
from .contracts import COST_COLUMNS


@dataclass(frozen=True)
class Costs:
    """The plan's cost.

    Attributes
    ----------
    intervals : pandas.DataFrame
        The ``costs`` table (``COST_COLUMNS``).
    report : staffing.CostReport
        What :func:`staffing.cost_report` returned for the groups: its
        ``summary`` (total ``cost``) and ``breakdown`` (by component and use).
    """

    intervals: pd.DataFrame
    report: CostReport


def plan_costs(scn: Scenario, centre: pd.DataFrame, plan: StaffingPlan) -> Costs:
    """Price the plan's schedule and share each group's cost among its channels.

    Parameters
    ----------
    scn : Scenario
        The scenario (groups, channels' concurrency).
    centre : pandas.DataFrame
        The ``centre_demand`` table (the workload).
    plan : StaffingPlan
        Its ``schedule`` is priced.

    Returns
    -------
    Costs
        The ``costs`` table and the cost report.
    """
    groups, home = scenario_groups(scn)
    grid = scenario_grid(scn)
    n = len(grid)
    names = [ch.name for ch in scn.channels]
    specs = {ch.name: ch for ch in scn.channels}
    offered = wide(centre, "offered", names, grid)
    aht = wide(centre, "aht_s", names, grid)
    workload = []
    for g in groups:
        rows = [names.index(c) for c in names if home[c] == g]
        load = (offered[rows] * aht[rows] / np.array(
            [specs[names[i]].concurrency for i in rows])[:, None]).sum(axis=0)
        workload.append(pd.DataFrame({"channel": g, "interval_start": grid,
                                      "offered": offered[rows].sum(axis=0),
                                      "aht_s": np.where(offered[rows].sum(axis=0) > 0,
                                                        load / np.maximum(
                                                            offered[rows].sum(axis=0), 1e-12),
                                                        1.0)}))
    report = cost_report(plan.schedule, pd.concat(workload, ignore_index=True))
    by_int = report.by_interval.set_index(["channel", "interval_start"])["cost"]
    cost = np.zeros((len(names), n))
    for g in groups:
        rows = [names.index(c) for c in names if home[c] == g]
        load = offered[rows] * aht[rows] / np.array(
            [specs[names[i]].concurrency for i in rows])[:, None]
        total = by_int.loc[g].reindex(grid).to_numpy(dtype=float)
        fallback = load.sum(axis=1, keepdims=True) * np.ones((1, n))
        weights = np.where(load.sum(axis=0, keepdims=True) > 0, load, fallback)
        cost[rows] = allocate(total, weights)
    table = long_table("channel", names, grid, {"cost": cost})[list(COST_COLUMNS)]
    return Costs(table, report)
