"""Rosters: agents' shifts and breaks, turned into the moments the agents on duty change.

The ``roster`` table (one row per shift or break)::

    channel      str        the channel the agent works (must be in the forecast); a
                            break's channel is that of the shift it lies in
    agent        str        who; a break belongs to the agent's shift that contains it
    activity     str        "shift" or "break"
    start, end   timestamp  the period [start, end), end after start

Agents on duty at a moment = shifts covering it - breaks covering it. An agent
whose shift ends or whose break starts while serving finishes the contact in
hand first (the simulator records the overtime); breaks are taken as planned.
Every problem is reported with its row number (0-based, in the table's order)
and the fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._errors import SimulationInputError

ROSTER_COLUMNS = ("channel", "agent", "activity", "start", "end")


def roster_changes(roster: pd.DataFrame, channels: list[str], horizon_start: pd.Timestamp,
                   horizon_s: float, key: str = "channel") -> list[list[tuple[float, int]]]:
    """Check a roster; return per channel the (seconds from horizon start, agents) changes.

    Parameters
    ----------
    roster : pandas.DataFrame
        See the module docstring.
    channels : list of str
        The forecast's channels, in the simulator's order.
    horizon_start : pandas.Timestamp
        The first interval's start; times become seconds after it.
    horizon_s : float
        Length of the horizon, seconds.

    Returns
    -------
    list of list of (float, int)
        For each channel, time-ordered changes of the number of agents on duty,
        starting with the count at time 0.

    Raises
    ------
    SimulationInputError
        Missing column, unknown channel or activity, a period that ends before
        it starts, a break outside its agent's shift or on another channel than
        that shift, overlapping breaks or shifts of one agent, a negative number
        of agents on duty.
    """
    func = "simulate()"
    needed = (key,) + ROSTER_COLUMNS[1:]
    missing = [c for c in needed if c not in roster.columns]
    if missing:
        raise SimulationInputError(
            f"{func}: 'roster' has no column {', '.join(map(repr, missing))} (found: "
            f"{', '.join(map(str, roster.columns))}). A roster has one row per shift or break: "
            f"{', '.join(needed)}."
        )
    table = roster.reset_index(drop=True)
    starts = pd.to_datetime(table["start"], errors="coerce")
    ends = pd.to_datetime(table["end"], errors="coerce")
    for name, col in (("start", starts), ("end", ends)):
        if col.isna().any():
            row = int(col.isna().to_numpy().nonzero()[0][0])
            raise SimulationInputError(f"{func}: 'roster' row {row}: {name} "
                                       f"{table[name].iloc[row]!r} is not a time.")
    zero = pd.Timestamp(horizon_start)
    if (starts.dt.tz is None) != (zero.tz is None):
        raise SimulationInputError(
            f"{func}: 'roster' times and the forecast's interval_start must both carry a time "
            "zone or both be local wall-clock times."
        )
    start_s = ((starts - zero).dt.total_seconds()).to_numpy()
    end_s = ((ends - zero).dt.total_seconds()).to_numpy()
    activity = table["activity"].astype(str).to_numpy()
    channel = table[key].astype(str).to_numpy()
    agent = table["agent"].astype(str).to_numpy()
    for row in range(len(table)):
        if channel[row] not in channels:
            where = "the forecast" if key == "channel" else "groups"
            raise SimulationInputError(
                f"{func}: 'roster' row {row}: {key} {channel[row]!r} is not in {where} "
                f"({key}s: {', '.join(channels)}). Fix the name or add it."
            )
        if activity[row] not in ("shift", "break"):
            raise SimulationInputError(f"{func}: 'roster' row {row}: activity must be 'shift' "
                                       f"or 'break', got {activity[row]!r}.")
        if not end_s[row] > start_s[row]:
            raise SimulationInputError(
                f"{func}: 'roster' row {row}: end {ends.iloc[row]} is not after start "
                f"{starts.iloc[row]} (a negative or zero duration). Swap or correct the times."
            )
    _check_agents(func, agent, activity, start_s, end_s, channel, key)
    changes = []
    for name in channels:
        mine = channel == name
        points = np.concatenate([start_s[mine], end_s[mine]])
        signs = np.concatenate([np.where(activity[mine] == "shift", 1, -1),
                                np.where(activity[mine] == "shift", -1, 1)])
        rows = np.tile(np.flatnonzero(mine), 2)
        order = np.lexsort((signs, points))  # at one moment, departures before arrivals
        times, level = points[order], np.cumsum(signs[order])
        _check_level(func, key, name, times, level, rows[order], zero)
        steps = [(0.0, int(level[times <= 0.0][-1]) if np.any(times <= 0.0) else 0)]
        for t, v in zip(times.tolist(), level.tolist(), strict=True):
            if 0.0 < t < horizon_s:
                if t == steps[-1][0]:
                    steps[-1] = (t, int(v))
                else:
                    steps.append((t, int(v)))
        changes.append(steps)
    return changes


def _check_level(func, key, name, times, level, rows, zero):
    """The agents on duty (after all changes at one moment) must never be negative."""
    last = np.append(times[1:] != times[:-1], True)  # the last change at each moment
    bad = np.flatnonzero(last & (level < 0))
    if bad.size:
        k = int(bad[0])
        first = int(np.flatnonzero((times == times[k]) & (level < 0))[0])
        raise SimulationInputError(
            f"{func}: 'roster' row {int(rows[first])}: at {zero + pd.Timedelta(seconds=times[k])} "
            f"{key} {name!r} would have {int(level[k])} agents on duty (more breaks or shift "
            f"ends than shifts on duty). Give each break the {key} of the shift it lies in."
        )


def _check_agents(func, agent, activity, start_s, end_s, channel, key="channel"):
    """Shifts of one agent must not overlap; each break lies inside one shift of the same
    channel (or group), breaks apart."""
    frame = pd.DataFrame({"agent": agent, "activity": activity, "start": start_s,
                          "end": end_s, "row": np.arange(agent.size), "channel": channel})
    for who, part in frame.groupby("agent", sort=False):
        for kind in ("shift", "break"):
            periods = part[part.activity == kind].sort_values("start")
            overlap = periods["start"].to_numpy()[1:] < periods["end"].to_numpy()[:-1]
            if overlap.any():
                i = int(np.flatnonzero(overlap)[0])
                a, b = periods["row"].iloc[i], periods["row"].iloc[i + 1]
                raise SimulationInputError(
                    f"{func}: 'roster' rows {a} and {b}: two {kind}s of agent {who!r} "
                    "overlap. Move one, or merge them."
                )
        shifts = part[part.activity == "shift"]
        for rec in part[part.activity == "break"].itertuples():
            inside = (shifts["start"] <= rec.start) & (shifts["end"] >= rec.end)
            other = shifts[inside & (shifts["channel"] != rec.channel)]
            if not (inside & (shifts["channel"] == rec.channel)).any() and len(other):
                shift = other.iloc[0]
                raise SimulationInputError(
                    f"{func}: 'roster' row {rec.row}: the break of agent {who!r} is on {key} "
                    f"{rec.channel!r} but lies inside that agent's shift on {key} "
                    f"{shift['channel']!r} (row {shift['row']}); a break takes the agent off "
                    f"its shift's {key}. Give the break the {key} {shift['channel']!r}."
                )
            if not inside.any():
                raise SimulationInputError(
                    f"{func}: 'roster' row {rec.row}: the break of agent {who!r} does not lie "
                    "inside one of that agent's shifts. Move it into the shift or drop it."
                )
