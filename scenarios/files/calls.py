"""Reading per-contact records (an ACD export) for ``ccplan calibrate``, and writing its snippet.

A calls file has one row per contact, CSV (``.csv`` or ``.csv.gz``), with the
columns of :data:`CALL_FIELDS`: ``arrival`` (timestamp), ``channel`` (text;
optional, else every row is ``voice``), ``wait_s`` (seconds from arrival to
answer or abandon), ``outcome`` (``answered`` / ``abandoned``), ``handle_s``
(seconds; needed when answered), and optionally ``customer_id`` (blank or 0 =
unknown: no customer) and ``agent`` (blank = unknown). ``--columns`` names a
file's own columns (``wait_s=q_time``) and the outcome's own spellings
(``answered=AGENT|ANS,abandoned=HANG``; case is ignored).

Bad records are never dropped silently: :func:`read_calls` returns them with
their row number (``row 2`` is the first data row, as a spreadsheet shows it),
column, value and reason, and the command refuses the file unless told to skip
them. Reasons: a time that cannot be read, a wait that is missing, not a number
or negative, an unknown outcome, an answered contact without a handle time
(> 0 s), an empty channel, and a time that goes back more than 10 minutes in a
file otherwise in time order (a clock change; a file is in time order when at
most one step in a hundred, or a single step, goes back; in a file not in time
order a clock change cannot be seen and is not looked for).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.behaviour import Calibration, law_values

from .._errors import InputFileError
from .history import parse_column_mapping
from .output import csv_unescape
from .units import format_duration

__all__ = [
    "CALL_FIELDS",
    "CallRecords",
    "parse_call_columns",
    "read_calls",
    "bad_rows_message",
    "calibration_yaml",
]

#: Our column names (and outcome spellings) that ``--columns`` may map.
CALL_FIELDS = ("arrival", "channel", "wait_s", "outcome", "handle_s", "customer_id", "agent",
               "answered", "abandoned")
_COLUMNS = CALL_FIELDS[:7]
_NEEDED = ("arrival", "wait_s", "outcome")
#: A time more than this far before an earlier row's, in a file otherwise in time order, s.
BACKWARD_TOLERANCE_S = 600.0
#: Share of backward steps above which a file is taken as not in time order (one backward
#: step is always allowed: a clock change).
_UNORDERED_SHARE = 0.01


@dataclasses.dataclass(frozen=True)
class CallRecords:
    """A calls file, read.

    Attributes
    ----------
    records : pandas.DataFrame
        The good rows, in file order, with the columns of
        ``forecasting.behaviour.RECORD_COLUMNS`` (``customer_id`` and ``agent`` only
        when the file has them) and ``row`` (the row number in the file).
    bad_rows : pandas.DataFrame
        One row per bad record and reason: ``row`` (as in the file), ``column`` (ours,
        with the file's name when mapped), ``value`` (text as in the file), ``reason``.
    n_rows : int
        Data rows in the file.
    """

    records: pd.DataFrame
    bad_rows: pd.DataFrame
    n_rows: int


def parse_call_columns(text: str | None) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Parse ``--columns`` of ``ccplan calibrate``: column names and outcome spellings.

    Parameters
    ----------
    text : str or None
        Comma-separated ``ours=theirs`` pairs, ``ours`` one of :data:`CALL_FIELDS`;
        ``answered`` and ``abandoned`` take the file's spellings of the outcome,
        several separated by ``|``.

    Returns
    -------
    tuple of (dict, dict)
        Our column name to the file's; outcome (``answered``, ``abandoned``) to its
        spellings in lower case (``answered`` and ``abandoned`` themselves by default).

    Examples
    --------
    >>> parse_call_columns("wait_s=q_time,answered=AGENT|ANS")
    ({'wait_s': 'q_time'}, {'answered': ('agent', 'ans'), 'abandoned': ('abandoned',)})
    """
    mapping = parse_column_mapping(text, fields=CALL_FIELDS)
    spellings = {}
    for outcome in ("answered", "abandoned"):
        given = mapping.pop(outcome, outcome)
        spellings[outcome] = tuple(s.strip().lower() for s in given.split("|") if s.strip())
    clash = set(spellings["answered"]) & set(spellings["abandoned"])
    if clash:
        raise InputFileError(f"--columns: {', '.join(sorted(clash))!r} is given as both an "
                             "answered and an abandoned spelling; give it to one.")
    return mapping, spellings


def _read_raw(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise InputFileError(f"{path}: no such file. Give the path of a calls file (.csv or "
                             ".csv.gz, one row per contact).")
    name = path.name.lower()
    if not (name.endswith(".csv") or name.endswith(".csv.gz")):
        raise InputFileError(f"{path}: unknown file type; use a file ending in .csv or .csv.gz "
                             "(one row per contact).")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    except (ValueError, OSError, UnicodeDecodeError) as err:  # includes pandas' parser errors
        first = (str(err).splitlines() or [type(err).__name__])[0]
        raise InputFileError(f"{path}: not a readable CSV file ({first}).") from None


def _times(raw: pd.Series) -> pd.Series:
    text = raw.str.strip()
    try:
        times = pd.to_datetime(text, errors="coerce")
    except (ValueError, TypeError):  # offsets that mix zones
        times = pd.to_datetime(text, errors="coerce", utc=True)
    if times.isna().any() and (text[times.isna()] != "").any():
        # pandas infers one format from the first value; read each value on its own instead
        try:
            mixed = pd.to_datetime(text, errors="coerce", format="mixed")
        except (ValueError, TypeError):
            mixed = pd.to_datetime(text, errors="coerce", format="mixed", utc=True)
        if mixed.isna().sum() < times.isna().sum():
            times = mixed
    return times


def read_calls(path: Path, *, columns: Mapping[str, str] | None = None,
               outcomes: Mapping[str, tuple[str, ...]] | None = None,
               channel: str = "voice") -> CallRecords:
    """Read a calls file: the good records, and every bad one with its row and reason.

    Parameters
    ----------
    path : pathlib.Path
        ``.csv`` or ``.csv.gz``, one row per contact.
    columns : mapping of str to str, optional
        Our column name to the file's (see :func:`parse_call_columns`).
    outcomes : mapping of str to tuple of str, optional
        ``answered`` and ``abandoned`` to their spellings in the file (lower case).
    channel : str, optional
        Channel of every row when the file has no channel column.

    Returns
    -------
    CallRecords
        The records (waits and handle times in seconds) and the bad rows.

    Raises
    ------
    InputFileError
        No such file, not a CSV, no rows, or a needed column missing (the message lists
        the columns found and the ``--columns`` fix).
    """
    path = Path(path)
    mapping = dict(columns or {})
    spell = dict(outcomes or {"answered": ("answered",), "abandoned": ("abandoned",)})
    raw = _read_raw(path)
    found = ", ".join(map(str, raw.columns))
    for ours, theirs in mapping.items():
        if theirs not in raw.columns:
            raise InputFileError(f"{path}: --columns maps {ours} to {theirs!r}, but the file has "
                                 f"no column {theirs!r} (found: {found}). Fix the mapping.")
    for ours in _NEEDED + ("handle_s",):
        if mapping.get(ours, ours) not in raw.columns:
            raise InputFileError(
                f"{path}: no column {ours!r} (found: {found}). A calls file has arrival, wait_s, "
                "outcome and handle_s (and channel, customer_id, agent); name yours with "
                f"--columns, e.g. --columns {ours}=YOUR_COLUMN.")
    if raw.empty:
        raise InputFileError(f"{path}: the file has no rows; give one row per contact.")
    text = {ours: raw[mapping.get(ours, ours)] for ours in _COLUMNS
            if mapping.get(ours, ours) in raw.columns}
    rows = np.arange(len(raw)) + 2
    problems: list[pd.DataFrame] = []

    def flag(ours: str, bad: np.ndarray, reason: str | pd.Series) -> None:
        if bad.any():
            theirs = mapping.get(ours, ours)
            name = ours if theirs == ours else f"{ours} (file column {theirs!r})"
            why = reason[bad].to_numpy() if isinstance(reason, pd.Series) else reason
            problems.append(pd.DataFrame({"row": rows[bad], "column": name,
                                          "value": text[ours].to_numpy()[bad], "reason": why}))

    arrival = _times(text["arrival"])
    flag("arrival", arrival.isna().to_numpy(), "not a time (e.g. 2026-01-05 08:30:12)")
    wait = pd.to_numeric(text["wait_s"].str.strip(), errors="coerce").to_numpy(dtype=float)
    flag("wait_s", ~np.isfinite(wait), "no wait in seconds (blank or not a number)")
    flag("wait_s", wait < 0, "negative wait")
    outcome_text = text["outcome"].str.strip().str.lower()
    answered = outcome_text.isin(spell["answered"]).to_numpy()
    abandoned = outcome_text.isin(spell["abandoned"]).to_numpy()
    known = ", ".join(f"{k}: {'|'.join(v)}" for k, v in spell.items())
    flag("outcome", ~answered & ~abandoned,
         f"unknown outcome (known: {known}; map other spellings with --columns, e.g. "
         "answered=AGENT,abandoned=HANG)")
    handle = pd.to_numeric(text["handle_s"].str.strip(), errors="coerce").to_numpy(dtype=float)
    flag("handle_s", answered & ~(handle > 0) & np.isfinite(wait),
         "answered with no handle time (> 0 s)")
    if "channel" in text:
        names = csv_unescape(text["channel"].str.strip())
        flag("channel", (names == "").to_numpy(), "empty channel")
    else:
        names = pd.Series(channel, index=raw.index)
    good_time = arrival.notna().to_numpy()
    seconds = np.full(len(raw), np.nan)
    if good_time.any():
        stamps = arrival[good_time]
        if stamps.dt.tz is not None:
            stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
        seconds[good_time] = (stamps - stamps.min()).dt.total_seconds().to_numpy()
        valid = seconds[good_time]
        n_back = int(np.count_nonzero(np.diff(valid) < 0))
        if valid.size > 1 and n_back <= max(1, _UNORDERED_SHARE * (valid.size - 1)):
            before = np.maximum.accumulate(np.concatenate([[-np.inf], valid[:-1]]))
            back = np.zeros(len(raw), dtype=bool)
            back[good_time] = valid < before - BACKWARD_TOLERANCE_S
            steps = pd.Series(np.where(back, _spread(before, good_time, len(raw)) - seconds,
                                       0.0))
            flag("arrival", back,
                 "goes back " + steps.map(lambda s: format_duration(round(s))) +
                 " from an earlier row in a file in time order (a clock change?)")
    bad = (pd.concat(problems, ignore_index=True).sort_values("row", kind="stable")
           .reset_index(drop=True) if problems else
           pd.DataFrame(columns=["row", "column", "value", "reason"]))
    keep = ~np.isin(rows, bad["row"].to_numpy())
    records = pd.DataFrame({"row": rows[keep], "arrival": arrival[keep].to_numpy(),
                            "channel": names[keep].to_numpy(), "wait_s": wait[keep],
                            "outcome": np.where(answered[keep], "answered", "abandoned"),
                            "handle_s": np.where(answered[keep], handle[keep], np.nan)})
    if "customer_id" in text:
        ids = text["customer_id"].str.strip()
        zero = pd.to_numeric(ids, errors="coerce") == 0
        records["customer_id"] = ids.where((ids != "") & ~zero).to_numpy()[keep]
    if "agent" in text:
        agents = text["agent"].str.strip()
        records["agent"] = agents.where(agents != "").to_numpy()[keep]
    return CallRecords(records=records, bad_rows=bad, n_rows=len(raw))


def _spread(values: np.ndarray, where: np.ndarray, n: int) -> np.ndarray:
    """``values`` (one per True of ``where``) on ``n`` rows, NaN elsewhere."""
    out = np.full(n, np.nan)
    out[where] = values
    return out


def bad_rows_message(path: Path, calls: CallRecords, *, limit: int = 10) -> str:
    """The bad rows of a calls file as one message: the first ``limit``, then counts by reason.

    Parameters
    ----------
    path : pathlib.Path
        The file, for the message.
    calls : CallRecords
        As :func:`read_calls` returned it.
    limit : int, optional
        Bad rows listed one by one.

    Returns
    -------
    str
        ``PATH: N bad rows of M: row 5 column 'wait_s': '-3' negative wait; ...``
        (empty when there are none).
    """
    bad = calls.bad_rows
    if bad.empty:
        return ""
    n_rows = bad["row"].nunique()
    listed = "; ".join(f"row {r.row} column {r.column}: {r.value!r} {r.reason}"
                       for r in bad.head(limit).itertuples())
    more = f"; ... ({len(bad) - limit} more)" if len(bad) > limit else ""
    counts = bad["reason"].str.replace(r"^goes back .*? from", "goes back from", regex=True) \
        .value_counts(sort=True)
    by_reason = ", ".join(f"{n} {reason}" for reason, n in counts.items())
    return (f"{path}: {n_rows} bad row{'s' if n_rows != 1 else ''} of {calls.n_rows}: "
            f"{listed}{more}. By reason: {by_reason}.")


def _pct(share: float) -> str:
    return f"{100 * share:.2f}%"


def _dur(seconds: float) -> str:
    return format_duration(round(float(seconds), 1))


def _law(values: np.ndarray) -> str:
    return "{law: empirical, values: [" + ", ".join(_dur(v) for v in values) + "]}"


def calibration_yaml(calibration: Calibration, *, source: str, min_band_abandons: int = 30
                     ) -> str:
    """The scenario-file snippet of a calibration: per channel aht, patience, hang_up,
    pickup_delay and redial, each with its n and confidence interval in a comment.

    Empirical laws (pick-up delay, redial delay) are written as their 20 mid-rank
    quantiles. The redial probability is written by wait band when every band has at
    least ``min_band_abandons`` abandons, else as one number.

    Parameters
    ----------
    calibration : forecasting.behaviour.Calibration
        What ``forecasting.behaviour.calibrate`` returned.
    source : str
        The calls file, named in the header comment.
    min_band_abandons : int, optional
        Fewest abandons per band for the probability by band.

    Returns
    -------
    str
        YAML text with a ``channels:`` mapping, to paste into a scenario file.
    """
    fits = calibration.fits.set_index(["channel", "quantity"])
    level = f"{100 * calibration.settings['level']:g}%"
    within = calibration.settings["hang_up_within_s"]
    lines = [f"# ccplan calibrate: fitted from {source} ({level} confidence intervals).",
             "# Paste under a scenario file's channels (volume and target are not fitted here).",
             *(f"# note: {note}" for note in calibration.notes), "channels:"]

    def fit(name: str, quantity: str) -> pd.Series | None:
        return fits.loc[(name, quantity)] if (name, quantity) in fits.index else None

    for name in fits.index.get_level_values(0).unique():
        key = name if re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", str(name)) else json.dumps(name)
        lines.append(f"  {key}:")
        aht = fit(name, "aht_s")
        if aht is not None:
            cv = float(fits.loc[(name, "handle_cv"), "value"])
            lines.append(f"    aht: {_dur(aht.value)}  # mean of {int(aht.n)} handle times, CI "
                         f"[{_dur(aht.low)}, {_dur(aht.high)}]; cv {cv:.2f}")
        pat = fit(name, "mean_patience_s")
        naive = fit(name, "naive_mean_patience_s")
        if pat is not None and math.isfinite(pat.value):
            naive_text = (f"; naive mean wait of the abandoned {_dur(naive.value)}"
                          if naive is not None and math.isfinite(naive.value) else "")
            lines.append(f"    patience: {_dur(pat.value)}  # exponential, censored MLE from "
                         f"{int(pat.n)} contacts ({int(pat.events)} abandons beyond the "
                         f"hang-ups), CI [{_dur(pat.low)}, {_dur(pat.high)}]{naive_text}")
        elif pat is not None:
            lines.append(f"    # patience: not fitted (no abandon among {int(pat.n)} contacts "
                         "beyond the hang-ups)")
        hang = fit(name, "hang_up_share")
        if hang is not None and math.isfinite(hang.value):
            lines.append(f"    hang_up: {_pct(hang.value)}  # {int(hang.events)} of {int(hang.n)} "
                         f"contacts abandoned within {_dur(within)}, less those expected of "
                         f"patient callers; CI [{_pct(hang.low)}, {_pct(hang.high)}]")
        pickup = calibration.samples
        delays = pickup.loc[(pickup["channel"] == name) & (pickup["kind"] == "pickup_delay_s"),
                            "value_s"].to_numpy()
        mean = fit(name, "pickup_delay_mean_s")
        if mean is not None and delays.size:
            lines.append(f"    pickup_delay: {_law(law_values(delays))}  # waits of {delays.size}"
                         f" contacts answered while an agent was idle; mean {mean.value:.1f} s, "
                         f"CI [{mean.low:.1f}, {mean.high:.1f}]")
        gap = fit(name, "after_contact_gap_mean_s")
        gaps = pickup.loc[(pickup["channel"] == name) & (pickup["kind"] == "after_contact_gap_s"),
                          "value_s"].to_numpy()
        if gap is not None and gaps.size:
            lines += [f"    # under load, agents answered their next (waiting) contact "
                      f"{gap.value:.1f} s after the previous one ended, on average "
                      f"({int(gap.n)} contacts): the pick-up delay plus after-call work. Where "
                      "that is well above the delay at idle answers, model the capacity lost "
                      "between contacts with:",
                      f"    # pickup_delay: {_law(law_values(gaps))}"]
        lines += _redial_lines(calibration, name, fit(name, "redial_probability"),
                               min_band_abandons)
    return "\n".join(lines) + "\n"


def _redial_lines(calibration: Calibration, name: str, overall: pd.Series | None,
                  min_band_abandons: int) -> list[str]:
    if overall is None or not math.isfinite(overall.value):
        return []
    samples = calibration.samples
    delays = samples.loc[(samples["channel"] == name) & (samples["kind"] == "redial_delay_s"),
                         "value_s"].to_numpy()
    window = _dur(calibration.settings["redial_window_s"])
    comment = (f"# {int(overall.events)} of {int(overall.n)} abandons redialled "
               f"within {window}, CI [{_pct(overall.low)}, {_pct(overall.high)}]")
    if not delays.size:
        return [f"    # redial: probability {_pct(overall.value)}, no redial delay seen "
                f"{comment[2:]}"]
    bands = calibration.redial_bands
    bands = bands[bands["channel"] == name]
    if len(bands) > 1 and (bands["abandons"] >= min_band_abandons).all():
        rows = [f"{{wait_up_to: {_dur(b.wait_up_to_s)}, probability: {_pct(b.probability)}}}"
                if math.isfinite(b.wait_up_to_s) else f"{{probability: {_pct(b.probability)}}}"
                for b in bands.itertuples()]
        probability = "[" + ", ".join(rows) + "]"
        detail = "; by wait band: " + ", ".join(
            f"<= {_dur(b.wait_up_to_s)}: {b.redials}/{b.abandons}"
            if math.isfinite(b.wait_up_to_s) else f"longer: {b.redials}/{b.abandons}"
            for b in bands.itertuples())
    else:
        probability, detail = _pct(overall.value), ""
    return [f"    redial: {{probability: {probability}, delay: {_law(law_values(delays))}}}",
            f"    {comment}{detail}; delays: {delays.size}, mean {delays.mean():.0f} s"]
