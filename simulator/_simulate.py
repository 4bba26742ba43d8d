"""Public entry point of the time-varying simulator: tables in, tidy tables out."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ._engine import Centre, run_replication
from ._errors import SimulationInputError
from ._ledger import Ledger, group_summary_table, intervals_table, summary_table
from ._log import ContactLog
from ._models import ChannelModel, GroupModel, channel_spec, check_groups
from ._roster import roster_changes

#: Most service-level bands counted in one run.
_MAX_BANDS = 20


def simulate(forecast: pd.DataFrame, coverage: pd.DataFrame | None = None, *,
             interval_s: float, roster: pd.DataFrame | None = None,
             channels: Mapping[str, ChannelModel] | None = None, n_replications: int = 10,
             seed: int = 0, confidence: float = 0.95,
             on_replication: Callable[[int], None] | None = None,
             contact_log: str | Path | None = None,
             groups: Mapping[str, GroupModel] | None = None,
             channel_priority: list[str] | None = None,
             replications: Sequence[int] | None = None,
             answer_within_bands_s: Sequence[float] = (),
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
        ``agents_on_queue`` (the agents answering contacts, >= 0, after
        shrinkage, as the scenario pipeline passes them; a fractional number is
        an average over the interval, as ACD reports give it: 3.4 is 4 agents
        for the first 40% of the interval, then 3), for the same
        channels and intervals. Give this or ``roster``. ``agents_scheduled``
        (the name of earlier versions and of staffing's ``coverage`` table) is
        accepted in its place, read as agents on the queue.
    interval_s : float
        Interval length, seconds, > 0 (never inferred from the rows).
    roster : pandas.DataFrame, optional
        Shifts and breaks, one row each: ``channel``, ``agent``, ``activity``
        (``shift`` or ``break``), ``start``, ``end`` (see ``simulator._roster``).
        Agents come and go at those exact moments, finishing the contact in hand.
    channels : mapping of str to ChannelModel, optional
        Per channel, how its contacts behave (:class:`ChannelModel`: service
        threshold, patience, handle-time law, over-dispersion, backlog,
        priority classes, concurrency, hang-ups, pick-up delay, redials). A
        channel not named gets
        ``ChannelModel()``.
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
        number of contacts. Dedicated pools and shared groups alike.
    groups : mapping of str to GroupModel, optional
        Shared agents: group name -> :class:`GroupModel` (its skills). Then
        ``coverage`` (or ``roster``) has a ``group`` column instead of
        ``channel``, and routing follows ``simulator._engine``: longest-idle
        agent with the skill; a freed agent serves by ``channel_priority``,
        then first come first served. Per-channel occupancy, maximum queue and
        agents on duty are then NaN; the summary adds each group's occupancy
        (``kpi`` ``group_occupancy``, ``channel`` = the group). Without
        groups, each channel has its own pool of agents (a group with that
        one skill).
    channel_priority : list of str, optional
        Channels, most urgent first (default: the forecast's channels sorted
        by name). Used with ``groups``.
    replications : sequence of int, optional
        Run only these replications of the ``n_replications`` (distinct
        indices in ``[0, n_replications)``), each with the same random stream
        as in the whole run, so the replications of a run can be split over
        workers and put back together (the ``replication`` column keeps the
        indices). The summary then covers these replications only.
    answer_within_bands_s : sequence of float, optional
        Service-level bands, seconds (e.g. ``(10, 15, 20, 40, 60, 120)`` as an
        ACD report gives them), counted in the same run for every channel
        besides each channel's own ``answer_within_s``: ``sim_intervals`` gets
        ``answered_within_<t>s`` (contacts answered after waiting at most
        ``t`` s) and the summary ``service_level_<t>s`` (those / offered). At
        most 20 distinct values >= 0.

    Returns
    -------
    sim_intervals : pandas.DataFrame
        One row per replication, channel and interval: see
        ``SIM_INTERVAL_COLUMNS``. Contacts count in the interval they arrive;
        ``hung_up`` are those that hung up on arrival (``hang_up_share``),
        included in ``abandoned``.
        ``service_level`` is answered within target / offered, ``asa_s`` the
        mean wait of answered contacts, ``mean_wait_s`` over all offered
        (abandoned waits included; contacts still waiting at the end count their
        wait until then, there and in ``p90_wait_s`` and ``max_wait_s``),
        ``occupancy`` busy / paid agent-seconds; ``overtime_s`` the agent time
        worked past scheduled time, in the intervals where it is worked;
        ``redials`` the offered contacts that are redials (so first attempts,
        i.e. customers, are offered - redials), ``first_attempts_answered``
        those answered on the first attempt, ``customers_answered`` the
        customers whose first attempt arrived in the interval and who were
        answered at some attempt, ``redials_after_horizon`` the abandons of the
        interval whose redial would come after the horizon (not simulated); a
        pick-up delay counts in the waits; then ``answered_within_<t>s`` per
        band of ``answer_within_bands_s``.
    summary : pandas.DataFrame
        One row per channel and KPI (``service_level``, ``asa_s``,
        ``mean_wait_s``, ``abandon_rate``, ``occupancy``, then
        ``service_level_<t>s`` per band, then, when a channel has redials,
        ``redial_share``, ``first_attempts_answered_share`` and
        ``customers_answered_share``, per first attempt) over the whole
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
    bands_s = _bands(func, answer_within_bands_s)
    names, starts, offered, aht = _grid(func, "forecast", forecast, ("offered", "aht_s"),
                                        interval_s)
    horizon_s = len(starts) * float(interval_s)
    key = "channel" if groups is None else "group"
    owners = names if groups is None else check_groups(func, groups, names)
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
        checks.append(("coverage", "agents_on_queue", agents, "a finite number >= 0 of agents",
                       np.isfinite(agents) & (agents >= 0), key, owners))
    _check_values(func, checks, starts)
    if coverage is not None:
        changes = [_coverage_changes(row, float(interval_s)) for row in agents]
    else:
        changes = roster_changes(roster, owners, starts[0], horizon_s, key=key)
    agents = _mean_agents(changes, len(starts), float(interval_s))
    settings = channels or {}
    unknown = sorted(set(settings) - set(names))
    if unknown:
        raise SimulationInputError(f"{func}: channels has settings for {unknown}, which are not "
                                   f"in the forecast (channels there: {names}).")
    specs = [channel_spec(func, name, settings.get(name, ChannelModel())) for name in names]
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
    if groups is None and any(spec.concurrency > 1 for spec in specs):
        raise SimulationInputError(
            f"{func}: concurrency needs shared-agent routing: give groups, e.g. "
            "groups={'chat team': GroupModel(skills=('chat',))}, with coverage by group."
        )
    if groups is None:  # dedicated pools: one group per channel, with that one skill
        skills = [[c] for c in range(len(names))]
        order = list(range(len(names)))
    else:
        if any(spec.head_starts_s for spec in specs):
            raise SimulationInputError(f"{func}: priority_classes are not available with "
                                       "shared agents (groups) yet.")
        skills = [[names.index(c) for c in groups[g].skills] for g in owners]
        order = _priority(func, channel_priority, names)
    centre = Centre(offered=offered, aht_s=aht, interval_s=float(interval_s), specs=tuple(specs),
                    day_index=day_index, group_skills=tuple(map(tuple, skills)),
                    changes=tuple(changes), priority=tuple(order), separate=groups is None)
    pools = {c: c for c in range(len(names))} if groups is None else {}
    within = [spec.within_s for spec in specs]
    counters, hists, group_times = [], [], []
    log = (ContactLog(Path(contact_log), tuple(names), tuple(s.class_names for s in specs))
           if contact_log is not None else None)
    try:
        for done, root in enumerate(roots, start=1):
            ledger = Ledger(len(names), len(starts), len(skills), float(interval_s), within, log,
                            bands_s)
            run_replication(centre, ledger, root, labels[done - 1])
            counts, hist, gtime = ledger.close(skills, pools)
            counters.append(counts)
            hists.append(hist)
            group_times.append(gtime)
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
    sim_intervals = intervals_table(counters, hists, names, starts, agents, float(interval_s),
                                    labels, bands_s)
    summary = summary_table(counters, names, confidence, bands_s,
                            redials=any(spec.redial_delay is not None for spec in specs))
    if groups is not None:
        summary = pd.concat([summary, group_summary_table(group_times, owners, confidence)],
                            ignore_index=True)
    return sim_intervals, summary


def _coverage_changes(agents, interval_s):
    """Staffing changes of one channel (or group) from its agents per interval.

    A fractional number is an average over the interval, as an ACD report gives it (3.4
    agents on duty): one more agent for the first fraction of the interval, then the whole
    part (4 agents for the first 40% of the interval, then 3), so the time-average is the
    number given and the changes are the same in every replication.
    """
    changes = []
    for i, a in enumerate(agents):
        start = i * interval_s
        whole = int(math.floor(a + 1e-9))
        fraction = float(a) - whole
        if fraction > 1e-9:
            changes.append((start, whole + 1))
            changes.append((start + fraction * interval_s, whole))
        else:
            changes.append((start, whole))
    return changes


def _bands(func, bands):
    """The service-level bands, checked: distinct finite seconds >= 0, ascending."""
    try:
        values = [float(b) for b in bands]
    except (TypeError, ValueError):
        raise SimulationInputError(f"{func}: answer_within_bands_s must be a list of seconds, "
                                   f"e.g. (10, 20, 60), got {bands!r}.") from None
    bad = [b for b in values if not (math.isfinite(b) and b >= 0)]
    if bad or len(set(values)) != len(values) or len(values) > _MAX_BANDS:
        raise SimulationInputError(
            f"{func}: answer_within_bands_s must hold at most {_MAX_BANDS} distinct thresholds, "
            f"finite seconds >= 0 (e.g. (10, 20, 60)), got {bands!r}.")
    return sorted(values)


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


def _day_index(starts):
    """0, 1, ... for the calendar day (in the table's own time zone) of each interval."""
    # The wall clock's date, not a normalise in the zone: some zones skip local midnight
    # (Africa/Cairo on 2026-04-24), which has no tz-aware midnight to normalise to.
    days = pd.DatetimeIndex(starts)
    days = (days.tz_localize(None) if days.tz is not None else days).normalize()
    _, index = np.unique(days.asi8, return_inverse=True)
    return index.ravel()


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


def _priority(func, channel_priority, names):
    if channel_priority is None:
        return list(range(len(names)))
    if sorted(channel_priority) != names:
        raise SimulationInputError(f"{func}: channel_priority must list every channel once "
                                   f"({', '.join(names)}), got {channel_priority!r}.")
    return [names.index(c) for c in channel_priority]
