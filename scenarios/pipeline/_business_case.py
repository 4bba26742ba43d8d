"""Business case for opening hours: 8x5 against extended hours against 24x7.

The closed-hours model is in :mod:`scenarios.pipeline._closed_hours`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulator import mean_interval, simulate
from staffing import (
    PayRates,
    Schedule,
    ScheduleRules,
    ShiftTemplate,
    queue_kpis,
    requirements,
)
from staffing import schedule_shifts as _schedule_shifts

from .._errors import InputFileError
from ..files import OpeningHours
from ._closed_hours import _check_positive, _check_shares, closed_hours_demand


@dataclass(frozen=True)
class BusinessCase:
    """Result of :func:`business_case`: tidy tables, one option per opening-hours choice.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per option, in the order given: ``option``, ``hours`` (text),
        contacts (``arrived``, ``arrived_while_closed``, ``retried``,
        ``lost_closed``, ``diverted``, ``retry_beyond_horizon``, ``offered``,
        ``handled``, ``abandoned``, ``lost`` = lost_closed + abandoned,
        ``answered_within_target``), ``service_level`` (answered within target
        / offered to the centre, 0-1), ``service_level_of_demand`` (answered
        within target / arrived), ``cost`` (currency), ``cost_per_handled``,
        ``headcount``, ``fte``, ``paid_hours`` (h), ``under_agent_intervals``,
        ``overloaded_intervals`` (Erlang C intervals with agents <= load),
        ``solver_status``, ``mip_gap``; with simulation also
        ``sim_service_level``, ``sim_service_level_ci_low``,
        ``sim_service_level_ci_high``, ``sim_handled``.
    service_by_hour : pandas.DataFrame
        Per option, channel and hour of day (0-23, over all days of the
        horizon): ``offered``, ``handled``, ``answered_within_target``
        (contacts) and ``service_level`` (NaN where nothing was offered).
    incremental : pandas.DataFrame
        One row per compared pair: ``option_from``, ``option_to``,
        ``cost_from``, ``cost_to``, ``handled_from``, ``handled_to``,
        ``delta_cost``, ``delta_handled``, ``cost_per_incremental_contact``
        (= delta_cost / delta_handled; NaN when delta_handled is 0).
    intervals : pandas.DataFrame
        Per option, channel and interval: ``is_open``, ``arrived``,
        ``offered``, ``agents_required``, ``agents_scheduled``,
        ``agents_on_queue`` (after shrinkage), ``service_level``,
        ``abandon_rate``, ``handled``, ``abandoned``, ``answered_within_target``.
    flows : pandas.DataFrame
        The flows of :func:`closed_hours_demand` with an ``option`` column.
    schedules : dict of str to staffing.Schedule
        The solved schedule of each option.
    """

    summary: pd.DataFrame
    service_by_hour: pd.DataFrame
    incremental: pd.DataFrame
    intervals: pd.DataFrame
    flows: pd.DataFrame
    schedules: dict[str, Schedule] = field(default_factory=dict)


def _evaluate(seen: pd.DataFrame, coverage: pd.DataFrame, reqs: pd.DataFrame,
              interval_s: float, shrinkage: float, answer_within_s: float,
              mean_patience_s: float | None) -> pd.DataFrame:
    """Analytic KPIs per interval at the scheduled staffing."""
    on_duty = coverage.set_index(["channel", "interval_start"])["agents_scheduled"]
    key = pd.MultiIndex.from_frame(seen[["channel", "interval_start"]])
    scheduled = on_duty.reindex(key).to_numpy(dtype=float)
    # Agents on the phones: on duty less shrinkage, rounded down (so meeting the
    # scheduler's target ceil(required / (1 - shrinkage)) gives at least the requirement).
    on_queue = np.floor(scheduled * (1.0 - shrinkage) + 1e-9).astype(np.int64)
    offered = seen["offered"].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overloaded intervals: counted below
        kpis = queue_kpis(on_queue, offered, interval_s, seen["aht_s"].to_numpy(dtype=float),
                          answer_within_s, mean_patience_s)
    sl = kpis["service_level"].to_numpy()
    p_ab = kpis["abandon_rate"].to_numpy()
    # Nobody to answer: the contacts of that interval are lost, under Erlang C too.
    p_lost = np.where((on_queue == 0) & (offered > 0), 1.0, p_ab)
    load = kpis["offered_load_erl"].to_numpy()
    overloaded = (mean_patience_s is None) & (offered > 0) & (on_queue > 0) & (on_queue <= load)
    return pd.DataFrame({
        "channel": seen["channel"].to_numpy(), "interval_start": seen["interval_start"],
        "is_open": seen["is_open"].to_numpy(), "offered": offered,
        "agents_required": reqs["agents_required"].to_numpy(),
        "agents_scheduled": scheduled.astype(np.int64), "agents_on_queue": on_queue,
        "service_level": np.where(offered > 0, sl, np.nan),
        "abandon_rate": np.where(offered > 0, p_lost, np.nan),
        "handled": offered * (1.0 - p_lost), "abandoned": offered * p_lost,
        "answered_within_target": offered * np.where(offered > 0, sl, 0.0),
        "is_overloaded": overloaded,
    })


def _simulated(seen: pd.DataFrame, intervals: pd.DataFrame, interval_s: float,
               answer_within_s: float, mean_patience_s: float | None, n_replications: int,
               seed: int) -> dict[str, float]:
    coverage = intervals[["channel", "interval_start"]].copy()
    coverage["agents_on_queue"] = intervals["agents_on_queue"].to_numpy()
    setting: dict[str, Any] = {"answer_within_s": answer_within_s}
    if mean_patience_s is not None:
        setting["mean_patience_s"] = mean_patience_s
    channels = {str(c): dict(setting) for c in seen["channel"].unique()}
    sim, _ = simulate(seen[["channel", "interval_start", "offered", "aht_s"]], coverage,
                      interval_s=interval_s, channels=channels, n_replications=n_replications,
                      seed=seed)
    per = sim.groupby("replication")[["offered", "answered", "answered_within_target"]].sum()
    sl = (per["answered_within_target"] / per["offered"]).to_numpy()
    mean, low, high = mean_interval(sl[:, None], kind="fraction",
                                    n_contacts=float(per["offered"].sum()))
    return {"sim_service_level": float(mean[0]), "sim_service_level_ci_low": float(low[0]),
            "sim_service_level_ci_high": float(high[0]),
            "sim_handled": float(per["answered"].mean())}


def _pairs(names: list[str], compare: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    out = list(zip(names[:-1], names[1:], strict=True))
    for pair in compare:
        if not (isinstance(pair, tuple | list) and len(pair) == 2
                and all(p in names for p in pair)):
            raise InputFileError(
                f"business_case(): compare must hold (option_from, option_to) pairs of option "
                f"names ({', '.join(names)}), got {pair!r}.")
        if tuple(pair) not in out:
            out.append((str(pair[0]), str(pair[1])))
    return out


def business_case(demand: pd.DataFrame, options: Mapping[str, OpeningHours], *,
                  interval_s: float,
                  templates: Sequence[ShiftTemplate] | Mapping[str, Sequence[ShiftTemplate]],
                  retry_share: float, lost_share: float, rules: ScheduleRules | None = None,
                  rates: PayRates | None = None, service_level_target: float = 0.8,
                  answer_within_s: float = 20.0, mean_patience_s: float | None = None,
                  retry_spread_s: float = 7200.0, wrap_around: bool = True,
                  compare: Sequence[tuple[str, str]] = (),
                  n_replications: int | None = None, seed: int = 0) -> BusinessCase:
    """Compare opening-hours options on contacts handled and lost, service and cost.

    Per option: the demand the centre sees (:func:`closed_hours_demand`) ->
    ``staffing.requirements`` -> ``staffing.schedule_shifts`` on the option's
    open intervals -> the scheduled agents evaluated per interval with
    ``staffing.queue_kpis``, and with ``simulator.simulate`` if
    ``n_replications`` is given. Deterministic for given inputs (the
    scheduler's result may differ only if it stops at its time limit).

    Parameters
    ----------
    demand : pandas.DataFrame
        The ``forecast`` contract (``channel``, ``interval_start``, ``offered``
        contacts >= 0, ``aht_s`` seconds > 0): the demand as it would arrive
        24x7, every interval of the horizon (a whole week for weekly
        opening hours). Not modified.
    options : mapping of str to OpeningHours
        The options, by name, in the order to compare them (e.g. narrowest
        first).
    interval_s : float
        Interval length, seconds, > 0 (never inferred from the rows).
    templates : sequence of staffing.ShiftTemplate, or mapping of option name to one
        Shift templates, shared by all options or given per option.
    retry_share, lost_share : float
        Shares of the contacts arriving while closed that retry after the next
        opening and that are lost, each in [0, 1], together <= 1 (the rest is
        diverted to other channels).
    rules : staffing.ScheduleRules, optional
        Labour rules and solver settings. With several channels use
        ``blend=False`` (the evaluation needs agents per channel).
    rates : staffing.PayRates, optional
        Pay and premiums.
    service_level_target : float, optional
        Target share answered within ``answer_within_s``, in (0, 1); default 0.8.
    answer_within_s : float, optional
        Service-level threshold, seconds, >= 0; default 20.
    mean_patience_s : float or None, optional
        MEAN patience, seconds, > 0: Erlang A, and abandoned contacts count as
        lost. ``None`` (default): Erlang C, nobody abandons (contacts are lost
        in the queue only where no agent is on duty).
    retry_spread_s : float, optional
        Retries arrive evenly over this many seconds after the next opening,
        > 0 (default 7200).
    wrap_around : bool, optional
        The horizon repeats (default ``True``); see :func:`closed_hours_demand`.
    compare : sequence of (str, str), optional
        Pairs of options for the incremental table, besides consecutive ones.
    n_replications : int or None, optional
        Also simulate each option with this many replications (>= 2).
    seed : int, optional
        Seed of the simulation (the same for every option).

    Returns
    -------
    BusinessCase
        Summary, service level by hour, incremental table, per-interval
        results, contact flows and the schedules.

    Raises
    ------
    InputFileError
        A share, option, template mapping or the demand table is invalid.
    staffing.StaffingError
        Raised by the staffing steps (e.g. an unreachable target, an
        infeasible schedule); the message names the interval or rule.
    """
    func = "business_case()"
    interval_s = _check_positive(func, "interval_s", interval_s, "3600 for hourly intervals")
    _check_shares(func, retry_share, lost_share)
    if not isinstance(options, Mapping) or not options:
        raise InputFileError(f"{func}: options must map option names to OpeningHours, e.g. "
                             "{'8x5': OpeningHours.preset('8x5')}, got " f"{options!r}.")
    for name, hours in options.items():
        if not isinstance(hours, OpeningHours):
            raise InputFileError(f"{func}: options[{name!r}] must be an OpeningHours, got "
                                 f"{hours!r}.")
    names = [str(k) for k in options]
    if isinstance(templates, Mapping):
        missing = [n for n in names if n not in templates]
        if missing:
            raise InputFileError(f"{func}: templates has no entry for option(s) {missing}; give "
                                 "templates for every option, or one list for all.")
    if n_replications is not None and not (isinstance(n_replications, int)
                                           and n_replications >= 2):
        raise InputFileError(f"{func}: n_replications must be None (no simulation) or a whole "
                             f"number >= 2, got {n_replications!r}.")
    rules = ScheduleRules() if rules is None else rules
    channels = sorted(demand["channel"].astype(str).unique()) if isinstance(
        demand, pd.DataFrame) and "channel" in demand.columns else []
    if rules.blend and len(channels) > 1:
        raise InputFileError(
            f"{func}: rules.blend=True pools channels {channels} into one team, but the "
            "service level is evaluated per channel and needs each channel's agents. Set "
            "ScheduleRules(blend=False), or run one channel at a time.")
    pairs = _pairs(names, compare)

    rows, hour_parts, interval_parts, flow_parts = [], [], [], []
    schedules: dict[str, Schedule] = {}
    for name in names:
        hours = options[name]
        seen, flows = closed_hours_demand(demand, hours, interval_s=interval_s,
                                          retry_share=retry_share, lost_share=lost_share,
                                          retry_spread_s=retry_spread_s,
                                          wrap_around=wrap_around)
        reqs = requirements(seen, interval_s=interval_s,
                            service_level_target=service_level_target,
                            answer_within_s=answer_within_s, mean_patience_s=mean_patience_s)
        reqs["agents_required"] = np.where(seen["is_open"].to_numpy(), reqs["agents_required"], 0)
        opens = pd.DatetimeIndex(seen.loc[seen["is_open"], "interval_start"].unique())
        option_templates = templates[name] if isinstance(templates, Mapping) else templates
        sched = _schedule_shifts(reqs, list(option_templates), interval_s=interval_s,
                                 rules=rules, rates=rates, open_intervals=opens)
        schedules[name] = sched
        coverage = sched.coverage.copy()
        if rules.blend:  # one channel: the pool is that channel
            coverage["channel"] = channels[0]
        ev = _evaluate(seen, coverage, reqs, interval_s, rules.shrinkage, answer_within_s,
                       mean_patience_s)
        ev.insert(4, "arrived", flows["arrived"].to_numpy())
        n_over = int(ev["is_overloaded"].sum())
        if n_over:
            warnings.warn(
                f"{func}: option {name!r} has {n_over} interval(s) where the scheduled agents "
                "do not exceed the offered load under Erlang C (no abandonment): their service "
                "level is 0 and every contact is counted as handled eventually. Give "
                "mean_patience_s for Erlang A, or use coverage='hard'.",
                RuntimeWarning, stacklevel=2)
        ev.insert(0, "option", name)
        interval_parts.append(ev)
        fl = flows.copy()
        fl.insert(0, "option", name)
        flow_parts.append(fl)
        by_hour = ev.assign(hour=pd.DatetimeIndex(ev["interval_start"]).hour).groupby(
            ["channel", "hour"], as_index=False)[["offered", "handled",
                                                  "answered_within_target"]].sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            by_hour["service_level"] = np.where(
                by_hour["offered"] > 0, by_hour["answered_within_target"] / by_hour["offered"],
                np.nan)
        by_hour.insert(0, "option", name)
        hour_parts.append(by_hour)

        s = sched.summary
        offered = float(ev["offered"].sum())
        handled = float(ev["handled"].sum())
        within = float(ev["answered_within_target"].sum())
        arrived = float(flows["arrived"].sum())
        row: dict[str, Any] = {
            "option": name, "hours": hours.describe(), "arrived": arrived,
            "arrived_while_closed": float(flows["arrived_while_closed"].sum()),
            "retried": float(flows["retried"].sum()),
            "lost_closed": float(flows["lost_closed"].sum()),
            "diverted": float(flows["diverted"].sum()),
            "retry_beyond_horizon": float(flows["retry_beyond_horizon"].sum()),
            "offered": offered, "handled": handled,
            "abandoned": float(ev["abandoned"].sum()),
            "lost": float(flows["lost_closed"].sum() + ev["abandoned"].sum()),
            "answered_within_target": within,
            "service_level": within / offered if offered > 0 else np.nan,
            "service_level_of_demand": within / arrived if arrived > 0 else np.nan,
            "cost": float(s["cost"]),
            "cost_per_handled": float(s["cost"]) / handled if handled > 0 else np.nan,
            "headcount": int(s["headcount"]), "fte": float(s["fte"]),
            "paid_hours": float(s["paid_hours"]),
            "under_agent_intervals": int(s["under_agent_intervals"]),
            "overloaded_intervals": n_over,
            "solver_status": str(s["status"]),
            "mip_gap": s.get("mip_gap"),
        }
        if n_replications is not None:
            row.update(_simulated(seen, ev, interval_s, answer_within_s, mean_patience_s,
                                  n_replications, seed))
        rows.append(row)

    summary = pd.DataFrame(rows)
    by_name = summary.set_index("option")
    inc = []
    for a, b in pairs:
        d_cost = float(by_name.at[b, "cost"] - by_name.at[a, "cost"])
        d_handled = float(by_name.at[b, "handled"] - by_name.at[a, "handled"])
        inc.append({"option_from": a, "option_to": b,
                    "cost_from": float(by_name.at[a, "cost"]),
                    "cost_to": float(by_name.at[b, "cost"]),
                    "handled_from": float(by_name.at[a, "handled"]),
                    "handled_to": float(by_name.at[b, "handled"]),
                    "delta_cost": d_cost, "delta_handled": d_handled,
                    "cost_per_incremental_contact": (d_cost / d_handled if d_handled != 0
                                                     else np.nan)})
    incremental = pd.DataFrame(inc, columns=[
        "option_from", "option_to", "cost_from", "cost_to", "handled_from", "handled_to",
        "delta_cost", "delta_handled", "cost_per_incremental_contact"])
    return BusinessCase(
        summary=summary,
        service_by_hour=pd.concat(hour_parts, ignore_index=True),
        incremental=incremental,
        intervals=pd.concat(interval_parts, ignore_index=True),
        flows=pd.concat(flow_parts, ignore_index=True),
        schedules=schedules,
    )
