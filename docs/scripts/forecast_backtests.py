"""Rolling-origin backtests of every forecasting method on three real data sets.

Run from the project root (reads ../shared/data, writes docs/forecast_backtests.md)::

    python docs/scripts/forecast_backtests.py            # the full run, ~15-25 min on 2 cores
    python docs/scripts/forecast_backtests.py --smoke    # 2 origins each, prints only

The protocol of the forecasting issue: 30-minute intervals, weekly origins at
midnight, a one-week horizon (336 intervals), the history before each origin
as training data (all of it, from the first row of the file), every method of
``forecasting.contracts.METHODS`` plus ``"auto"``, missing actuals skipped in scoring
(``forecasting.score_backtest``). Data sets:

* AXA assistance (France): the 8 largest queues by total calls, Mondays every
  2 weeks from 2012-01-02 to 2012-12-17 (26 origins), ``country="FR"``; also
  ``auto`` at the 95% level on the same origins.
* US bank (fpp3 ``bank_calls``): 5-minute handled calls summed to 30 minutes,
  Mondays from 2003-04-14 to 2003-10-20 (28 origins), ``country="US"``. The
  file has weekdays 07:00-21:05 only. Hours outside 07:00-21:05 on a day that
  is in the file are 0 (SOURCE.md: the clock times are the bank's business
  hours); weekends and the six absent weekdays are missing (NaN): SOURCE.md
  does not say the centre was closed then, only that the series has no rows.
* Anonymous Bank (Israel, 1999): 6-minute arrivals summed to 30 minutes,
  Sundays (the first day of the Israeli week) from 1999-07-04 to 1999-12-19
  (25 origins), ``country="IL"``. 1999-05-23 is imputed in the source and is
  missing here.

``forecasting.backtest`` has no ``n_jobs``: the script runs one ``backtest``
per channel and origin (``n_origins=1`` on the history cut at origin + one
week, so the origin lands exactly where wanted) in a pool of processes, one
per core. ``auto``'s pick at each origin is read off by matching its forecast
to the candidates' forecasts, which are computed on the same training data.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting import backtest, score_backtest
from forecasting.contracts import AUTO_CANDIDATES, METHODS

DATA = Path("../shared/data")
OUT = Path("docs/forecast_backtests.md")
INTERVAL_S = 1800
HORIZON = 336  # one week of 30-minute intervals
ALL_METHODS = METHODS + ("auto",)
N_AXA_QUEUES = 8


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

def load_axa() -> tuple[pd.DataFrame, list[str]]:
    """The 8 largest AXA queues as a ``history`` table (missing cells stay NaN)."""
    wide = pd.read_csv(DATA / "axa-assistance-30min/received_calls_30min_by_assignment.csv.gz",
                       parse_dates=["interval_start"])
    queues = (wide.drop(columns="interval_start").sum().sort_values(ascending=False)
              .index[:N_AXA_QUEUES].tolist())
    long = wide.melt(id_vars="interval_start", value_vars=queues, var_name="channel",
                     value_name="offered")
    return long[["channel", "interval_start", "offered"]], queues


def load_us_bank() -> pd.DataFrame:
    """fpp3 ``bank_calls`` on a full 30-minute grid to 2003-10-27 00:00 (see the module doc)."""
    raw = pd.read_csv(DATA / "us-bank-5min-calls/bank_calls_5min.csv.gz")
    times = pd.to_datetime(raw["DateTime"].str.rstrip("Z"))
    half_hours = raw.groupby(times.dt.floor("30min"))["Calls"].sum()
    grid = pd.date_range("2003-03-03", "2003-10-27", freq="30min", inclusive="left")
    offered = half_hours.reindex(grid)
    open_days = set(times.dt.normalize())
    on_open_day = grid.normalize().isin(list(open_days))
    offered[on_open_day & offered.isna().to_numpy()] = 0.0  # out of business hours: closed
    return pd.DataFrame({"channel": "bank_calls", "interval_start": grid,
                         "offered": offered.to_numpy()})


def load_israel() -> pd.DataFrame:
    """Anonymous Bank arrivals, 6-minute bins summed to 30 minutes; 1999-05-23 missing."""
    raw = pd.read_csv(DATA / "anonymous-bank-israel-1999/arrivals_6min_1999.csv.gz",
                      parse_dates=["interval_start"])
    half_hours = raw.groupby(raw["interval_start"].dt.floor("30min"))["calls"].sum()
    half_hours[half_hours.index.normalize() == pd.Timestamp("1999-05-23")] = np.nan
    return pd.DataFrame({"channel": "anonymous_bank", "interval_start": half_hours.index,
                         "offered": half_hours.to_numpy()})


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------

def run_origin(task: dict) -> tuple[dict, pd.DataFrame, Counter, float]:
    """One channel and origin: ``backtest`` with one origin on the history cut after it."""
    started = time.perf_counter()
    origin = task["origin"]
    part = task["history"]
    part = part[part["interval_start"] < origin + pd.Timedelta(seconds=HORIZON * INTERVAL_S)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = backtest(part, interval_s=INTERVAL_S, horizon=HORIZON, n_origins=1,
                         methods=task["methods"], country=task["country"],
                         level=task["level"])
    got = table["origin"].iloc[0]
    if got != origin:
        raise RuntimeError(f"{task['label']}: backtest put the origin at {got}, not {origin}")
    seen = Counter(f"{w.category.__name__}: {str(w.message).splitlines()[0][:110]}"
                   for w in caught)
    return task, table, seen, time.perf_counter() - started


def make_tasks(name, history, origins, country, methods=ALL_METHODS, level=80.0):
    """One task per channel and origin (only that channel's rows travel to the worker)."""
    tasks = []
    for channel, part in history.groupby("channel", sort=True):
        part = part.reset_index(drop=True)
        for origin in origins:
            tasks.append({"dataset": name, "channel": channel, "origin": origin,
                          "history": part, "country": country, "methods": tuple(methods),
                          "level": level, "label": f"{name} {channel} {origin:%Y-%m-%d}"})
    return tasks


def run_all(tasks: list[dict], workers: int) -> tuple[dict[str, pd.DataFrame], Counter]:
    """Run every task in a process pool; one progress line per finished task on stderr."""
    tables: dict[str, list[pd.DataFrame]] = {}
    warned: Counter = Counter()
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_origin, task) for task in tasks]
        for done, future in enumerate(as_completed(futures), start=1):
            task, table, seen, seconds = future.result()
            tables.setdefault(task["dataset"], []).append(table)
            warned.update(seen)
            print(f"[{done:3d}/{len(tasks)}] {task['label']} level {task['level']:g}: "
                  f"{seconds:5.1f} s (elapsed {time.perf_counter() - started:6.0f} s)",
                  file=sys.stderr, flush=True)
    return ({k: pd.concat(v, ignore_index=True) for k, v in tables.items()}, warned)


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

def markdown(frame: pd.DataFrame, formats: dict | None = None) -> str:
    """A plain markdown table (no tabulate dependency); NaN shows as a dash."""
    formats = formats or {}
    lines = ["| " + " | ".join(str(c) for c in frame.columns) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(frame.shape[1])) + "|"]
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            if isinstance(value, float | np.floating):
                cells.append("–" if not np.isfinite(value)
                             else format(value, formats.get(column, ".3f")))
            else:
                cells.append(str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def method_order(frame: pd.DataFrame) -> pd.DataFrame:
    order = {m: i for i, m in enumerate(ALL_METHODS)}
    return frame.sort_values("method", key=lambda s: s.map(order)).reset_index(drop=True)


def pooled_table(table: pd.DataFrame) -> str:
    scores = method_order(score_backtest(table, by=("method",)))
    scores = scores.rename(columns={"wape": "interval WAPE", "daily_wape": "daily WAPE",
                                    "mase": "MASE", "coverage": "80% coverage"})
    return markdown(scores, {"n": "d", "bias": "+.3f"})


def horizon_day_table(table: pd.DataFrame) -> str:
    scores = score_backtest(table, by=("method", "horizon_day"))
    wide = scores.pivot(index="method", columns="horizon_day", values="wape")
    first = pd.Timestamp(table["origin"].iloc[0])
    wide.columns = [f"day {d} ({(first + pd.Timedelta(days=d - 1)):%a})" for d in wide.columns]
    return markdown(method_order(wide.reset_index()))


def queue_table(table: pd.DataFrame, queues: list[str]) -> str:
    scores = score_backtest(table, by=("method", "channel"))
    wide = scores.pivot(index="method", columns="channel", values="wape")[queues]
    return markdown(method_order(wide.reset_index()))


def auto_picks(table: pd.DataFrame) -> Counter:
    """Which candidate ``auto`` used at each channel and origin (forecasts match exactly)."""
    picks: Counter = Counter()
    for _, group in table.groupby(["channel", "origin"], sort=False):
        by_method = {m: g["offered"].to_numpy() for m, g in group.groupby("method")}
        auto = by_method["auto"]
        match = [c for c in AUTO_CANDIDATES
                 if c in by_method and np.allclose(by_method[c], auto, rtol=1e-9, atol=1e-9,
                                                   equal_nan=True)]
        picks[match[0] if match else "no candidate matches"] += 1
    return picks


def picks_table(table: pd.DataFrame) -> str:
    rows = []
    per_channel = {ch: auto_picks(part) for ch, part in table.groupby("channel", sort=True)}
    total = sum(per_channel.values(), Counter())
    for method in list(AUTO_CANDIDATES) + sorted(set(total) - set(AUTO_CANDIDATES)):
        row = {"auto picked": method, "all": total.get(method, 0)}
        if len(per_channel) > 1:
            row.update({ch: c.get(method, 0) for ch, c in per_channel.items()})
        rows.append(row)
    return markdown(pd.DataFrame(rows))


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def git_commit() -> str:
    """HEAD's short hash, with a note when forecasting/ has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "forecasting"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):  # pragma: no cover
        return "unknown"
    return head + (" (with uncommitted changes in forecasting/)" if dirty else "")


def write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true",
                        help="2 origins per data set, 2 AXA queues; print, write nothing")
    args = parser.parse_args()
    commit = git_commit()  # the code the workers import: read it before they start

    axa, queues = load_axa()
    us_bank = load_us_bank()
    israel = load_israel()
    origins = {
        "axa": pd.date_range("2012-01-02", "2012-12-17", freq="14D"),
        "us_bank": pd.date_range("2003-04-14", "2003-10-20", freq="7D"),
        "israel": pd.date_range("1999-07-04", "1999-12-19", freq="7D"),
    }
    if args.smoke:
        origins = {k: v[-2:] for k, v in origins.items()}
        queues = queues[:2]
        axa = axa[axa["channel"].isin(queues)]
    tasks = (make_tasks("axa", axa, origins["axa"], "FR")
             + make_tasks("axa95", axa, origins["axa"], "FR", methods=("auto",), level=95.0)
             + make_tasks("us_bank", us_bank, origins["us_bank"], "US")
             + make_tasks("israel", israel, origins["israel"], "IL"))
    workers = os.cpu_count() or 1
    print(f"{len(tasks)} channel-origins on {workers} processes", file=sys.stderr, flush=True)
    started = time.perf_counter()
    tables, warned = run_all(tasks, workers)
    minutes = (time.perf_counter() - started) / 60

    def dates(index):
        return ", ".join(f"{d:%Y-%m-%d}" for d in index)

    out = []
    titles = {
        "axa": ("AXA assistance, France (country=\"FR\")",
                f"Queues (8 largest by total calls): {', '.join(queues)}. "
                f"{len(origins['axa'])} origins, Mondays 00:00 every 2 weeks: "
                f"{dates(origins['axa'])}. Missing cells (export gaps, DST nights) are "
                "skipped in scoring."),
        "us_bank": ("US bank, fpp3 bank_calls (country=\"US\")",
                    f"One queue (handled calls). {len(origins['us_bank'])} origins, Mondays "
                    f"00:00: {dates(origins['us_bank'])}. 5-minute counts summed to 30 "
                    "minutes; the 21:00 half hour holds only the 21:00-21:05 bin. On days in "
                    "the file, hours outside 07:00-21:05 are 0 (business hours, SOURCE.md). "
                    "Weekends and the six absent weekdays (2003-04-04, 04-07, 05-26, 07-04, "
                    "09-01, 10-14) are missing (NaN), not zero, so they are never scored and "
                    "the daily models fill them before fitting; day 6-7 columns are empty."),
        "israel": ("Anonymous Bank, Israel 1999 (country=\"IL\")",
                   f"One queue (all VRU arrivals, 24/7). {len(origins['israel'])} origins, "
                   f"Sundays 00:00: {dates(origins['israel'])}. 6-minute counts summed to 30 "
                   "minutes; 1999-05-23 (imputed in the source) is missing."),
    }
    for name, (title, note) in titles.items():
        table = tables[name]
        out += [f"## {title}", "", note, "",
                "Pooled over channels and origins (`score_backtest(table, by=(\"method\",))`):",
                "", pooled_table(table), "",
                "Interval WAPE by day of the horizon:", "", horizon_day_table(table), ""]
        if name == "axa":
            out += ["Interval WAPE by queue:", "", queue_table(table, queues), ""]
            level95 = score_backtest(tables["axa95"], by=("method",))
            level80 = score_backtest(table[table["method"] == "auto"], by=("method",))
            out += [f"`auto` at the 95% level (same origins and queues): coverage "
                    f"{level95['coverage'].iloc[0]:.3f} of {int(level95['n'].iloc[0])} "
                    f"intervals (80% level: {level80['coverage'].iloc[0]:.3f}).", ""]
        out += [f"What `auto` picked ({', '.join(AUTO_CANDIDATES)}), per channel-origin:", "",
                picks_table(table), ""]
    if warned:
        out += ["## Warnings raised during the run", "", "| warning | times |", "|---|---:|"]
        out += [f"| {message.replace('|', '/')} | {count} |"
                for message, count in warned.most_common()]
        out += [""]
    body = "\n".join(out)
    print(body)
    print(f"total {minutes:.1f} min", file=sys.stderr)
    if args.smoke:
        return
    header = [
        "# Forecast backtests on real data",
        "",
        "Generated by `python docs/scripts/forecast_backtests.py` (from the project root; "
        "do not edit by hand). "
        f"Code at commit `{commit}` (HEAD when the run started), "
        f"{time.strftime('%Y-%m-%d')}, {minutes:.0f} minutes "
        f"on {workers} cores.",
        "",
        "Protocol: 30-minute intervals, weekly origins at midnight, one-week horizon (336 "
        "intervals), all history before each origin as training data, "
        f"methods {', '.join(ALL_METHODS)}; `auto` races {', '.join(AUTO_CANDIDATES)} "
        "per channel on the last weeks of its training data. Missing actuals are never scored. "
        "Measures (see `forecasting.score_backtest`): interval WAPE; daily WAPE (daily totals, "
        "days with every interval known); bias = sum(forecast - actual) / sum(actual); MASE "
        "against the in-sample one-week seasonal-naive error; coverage of the 80% prediction "
        "interval. The data sets and how each was fed are described in their sections.",
        "",
    ]
    write_atomic(OUT, "\n".join(header) + "\n" + body)
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
