"""Files of ``ccplan schedule`` and ``ccplan cost``: the requirements CSV and a schedule folder.

A schedule folder holds ``shifts.csv``, ``breaks.csv``, ``tours.csv``,
``coverage.csv``, ``costs.csv`` (the tables of :class:`staffing.Schedule`,
times written as ISO text) and ``summary.json`` (the schedule's summary, plus
an ``inputs`` block: ccplan version and the SHA-256 of the input files).
:func:`read_schedule_dir` rebuilds the :class:`staffing.Schedule` from them.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from staffing import Schedule

from .._errors import InputFileError
from .output import csv_unescape, write_csv_atomic, write_text_atomic

__all__ = [
    "read_requirements_csv",
    "read_schedule_dir",
    "write_schedule_dir",
    "file_sha256",
    "jsonable",
]


#: The tables of a schedule folder, with each column's type (``time`` = timestamp).
SCHEDULE_TABLES: dict[str, dict[str, str]] = {
    "shifts": {"shift_id": "int", "channel": "str", "template": "str", "shift_start": "time",
               "duration_s": "float", "paid_s": "float", "headcount": "int"},
    "breaks": {"shift_id": "int", "break": "str", "break_start": "time", "duration_s": "float",
               "is_paid": "bool", "headcount": "int"},
    "tours": {"tour_id": "int", "channel": "str", "template": "str", "start_time": "str",
              "start_time_s": "float", "days_on": "str", "days_off": "str", "headcount": "int"},
    "coverage": {"channel": "str", "interval_start": "time", "agents_required": "int",
                 "agents_target": "int", "agents_scheduled": "int", "agents_on_break": "int",
                 "agents_on_paid_break": "int", "over": "int", "under": "int",
                 "is_open": "bool"},
    "costs": {"channel": "str", "interval_start": "time", "agents_paid": "int",
              "agent_hours": "float", "wages": "float", "night_premium": "float",
              "weekend_premium": "float", "holiday_premium": "float", "overhead": "float",
              "cost": "float"},
}
_INPUTS_KEY = "inputs"


def _times(raw: pd.Series, path: Path, column: str) -> pd.Series:
    """Parse a column of times; name the first row that is not one."""
    text = raw.astype("string")
    try:
        times = pd.to_datetime(text, errors="coerce", format="ISO8601")
    except (ValueError, TypeError):
        times = pd.Series(pd.NaT, index=raw.index)
    if times.isna().any() and not text.isna().all():
        # Mixed UTC offsets (a daylight-saving change) come back as objects or NaT: try in UTC.
        try:
            utc = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
        except (ValueError, TypeError):
            utc = times
        if utc.notna().sum() > times.notna().sum():
            raise InputFileError(
                f"{path}: column {column!r} mixes UTC offsets (e.g. a daylight-saving change). "
                "Write local wall-clock times without offsets, or convert them all to one "
                "offset.")
    bad = times.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputFileError(f"{path}: row {row + 2} column {column!r} is not a time: "
                             f"{raw.iloc[row]!r}. Use e.g. 2026-03-02 08:00.")
    return times


def read_requirements_csv(path: Path, *, channel: str = "voice") -> pd.DataFrame:
    """Read a requirements CSV: ``interval_start``, ``agents_required``, optional ``channel``.

    Parameters
    ----------
    path : pathlib.Path
        CSV file, one row per channel and interval; ``agents_required`` is
        agents on the queue (whole numbers >= 0; 0 where closed).
    channel : str, optional
        Channel name for files without a ``channel`` column.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start`` (timestamps), ``agents_required`` (int),
        in file order.

    Raises
    ------
    InputFileError
        Missing file or column, a time that does not parse, or a missing,
        negative or fractional requirement; the message names the file, row
        and column.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file. Give a CSV with interval_start, "
                             "agents_required and (optional) channel.")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise InputFileError(f"{path}: not a readable CSV ({first}).") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    for column in ("interval_start", "agents_required"):
        if column not in raw.columns:
            hint = (" Rename the column of agents needed per interval to agents_required."
                    if column == "agents_required" else " Name the column of interval start "
                    "times interval_start.")
            raise InputFileError(f"{path}: no column {column!r} (found: "
                                 f"{', '.join(raw.columns)}).{hint}")
    if raw.empty:
        raise InputFileError(f"{path}: no rows. Give one row per channel and interval.")
    out = pd.DataFrame(index=raw.index)
    if "channel" in raw.columns:
        empty = raw["channel"].isna().to_numpy()
        if empty.any():
            row = int(np.flatnonzero(empty)[0])
            raise InputFileError(f"{path}: row {row + 2} column 'channel' is empty. Name the "
                                 "channel on every row.")
        out["channel"] = csv_unescape(raw["channel"].str.strip())
    else:
        out["channel"] = channel
    out["interval_start"] = _times(raw["interval_start"], path, "interval_start")
    values = pd.to_numeric(raw["agents_required"], errors="coerce")
    bad = ~(values >= 0) | ~np.isfinite(values) | (values != np.floor(values))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        cell = raw["agents_required"].iloc[row]
        what = ("is empty (a missing requirement is never read as zero: write 0 where the "
                "centre is closed)" if pd.isna(cell) else
                f"must be a whole number of agents >= 0, got {cell!r}")
        raise InputFileError(f"{path}: row {row + 2} column 'agents_required' {what}.")
    out["agents_required"] = values.astype(np.int64)
    return out.reset_index(drop=True)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def jsonable(value: Any) -> Any:
    """``value`` as JSON can write it: numpy scalars as Python numbers, NaN and infinity as null.

    Parameters
    ----------
    value : Any
        A number, text, or dicts, lists and tuples of them (keys become text).

    Returns
    -------
    Any
        The same structure with dicts and lists only.
    """
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_schedule_dir(schedule: Schedule, folder: Path, inputs: dict[str, Any]) -> list[Path]:
    """Write a schedule's tables and summary into ``folder``, each file atomically.

    Parameters
    ----------
    schedule : staffing.Schedule
        The solved schedule.
    folder : pathlib.Path
        Destination folder (created if missing).
    inputs : dict
        Provenance stored under ``inputs`` in ``summary.json`` (version, files
        and their SHA-256).

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    folder = Path(folder)
    written = []
    for name in SCHEDULE_TABLES:
        target = folder / f"{name}.csv"
        write_csv_atomic(getattr(schedule, name), target)
        written.append(target)
    summary = jsonable({**schedule.summary, _INPUTS_KEY: inputs})
    target = folder / "summary.json"
    write_text_atomic(json.dumps(summary, indent=2, sort_keys=False) + "\n", target)
    written.append(target)
    return written


def _typed(raw: pd.DataFrame, types: dict[str, str], path: Path) -> pd.DataFrame:
    missing = [c for c in types if c not in raw.columns]
    if missing:
        raise InputFileError(f"{path}: no column {', '.join(map(repr, missing))} (found: "
                             f"{', '.join(raw.columns)}). Was it written by ccplan schedule?")
    out = pd.DataFrame(index=raw.index)
    for column, kind in types.items():
        values = raw[column]
        if kind == "time":
            out[column] = _times(values, path, column) if len(values) else pd.to_datetime(values)
            continue
        if kind == "str":
            out[column] = csv_unescape(values.fillna("").astype(str))
            continue
        if kind == "bool":
            lowered = values.astype(str).str.strip().str.lower()
            bad = ~lowered.isin(["true", "false"])
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                raise InputFileError(f"{path}: row {row + 2} column {column!r} must be True or "
                                     f"False, got {values.iloc[row]!r}.")
            out[column] = (lowered == "true").to_numpy()
            continue
        numbers = pd.to_numeric(values, errors="coerce")
        bad = numbers.isna() | ~np.isfinite(numbers.astype(float))
        if kind == "int":
            bad |= numbers != np.floor(numbers)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputFileError(f"{path}: row {row + 2} column {column!r} must be a "
                                 f"{'whole ' if kind == 'int' else ''}number, got "
                                 f"{values.iloc[row]!r}.")
        out[column] = numbers.astype(np.int64 if kind == "int" else float)
    return out.reset_index(drop=True)


def read_schedule_dir(folder: Path) -> tuple[Schedule, dict[str, Any]]:
    """Rebuild a :class:`staffing.Schedule` from a folder written by ``ccplan schedule``.

    Parameters
    ----------
    folder : pathlib.Path
        The folder with ``shifts.csv``, ``breaks.csv``, ``tours.csv``,
        ``coverage.csv``, ``costs.csv`` and ``summary.json``.

    Returns
    -------
    tuple of (staffing.Schedule, dict)
        The schedule (columns typed as :func:`staffing.schedule_shifts` makes
        them) and the ``inputs`` block of ``summary.json``.

    Raises
    ------
    InputFileError
        A file or column is missing, or a value does not parse; the message
        names the file, row and column.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(f"{folder}: no such folder. Give the --out folder of ccplan "
                             "schedule.")
    tables = {}
    for name, types in SCHEDULE_TABLES.items():
        path = folder / f"{name}.csv"
        if not path.is_file():
            raise InputFileError(f"{path}: missing. A schedule folder holds "
                                 f"{', '.join(f'{n}.csv' for n in SCHEDULE_TABLES)} and "
                                 "summary.json, as ccplan schedule --out writes them.")
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise InputFileError(f"{path}: not a readable CSV ({first}).") from None
        tables[name] = _typed(raw, types, path)
    path = folder / "summary.json"
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(f"{path}: missing. It is written by ccplan schedule --out.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise InputFileError(f"{path}: not valid JSON ({err}).") from None
    if not isinstance(summary, dict):
        raise InputFileError(f"{path}: must hold a JSON object, got {type(summary).__name__}.")
    for key in ("interval_s", "horizon_s", "shrinkage", "blend", "cost"):
        if key not in summary:
            raise InputFileError(f"{path}: no key {key!r}. Was it written by ccplan schedule?")
    inputs = summary.pop(_INPUTS_KEY, {}) or {}
    return Schedule(**tables, summary=summary), inputs
