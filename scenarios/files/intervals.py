"""Reading interval files for the command line (tables of intervals, rosters)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._errors import InputFileError
from .output import csv_unescape

__all__ = [
    "read_intervals_csv",
    "read_interval_table",
    "fill_closed_intervals",
    "read_roster",
]


def read_intervals_csv(path: Path, default_aht_s: float | None) -> pd.DataFrame:
    """Read a CSV of intervals with ``offered`` and optionally ``aht_s``.

    Parameters
    ----------
    path : pathlib.Path
        CSV file. Required column ``offered`` (contacts per interval); optional
        ``interval_start``, ``channel`` and ``aht_s`` (seconds).
    default_aht_s : float or None
        AHT for files without an ``aht_s`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``interval_start`` and ``channel`` when present, ``offered``,
        ``aht_s``.

    Raises
    ------
    InputFileError
        The file is missing or unreadable, a column is missing, or a value is
        missing or not a number; the message names the file, row and column.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file. Give the path of a CSV with an 'offered' "
                             "column.")
    try:
        raw = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputFileError(f"{path}: not a readable CSV ({first}).") from None
    if "offered" not in raw.columns:
        raise InputFileError(f"{path}: no column 'offered' (found: {', '.join(raw.columns)}). "
                             "Name the column of contacts per interval 'offered'.")
    out = pd.DataFrame(index=raw.index)
    for key in ("interval_start", "channel"):
        if key in raw.columns:
            out[key] = csv_unescape(raw[key]) if key == "channel" else raw[key]
    out["offered"] = _numeric(raw, "offered", path)
    if "aht_s" in raw.columns:
        aht = _numeric(raw, "aht_s", path, fill=default_aht_s)
    elif default_aht_s is not None:
        aht = pd.Series(float(default_aht_s), index=raw.index)
    else:
        raise InputFileError(f"{path}: no column 'aht_s' and no --aht-s given. Add an 'aht_s' "
                             "column (seconds) or pass --aht-s, e.g. --aht-s 240.")
    out["aht_s"] = aht
    for column, bad, rule in (("offered", out["offered"] < 0, ">= 0 contacts"),
                              ("aht_s", out["aht_s"] <= 0, "> 0 seconds")):
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise InputFileError(
                f"{path}: row {row + 2} column {column!r} must be {rule}, got "
                f"{out[column].iloc[row]:g}. Correct the value or drop the row."
            )
    return out.reset_index(drop=True)


def _numeric(raw: pd.DataFrame, column: str, path: Path, fill: float | None = None) -> pd.Series:
    values = pd.to_numeric(raw[column], errors="coerce")
    text_bad = values.isna() & raw[column].notna()
    if text_bad.any():
        row = int(text_bad.to_numpy().nonzero()[0][0])
        raise InputFileError(
            f"{path}: row {row + 2} column {column!r} is not a number: {raw[column].iloc[row]!r}."
        )
    missing = values.isna()
    if missing.any() and fill is not None and column == "aht_s":
        return values.fillna(float(fill))
    if missing.any():
        row = int(missing.to_numpy().nonzero()[0][0])
        what = {"offered": "contacts", "aht_s": "seconds"}.get(column, "value")
        fix = (" or pass --aht-s to fill missing handle times" if column == "aht_s" else "")
        raise InputFileError(
            f"{path}: row {row + 2} column {column!r} is empty ({missing.sum()} empty in all). "
            f"Missing values are never read as zero: fill in the {what}, drop the row{fix}."
        )
    return values.astype(float)


def read_interval_table(path: Path, *, need: tuple[str, ...], channel: str,
                        default_aht_s: float | None = None) -> pd.DataFrame:
    """Read a CSV of intervals with ``interval_start`` for the simulator.

    Parameters
    ----------
    path : pathlib.Path
        CSV file with ``interval_start`` (local wall-clock or ISO time with
        offset) and the columns in ``need``; ``channel`` is optional (default
        ``channel``). ``agents`` is accepted for ``agents_scheduled``.
    need : tuple of str
        Numeric columns required (``offered``, ``aht_s``, ``agents_scheduled``).
    channel : str
        Channel name for files without a ``channel`` column.
    default_aht_s : float, optional
        Fills ``aht_s`` when the file has no such column or an empty cell.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start`` and the ``need`` columns, in file order.

    Raises
    ------
    InputFileError
        Missing file or column, an unparsable time, or a missing or
        non-numeric value; the message names the file, row and column.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file.")
    try:
        raw = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputFileError(f"{path}: not a readable CSV ({str(err).splitlines()[0]}).") from None
    if "agents" in raw.columns and "agents_scheduled" not in raw.columns:
        raw = raw.rename(columns={"agents": "agents_scheduled"})
    for col in ("interval_start",) + tuple(c for c in need if c != "aht_s"):
        if col not in raw.columns:
            raise InputFileError(f"{path}: no column {col!r} (found: {', '.join(raw.columns)}).")
    out = pd.DataFrame(index=raw.index)
    out["channel"] = (csv_unescape(raw["channel"].astype(str)) if "channel" in raw.columns
                      else channel)
    times = pd.to_datetime(raw["interval_start"], errors="coerce")
    if times.isna().any():
        row = int(times.isna().to_numpy().nonzero()[0][0])
        raise InputFileError(f"{path}: row {row + 2} column 'interval_start' is not a time: "
                             f"{raw['interval_start'].iloc[row]!r}. Use e.g. 2026-03-02 08:00.")
    out["interval_start"] = times
    for col in need:
        if col == "aht_s" and col not in raw.columns:
            if default_aht_s is None:
                raise InputFileError(f"{path}: no column 'aht_s' and no --aht-s given.")
            out[col] = float(default_aht_s)
        else:
            out[col] = _numeric(raw, col, path, fill=default_aht_s if col == "aht_s" else None)
    return out


def fill_closed_intervals(table: pd.DataFrame, interval_s: float,
                          fill: dict[str, float]) -> pd.DataFrame:
    """Add the intervals missing between a channel's first and last row as closed ones.

    Only on the user's explicit request (``ccplan simulate --closed-gaps``):
    missing intervals are otherwise an error, never read as zero.

    Parameters
    ----------
    table : pandas.DataFrame
        ``channel``, ``interval_start`` and value columns.
    interval_s : float
        Interval length, seconds.
    fill : dict
        Value per column for the added intervals (e.g. ``offered`` 0).

    Returns
    -------
    pandas.DataFrame
        The table with every interval present, sorted by channel and time.
    """
    parts = []
    step = pd.Timedelta(seconds=interval_s)
    for name, part in table.groupby("channel", sort=True):
        part = part.sort_values("interval_start").set_index("interval_start")
        grid = pd.date_range(part.index.min(), part.index.max(), freq=step)
        full = part.reindex(grid)
        full["channel"] = name
        for col, value in fill.items():
            full[col] = full[col].fillna(value)
        parts.append(full.rename_axis("interval_start").reset_index())
    return pd.concat(parts, ignore_index=True)[list(table.columns)]


def read_roster(path: Path, *, channel: str) -> pd.DataFrame:
    """Read a roster CSV: ``agent``, ``activity``, ``start``, ``end``, optional ``channel``.

    Parameters
    ----------
    path : pathlib.Path
        CSV file, one row per shift or break.
    channel : str
        Channel for files without a ``channel`` column.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``agent``, ``activity``, ``start``, ``end`` (times parsed).

    Raises
    ------
    InputFileError
        Missing file or column, or an unparsable time (file, row and column named).
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file.")
    try:
        raw = pd.read_csv(path, dtype=str)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputFileError(f"{path}: not a readable CSV ({first}).") from None
    for col in ("agent", "activity", "start", "end"):
        if col not in raw.columns:
            raise InputFileError(f"{path}: no column {col!r} (found: {', '.join(raw.columns)}). "
                                 "A roster has agent, activity (shift or break), start, end.")
    out = pd.DataFrame(index=raw.index)
    out["channel"] = csv_unescape(raw["channel"]) if "channel" in raw.columns else channel
    out["agent"] = csv_unescape(raw["agent"])
    out["activity"] = raw["activity"].str.strip().str.lower()
    for col in ("start", "end"):
        times = pd.to_datetime(raw[col], errors="coerce")
        if times.isna().any():
            row = int(times.isna().to_numpy().nonzero()[0][0])
            raise InputFileError(f"{path}: row {row + 2} column {col!r} is not a time: "
                                 f"{raw[col].iloc[row]!r}. Use e.g. 2026-03-02 08:00.")
        out[col] = times
    return out
