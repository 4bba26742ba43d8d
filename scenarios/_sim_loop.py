"""Simulation in the loop: schedule, simulate, raise the requirement where the target is missed.

Per-interval Erlang staffing treats every interval as a queue in equilibrium
that starts empty. A real day carries work over: a queue built in a peak is
still there when the plan drops, agents leave for breaks, shifts end in the
middle of a backlog. :func:`schedule_with_simulation` closes the gap by
letting the simulator judge the schedule and feeding its verdict back into
the requirements the scheduler covers. The algorithm, its choices and a
worked example on a real day are in ``docs/simulation_in_the_loop.md``.

Only public APIs are used: :func:`staffing.requirements`,
:func:`staffing.schedule_shifts`, :func:`staffing.queue_kpis` and
:func:`simulator.simulate`; the two packages meet here and nowhere else.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simulator import ChannelModel, interval_from_se, simulate
from staffing import (
    PayRates,
    Schedule,
    ScheduleRules,
    ShiftTemplate,
    queue_kpis,
    requirements,
    schedule_shifts,
)

from ._errors import ScenarioError

#: Columns of :attr:`SimulationLoopResult.rounds`, in order.
ROUND_COLUMNS = ("round", "cost", "n_judged", "n_missed", "worst_service_level",
                 "worst_channel", "worst_interval_start", "agents_added",
                 "requirement_agent_intervals", "schedule_status", "mip_gap")
#: Columns of :attr:`SimulationLoopResult.intervals`, in order.
INTERVAL_COLUMNS = ("channel", "interval_start", "offered_expected", "offered_simulated",
                    "agents_required_erlang", "agents_required", "agents_on_queue",
                    "service_level", "service_level_ci_low", "service_level_ci_high",
                    "is_judged", "is_miss")
STOP_REASONS = ("target_met", "max_rounds", "no_progress")


@dataclass(frozen=True)
class SimulationLoopResult:
    """What :func:`schedule_with_simulation` returns.

    Attributes
    ----------
    schedule : staffing.Schedule
        The last schedule solved (the one the last simulation judged).
    requirements : pandas.DataFrame
        The ``requirements`` contract for the last schedule: ``channel``,
        ``interval_start``, ``agents_required`` (Erlang's requirement raised
        by the loop), ``service_level_expected``, ``asa_s`` (s),
        ``occupancy`` and ``abandon_rate`` recomputed by Erlang at the raised
        staffing, plus ``agents_required_erlang`` (the per-interval Erlang
        requirement the loop started from) and ``agents_added`` (>= 0).
    rounds : pandas.DataFrame
        One row per round, round 0 being the Erlang-only schedule (columns
        ``ROUND_COLUMNS``): ``round``, ``cost`` (currency), ``n_judged``
        (intervals judged), ``n_missed`` (judged intervals whose simulated
        service level is below target), ``worst_service_level`` (0-1, lowest
        over judged intervals), ``worst_channel``, ``worst_interval_start``,
        ``agents_added`` (agent-intervals added to the requirement before this
        round's solve; 0 in round 0), ``requirement_agent_intervals`` (sum of
        the requirement solved), ``schedule_status`` and ``mip_gap`` of the
        solver.
    intervals : pandas.DataFrame
        The last round's verdict per channel and interval (``INTERVAL_COLUMNS``):
        ``offered_expected`` (forecast contacts), ``offered_simulated`` (mean
        per replication), ``agents_required_erlang``, ``agents_required``,
        ``agents_on_queue`` (what was simulated), ``service_level`` (answered
        within target / offered, pooled over replications, 0-1; NaN if no
        contact), ``service_level_ci_low``/``_ci_high`` (95 % confidence
        interval over replications, clipped to [0, 1]; shown, not used to
        judge), ``is_judged``, ``is_miss``.
    sim_intervals : pandas.DataFrame
        The simulator's ``sim_intervals`` table for the last schedule.
    sim_summary : pandas.DataFrame
        The simulator's summary for the last schedule.
    stop_reason : str
        ``"target_met"`` (no judged interval misses), ``"max_rounds"`` (the
        round limit came first: misses remain) or ``"no_progress"`` (the
        misses are all in intervals the scheduler already leaves short of
        their requirement, so raising it cannot help; see the message of the
        warning issued then).
    """

    schedule: Schedule
    requirements: pd.DataFrame
    rounds: pd.DataFrame
    intervals: pd.DataFrame
    sim_intervals: pd.DataFrame
    sim_summary: pd.DataFrame
    stop_reason: str

    @property
    def is_target_met(self) -> bool:
        """``True`` when every judged interval reached the target in the last round."""
        return self.stop_reason == "target_met"


def schedule_with_simulation(
    forecast: pd.DataFrame,
    templates: Sequence[ShiftTemplate],
    *,
    interval_s: float,
    service_level_target: float = 0.8,
    answer_within_s: float = 20.0,
    mean_patience_s: float | None = None,
    rules: ScheduleRules | None = None,
    rates: PayRates | None = None,
    open_intervals: Any = None,
    n_replications: int = 20,
    seed: int = 0,
    max_rounds: int = 8,
    min_contacts: float = 10.0,
    simulation_settings: dict[str, dict[str, Any]] | None = None,
    on_round: Callable[[dict[str, Any]], None] | None = None,
) -> SimulationLoopResult:
    """Schedule shifts, then raise the requirement where simulation misses the target.

    Round 0 schedules against per-interval Erlang requirements. Each round
    simulates the schedule (same seed every round: common random numbers),
    pools each interval's contacts over the replications and compares the
    service level with the target. In every judged interval that misses, the
    requirement becomes one more than the agents the simulation had on the
    queue there; then the scheduler solves again. The loop stops when no
    judged interval misses, after ``max_rounds`` raises, or when a raise
    cannot change the schedule.

    Parameters
    ----------
    forecast : pandas.DataFrame
        The ``forecast`` contract: ``channel``, ``interval_start``,
        ``offered`` (expected contacts per interval, >= 0), ``aht_s`` (s).
        Consecutive intervals ``interval_s`` apart. Not modified.
    templates : sequence of staffing.ShiftTemplate
        Shift templates for :func:`staffing.schedule_shifts`.
    interval_s : float
        Interval length, seconds, > 0.
    service_level_target : float, optional
        Share answered within ``answer_within_s`` of all offered, in (0, 1);
        default 0.8.
    answer_within_s : float, optional
        Service-level threshold, seconds, >= 0; default 20.
    mean_patience_s : float or None, optional
        Mean exponential patience, seconds, > 0: Erlang A for the requirement
        and abandonment in the simulator. ``None`` (default): Erlang C and
        nobody abandons.
    rules : staffing.ScheduleRules, optional
        Labour rules. Each pool must be one channel: ``blend=False``, or a
        forecast with a single channel. Use ``coverage="hard"``: with soft
        coverage the solver may leave a raised interval short (a warning
        says so).
    rates : staffing.PayRates, optional
        Pay rates for the scheduler.
    open_intervals : sequence of timestamps or None, optional
        Intervals in which the centre is open. Only open intervals are
        judged. Default: intervals with forecast contacts above zero.
    n_replications : int, optional
        Simulation replications per round, >= 2 (default 20).
    seed : int, optional
        Simulator seed, used unchanged in every round.
    max_rounds : int, optional
        Most re-solves after round 0, >= 0 (default 8; 0 only judges the
        Erlang-only schedule).
    min_contacts : float, optional
        Intervals whose forecast has fewer contacts than this are not judged
        (their service level is too coarse to act on), >= 0; default 10.
    simulation_settings : dict, optional
        Per channel, more settings for :func:`simulator.simulate` (its
        ``channels`` argument) that the Erlang formulas cannot express, e.g.
        ``{"voice": {"handle_time": {"kind": "lognormal", "cv": 1.2}}}``.
        ``answer_within_s`` and ``mean_patience_s`` come from the parameters
        above and may not appear here. Default: none, so the simulator sees
        Erlang's own assumptions (Poisson arrivals, exponential handle times
        and patience) and only the day's dynamics differ.
    on_round : callable, optional
        Called after each round with that round's row of ``rounds`` (a dict).

    Returns
    -------
    SimulationLoopResult
        The last schedule, its requirements, the rounds table, the last
        verdict per interval and the last simulation's tables.

    Raises
    ------
    ScenarioError
        A parameter is out of range, or ``rules.blend`` pools several
        channels (the simulator's pools are channels).
    staffing.StaffingError, simulator.SimulatorError
        From the requirement, scheduling or simulation step; their messages
        name the table, interval and fix.

    Examples
    --------
    >>> import pandas as pd
    >>> from staffing import ScheduleRules, ShiftTemplate
    >>> starts = pd.date_range("2026-03-02 08:00", periods=4, freq="h")
    >>> fc = pd.DataFrame({"channel": "voice", "interval_start": starts,
    ...                    "offered": [30.0, 60.0, 60.0, 30.0], "aht_s": 240.0})
    >>> res = schedule_with_simulation(
    ...     fc, [ShiftTemplate("2h", 7200, 8 * 3600, 10 * 3600, start_step_s=3600)],
    ...     interval_s=3600, rules=ScheduleRules(coverage="hard"), n_replications=4)
    >>> res.stop_reason in ("target_met", "max_rounds", "no_progress")
    True
    >>> bool((res.requirements.agents_required >= res.requirements.agents_required_erlang).all())
    True
    """
    func = "schedule_with_simulation()"
    rules = ScheduleRules() if rules is None else rules
    _check_parameters(func, forecast, interval_s, service_level_target, n_replications,
                      max_rounds, min_contacts, rules, on_round)
    first = requirements(forecast, interval_s=interval_s,
                         service_level_target=service_level_target,
                         answer_within_s=answer_within_s, mean_patience_s=mean_patience_s)
    channels = sorted(map(str, first["channel"].unique()))
    if rules.blend and len(channels) > 1:
        raise ScenarioError(
            f"{func}: rules.blend=True pools channels {channels} into one 'blended' pool, but "
            "the simulator staffs each channel from its own agents, so a blended schedule "
            "cannot be judged channel by channel. Pass ScheduleRules(blend=False, ...), or "
            "run one channel at a time.")
    if rules.coverage == "soft":
        warnings.warn(
            f"{func}: rules.coverage='soft' lets the solver leave an interval short of its "
            "requirement at a penalty, so raising the requirement may not add agents there. "
            "Use ScheduleRules(coverage='hard') for the loop.", stacklevel=2)
    keys = first[["channel", "interval_start"]].copy()
    keys["channel"] = keys["channel"].astype(str)
    erlang = first["agents_required"].to_numpy(dtype=np.int64)
    offered = forecast["offered"].to_numpy(dtype=float)
    is_open = _open_mask(keys, offered, open_intervals)
    judged = is_open & (offered >= min_contacts)
    settings = _simulator_channels(func, channels, answer_within_s, mean_patience_s,
                                   simulation_settings)

    required = erlang.copy()
    rows: list[dict[str, Any]] = []
    added = 0
    while True:
        req_table = keys.assign(agents_required=required)
        schedule = schedule_shifts(req_table, list(templates), interval_s=interval_s, rules=rules,
                                   rates=rates, open_intervals=open_intervals)
        on_queue = _agents_on_queue(schedule, keys, channels, rules)
        coverage = keys.assign(agents_on_queue=on_queue)
        sim_intervals, sim_summary = simulate(
            forecast, coverage, interval_s=interval_s, channels=settings,
            n_replications=n_replications, seed=seed)
        verdict = _judge(keys, sim_intervals, n_replications)
        miss = judged & (verdict["service_level"].to_numpy() < service_level_target)
        sl_judged = np.where(judged, verdict["service_level"].to_numpy(), np.nan)
        worst = int(np.nanargmin(sl_judged)) if np.isfinite(sl_judged).any() else None
        row = {
            "round": len(rows),
            "cost": float(schedule.summary["cost"]),
            "n_judged": int(judged.sum()),
            "n_missed": int(miss.sum()),
            "worst_service_level": float(sl_judged[worst]) if worst is not None else math.nan,
            "worst_channel": keys["channel"].iloc[worst] if worst is not None else None,
            "worst_interval_start": (keys["interval_start"].iloc[worst] if worst is not None
                                     else pd.NaT),
            "agents_added": int(added),
            "requirement_agent_intervals": int(required.sum()),
            "schedule_status": schedule.summary.get("status"),
            "mip_gap": schedule.summary.get("mip_gap"),
        }
        rows.append(row)
        if on_round is not None:
            on_round(dict(row))
        if not miss.any():
            stop = "target_met"
            break
        if len(rows) > max_rounds:
            stop = "max_rounds"
            break
        raised = np.where(miss, np.maximum(required, on_queue + 1), required)
        added = int((raised - required).sum())
        if added == 0:
            stop = "no_progress"
            short = keys[miss]
            warnings.warn(
                f"{func}: stopped after round {len(rows) - 1}: the {int(miss.sum())} intervals "
                f"that miss the target (first: channel {short['channel'].iloc[0]!r}, "
                f"{short['interval_start'].iloc[0]}) already get fewer agents than their "
                "requirement, so raising it changes nothing. Use coverage='hard', or relax the "
                "headcount rules or template windows that keep them short.", stacklevel=2)
            break
        required = raised

    final_req = _requirements_table(keys, forecast, required, erlang, interval_s,
                                    answer_within_s, mean_patience_s)
    intervals = pd.DataFrame({
        "channel": keys["channel"].to_numpy(),
        "interval_start": keys["interval_start"].to_numpy(),
        "offered_expected": offered,
        "offered_simulated": verdict["offered_simulated"].to_numpy(),
        "agents_required_erlang": erlang,
        "agents_required": required,
        "agents_on_queue": on_queue,
        "service_level": verdict["service_level"].to_numpy(),
        "service_level_ci_low": verdict["ci_low"].to_numpy(),
        "service_level_ci_high": verdict["ci_high"].to_numpy(),
        "is_judged": judged,
        "is_miss": miss,
    }, columns=list(INTERVAL_COLUMNS))
    intervals["interval_start"] = keys["interval_start"].reset_index(drop=True)
    rounds = pd.DataFrame(rows, columns=list(ROUND_COLUMNS))
    return SimulationLoopResult(schedule, final_req, rounds, intervals, sim_intervals,
                                sim_summary, stop)


def _check_parameters(func: str, forecast: Any, interval_s: Any, target: Any,
                      n_replications: Any, max_rounds: Any, min_contacts: Any,
                      rules: Any, on_round: Any) -> None:
    if not isinstance(forecast, pd.DataFrame):
        raise ScenarioError(f"{func}: 'forecast' must be a pandas DataFrame (the forecast "
                            f"table), got {type(forecast).__name__}.")
    for name in ("channel", "offered"):
        if name not in forecast.columns:
            raise ScenarioError(
                f"{func}: 'forecast' has no column {name!r} (found: "
                f"{', '.join(map(str, forecast.columns))}). Build it with forecasting, or "
                "rename the column.")
    if not (isinstance(interval_s, int | float) and math.isfinite(interval_s)
            and interval_s > 0):
        raise ScenarioError(f"{func}: interval_s must be > 0 seconds, got {interval_s!r}, "
                            "e.g. 900 for 15-minute intervals.")
    if not (isinstance(target, int | float) and 0 < target < 1):
        raise ScenarioError(f"{func}: service_level_target must be a fraction in (0, 1), got "
                            f"{target!r}, e.g. 0.8 for 80%.")
    if not (isinstance(n_replications, int) and n_replications >= 2):
        raise ScenarioError(f"{func}: n_replications must be a whole number >= 2, got "
                            f"{n_replications!r} (the confidence intervals need two).")
    if not (isinstance(max_rounds, int) and max_rounds >= 0):
        raise ScenarioError(f"{func}: max_rounds must be a whole number >= 0, got "
                            f"{max_rounds!r}, e.g. 8.")
    if not (isinstance(min_contacts, int | float) and math.isfinite(min_contacts)
            and min_contacts >= 0):
        raise ScenarioError(f"{func}: min_contacts must be a number >= 0 of contacts per "
                            f"interval, got {min_contacts!r}, e.g. 10.")
    if not isinstance(rules, ScheduleRules):
        raise ScenarioError(f"{func}: rules must be a staffing.ScheduleRules, got "
                            f"{type(rules).__name__}.")
    if on_round is not None and not callable(on_round):
        raise ScenarioError(f"{func}: on_round must be callable or None, got {on_round!r}.")


def _simulator_channels(func: str, channels: list[str], answer_within_s: float,
                        mean_patience_s: float | None,
                        extra: dict[str, dict[str, Any]] | None) -> dict[str, ChannelModel]:
    """The simulator's ``channels`` argument: the targets, then the caller's extra settings."""
    extra = {} if extra is None else extra
    if not isinstance(extra, dict):
        raise ScenarioError(f"{func}: simulation_settings must map channel names to dicts of "
                            f"simulator settings, got {type(extra).__name__}.")
    unknown = sorted(set(map(str, extra)) - set(channels))
    if unknown:
        raise ScenarioError(f"{func}: simulation_settings has channels {unknown} that are not in "
                            f"the forecast (channels: {', '.join(channels)}). Fix the names.")
    out: dict[str, ChannelModel] = {}
    for c in channels:
        own = dict(extra.get(c, {}))
        clash = sorted({"answer_within_s", "mean_patience_s"} & set(own))
        if clash:
            raise ScenarioError(
                f"{func}: simulation_settings[{c!r}] sets {clash}, which are parameters of "
                f"{func} (the requirement and the simulation must use the same values). Pass "
                "them as answer_within_s= and mean_patience_s= instead.")
        spec: dict[str, Any] = {"answer_within_s": float(answer_within_s)}
        if mean_patience_s is not None:
            spec["mean_patience_s"] = float(mean_patience_s)
        spec.update(own)
        out[c] = ChannelModel(**spec)
    return out


def _open_mask(keys: pd.DataFrame, offered: np.ndarray, open_intervals: Any) -> np.ndarray:
    if open_intervals is None:
        return offered > 0
    wanted = pd.DatetimeIndex(pd.to_datetime(list(open_intervals)))
    return np.asarray(pd.DatetimeIndex(keys["interval_start"]).isin(wanted))


def _agents_on_queue(schedule: Schedule, keys: pd.DataFrame, channels: list[str],
                     rules: ScheduleRules) -> np.ndarray:
    """Agents on the queue per (channel, interval) row of ``keys``.

    The schedule's ``agents_scheduled`` are on duty and off break; a share
    ``shrinkage`` of them is lost to absence and meetings, so the queue gets
    ``floor(agents_scheduled x (1 - shrinkage))`` (the scheduler's target
    ``ceil(required / (1 - shrinkage))`` gives back at least ``required``).
    """
    cov = schedule.coverage[["channel", "interval_start", "agents_scheduled"]].copy()
    cov["channel"] = cov["channel"].astype(str)
    if rules.blend:  # one channel (checked): the pool is called "blended"
        cov["channel"] = channels[0]
    cov["interval_start"] = pd.to_datetime(cov["interval_start"])
    merged = keys.assign(interval_start=pd.to_datetime(keys["interval_start"])).merge(
        cov, on=["channel", "interval_start"], how="left", validate="one_to_one")
    scheduled = merged["agents_scheduled"].fillna(0).to_numpy(dtype=float)
    return np.floor(scheduled * (1.0 - rules.shrinkage) + 1e-9).astype(np.int64)


def _judge(keys: pd.DataFrame, sim_intervals: pd.DataFrame, n_replications: int
           ) -> pd.DataFrame:
    """Service level per row of ``keys``, pooled over replications, with a 95 % CI.

    The estimate is the ratio sum(answered within target) / sum(offered) over
    replications; its standard error is the ratio estimator's (deviations
    ``within_r - SL x offered_r`` over replications), with Student's t.
    """
    sims = sim_intervals.assign(channel=sim_intervals["channel"].astype(str),
                                interval_start=pd.to_datetime(sim_intervals["interval_start"]))
    wide_o = sims.pivot_table(index=["channel", "interval_start"], columns="replication",
                              values="offered", aggfunc="sum")
    wide_w = sims.pivot_table(index=["channel", "interval_start"], columns="replication",
                              values="answered_within_target", aggfunc="sum")
    index = pd.MultiIndex.from_arrays([keys["channel"].to_numpy(),
                                       pd.to_datetime(keys["interval_start"]).to_numpy()])
    o = wide_o.reindex(index).to_numpy(dtype=float)
    w = wide_w.reindex(index).to_numpy(dtype=float)
    total_o = o.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = np.where(total_o > 0, w.sum(axis=1) / total_o, np.nan)
        resid = w - sl[:, None] * o
        mean_o = total_o / n_replications
        var = (resid ** 2).sum(axis=1) / ((n_replications - 1) * n_replications * mean_o ** 2)
    # Wilson's interval at the ratio's effective sample size: inside [0, 1] without clipping
    # (simulator.interval_from_se).
    low, high = interval_from_se(sl, np.sqrt(var), n_replications - 1, kind="fraction",
                                 n_contacts=total_o)
    return pd.DataFrame({"service_level": sl, "ci_low": low, "ci_high": high,
                         "offered_simulated": total_o / n_replications})


def _requirements_table(keys: pd.DataFrame, forecast: pd.DataFrame, required: np.ndarray,
                        erlang: np.ndarray, interval_s: float, answer_within_s: float,
                        mean_patience_s: float | None) -> pd.DataFrame:
    """The ``requirements`` contract at the raised staffing (Erlang's KPIs recomputed)."""
    kpis = queue_kpis(required, forecast["offered"].to_numpy(dtype=float), interval_s,
                      forecast["aht_s"].to_numpy(dtype=float), answer_within_s, mean_patience_s)
    out = pd.DataFrame({
        "channel": keys["channel"].to_numpy(),
        "interval_start": keys["interval_start"].to_numpy(),
        "agents_required": required,
        "service_level_expected": kpis["service_level"].to_numpy(),
        "asa_s": kpis["asa_s"].to_numpy(),
        "occupancy": kpis["occupancy"].to_numpy(),
        "abandon_rate": kpis["abandon_rate"].to_numpy(),
        "agents_required_erlang": erlang,
        "agents_added": required - erlang,
    })
    out["interval_start"] = keys["interval_start"].reset_index(drop=True)
    return out
