"""The ``history`` table: checking and tidying it before any model sees it.

``history`` (consumed): ``channel`` (str), ``interval_start`` (timestamp: naive
local wall-clock time or time-zone aware; the left edge of the interval),
``offered`` (contacts, whole numbers >= 0; NaN = missing, never read as
zero), optional ``aht_s`` (seconds > 0, NaN = unknown). Extra columns are
ignored.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._errors import HistoryError

HISTORY_COLUMNS = ("channel", "interval_start", "offered")


def _first_row(mask: pd.Series) -> int:
    """Position of the first True in a boolean Series (the caller knows there is one)."""
    return int(mask.to_numpy().nonzero()[0][0])


def clean_history(history: pd.DataFrame, *, interval_s: float,
                  where: str = "clean_history()") -> pd.DataFrame:
    """Check a ``history`` table and return a tidy copy on a regular interval grid.

    Rules: the named columns must exist; ``offered`` must be numeric and
    >= 0 (NaN allowed: missing); timestamps must fall on the interval grid;
    the same channel and ``interval_start`` twice is an error. Rows out of
    time order are sorted, with a warning that says so. Intervals missing
    between a channel's first and last row are added with ``offered`` NaN
    (missing, not zero).

    Parameters
    ----------
    history : pandas.DataFrame
        The ``history`` contract (see the module docstring). Not modified.
    interval_s : float
        Interval length in seconds (e.g. 900, 1800, 3600), > 0.
    where : str, optional
        Caller named in messages.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start``, ``offered`` (float, NaN = missing)
        and ``aht_s`` when given, sorted by channel and time, every interval
        present, default index.

    Raises
    ------
    HistoryError
        A column is missing, a count is text or negative, a timestamp is off
        the grid or repeated; the message names the column, row and value.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"channel": "voice", "offered": [3, 5],
    ...                   "interval_start": pd.to_datetime(["2026-01-05 09:00",
    ...                                                     "2026-01-05 09:30"])})
    >>> clean_history(h, interval_s=900).offered.tolist()
    [3.0, nan, 5.0]
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
    if not (interval_s > 0):
        raise HistoryError(f"{where}: interval_s must be > 0 seconds, got {interval_s!r}.")
    out = pd.DataFrame({"channel": history["channel"].astype(str).to_numpy()})
    times = pd.to_datetime(history["interval_start"], errors="coerce")
    if times.isna().any():
        row = _first_row(times.isna())
        raise HistoryError(f"{where}: history row {row}: interval_start "
                           f"{history['interval_start'].iloc[row]!r} is not a time.")
    out["interval_start"] = times.to_numpy() if times.dt.tz is None else times.reset_index(
        drop=True)
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
    rules = {"offered": (out["offered"] < 0, "is negative. Counts are >= 0"),
             "aht_s": (out["aht_s"] <= 0 if "aht_s" in out else None, "must be > 0 seconds")}
    for col, (bad, rule) in rules.items():
        if bad is not None and bad.any():
            row = _first_row(bad)
            raise HistoryError(f"{where}: history row {row}: {col} {out[col].iloc[row]:g} "
                               f"{rule}; leave the cell empty if unknown.")
    step = pd.Timedelta(seconds=interval_s)
    first = out["interval_start"].min()
    offset = (out["interval_start"] - first) % step
    off_grid = offset != pd.Timedelta(0)
    if off_grid.any():
        row = _first_row(off_grid)
        raise HistoryError(
            f"{where}: history row {row}: interval_start {out['interval_start'].iloc[row]} is "
            f"not on the {interval_s:g}-second grid that starts at {first}. Aggregate the "
            "history to that interval length first."
        )
    dup = out.duplicated(["channel", "interval_start"], keep=False)
    if dup.any():
        row = _first_row(dup)
        raise HistoryError(
            f"{where}: history rows repeat channel {out['channel'].iloc[row]!r} and "
            f"interval_start {out['interval_start'].iloc[row]} (first at row {row}). Sum or "
            "drop the duplicates; with naive local times a repeated autumn hour needs "
            "time-zone-aware interval_start values."
        )
    order_ok = (out.groupby("channel", sort=False)["interval_start"]
                .apply(lambda s: s.is_monotonic_increasing).all())
    if not order_ok:
        warnings.warn(f"{where}: history rows were not in time order; sorted them.",
                      UserWarning, stacklevel=2)
    parts = []
    for name, part in out.groupby("channel", sort=True):
        part = part.sort_values("interval_start").set_index("interval_start")
        grid = pd.date_range(part.index.min(), part.index.max(), freq=step)
        full = part.reindex(grid)
        full["channel"] = name
        parts.append(full.rename_axis("interval_start").reset_index())
    tidy = pd.concat(parts, ignore_index=True)
    return tidy[["channel", "interval_start"] + columns]


def aggregate_contacts(contacts: pd.DataFrame, *, interval_s: float, time_column: str,
                       channel_column: str | None = None, channel: str = "voice") -> pd.DataFrame:
    """Per-contact records to a ``history`` table of counts per interval.

    Intervals between a channel's first and last contact with no contact get
    0 (no record means no contact); intervals outside that span are not
    created.

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
        A named column is missing or a time cannot be read.
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
    step = pd.Timedelta(seconds=interval_s)
    frame = pd.DataFrame({
        "channel": (contacts[channel_column].astype(str).to_numpy() if channel_column
                    else np.full(len(contacts), channel)),
        "interval_start": times.dt.floor(step).to_numpy(),
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
