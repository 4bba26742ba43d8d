"""Public entry point of the time-varying simulator: tables in, tidy tables out."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._centre import (
    _ABANDONED,
    _ANSWERED,
    _BUSY_S,
    _DUTY_S,
    _MAX_QUEUE,
    _MAX_WAIT,
    _OFFERED,
    _OVERTIME_S,
    _QUEUE_S,
    _WAIT_ALL,
    _WAIT_ANSWERED,
    _WAITING_END,
    _WITHIN,
    WAIT_EDGES,
    run_replication,
)
from ._distributions import parse_distribution
from ._errors import SimulationInputError
from ._intervals import mean_interval
from ._log import ContactLog
from ._roster import roster_changes
from ._shared import run_shared_replication

#: Columns of the ``sim_intervals`` table, in order.
SIM_INTERVAL_COLUMNS = (
    "replication", "channel", "interval_start", "offered", "answered", "abandoned",
    "answered_within_target", "waiting_at_end", "service_level", "asa_s", "mean_wait_s",
    "p90_wait_s", "max_wait_s", "mean_queue", "max_queue", "abandon_rate", "occupancy",
    "agents_on_duty",
    "overtime_s",
)
_SETTINGS = ("answer_within_s", "mean_patience_s", "patience", "handle_time",
             "overdispersion_cv", "initial_backlog", "priority_classes", "concurrency",
             "stretch")
_SUMMARY_KPIS = ("service_level", "asa_s", "mean_wait_s", "abandon_rate", "occupancy")
_KPI_KIND = {"service_level": "fraction", "asa_s": "nonnegative", "mean_wait_s": "nonnegative",
             "abandon_rate": "fraction", "occupancy": "fraction"}


def simulate(forecast: pd.DataFrame, coverage: pd.DataFrame | None = None, *,
             interval_s: float, roster: pd.DataFrame | None = None,
             channels: dict[str, dict[str, Any]] | None = None, n_replications: int = 10,
             seed: int = 0, confidence: float = 0.95,
             on_replication: Callable[[int], None] | None = None,
             contact_log: str | Path | None = None,
             groups: dict[str, dict[str, Any]] | None = None,
             channel_priority: list[str] | None = None,
             replications: Sequence[int] | None = None,
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate the centre over the forecast's intervals, with replications.

    Parameters
    ----------
    forecast : pandas.DataFrame
        The ``forecast`` contract: ``channel``, ``interval_start``, ``offered``
        (expected contacts, >= 0, no NaN), ``aht_s`` (seconds, > 0). One row per
        channel and interval, consecutive intervals ``interval_s`` apart.
    coverage : pandas.DataFrame, optional
        Agents per interval: ``channel`` (or ``group``), ``interval_start``,
        ``agents_on_queue`` (the agents answering contacts, whole numbers >= 0:
        after shrinkage, as the scenario pipeline passes them), for the same
        channels and intervals. Give this or ``roster``. ``agents_scheduled``
        (the name of earlier versions and of staffing's ``coverage`` table) is
        accepted in its place, read as agents on the queue.
    interval_s : float
        Interval length, seconds, > 0 (never inferred from the rows).
    roster : pandas.DataFrame, optional
        Shifts and breaks, one row each: ``channel``, ``agent``, ``activity``
        (``shift`` or ``break``), ``start``, ``end`` (see ``simulator._roster``).
        Agents come and go at those exact moments, finishing the contact in hand.
    channels : dict, optional
        Per channel: ``answer_within_s`` (default 20); ``mean_patience_s``
        (MEAN exponential patience, seconds; default ``None``: nobody abandons)
        or ``patience`` (any law, see ``simulator._distributions``);
        ``handle_time`` (law; mean from the forecast's ``aht_s``);
        ``overdispersion_cv`` (day-level volume multiplier, default 0);
        ``initial_backlog`` (contacts waiting at the start, default 0);
        ``priority_classes`` (list of ``{"name", "share", "head_start_s"}``:
        each contact belongs to a class with probability ``share`` and is
        queued as if it had arrived ``head_start_s`` earlier); ``concurrency``
        (contacts an agent works at once, e.g. 3 for chat; needs ``groups``)
        and ``stretch`` (each contact an agent already has in hand makes a new
        one last ``stretch`` times longer: handle time x (1 + stretch x
        (contacts in hand - 1)); the forecast's ``aht_s`` is the time of a
        contact worked alone).
    n_replications : int, optional
        Independent replications, >= 2.
    seed : int, optional
        Root of ``numpy.random.SeedSequence``: replication ``r`` uses spawn
        ``r``, and each channel a spawn of that, so results do not depend on
        run order.
    confidence : float, optional
        Level of the confidence intervals of the summary, in (0, 1).
    on_replication : callable, optional
        Called with the number of replications done after each one (for
        progress bars; the simulator itself prints nothing).
    contact_log : str or pathlib.Path, optional
        Where to stream the per-contact log (Parquet; schema in
        ``simulator._log``). Off by default: memory then does not grow with the
        number of contacts. Dedicated pools only.
    groups : dict, optional
        Shared agents: group name -> ``{"skills": [channel, ...]}``. Then
        ``coverage`` (or ``roster``) has a ``group`` column instead of
        ``channel``, and routing follows ``simulator._shared``: longest-idle
        agent with the skill; a freed agent serves by ``channel_priority``,
        then first come first served. Per-channel occupancy, maximum queue and
        agents on duty are then NaN; the summary adds each group's occupancy
        (``kpi`` ``group_occupancy``, ``channel`` = the group).
    channel_priority : list of str, optional
        Channels, most urgent first (default: the forecast's channels sorted
        by name). Used with ``groups``.
    replications : sequence of int, optional
        Run only these replications of the ``n_replications`` (distinct
        indices in ``[0, n_replications)``), each with the same random stream
        as in the whole run, so the replications of a run can be split over
        workers and put back together (the ``replication`` column keeps the
        indices). The summary then covers these replications only.

    Returns
    -------
    sim_intervals : pandas.DataFrame
        One row per replication, channel and interval: see
        ``SIM_INTERVAL_COLUMNS``. Contacts count in the interval they arrive.
        ``service_level`` is answered within target / offered, ``asa_s`` the
        mean wait of answered contacts, ``mean_wait_s`` over all offered
        (abandoned waits included; contacts still waiting at the end count their
        wait until then, there and in ``p90_wait_s`` and ``max_wait_s``),
        ``occupancy`` busy / paid agent-seconds; ``overtime_s`` the agent time
        worked past scheduled time, in the intervals where it is worked.
    summary : pandas.DataFrame
        One row per channel and KPI (``service_level``, ``asa_s``,
        ``mean_wait_s``, ``abandon_rate``, ``occupancy``) over the whole
        horizon: ``mean`` over replications, ``ci_low``, ``ci_high`` (a
        replication where the KPI is undefined, e.g. no contact of a quiet
        channel, is left out of both; NaN only when no replication has it).

    Raises
    ------
    SimulationInputError
        A table lacks a column, holds a bad value, or the two tables do not
        cover the same channels and intervals; the message names the row.
    """
    func = "simulate()"
    _require(func, "forecast", forecast, ("channel", "interval_start", "offered", "aht_s"))
    if (coverage is None) == (roster is None):
        raise SimulationInputError(f"{func}: give the agents either as 'coverage' (agents per "
                                   "interval) or as 'roster' (shifts and breaks), not both "
                                   "or neither.")
    if (isinstance(coverage, pd.DataFrame) and "agents_on_queue" not in coverage.columns
            and "agents_scheduled" in coverage.columns):
        coverage = coverage.rename(columns={"agents_scheduled": "agents_on_queue"})  # alias
    if coverage is not None:
        _require(func, "coverage", coverage,
                 ("channel" if groups is None else "group", "interval_start", "agents_on_queue"))
    if roster is not None and not isinstance(roster, pd.DataFrame):
        raise SimulationInputError(f"{func}: 'roster' must be a pandas DataFrame, got "
                                   f"{type(roster).__name__}.")
    if not (isinstance(n_replications, int) and n_replications >= 2):
        raise SimulationInputError(f"{func}: n_replications must be a whole number >= 2, got "
                                   f"{n_replications!r} (confidence intervals need two).")
    if not 0 < confidence < 1:
        raise SimulationInputError(f"{func}: confidence must be in (0, 1), got {confidence!r}.")
    if not (interval_s > 0 and math.isfinite(interval_s)):
        raise SimulationInputError(f"{func}: interval_s must be > 0 seconds, got {interval_s!r}.")
    names, starts, offered, aht = _grid(func, "forecast", forecast, ("offered", "aht_s"),
                                        interval_s)
    horizon_s = len(starts) * float(interval_s)
    key = "channel" if groups is None else "group"
    owners = names if groups is None else _check_groups(func, groups, names)
    if coverage is not None:
        owners_c, starts_c, agents = _grid(func, "coverage", coverage, ("agents_on_queue",),
                                           interval_s, key=key)
        if owners_c != owners or not starts_c.equals(starts):
            raise SimulationInputError(
                f"{func}: 'coverage' must have the same {key}s and intervals as the "
                f"{'forecast' if groups is None else 'groups and the forecast'} "
                f"(expected: {owners}, {len(starts)} intervals from {starts[0]}; coverage: "
                f"{owners_c}, {len(starts_c)} intervals from {starts_c[0]})."
            )
    checks = [("forecast", "offered", offered, ">= 0 contacts", offered >= 0, "channel", names),
              ("forecast", "aht_s", aht, "> 0 seconds", aht > 0, "channel", names)]
    if coverage is not None:
        checks.append(("coverage", "agents_on_queue", agents, "a whole number >= 0",
                       (agents >= 0) & (agents == np.floor(agents)), key, owners))
    _check_values(func, checks, starts)
    if coverage is not None:
        changes = [[(i * float(interval_s), int(a)) for i, a in enumerate(row)]
                   for row in agents]
    else:
        changes = roster_changes(roster, owners, starts[0], horizon_s, key=key)
    agents = _mean_agents(changes, len(starts), float(interval_s))
    settings = channels or {}
    unknown = sorted(set(settings) - set(names))
    if unknown:
        raise SimulationInputError(f"{func}: channels has settings for {unknown}, which are not "
                                   f"in the forecast (channels there: {names}).")
    specs = [_channel_spec(func, name, settings.get(name, {})) for name in names]
    day_index = _day_index(starts)

    roots = np.random.SeedSequence(seed).spawn(n_replications)
    labels = list(range(n_replications))
    if replications is not None:
        labels = [int(r) for r in replications]
        if (not labels or len(set(labels)) != len(labels)
                or any(r < 0 or r >= n_replications for r in labels)):
            raise SimulationInputError(
                f"{func}: replications must be distinct indices in [0, {n_replications}), got "
                f"{list(replications)!r}.")
        roots = [roots[r] for r in labels]
    counters, hists, group_times = [], [], []
    if groups is None and any(spec["concurrency"] > 1 for spec in specs):
        raise SimulationInputError(
            f"{func}: concurrency needs shared-agent routing: give groups, e.g. "
            "groups={'chat team': {'skills': ['chat']}}, with coverage by group."
        )
    if groups is not None:
        if contact_log is not None:
            raise SimulationInputError(f"{func}: contact_log is not available with shared "
                                       "agents (groups) yet.")
        if any("head_starts_s" in spec for spec in specs):
            raise SimulationInputError(f"{func}: priority_classes are not available with "
                                       "shared agents (groups) yet.")
        skills = [[names.index(c) for c in groups[g]["skills"]] for g in owners]
        order = _priority(func, channel_priority, names)
    log = ContactLog(Path(contact_log)) if contact_log is not None else None
    try:
        for done, root in enumerate(roots, start=1):
            if groups is None:
                counts, hist = run_replication(offered, aht, changes, float(interval_s), specs,
                                               day_index, root, log, labels[done - 1], names)
            else:
                counts, hist, gtime = run_shared_replication(
                    offered, aht, float(interval_s), specs, day_index, root, skills, changes,
                    order)
                group_times.append(gtime)
            counters.append(counts)
            hists.append(hist)
            if on_replication is not None:
                on_replication(done)
    except BaseException:
        if log is not None:
            log.close(ok=False)
        raise
    if log is not None:
        log.close()
    if groups is not None:
        agents = np.full((len(names), len(starts)), np.nan)
    sim_intervals = _intervals_table(counters, hists, names, starts, agents, float(interval_s),
                                     labels)
    summary = _summary(counters, names, confidence)
    if groups is not None:
        summary = pd.concat([summary, _group_summary(group_times, owners, confidence)],
                            ignore_index=True)
    return sim_intervals, summary


def _require(func, table, df, columns):
    if not isinstance(df, pd.DataFrame):
        raise SimulationInputError(f"{func}: '{table}' must be a pandas DataFrame, got "
                                   f"{type(df).__name__}.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SimulationInputError(
            f"{func}: '{table}' has no column {', '.join(map(repr, missing))} (found: "
            f"{', '.join(map(str, df.columns))}). Rename the column or build the table with "
            "the producing package."
        )


def _grid(func, table, df, columns, interval_s, key="channel"):
    """Channels, the interval starts shared by all channels, and (channels x intervals) arrays."""
    names = sorted(df[key].astype(str).unique())
    starts = None
    arrays = [np.empty((len(names), 0)) for _ in columns]
    for ci, name in enumerate(names):
        part = df[df[key].astype(str) == name]
        times = pd.DatetimeIndex(part["interval_start"])
        if not times.is_monotonic_increasing or times.has_duplicates:
            raise SimulationInputError(
                f"{func}: '{table}' rows of channel {name!r} must be in time order without "
                "duplicate interval_start values; sort them and drop duplicates."
            )
        steps = np.asarray((times[1:] - times[:-1]).total_seconds(), dtype=float)
        gap = np.flatnonzero(steps != interval_s)
        if gap.size:
            i = int(gap[0])
            raise SimulationInputError(
                f"{func}: '{table}' channel {name!r}: interval_start {times[i + 1]} follows "
                f"{times[i]} by {steps[i]:g} s, not interval_s={interval_s:g}. Fill the "
                "missing intervals (with 0 contacts where the centre is closed)."
            )
        if starts is None:
            starts = times
            arrays = [np.empty((len(names), len(times))) for _ in columns]
        elif not times.equals(starts):
            raise SimulationInputError(
                f"{func}: '{table}' channel {name!r} covers other intervals than channel "
                f"{names[0]!r}; give every channel the same intervals."
            )
        for k, col in enumerate(columns):
            arrays[k][ci] = part[col].to_numpy(dtype=float)
    return (names, starts, *arrays)


def _check_values(func, checks, starts):
    """Each check: (table, column, values (rows x intervals), rule, ok mask, row kind, labels)."""
    for table, col, arr, rule, ok, kind, labels in checks:
        bad = ~ok  # NaN compares False, so missing values land here too
        if bad.any():
            c, i = (int(v) for v in np.argwhere(bad)[0])
            raise SimulationInputError(
                f"{func}: '{table}' column {col!r} must be {rule}; {kind} {labels[c]!r} "
                f"interval_start {starts[i]} has {float(arr[c, i])!r}. Missing values are never "
                "read as zero: fill or drop the interval."
            )


def _intervals_table(counters, hists, names, starts, agents, interval_s, labels):
    n_ch, n_iv = agents.shape
    frames = []
    for r, cnt, hist in zip(labels, counters, hists, strict=True):
        for c in range(n_ch):
            x = cnt[c]
            offered = x[:, _OFFERED]
            answered = x[:, _ANSWERED]
            with np.errstate(divide="ignore", invalid="ignore"):
                frames.append(pd.DataFrame({
                    "replication": r,
                    "channel": names[c],
                    "interval_start": starts,
                    "offered": offered.astype(np.int64),
                    "answered": answered.astype(np.int64),
                    "abandoned": x[:, _ABANDONED].astype(np.int64),
                    "answered_within_target": x[:, _WITHIN].astype(np.int64),
                    "waiting_at_end": x[:, _WAITING_END].astype(np.int64),
                    "service_level": np.where(offered > 0, x[:, _WITHIN] / offered, np.nan),
                    "asa_s": np.where(answered > 0, x[:, _WAIT_ANSWERED] / answered, np.nan),
                    "mean_wait_s": np.where(offered > 0, x[:, _WAIT_ALL] / offered, np.nan),
                    "p90_wait_s": _percentile(hist[c], 0.9),
                    "max_wait_s": x[:, _MAX_WAIT],
                    "mean_queue": x[:, _QUEUE_S] / interval_s,
                    "max_queue": x[:, _MAX_QUEUE].astype(np.int64),
                    "abandon_rate": np.where(offered > 0, x[:, _ABANDONED] / offered, np.nan),
                    "occupancy": np.where(x[:, _DUTY_S] > 0, x[:, _BUSY_S] / x[:, _DUTY_S],
                                          np.nan),
                    "agents_on_duty": agents[c],
                    "overtime_s": x[:, _OVERTIME_S],
                }))
    return pd.concat(frames, ignore_index=True)[list(SIM_INTERVAL_COLUMNS)]


def _summary(counters, names, confidence):
    rows = []
    per = np.stack([c.sum(axis=1) for c in counters])  # (replications, channels, counters)
    with np.errstate(divide="ignore", invalid="ignore"):
        kpis = {
            "service_level": per[..., _WITHIN] / per[..., _OFFERED],
            "asa_s": per[..., _WAIT_ANSWERED] / per[..., _ANSWERED],
            "mean_wait_s": per[..., _WAIT_ALL] / per[..., _OFFERED],
            "abandon_rate": per[..., _ABANDONED] / per[..., _OFFERED],
            "occupancy": per[..., _BUSY_S] / per[..., _DUTY_S],
        }
    for c, name in enumerate(names):
        for kpi in _SUMMARY_KPIS:
            # A replication where the measure is undefined (no contact of the channel, so no
            # service level; no agent time, so no occupancy) is left out of its mean and
            # interval rather than making them NaN. One replication (a part of a split run)
            # has no interval: NaN, quietly. The interval stays in the KPI's range
            # (simulator._intervals).
            values = kpis[kpi][:, c]
            values = values[np.isfinite(values)]
            counted = float(per[:, c, _ANSWERED].sum() if kpi == "asa_s"
                            else per[:, c, _OFFERED].sum())
            mean, low, high = mean_interval(values[:, None], kind=_KPI_KIND[kpi],
                                            n_contacts=counted if counted > 0 else None,
                                            confidence=confidence)
            rows.append({"channel": name, "kpi": kpi, "mean": float(mean[0]),
                         "ci_low": float(low[0]), "ci_high": float(high[0])})
    return pd.DataFrame(rows)


def _channel_spec(func, name, setting):
    """Check one channel's settings and turn them into what the engine needs."""
    where = f"{func}: channels[{name!r}]"
    if not isinstance(setting, dict):
        raise SimulationInputError(f"{where} must be a mapping of settings, got {setting!r}.")
    unknown = sorted(set(setting) - set(_SETTINGS))
    if unknown:
        raise SimulationInputError(f"{where} has unknown keys {unknown}; allowed: "
                                   f"{', '.join(_SETTINGS)}.")
    within = setting.get("answer_within_s", 20.0)
    if not (isinstance(within, int | float) and within >= 0):
        raise SimulationInputError(f"{where}.answer_within_s must be >= 0 seconds, got "
                                   f"{within!r}.")
    if "mean_patience_s" in setting and "patience" in setting:
        raise SimulationInputError(f"{where}: give mean_patience_s (exponential) or patience "
                                   "(any distribution), not both.")
    mean = setting.get("mean_patience_s")
    patience_spec = setting.get("patience")
    if mean is not None:
        patience_spec = {"kind": "exponential", "mean_s": mean}
    patience, patience_mean = parse_distribution(f"{where}.patience", patience_spec,
                                                 patience=True)
    handle, _ = parse_distribution(f"{where}.handle_time", setting.get("handle_time"),
                                   patience=False)
    cv = setting.get("overdispersion_cv", 0.0)
    if not (isinstance(cv, int | float) and cv >= 0 and math.isfinite(cv)):
        raise SimulationInputError(f"{where}.overdispersion_cv must be a number >= 0 (0: plain "
                                   f"Poisson), got {cv!r}.")
    backlog = setting.get("initial_backlog", 0)
    if not (isinstance(backlog, int) and backlog >= 0):
        raise SimulationInputError(f"{where}.initial_backlog must be a whole number >= 0 of "
                                   f"contacts, got {backlog!r}.")
    spec = {"within_s": float(within), "handle": handle, "patience": patience,
            "patience_mean_s": patience_mean, "overdispersion_cv": float(cv),
            "initial_backlog": backlog}
    classes = setting.get("priority_classes")
    if classes is not None:
        spec.update(_priority_classes(where, classes))
    k = setting.get("concurrency", 1)
    if not (isinstance(k, int) and not isinstance(k, bool) and k >= 1):
        raise SimulationInputError(f"{where}.concurrency must be a whole number >= 1 (contacts "
                                   f"one agent works at once), got {k!r}.")
    stretch = setting.get("stretch", 0.0)
    if not (isinstance(stretch, int | float) and stretch >= 0 and math.isfinite(stretch)):
        raise SimulationInputError(f"{where}.stretch must be a number >= 0 (0: chats do not slow "
                                   f"each other), got {stretch!r}.")
    spec["concurrency"], spec["stretch"] = k, float(stretch)
    return spec


def _priority_classes(where, classes):
    """Check ``priority_classes``: [{"name", "share", "head_start_s"}, ...], shares sum to 1."""
    rule = ("must be a list of {'name': str, 'share': fraction, 'head_start_s': seconds >= 0} "
            "whose shares add up to 1")
    if not isinstance(classes, list | tuple) or not classes:
        raise SimulationInputError(f"{where}.priority_classes {rule}, got {classes!r}.")
    names, shares, heads = [], [], []
    for k, item in enumerate(classes):
        ok = (isinstance(item, dict) and set(item) <= {"name", "share", "head_start_s"}
              and isinstance(item.get("share"), int | float) and 0 < item["share"] <= 1
              and isinstance(item.get("head_start_s", 0), int | float)
              and item.get("head_start_s", 0) >= 0)
        if not ok:
            raise SimulationInputError(f"{where}.priority_classes[{k}] {rule}; got {item!r}.")
        names.append(str(item.get("name", f"class{k}")))
        shares.append(float(item["share"]))
        heads.append(float(item.get("head_start_s", 0.0)))
    if abs(sum(shares) - 1.0) > 1e-9:
        raise SimulationInputError(f"{where}.priority_classes: the shares add up to "
                                   f"{sum(shares):g}, not 1. Adjust them.")
    return {"class_names": tuple(names), "class_shares": tuple(shares),
            "head_starts_s": tuple(heads)}


def _day_index(starts):
    """0, 1, ... for the calendar day (in the table's own time zone) of each interval."""
    # The wall clock's date, not a normalise in the zone: some zones skip local midnight
    # (Africa/Cairo on 2026-04-24), which has no tz-aware midnight to normalise to.
    days = pd.DatetimeIndex(starts)
    days = (days.tz_localize(None) if days.tz is not None else days).normalize()
    _, index = np.unique(days.asi8, return_inverse=True)
    return index.ravel()


def _percentile(hist, q):
    """Per interval, the q-quantile of the waits from their histogram (nan with no contact)."""
    total = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    out = np.full(hist.shape[0], np.nan)
    for i in np.flatnonzero(total > 0):
        rank = q * total[i]
        b = int(np.searchsorted(cum[i], rank))
        if b == 0:
            out[i] = 0.0
            continue
        lo, hi = WAIT_EDGES[b], WAIT_EDGES[min(b + 1, WAIT_EDGES.size - 1)]
        below = cum[i][b - 1]
        frac = (rank - below) / max(hist[i][b], 1.0)
        out[i] = lo + frac * (hi - lo)
    return out


def _mean_agents(changes, n_iv, interval_s):
    """Planned agents on duty, averaged over each interval, from the change lists."""
    out = np.zeros((len(changes), n_iv))
    edges = np.arange(n_iv + 1) * interval_s
    for c, steps in enumerate(changes):
        times = np.array([t for t, _ in steps] + [edges[-1]])
        levels = np.array([v for _, v in steps], dtype=float)
        for k, level in enumerate(levels):
            lo, hi = times[k], times[k + 1]
            if hi <= lo:
                continue
            first, last = int(lo // interval_s), min(int(np.ceil(hi / interval_s)), n_iv)
            for i in range(first, last):
                overlap = min(hi, edges[i + 1]) - max(lo, edges[i])
                if overlap > 0:
                    out[c, i] += level * overlap / interval_s
    return out


def _check_groups(func, groups, names):
    """Group names, sorted; every group has a non-empty list of known skills."""
    if not isinstance(groups, dict) or not groups:
        raise SimulationInputError(f"{func}: groups must map group names to "
                                   "{'skills': [channel, ...]}, got " f"{groups!r}.")
    for name, spec in groups.items():
        skills = spec.get("skills") if isinstance(spec, dict) else None
        if not skills or not isinstance(skills, list | tuple):
            raise SimulationInputError(f"{func}: groups[{name!r}] needs 'skills', a non-empty "
                                       "list of channels.")
        unknown = [c for c in skills if c not in names]
        if unknown:
            raise SimulationInputError(
                f"{func}: groups[{name!r}] has skills {unknown} that are not channels of the "
                f"forecast ({', '.join(names)}). Fix the skill names."
            )
    return sorted(map(str, groups))


def _priority(func, channel_priority, names):
    if channel_priority is None:
        return list(range(len(names)))
    if sorted(channel_priority) != names:
        raise SimulationInputError(f"{func}: channel_priority must list every channel once "
                                   f"({', '.join(names)}), got {channel_priority!r}.")
    return [names.index(c) for c in channel_priority]


def _group_summary(group_times, groups, confidence):
    per = np.stack([g.sum(axis=1) for g in group_times])  # (replications, groups, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = per[..., 0] / per[..., 1]
    rows = []
    for g, name in enumerate(groups):
        mean, low, high = mean_interval(occ[:, g][:, None], kind="fraction",
                                        confidence=confidence)
        rows.append({"channel": name, "kpi": "group_occupancy", "mean": float(mean[0]),
                     "ci_low": float(low[0]), "ci_high": float(high[0])})
    return pd.DataFrame(rows)
