"""The ``history`` table: checking and tidying it before any model sees it.

``history`` (consumed): ``channel`` (str), ``interval_start`` (timestamp: naive
local wall-clock time or time-zone aware; the left edge of the interval),
``offered`` (contacts, whole numbers >= 0; NaN = missing, never read as
zero), optional ``aht_s`` (seconds > 0, NaN = unknown). Extra columns are
ignored.

Daylight-saving days. Models and planners work on the wall clock: the
cleaned table's ``interval_start`` is a naive local wall-clock time on a
regular grid, so a week always has ``7 * 86400 / interval_s`` slots.

- Time-zone-aware ``interval_start`` is converted to the wall clock of
  ``tz`` (when given) or of the column's own zone, and the zone is dropped.
- The autumn hour that the wall clock shows twice gives two rows for the same
  wall-clock slot. Only there, rows are merged: ``offered`` is summed (NaN
  when either is missing; with time-zone-aware times, gaps are found on the
  absolute-time grid first, so an absent pass counts as missing) and
  ``aht_s`` is the offered-weighted mean (the plain mean when no row has
  ``offered`` > 0). A warning names the dates.
- The spring hour that the wall clock skips has no contacts: its slots get
  ``offered`` 0 (not NaN), with a warning naming the dates.
- Naive ``interval_start`` is read as wall-clock time of ``tz``. Without
  ``tz`` nothing is known about daylight saving: a repeated slot is an error
  and a skipped hour stays missing (NaN) like any other gap.
"""

from __future__ import annotations

import warnings
import zoneinfo
from datetime import tzinfo

import numpy as np
import pandas as pd

from .errors import HistoryError

HISTORY_COLUMNS = ("channel", "interval_start", "offered")

#: Dates a history may hold (wall-clock time): a year outside is a typo, and one row in the
#: year 1 would otherwise grow a grid of 35 million intervals per channel (5 GB).
EARLIEST = pd.Timestamp("1970-01-01")
LATEST_DAY = pd.Timestamp("2200-12-31")
#: Most intervals the regular grid of a history may hold, summed over its channels (e.g. 57
#: years of 15-minute intervals for two channels, or 9.5 years of 1-minute ones for one).
MAX_GRID_INTERVALS = 5_000_000
#: Longest interval length, seconds (one week; the models' season).
MAX_INTERVAL_S = 7 * 86400.0


def _rows_listed(rows: np.ndarray) -> str:
    listed = ", ".join(map(str, rows[:10])) + (", ..." if rows.size > 10 else "")
    return f"row{'s' if rows.size > 1 else ''} {listed}"


def check_date_range(times: pd.Series, where: str, label: str = "history") -> None:
    """A HistoryError naming the rows (by position) whose time is outside 1970..2200.

    ``times`` is naive or time-zone aware (then read on its own wall clock).
    """
    wall = times.dt.tz_localize(None) if times.dt.tz is not None else times
    bad = ((wall < EARLIEST) | (wall >= LATEST_DAY + pd.Timedelta(days=1))).to_numpy()
    if bad.any():
        rows = np.flatnonzero(bad)
        raise HistoryError(
            f"{where}: {label} {_rows_listed(rows)}: interval_start {times.iloc[rows[0]]} is "
            f"outside {EARLIEST:%Y-%m-%d}..{LATEST_DAY:%Y-%m-%d} ({rows.size} "
            f"row{'s' if rows.size > 1 else ''}). Fix the date (a typo in the year?), or drop "
            "those rows."
        )


def check_grid_size(channels: pd.Series, times: pd.Series, step: pd.Timedelta, where: str,
                    label: str = "history") -> None:
    """A HistoryError when the grid from each channel's first to last time is too large.

    Checked before any grid is built; the message names the widest channel, its first and
    last rows and the bound.
    """
    frame = pd.DataFrame({"channel": channels.to_numpy(), "t": times.to_numpy()})
    if times.dt.tz is not None:
        frame["t"] = times.reset_index(drop=True)
    spans = frame.groupby("channel", sort=True)["t"].agg(["min", "max", "idxmin", "idxmax"])
    slots = ((spans["max"] - spans["min"]) // step + 1).astype("int64")
    total = int(slots.sum())
    if total > MAX_GRID_INTERVALS:
        name = slots.idxmax()
        row = spans.loc[name]
        raise HistoryError(
            f"{where}: {label} channel {name!r} runs from {row['min']} ({label} row "
            f"{int(row['idxmin'])}) to {row['max']} ({label} row {int(row['idxmax'])}): "
            f"{int(slots[name]):,} intervals of {step.total_seconds():g} s, {total:,} over all "
            f"channels; a history may hold at most {MAX_GRID_INTERVALS:,}. Check the dates of "
            "those rows, or aggregate to longer intervals."
        )


def _first_row(mask: pd.Series) -> int:
    """Position of the first True in a boolean Series (the caller knows there is one)."""
    return int(mask.to_numpy().nonzero()[0][0])


def _dst_flags(times: pd.DatetimeIndex, zone: tzinfo) -> tuple[np.ndarray, np.ndarray]:
    """Which naive wall-clock ``times`` the clock of ``zone`` shows twice, and which never.

    Returns ``(repeated, skipped)`` boolean arrays: ``repeated`` marks times in
    an hour the clock goes through twice (autumn), ``skipped`` times in an hour
    it jumps over (spring).
    """
    n_times = len(times)
    if n_times == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    summer = times.tz_localize(zone, ambiguous=np.ones(n_times, dtype=bool),
                               nonexistent="NaT")
    winter = times.tz_localize(zone, ambiguous=np.zeros(n_times, dtype=bool),
                               nonexistent="NaT")
    skipped = np.asarray(summer.isna(), dtype=bool)
    repeated = ~skipped & np.asarray(summer != winter, dtype=bool)
    return repeated, skipped


def _merge_repeated(out: pd.DataFrame, repeated_rows: pd.Series) -> pd.DataFrame:
    """Merge rows that share a channel and wall-clock ``interval_start`` into one each.

    ``offered`` is summed (NaN when any part is missing); ``aht_s`` is the
    offered-weighted mean of the known values, or their plain mean when no
    part has ``offered`` > 0.
    """
    keep = out[~repeated_rows]
    merged = []
    for (name, start), group in out[repeated_rows].groupby(["channel", "interval_start"],
                                                           sort=False):
        row: dict[str, object] = {"channel": name, "interval_start": start,
                                  "offered": group["offered"].sum(skipna=False)}
        if "aht_s" in group:
            aht_s = group["aht_s"].to_numpy(dtype=float)
            weight = np.nan_to_num(group["offered"].to_numpy(dtype=float), nan=0.0)
            weight = np.where(np.isnan(aht_s), 0.0, weight)
            if weight.sum() > 0:
                row["aht_s"] = float(np.nansum(weight * aht_s) / weight.sum())
            else:
                row["aht_s"] = (float(np.nanmean(aht_s)) if np.isfinite(aht_s).any()
                                else np.nan)
        merged.append(row)
    return pd.concat([keep, pd.DataFrame(merged, columns=out.columns)], ignore_index=True)


def _absolute_grid(out: pd.DataFrame, step: pd.Timedelta) -> pd.DataFrame:
    """Time-zone-aware rows with every instant between each channel's first and last row,
    the absent ones added with NaN values."""
    parts = []
    for name, part in out.groupby("channel", sort=False):
        part = part.set_index("interval_start")
        grid = pd.date_range(part.index.min(), part.index.max(), freq=step)
        full = part.reindex(grid)
        full["channel"] = name
        parts.append(full.rename_axis("interval_start").reset_index()[list(out.columns)])
    return pd.concat(parts, ignore_index=True)


def _floor(times: pd.Series, step: pd.Timedelta) -> pd.Series:
    """``times`` floored to the interval grid of their own wall clock.

    Time-zone-aware times are floored on the wall clock and keep their own
    UTC offset, so a time in the repeated autumn hour stays in its pass (a
    plain ``floor`` cannot tell the two passes apart and raises).
    """
    if times.dt.tz is None:
        return times.dt.floor(step).reset_index(drop=True)
    zone = times.dt.tz
    wall = times.dt.tz_localize(None)
    offset = wall - times.dt.tz_convert("UTC").dt.tz_localize(None)
    utc = (wall.dt.floor(step) - offset).dt.tz_localize("UTC")
    return utc.dt.tz_convert(zone).reset_index(drop=True)


def _check_channels(channels: pd.Series, where: str, column: str) -> None:
    """A HistoryError naming the rows (by position) whose channel is missing."""
    empty = channels.isna().to_numpy()
    if empty.any():
        rows = np.flatnonzero(empty)
        listed = ", ".join(map(str, rows[:10])) + (", ..." if rows.size > 10 else "")
        raise HistoryError(
            f"{where} row{'s' if rows.size > 1 else ''} {listed}: {column} is empty "
            f"({rows.size} row{'s' if rows.size > 1 else ''}). Every row needs a channel: "
            "name the channel of those rows, or drop them."
        )


def _dates(times: pd.Series | pd.DatetimeIndex) -> str:
    """Distinct calendar dates of ``times``, ISO format, comma separated."""
    return ", ".join(sorted({t.strftime("%Y-%m-%d") for t in times}))


def clean_history(history: pd.DataFrame, *, interval_s: float,
                  where: str = "clean_history()", tz: str | None = None) -> pd.DataFrame:
    """Check a ``history`` table and return a tidy copy on a regular interval grid.

    Rules: the named columns must exist; ``offered`` must be numeric and
    >= 0 (NaN allowed: missing); timestamps must fall on the interval grid;
    the same channel and ``interval_start`` twice is an error, except for the
    autumn hour the wall clock repeats (see below). Rows out of time order are
    sorted, with a warning that says so. Intervals missing between a channel's
    first and last row are added with ``offered`` NaN (missing, not zero).

    Daylight saving (the result is always on the naive local wall clock):

    - Time-zone-aware ``interval_start`` (any zone) is converted to the wall
      clock of ``tz``, or of the column's own zone when ``tz`` is None, and the
      zone is dropped. Missing intervals are found before that, on the
      absolute-time grid. The two real intervals of the repeated autumn hour
      then fall on the same wall-clock slot: they are merged (``offered``
      summed, NaN if either is missing or absent, also when the history
      starts or ends between them; ``aht_s`` the offered-weighted mean, or the
      plain mean when no row has ``offered`` > 0), with one warning naming the
      dates. Slots of the spring hour the clock skips get ``offered`` 0 (they
      do not exist, so no contacts), with a warning naming the dates.
    - Naive ``interval_start`` with ``tz``: times are read as wall-clock time
      of ``tz``. Rows repeating a channel and ``interval_start`` are allowed
      (twice at most) only inside the repeated autumn hour of ``tz`` on that
      date, and are merged as above. Skipped spring slots that are absent or
      NaN get ``offered`` 0 as above; rows given there with counts are kept
      as given. Any other repeat is an error.
    - Naive ``interval_start`` without ``tz``: nothing is assumed about daylight
      saving. Any repeat is an error (the message suggests ``tz``) and a
      skipped hour stays NaN like any other gap.

    Parameters
    ----------
    history : pandas.DataFrame
        The ``history`` contract (see the module docstring). Not modified.
    interval_s : float
        Interval length in seconds (e.g. 900, 1800, 3600), > 0.
    where : str, optional
        Caller named in messages.
    tz : str, optional
        IANA time zone of the wall clock, e.g. ``"Europe/Paris"`` or
        ``"America/New_York"``. Default None: the zone of a time-zone-aware
        ``interval_start``, and no daylight-saving handling for naive times.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start`` (naive local wall-clock time),
        ``offered`` (float, NaN = missing; 0 in skipped spring slots) and
        ``aht_s`` when given, sorted by channel and time, every wall-clock
        interval present once, default index.

    Raises
    ------
    HistoryError
        A column is missing, a channel is empty, a count is text or negative,
        a timestamp is off the grid or repeated (outside a repeated autumn hour of the zone), or
        ``tz`` is not a known time zone; the message names the column, row
        and value.

    Warns
    -----
    UserWarning
        Rows were out of time order; repeated autumn-hour rows were merged;
        skipped spring-hour slots were set to 0.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"channel": "voice", "offered": [3, 5],
    ...                   "interval_start": pd.to_datetime(["2026-01-05 09:00",
    ...                                                     "2026-01-05 09:30"])})
    >>> clean_history(h, interval_s=900).offered.tolist()
    [3.0, nan, 5.0]

    Naive times on the autumn change: the repeated 02:00 slot is summed.

    >>> h = pd.DataFrame({"channel": "voice", "offered": [1, 2, 3, 4],
    ...                   "interval_start": pd.to_datetime(["2012-10-28 01:00",
    ...                       "2012-10-28 02:00", "2012-10-28 02:00", "2012-10-28 03:00"])})
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     clean_history(h, interval_s=3600, tz="Europe/Paris").offered.tolist()
    [1.0, 5.0, 4.0]
    """
    if not isinstance(history, pd.DataFrame):
        raise HistoryError(f"{where}: history must be a pandas DataFrame, got "
                           f"{type(history).__name__}.")
    missing = [c for c in HISTORY_COLUMNS if c not in history.columns]
    if missing:
        raise HistoryError(
            f"{where}: history has no column {', '.join(map(repr, missing))} (found: "
            f"{', '.join(map(str, history.columns))}). Name the columns channel, "
            "interval_start and offered (and aht_s for handle times)."
        )
    if not (interval_s > 0):  # NaN fails too
        raise HistoryError(f"{where}: interval_s must be > 0 seconds, got {interval_s!r}.")
    if not interval_s <= MAX_INTERVAL_S:
        raise HistoryError(f"{where}: interval_s must be at most one week ({MAX_INTERVAL_S:g} "
                           f"seconds), got {interval_s!r}. E.g. 1800 for 30 minutes.")
    if len(history) == 0:
        raise HistoryError(f"{where}: history has no rows; give at least the weeks the method "
                           "needs (e.g. 3 weeks of 30-minute intervals).")
    zone: tzinfo | None = None
    if tz is not None:
        try:
            zone = zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError) as exc:
            raise HistoryError(
                f"{where}: tz {tz!r} is not a known IANA time zone. Give a zone name "
                "such as 'Europe/Paris' or 'America/New_York', or None."
            ) from exc
    _check_channels(history["channel"], f"{where}: history", "channel")
    out = pd.DataFrame({"channel": history["channel"].astype(str).to_numpy()})
    times = pd.to_datetime(history["interval_start"], errors="coerce")
    if times.isna().any():
        row = _first_row(times.isna())
        raise HistoryError(f"{where}: history row {row}: interval_start "
                           f"{history['interval_start'].iloc[row]!r} is not a time.")
    times = times.reset_index(drop=True)
    check_date_range(times, where)
    check_grid_size(out["channel"], times, pd.Timedelta(seconds=interval_s), where)
    is_aware = times.dt.tz is not None
    out["interval_start"] = times.reset_index(drop=True) if is_aware else times.to_numpy()
    columns = ["offered"] + (["aht_s"] if "aht_s" in history.columns else [])
    for col in columns:
        raw = history[col]
        values = pd.to_numeric(raw, errors="coerce")
        text = values.isna() & raw.notna()
        if text.any():
            row = _first_row(text)
            raise HistoryError(f"{where}: history row {row}: {col} {raw.iloc[row]!r} is not a "
                               "number. Fix the value or leave the cell empty (missing).")
        out[col] = values.to_numpy(dtype=float)
    rules = [("offered", out["offered"] < 0, "is negative. Counts are >= 0"),
             ("offered", np.isinf(out["offered"]), "is infinite. Counts are finite"),
             ("aht_s", out["aht_s"] <= 0 if "aht_s" in out else None, "must be > 0 seconds")]
    for col, bad, rule in rules:
        if bad is not None and bad.any():
            row = _first_row(bad)
            raise HistoryError(f"{where}: history row {row}: {col} {out[col].iloc[row]:g} "
                               f"{rule}; leave the cell empty if unknown.")
    step = pd.Timedelta(seconds=interval_s)

    def check_grid(label: str) -> None:
        first = out["interval_start"].min()
        offset = (out["interval_start"] - first) % step
        off_grid = offset != pd.Timedelta(0)
        if off_grid.any():
            row = _first_row(off_grid)
            raise HistoryError(
                f"{where}: history row {row}: interval_start {out['interval_start'].iloc[row]}"
                f"{label} is not on the {interval_s:g}-second grid that starts at {first}. "
                "Aggregate the history to that interval length first."
            )

    check_grid("")
    if is_aware:
        # Real repeats are checked on the instants, before the wall clock folds the
        # autumn hour onto itself; so is the time order.
        zone = zone if zone is not None else times.dt.tz
        repeated_rows = pd.Series(False, index=out.index)
        dup = out.duplicated(["channel", "interval_start"], keep=False)
    else:
        dup = out.duplicated(["channel", "interval_start"], keep=False)
        repeated_rows = dup.copy()
        if dup.any() and zone is not None:
            in_autumn_hour, _ = _dst_flags(pd.DatetimeIndex(out["interval_start"]), zone)
            n_rows = out.groupby(["channel", "interval_start"])["offered"].transform("size")
            dup = dup & ~(pd.Series(in_autumn_hour, index=out.index) & (n_rows <= 2))
    if dup.any():
        row = _first_row(dup)
        if zone is None:
            fix = (" Or pass the IANA zone of the wall clock, e.g. tz='Europe/Paris', and "
                   "the two rows of its repeated autumn hour are summed.")
        elif is_aware:
            fix = " These time-zone-aware rows name the same instant twice."
        else:
            fix = (f" With tz={tz!r} only a time in the repeated autumn hour of that zone "
                   "may appear twice, and this one is not (or appears more than twice).")
        raise HistoryError(
            f"{where}: history rows repeat channel {out['channel'].iloc[row]!r} and "
            f"interval_start {out['interval_start'].iloc[row]} (first at row {row}). Sum or "
            "drop the duplicates; with naive local times a repeated autumn hour needs "
            f"time-zone-aware interval_start values.{fix}"
        )
    first_rows = out[~out.duplicated(["channel", "interval_start"], keep="first")]
    order_ok = (first_rows.groupby("channel", sort=False)["interval_start"]
                .apply(lambda s: s.is_monotonic_increasing).all())
    if not order_ok:
        warnings.warn(f"{where}: history rows were not in time order; sorted them.",
                      UserWarning, stacklevel=2)
    if is_aware:
        # Gaps are found on the absolute-time grid, before the wall clock folds the autumn
        # hour onto itself: an absent pass of that hour is a missing row (NaN), so the merged
        # slot is missing too, never the other pass alone.
        out = _absolute_grid(out, step)
        out["interval_start"] = (out["interval_start"].dt.tz_convert(zone)
                                 .dt.tz_localize(None))
        check_grid(" (local wall-clock time)")
        repeated_rows = out.duplicated(["channel", "interval_start"], keep=False)
        # A pass outside the history's span (it starts or ends inside the repeated hour):
        # that slot is only half known, so its count is missing.
        if zone is not None:  # always, for aware times (narrows the type)
            in_autumn_hour, _ = _dst_flags(pd.DatetimeIndex(out["interval_start"]), zone)
            out.loc[in_autumn_hour & ~repeated_rows.to_numpy(), "offered"] = np.nan
    if repeated_rows.any():
        dates = _dates(out.loc[repeated_rows, "interval_start"])
        out = _merge_repeated(out, repeated_rows)
        warnings.warn(
            f"{where}: history: the repeated autumn hour(s) on {dates} ({zone}) were merged "
            "into one wall-clock slot each (counts summed, aht_s offered-weighted).",
            UserWarning, stacklevel=2)
    parts = []
    for name, part in out.groupby("channel", sort=True):
        part = part.sort_values("interval_start").set_index("interval_start")
        grid = pd.date_range(part.index.min(), part.index.max(), freq=step)
        full = part.reindex(grid)
        full["channel"] = name
        parts.append(full.rename_axis("interval_start").reset_index())
    tidy = pd.concat(parts, ignore_index=True)
    if zone is not None:
        _, skipped = _dst_flags(pd.DatetimeIndex(tidy["interval_start"]), zone)
        fill = skipped & tidy["offered"].isna().to_numpy()
        if fill.any():
            tidy.loc[fill, "offered"] = 0.0
            warnings.warn(
                f"{where}: history: the spring hour skipped by the wall clock on "
                f"{_dates(tidy.loc[fill, 'interval_start'])} ({zone}) does not exist; its "
                f"{int(fill.sum())} slot(s) were set to offered 0 (no contacts), not missing.",
                UserWarning, stacklevel=2)
    return tidy[["channel", "interval_start"] + columns]


def aggregate_contacts(contacts: pd.DataFrame, *, interval_s: float, time_column: str,
                       channel_column: str | None = None, channel: str = "voice") -> pd.DataFrame:
    """Per-contact records to a ``history`` table of counts per interval.

    Intervals between a channel's first and last contact with no contact get
    0 (no record means no contact); intervals outside that span are not
    created. Time-zone-aware times stay aware (floored on their wall clock,
    each in its own pass of a repeated autumn hour); ``clean_history`` then
    merges that hour.

    Parameters
    ----------
    contacts : pandas.DataFrame
        One row per contact.
    interval_s : float
        Interval length, seconds (> 0).
    time_column : str
        Column with each contact's arrival time.
    channel_column : str, optional
        Column with the channel; without it every contact is ``channel``.
    channel : str, optional
        Channel name when there is no channel column.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start``, ``offered`` (float).

    Raises
    ------
    HistoryError
        A named column is missing, a time cannot be read or a channel is empty.
    """
    for col in (time_column,) + ((channel_column,) if channel_column else ()):
        if col not in contacts.columns:
            raise HistoryError(f"aggregate_contacts(): no column {col!r} (found: "
                               f"{', '.join(map(str, contacts.columns))}).")
    times = pd.to_datetime(contacts[time_column], errors="coerce")
    if times.isna().any():
        row = _first_row(times.isna())
        raise HistoryError(f"aggregate_contacts(): row {row}: {time_column} "
                           f"{contacts[time_column].iloc[row]!r} is not a time.")
    if channel_column:
        _check_channels(contacts[channel_column], "aggregate_contacts():", channel_column)
    times = times.reset_index(drop=True)
    check_date_range(times, "aggregate_contacts()", label="contacts")
    step = pd.Timedelta(seconds=interval_s)
    names = (contacts[channel_column].astype(str) if channel_column
             else pd.Series(np.full(len(contacts), channel)))
    check_grid_size(names, times, step, "aggregate_contacts()", label="contacts")
    frame = pd.DataFrame({
        "channel": (contacts[channel_column].astype(str).to_numpy() if channel_column
                    else np.full(len(contacts), channel)),
        "interval_start": _floor(times, step),
    })
    counts = frame.groupby(["channel", "interval_start"]).size().rename("offered")
    parts = []
    for name, part in counts.groupby(level="channel"):
        series = part.droplevel("channel")
        grid = pd.date_range(series.index.min(), series.index.max(), freq=step)
        parts.append(pd.DataFrame({"channel": name, "interval_start": grid,
                                   "offered": series.reindex(grid, fill_value=0)
                                   .to_numpy(dtype=float)}))
    return pd.concat(parts, ignore_index=True)
