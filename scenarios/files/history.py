"""Reading history files for ``ccplan forecast``: CSV or Parquet, renamed columns, contacts.

A history file becomes the ``history`` table (``channel``, ``interval_start``,
``offered``, optional ``aht_s``) that :mod:`forecasting` reads. The file may
name its columns differently (``--columns``), hold one row per contact
instead of counts (``--contacts``), and be CSV (``.csv``, ``.csv.gz``) or
Parquet (``.parquet``). Every message starts with the file's path and names
the column and the row (``row 2`` is the first data row of a CSV, as a
spreadsheet shows it; ``record 1`` the first of a Parquet file).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

import forecasting

from .._errors import InputFileError
from .._limits import PLANNING_FIRST_DAY, PLANNING_LAST_DAY
from .output import csv_unescape

__all__ = [
    "read_history",
    "parse_column_mapping",
    "rows_as_in_file",
    "check_channel_spans",
    "HISTORY_FIELDS",
    "MIN_HISTORY_DAYS",
]


#: Dates a history file may hold (wall-clock time): the planning range, checked here first
#: (forecasting.clean_history checks it too) so that the message names the file, row and column.
EARLIEST = pd.Timestamp(PLANNING_FIRST_DAY)
LATEST_DAY = pd.Timestamp(PLANNING_LAST_DAY)

#: Our column names that ``--columns`` may map a file's columns to.
HISTORY_FIELDS = ("interval_start", "offered", "channel", "aht_s")
_SUFFIXES = (".csv", ".csv.gz", ".parquet")


def parse_column_mapping(text: str | None, *,
                         fields: tuple[str, ...] = HISTORY_FIELDS) -> dict[str, str]:
    """Parse ``--columns`` text such as ``interval_start=DATE,offered=CALLS,channel=queue``.

    Parameters
    ----------
    text : str or None
        Comma-separated ``ours=theirs`` pairs; ``ours`` is one of ``fields``.
        None or empty: no renaming.
    fields : tuple of str, optional
        The names of ours that may be mapped (``HISTORY_FIELDS`` by default; the
        call records of ``ccplan calibrate`` have theirs).

    Returns
    -------
    dict of str to str
        Our column name to the file's column name.

    Raises
    ------
    InputFileError
        A pair without ``=``, an unknown name of ours, or a name given twice.

    Examples
    --------
    >>> parse_column_mapping("interval_start=DATE, offered=CALLS")
    {'interval_start': 'DATE', 'offered': 'CALLS'}
    """
    mapping: dict[str, str] = {}
    if not text:
        return mapping
    for pair in text.split(","):
        if not pair.strip():
            continue
        ours, sep, theirs = (part.strip() for part in pair.partition("="))
        if not sep or not ours or not theirs:
            raise InputFileError(
                f"--columns: {pair.strip()!r} is not NAME=FILE_COLUMN. Write pairs such as "
                "interval_start=DATE,offered=CALLS,channel=queue.")
        if ours not in fields:
            kind = "history column" if fields == HISTORY_FIELDS else "name --columns maps"
            raise InputFileError(
                f"--columns: {ours!r} is not a {kind}; map to one of "
                f"{', '.join(fields)} (e.g. {fields[1]}={theirs}).")
        if ours in mapping:
            raise InputFileError(f"--columns: {ours!r} is mapped twice ({mapping[ours]!r} and "
                                 f"{theirs!r}); keep one.")
        mapping[ours] = theirs
    return mapping


def _row(path: Path, position: int) -> str:
    """How a message names the row at 0-based ``position`` of ``path``."""
    return f"record {position + 1}" if _suffix(path) == ".parquet" else f"row {position + 2}"


def rows_as_in_file(path: Path, message: str) -> str:
    """Rewrite ``history row N`` / ``row N`` (0-based) in ``message`` as the file numbers rows.

    For messages of ``forecasting.clean_history`` on a table read by
    ``read_history`` without ``contacts`` (same rows, same order as the file).

    Parameters
    ----------
    path : pathlib.Path
        The history file (CSV rows numbered as a spreadsheet shows them, parquet records
        from 1).
    message : str
        The message that numbers rows from 0.

    Returns
    -------
    str
        The message with each row as the file numbers it.
    """
    return re.sub(r"\b(?:history )?row (\d+)\b", lambda m: _row(path, int(m.group(1))), message)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((s for s in _SUFFIXES if name.endswith(s)), path.suffix.lower())


def _read_raw(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputFileError(f"{path}: no such file. Give the path of a history file "
                             "(.csv, .csv.gz or .parquet).")
    suffix = _suffix(path)
    if suffix not in _SUFFIXES:
        raise InputFileError(f"{path}: unknown file type {suffix or '(no suffix)'!r}. Use a "
                             "file ending in .csv, .csv.gz or .parquet.")
    try:
        if suffix == ".parquet":
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except (ValueError, OSError, UnicodeDecodeError) as err:  # includes pandas/pyarrow errors
        first = (str(err).splitlines() or [type(err).__name__])[0]
        kind = "Parquet" if suffix == ".parquet" else "CSV"
        raise InputFileError(f"{path}: not a readable {kind} file ({first}).") from None


def _select(raw: pd.DataFrame, path: Path, mapping: Mapping[str, str],
            need: tuple[str, ...]) -> pd.DataFrame:
    """Our columns taken from the file's (renamed per ``mapping``); extra columns dropped."""
    found = ", ".join(map(str, raw.columns))
    for ours, theirs in mapping.items():
        if theirs not in raw.columns:
            raise InputFileError(
                f"{path}: --columns maps {ours} to {theirs!r}, but the file has no column "
                f"{theirs!r} (found: {found}). Fix the mapping.")
    out = pd.DataFrame(index=raw.index)
    for ours in HISTORY_FIELDS:
        theirs = mapping.get(ours, ours)
        if theirs in raw.columns:
            out[ours] = raw[theirs]
        elif ours in need:
            raise InputFileError(
                f"{path}: no column {ours!r} (found: {found}). A history has interval_start "
                "and offered (and channel, aht_s); name yours with --columns, e.g. "
                f"--columns {ours}=YOUR_COLUMN.")
    return out.reset_index(drop=True)


def _source(mapping: Mapping[str, str], ours: str) -> str:
    theirs = mapping.get(ours, ours)
    return repr(ours) if theirs == ours else f"{ours!r} (file column {theirs!r})"


def _to_datetime(raw: pd.Series, **kwargs) -> pd.Series:
    try:
        return pd.to_datetime(raw, errors="coerce", **kwargs)
    except (ValueError, TypeError):  # e.g. offsets that mix zones
        return pd.to_datetime(raw, errors="coerce", utc=True, **kwargs)


def _parse_times(table: pd.DataFrame, path: Path, mapping: Mapping[str, str]) -> pd.Series:
    raw = table["interval_start"]
    times = _to_datetime(raw)
    if times.isna().any() and not pd.api.types.is_datetime64_any_dtype(raw):
        # pandas infers one format from the first value: '2026-01-05 09:00' after
        # '2026-01-05 08:30:00' would read as missing. Each value on its own instead.
        mixed = _to_datetime(raw, format="mixed")
        if mixed.isna().sum() < times.isna().sum():
            times = mixed
    bad = times.isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputFileError(f"{path}: {_row(path, i)} column {_source(mapping, 'interval_start')}"
                             f" is not a time: {raw.iloc[i]!r}. Use e.g. 2026-01-05 08:30.")
    wall = times.dt.tz_localize(None) if times.dt.tz is not None else times
    outside = ((wall < EARLIEST) | (wall >= LATEST_DAY + pd.Timedelta(days=1))).to_numpy()
    if outside.any():
        rows = outside.nonzero()[0]
        more = f" (and {rows.size - 1} more row{'s' if rows.size > 2 else ''})" if rows.size > 1 \
            else ""
        raise InputFileError(
            f"{path}: {_row(path, int(rows[0]))} column {_source(mapping, 'interval_start')}: "
            f"{raw.iloc[rows[0]]!r} is outside {EARLIEST:%Y-%m-%d}..{LATEST_DAY:%Y-%m-%d}{more}. "
            "Fix the date (a typo in the year?), or drop the row.")
    return times


def _whole_days(counts: pd.DataFrame, interval_s: float) -> pd.DataFrame:
    """Pad each channel's counts with zeros to midnight before its first and after its last."""
    step = pd.Timedelta(seconds=interval_s)
    parts = []
    for name, part in counts.groupby("channel", sort=True):
        series = part.set_index("interval_start")["offered"]
        first, last = series.index.min(), series.index.max()
        grid = pd.date_range(first.normalize(), (last + step).ceil("D") - step, freq=step)
        parts.append(pd.DataFrame({"channel": name, "interval_start": grid,
                                   "offered": series.reindex(grid, fill_value=0.0)
                                   .to_numpy(dtype=float)}))
    return pd.concat(parts, ignore_index=True)


def read_history(path: Path, *, channel: str = "voice", columns: Mapping[str, str] | None = None,
                 contacts: bool = False, interval_s: float = 1800) -> pd.DataFrame:
    """Read a history file into the ``history`` table (counts per channel and interval).

    Parameters
    ----------
    path : pathlib.Path
        ``.csv``, ``.csv.gz`` or ``.parquet``.
    channel : str, optional
        Channel name for files without a channel column.
    columns : mapping of str to str, optional
        Our column name to the file's (see ``parse_column_mapping``). Columns
        not named keep their own names; other columns are ignored.
    contacts : bool, optional
        The file has one row per contact: ``interval_start`` is the arrival
        time (and ``channel`` optional). Contacts are counted per interval
        with ``forecasting.aggregate_contacts``; the file is taken to cover
        whole days, so intervals from midnight before the first contact to
        midnight after the last one with no contact count 0.
    interval_s : float, optional
        Interval length in seconds, used with ``contacts``.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start`` (timestamps as in the file), ``offered``
        (float, NaN = missing) and ``aht_s`` when the file has it.

    Raises
    ------
    InputFileError
        No such file, an unknown file type or unreadable file, a column
        missing (the message lists the columns found), a time that cannot be
        read or text in a numeric column; the message starts with the path.
    """
    path = Path(path)
    mapping = dict(columns or {})
    raw = _read_raw(path)
    if contacts:
        table = _select(raw, path, mapping, need=("interval_start",))
        if "channel" in table.columns and _suffix(path) != ".parquet":
            table["channel"] = csv_unescape(table["channel"])
        table["interval_start"] = _parse_times(table, path, mapping)
        if table.empty:
            raise InputFileError(f"{path}: no contacts (the file has no rows).")
        has_channel = "channel" in table.columns
        try:
            counts = forecasting.aggregate_contacts(
                table, interval_s=interval_s, time_column="interval_start",
                channel_column="channel" if has_channel else None, channel=channel)
        except forecasting.errors.HistoryError as err:
            raise InputFileError(f"{path}: {err}") from None
        return _whole_days(counts, interval_s)
    table = _select(raw, path, mapping, need=("interval_start", "offered"))
    if table.empty:
        raise InputFileError(f"{path}: the file has no rows; a history needs past intervals.")
    if "channel" not in table.columns:
        table["channel"] = channel
    elif _suffix(path) != ".parquet":  # CSV written by ccplan: its formula guard taken off
        table["channel"] = csv_unescape(table["channel"])
    table["interval_start"] = _parse_times(table, path, mapping)
    for col in ("offered", "aht_s"):
        if col not in table.columns:
            continue
        values = pd.to_numeric(table[col], errors="coerce")
        text = values.isna() & table[col].notna()
        if text.any():
            i = int(text.to_numpy().nonzero()[0][0])
            raise InputFileError(
                f"{path}: {_row(path, i)} column {_source(mapping, col)} is not a number: "
                f"{table[col].iloc[i]!r}. Fix the value, or leave the cell empty if unknown.")
        table[col] = values.astype(float)
    return table[["channel", "interval_start", "offered"]
                 + (["aht_s"] if "aht_s" in table.columns else [])]


#: Shortest history per channel that any forecasting method accepts (the weekly baselines
#: need one week; the daily models three, MSTL two: see docs/forecasting.md).
MIN_HISTORY_DAYS = 7


def check_channel_spans(path: Path, table: pd.DataFrame, tidy: pd.DataFrame, interval_s: float,
                        *, contacts: bool = False) -> None:
    """Refuse a channel with less than ``MIN_HISTORY_DAYS`` of history, naming its rows.

    A channel that a damaged or typo'd cell creates (``vioce`` for one row) has a row or
    two; its forecast would be all but empty. ``table`` is what :func:`read_history`
    returned (the file's rows in order, unless ``contacts``) and ``tidy`` the same after
    ``forecasting.clean_history``.

    Parameters
    ----------
    path : pathlib.Path
        The history file, for the message.
    table : pandas.DataFrame
        As :func:`read_history` returned it.
    tidy : pandas.DataFrame
        The ``history`` table after ``forecasting.clean_history``.
    interval_s : float
        Interval length, seconds.
    contacts : bool, optional
        The file was read as one row per contact (rows then not in file order).

    Raises
    ------
    InputFileError
        Naming the file, the channel, its rows (numbered as in the file), its span and the
        fix.
    """
    step = pd.Timedelta(seconds=interval_s)
    need = int(round(MIN_HISTORY_DAYS * 86400 / interval_s))
    several = tidy["channel"].nunique() > 1
    for name, part in tidy.groupby("channel", sort=True):
        if len(part) >= need:
            continue
        first, last = part["interval_start"].iloc[0], part["interval_start"].iloc[-1]
        days = len(part) * step / pd.Timedelta(days=1)
        span = f"{first} to {last}, {days:.3g} day{'s' if days != 1 else ''}"
        rule = (f"a forecast needs at least {MIN_HISTORY_DAYS} days per channel ({need} "
                f"intervals of {interval_s:g} s)")
        if not several:
            raise InputFileError(f"{path}: channel {name!r} has too little history ({span}); "
                                 f"{rule}. Give a longer history.")
        if contacts:
            detail, fix = span, "fix the channel name of those contacts or drop them"
        else:
            positions = (table["channel"].astype(str) == name).to_numpy().nonzero()[0]
            numbers = [_row(path, int(i)) for i in positions[:10]]
            noun = numbers[0].split(" ")[0]
            listed = ", ".join(n.split(" ")[1] for n in numbers)
            listed += ", ..." if positions.size > 10 else ""
            many = positions.size > 1
            rows = f"{noun}{'s' if many else ''} {listed}"
            detail = f"{positions.size} {noun}{'s' if many else ''}: {rows}; {span}"
            fix = f"fix the channel name in {rows} or drop {'them' if many else 'it'}"
        raise InputFileError(
            f"{path}: channel {name!r} has too little history ({detail}); {rule}. If "
            f"{name!r} is a typo, {fix}; otherwise give it a longer history or drop it."
        )
