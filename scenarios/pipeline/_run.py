"""The pipeline of one scenario: demand -> requirements -> schedule -> simulate -> cost -> summary.

:func:`run_scenario` is the one place that knows the order of the stages;
the CLI (``ccplan run``, ``compare``, ``check``, ``demo``) and the dashboard
call it. One module per stage, each handing the next a long table keyed by
``channel`` (or ``group``) and ``interval_start``
(:mod:`scenarios.pipeline.contracts`):

1. :mod:`._demand`: the demand as it would arrive (file, daily totals or a
   forecast from history; ``volume_scale``, ``aht_scale``,
   ``channel_shift``), then as the centre sees it under its opening hours.
2. :mod:`._requirements`: agents on the queue per channel and interval.
3. :mod:`._schedule`: the groups' shifts (or interval staffing), agents on
   duty and, after shrinkage, on the queue per group and channel.
4. :mod:`._simulate`: the plan simulated (``simulation.replications`` >= 2).
   With ``staffing.method: simulation`` the intervals whose simulated
   service level misses the target get one more agent on the queue and the
   plan is re-staffed (stages 2-4 again), for at most ``max_rounds`` rounds.
5. :mod:`._cost`: the schedule priced per group and shared among channels.
6. :mod:`._kpis` and :mod:`._summary`: the service per interval (analytic
   and simulated), the result tables and the JSON summary.
7. With a ``capacity:`` block, :mod:`._capacity`: the long-range plan
   (``ScenarioResult.capacity``; the totals' ``annual_cost`` is its annual cost).

Same scenario, same seed: identical tables (the scheduler runs with fixed
threads and seed).
"""

from __future__ import annotations

import concurrent.futures
import warnings
from collections.abc import Callable
from typing import Any

import pandas as pd

from ..files import Scenario
from ._capacity import run_capacity, with_capacity
from ._cost import plan_costs
from ._demand import centre_demand, scenario_demand
from ._kpis import interval_kpis
from ._requirements import add_misses, channel_requirements
from ._result import ScenarioResult, names_the_file
from ._schedule import StaffingPlan, scenario_groups, schedule_plan
from ._simulate import Simulation, judge, simulate_plan
from ._summary import scenario_result
from .contracts import ROUND_COLUMNS

Progress = Callable[[str], None]


@names_the_file
def run_scenario(scn: Scenario, *, on_stage: Progress | None = None,
                 on_replication: Callable[[int], None] | None = None,
                 executor: concurrent.futures.Executor | None = None,
                 chunks: int = 1) -> ScenarioResult:
    """Run one scenario through demand, requirements, schedule, simulation, cost and summary.

    Parameters
    ----------
    scn : Scenario
        From :func:`load_scenarios` or :meth:`Scenario.from_yaml`.
    on_stage : callable, optional
        Called with the name of each stage as it starts (progress display).
    on_replication : callable, optional
        Called with the number of replications done (progress display).
    executor : concurrent.futures.Executor, optional
        Where to run the simulation's replications, split into ``chunks``
        parts (a process pool, or a Dask client's ``get_executor()``). The
        tables are the same as without: each replication keeps its stream.
    chunks : int, optional
        Parts the replications are split into (the executor's workers).

    Returns
    -------
    ScenarioResult
        The tables and summary described in :mod:`scenarios.pipeline.contracts`; with a
        ``capacity:`` block also its plan (:func:`run_capacity`) in ``capacity``, whose
        annual cost is the totals' ``annual_cost``.

    Raises
    ------
    ScenarioError
        A stage failed; the message names the file and what to change
        (e.g. an unreachable target, a schedule that cannot meet the rules).
    """
    step = on_stage or (lambda _name: None)
    step("demand")
    centre, flows = centre_demand(scn, scenario_demand(scn))
    plan, simulation, rounds = _staff(scn, centre, step, on_replication, executor, chunks)
    step("cost")
    costs = plan_costs(scn, centre, plan)
    kpis = interval_kpis(scn, centre, plan.channels, simulation)
    result = scenario_result(scn, centre, flows, plan, simulation, kpis, costs, rounds)
    if scn.capacity is None:
        return result
    return with_capacity(result, run_capacity(scn, progress=step))


def _staff(scn: Scenario, centre: pd.DataFrame, step: Progress,
           on_replication: Callable[[int], None] | None,
           executor: concurrent.futures.Executor | None, chunks: int
           ) -> tuple[StaffingPlan, Simulation | None, pd.DataFrame]:
    """Requirements -> schedule -> simulate; with ``method: simulation``, round after round.

    Each round adds one agent on the queue to the requirement of every open
    interval whose simulated service level missed the target, until none
    misses, ``max_rounds`` rounds have run, or every missed interval is one the
    schedule already leaves short of its requirement (soft coverage: a higher
    requirement would change nothing; a warning says so). Returns the last
    plan, its simulation and the ``rounds`` table.
    """
    if (scn.method == "simulation" and scn.shift_rules is not None
            and scn.shift_rules.rules.coverage == "soft"):
        warnings.warn(
            f"{scn.path}: staffing.method: simulation with shifts.rules.coverage: soft lets the "
            "solver leave an interval short of its requirement at a penalty, so raising the "
            "requirement may not add agents there. Use coverage: hard for simulation-corrected "
            "staffing.", UserWarning, stacklevel=3)
    added: pd.DataFrame | None = None
    rows: list[dict[str, Any]] = []
    n_rounds = scn.max_rounds if scn.method == "simulation" else 1
    for round_no in range(n_rounds):
        step("requirements")
        requirements = channel_requirements(scn, centre, added)
        step("schedule")
        plan = schedule_plan(scn, centre, requirements)
        simulation = verdict = None
        if scn.n_replications >= 2:
            step("simulation")
            simulation = simulate_plan(scn, centre, plan, on_replication, executor, chunks)
            verdict = judge(scn, centre, simulation)
        rows.append(_round_row(round_no, plan, verdict, rows))
        if scn.method != "simulation" or verdict is None or round_no == n_rounds - 1:
            break
        if not verdict["is_miss"].any():
            break
        if _only_short_intervals_missed(scn, plan, verdict):
            first = verdict[verdict["is_miss"]].iloc[0]
            warnings.warn(
                f"{scn.path}: scenario {scn.name!r}: staffing.method: simulation stopped after "
                f"round {round_no}: the {int(verdict['is_miss'].sum())} intervals that miss the "
                f"target (first: channel {first['channel']!r}, {first['interval_start']}) "
                "already get fewer agents than their requirement, so raising it changes "
                "nothing. Use shifts.rules.coverage: hard, or relax the headcount rules or "
                "template windows that keep them short.", UserWarning, stacklevel=3)
            break
        added = add_misses(added, verdict)
    return plan, simulation, _rounds_table(rows)


def _round_row(round_no: int, plan: StaffingPlan, verdict: pd.DataFrame | None,
               before: list[dict[str, Any]]) -> dict[str, Any]:
    """One row of the ``rounds`` table."""
    required = int(plan.requirements["agents_required"].sum())
    summary = plan.schedule.summary
    row: dict[str, Any] = {
        "round": round_no,
        "agents_added": required - before[-1]["requirement_agent_intervals"] if before else 0,
        "requirement_agent_intervals": required, "cost": float(summary["cost"]),
        "schedule_status": summary.get("status"), "mip_gap": summary.get("mip_gap"),
        "n_judged": pd.NA, "n_missed": pd.NA, "worst_service_level": float("nan"),
        "worst_channel": None, "worst_interval_start": pd.NaT}
    if verdict is not None:
        judged = verdict[verdict["is_judged"]]
        row["n_judged"], row["n_missed"] = len(judged), int(verdict["is_miss"].sum())
        if len(judged):
            worst = judged.loc[judged["service_level"].idxmin()]
            row["worst_service_level"] = float(worst["service_level"])
            row["worst_channel"] = worst["channel"]
            row["worst_interval_start"] = worst["interval_start"]
    return row


def _rounds_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(ROUND_COLUMNS))
    return table.astype({"n_judged": "Int64", "n_missed": "Int64"})


def _only_short_intervals_missed(scn: Scenario, plan: StaffingPlan,
                                 verdict: pd.DataFrame) -> bool:
    """Every missed interval's group has fewer agents on the queue than it requires."""
    _groups, home = scenario_groups(scn)
    staffing = plan.groups.set_index(["group", "interval_start"])
    missed = verdict[verdict["is_miss"]]
    keys = pd.MultiIndex.from_arrays([missed["channel"].map(home), missed["interval_start"]])
    rows = staffing.reindex(keys)
    return bool((rows["agents_on_queue"] < rows["agents_required"]).all())
