"""The ``ccplan`` command line.

Expected errors (bad input, bad files, unreachable targets) print one line to
stderr and exit with code 2. Unexpected errors keep their traceback (exit 1).
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

import forecasting
import simulator
import staffing

from ._errors import InputFileError
from ._intervals import (
    fill_closed_intervals,
    parse_target,
    read_interval_table,
    read_intervals_csv,
    read_roster,
)
from ._output import write_csv_atomic

app = typer.Typer(
    name="ccplan",
    help="Contact-centre workforce planning: Erlang staffing and simulation (more commands "
    "arrive with the forecasting, scheduling and scenario issues).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"ccplan {version('ccplan')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback,
                                          is_eager=True, help="Print the version.")] = False,
) -> None:
    """ccplan: contact-centre workforce planning and simulation."""


def _fail(message: str) -> None:
    typer.echo(f"ccplan: error: {message}", err=True)
    raise typer.Exit(code=2)


def _fmt(value: float, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if math.isinf(value):
        return "inf"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    if kind == "s":
        return f"{value:.1f}"
    if kind == "int":
        return f"{int(value)}"
    return f"{value:.4g}"


_COLUMNS = [
    ("offered", "offered", "num"),
    ("aht_s", "AHT s", "s"),
    ("agents", "agents", "int"),
    ("scheduled_agents", "scheduled", "int"),
    ("service_level", "service level", "pct"),
    ("asa_s", "ASA s", "s"),
    ("p_abandon", "abandon", "pct"),
    ("occupancy", "occupancy", "pct"),
]


@app.command()
def erlang(
    offered: Annotated[float | None, typer.Option(
        help="Contacts offered in one interval (or use --csv).")] = None,
    csv: Annotated[Path | None, typer.Option(
        help="CSV of intervals: column 'offered' (required); optional 'interval_start', "
        "'channel', 'aht_s' (overrides --aht-s per row).")] = None,
    interval_s: Annotated[float, typer.Option(help="Interval length in seconds.")] = 900,
    aht_s: Annotated[float | None, typer.Option(
        help="Average handle time in seconds (required unless the CSV has aht_s).")] = None,
    target: Annotated[str, typer.Option(
        help="Service-level target as PERCENT/SECONDS, e.g. 80/20.")] = "80/20",
    patience_s: Annotated[float | None, typer.Option(
        help="MEAN patience in seconds: Erlang A with abandonment. Omit for Erlang C.")] = None,
    max_occupancy: Annotated[float | None, typer.Option(
        help="Occupancy cap, fraction in (0, 1], e.g. 0.85.")] = None,
    max_asa_s: Annotated[float | None, typer.Option(help="Upper bound on ASA, seconds.")] = None,
    max_abandon: Annotated[float | None, typer.Option(
        help="Upper bound on the abandonment rate, fraction (needs --patience-s).")] = None,
    shrinkage: Annotated[float, typer.Option(
        help="Shrinkage, fraction in [0, 1): scheduled = ceil(agents / (1 - shrinkage)).")] = 0.0,
    concurrency: Annotated[int, typer.Option(
        help="Contacts one agent handles at once (chat).")] = 1,
    min_agents: Annotated[int, typer.Option(help="Floor on agents per interval.")] = 0,
    agents: Annotated[int | None, typer.Option(
        help="Reverse mode: KPIs with this many agents instead of the requirement.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Agents needed per interval (Erlang C, or Erlang A with --patience-s), or KPIs at --agents.

    Example: ccplan erlang --offered 100 --interval-s 1800 --aht-s 180 --target 80/20
    """
    try:
        frame = _erlang_frame(offered, csv, interval_s, aht_s, target, patience_s, max_occupancy,
                              max_asa_s, max_abandon, shrinkage, concurrency, min_agents, agents)
    except (staffing.StaffingError, InputFileError) as err:
        _fail(str(err))
        return
    sl, within = parse_target(target)
    meta = {
        "model": "erlang_a" if patience_s is not None else "erlang_c",
        "interval_s": interval_s,
        "target": {"service_level": sl, "answer_within_s": within},
        "mean_patience_s": patience_s,
        "shrinkage": shrinkage,
        "concurrency": concurrency,
        "mode": "kpis_at_agents" if agents is not None else "required_agents",
    }
    if as_json:
        records = json.loads(frame.to_json(orient="records", date_format="iso"))
        for rec, row in zip(records, frame.itertuples(index=False), strict=True):
            for key in ("asa_s", "asa_answered_s"):
                if key in rec and math.isinf(getattr(row, key)):
                    rec[key] = None
                    rec["unstable"] = True
        typer.echo(json.dumps({"meta": meta, "intervals": records}, indent=2))
        return
    _print_table(frame, meta, interval_s)


def _erlang_frame(offered, csv, interval_s, aht_s, target, patience_s, max_occupancy, max_asa_s,
                  max_abandon, shrinkage, concurrency, min_agents, agents) -> pd.DataFrame:
    if (offered is None) == (csv is None):
        raise InputFileError("give exactly one of --offered (one interval) or --csv FILE "
                             "(many intervals).")
    sl, within = parse_target(target)
    if csv is not None:
        table = read_intervals_csv(csv, default_aht_s=aht_s)
    else:
        if aht_s is None:
            raise InputFileError("--aht-s is required with --offered (average handle time in "
                                 "seconds, e.g. --aht-s 240).")
        table = pd.DataFrame({"offered": [offered], "aht_s": [aht_s]})
    # One interval: pass scalars, so that messages name the option without an index.
    off = table["offered"].to_numpy(dtype=float) if csv is not None else offered
    aht = table["aht_s"].to_numpy(dtype=float) if csv is not None else aht_s
    if agents is None:
        n = staffing.required_agents(
            off, interval_s, aht, sl, within, patience_s, max_asa_s, max_abandon,
            max_occupancy, min_agents, concurrency=concurrency,
        )
    else:
        n = np.full(np.shape(off), agents, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # unstable rows show as inf
        kpis = staffing.queue_kpis(n, off, interval_s, aht, within, patience_s,
                                   concurrency=concurrency)
    out = table.copy()
    out["agents"] = np.atleast_1d(np.asarray(n, dtype=np.int64))
    out["scheduled_agents"] = staffing.scheduled_agents(out["agents"].to_numpy(), shrinkage)
    for col in ("offered_load_erl", "p_wait", "service_level", "service_level_of_answered",
                "service_level_wait_within", "asa_s", "asa_answered_s", "p_abandon",
                "occupancy", "mean_queue"):
        out[col] = kpis[col].to_numpy()
    return out


def _print_table(frame: pd.DataFrame, meta: dict, interval_s: float) -> None:
    # Piped output gets a width that fits the table instead of the 80-column default.
    console = Console() if sys.stdout.isatty() else Console(width=160)
    model = "Erlang A" if meta["model"] == "erlang_a" else "Erlang C"
    tgt = meta["target"]
    title = (f"{model}, target {100 * tgt['service_level']:g}% in {tgt['answer_within_s']:g} s, "
             f"intervals of {interval_s:g} s")
    if meta["mean_patience_s"] is not None:
        title += f", mean patience {meta['mean_patience_s']:g} s"
    table = Table(title=title)
    keys = [c for c in ("interval_start", "channel") if c in frame.columns]
    for k in keys:
        table.add_column(k)
    cols = [c for c in _COLUMNS if c[0] != "p_abandon" or meta["model"] == "erlang_a"]
    for _, label, _kind in cols:
        table.add_column(label, justify="right")
    for row in frame.itertuples(index=False):
        cells = [str(getattr(row, k)) for k in keys]
        cells += [_fmt(getattr(row, key), kind) for key, _, kind in cols]
        table.add_row(*cells)
    console.print(table)
    if len(frame) > 1:
        hours = interval_s / 3600.0
        offered_total = frame["offered"].sum()
        answered = (frame["offered"] * (1 - frame["p_abandon"])).sum()
        within = (frame["offered"] * frame["service_level"]).sum()
        console.print(
            f"{len(frame)} intervals; offered {offered_total:,.0f}; peak agents "
            f"{frame['agents'].max()}; agent-hours {frame['agents'].sum() * hours:,.1f} on the "
            f"queue, {frame['scheduled_agents'].sum() * hours:,.1f} scheduled; service level "
            f"over all intervals {100 * within / max(offered_total, 1e-12):.1f}%; answered "
            f"{answered:,.0f}."
        )
    if np.isinf(frame["asa_s"]).any():
        console.print("[yellow]inf: agents <= offered load with no abandonment (the queue is "
                      "unstable). Add agents or give --patience-s.[/yellow]")


@app.command()
def simulate(
    volumes: Annotated[Path, typer.Option(
        help="CSV of intervals: interval_start, offered, optional channel and aht_s; an "
        "'agents' column here staffs them unless --staffing is given.")],
    staffing_csv: Annotated[Path | None, typer.Option(
        "--staffing", help="CSV of agents on duty: interval_start, agents (or "
        "agents_scheduled), optional channel.")] = None,
    roster_csv: Annotated[Path | None, typer.Option(
        "--roster", help="CSV of shifts and breaks: agent, activity (shift/break), start, "
        "end, optional channel. Instead of --staffing.")] = None,
    interval_s: Annotated[float, typer.Option(help="Interval length in seconds.")] = 900,
    aht_s: Annotated[float | None, typer.Option(
        help="Average handle time in seconds where the volumes file has none.")] = None,
    target: Annotated[str, typer.Option(help="Service-level target PERCENT/SECONDS.")] = "80/20",
    patience_s: Annotated[float | None, typer.Option(
        help="MEAN patience in seconds (abandonment); omit for none.")] = None,
    channel: Annotated[str, typer.Option(
        help="Channel name for files without a channel column.")] = "voice",
    replications: Annotated[int, typer.Option(help="Independent replications (>= 2).")] = 10,
    seed: Annotated[int, typer.Option(help="Root seed; the same seed gives the same tables.")] = 0,
    out: Annotated[Path | None, typer.Option(
        help="Folder for sim_intervals.csv and summary.csv (written atomically).")] = None,
    closed_gaps: Annotated[bool, typer.Option(
        help="Treat intervals missing between rows as closed: no contacts, no agents "
        "(otherwise a gap is an error).")] = False,
) -> None:
    """Simulate the centre: volumes and agents per interval -> KPIs with confidence intervals.

    Example: ccplan simulate --volumes week.csv --patience-s 180 --replications 10 --out out/
    """
    try:
        _, within = parse_target(target)
        forecast = read_interval_table(volumes, need=("offered", "aht_s"), channel=channel,
                                       default_aht_s=aht_s)
        roster = coverage = None
        if roster_csv is not None and staffing_csv is not None:
            raise InputFileError("give --staffing or --roster, not both.")
        if roster_csv is not None:
            roster = read_roster(roster_csv, channel=channel)
        elif staffing_csv is not None:
            coverage = read_interval_table(staffing_csv, need=("agents_scheduled",),
                                           channel=channel)
        else:
            coverage = read_interval_table(volumes, need=("agents_scheduled",), channel=channel)
        if closed_gaps:
            aht_fill = float(forecast["aht_s"].median())
            forecast = fill_closed_intervals(forecast, interval_s,
                                             {"offered": 0.0, "aht_s": aht_fill})
            if coverage is not None:
                coverage = fill_closed_intervals(coverage, interval_s, {"agents_scheduled": 0})
        settings = {name: {"answer_within_s": within, "mean_patience_s": patience_s}
                    for name in forecast["channel"].unique()}
        with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as bar:
            task = bar.add_task("replications", total=replications)
            intervals, summary = simulator.simulate(
                forecast, coverage, roster=roster, interval_s=interval_s, channels=settings,
                n_replications=replications, seed=seed,
                on_replication=lambda done: bar.update(task, completed=done),
            )
    except (simulator.SimulatorError, InputFileError) as err:
        hint = (" Or pass --closed-gaps if the missing intervals are closed hours."
                if "Fill the missing intervals" in str(err) else "")
        _fail(str(err) + hint)
        return
    if out is not None:
        write_csv_atomic(intervals, out / "sim_intervals.csv")
        write_csv_atomic(summary, out / "summary.csv")
    console = Console() if sys.stdout.isatty() else Console(width=160)
    table = Table(title=f"Simulated {replications} replications (seed {seed}); mean and 95% "
                  "confidence interval over the horizon")
    for col in ("channel", "KPI", "mean", "95% CI"):
        table.add_column(col, justify="left" if col in ("channel", "KPI") else "right")
    for row in summary.itertuples(index=False):
        kind = "pct" if row.kpi in ("service_level", "p_abandon", "occupancy") else "s"
        table.add_row(row.channel, row.kpi, _fmt(row.mean, kind),
                      f"{_fmt(row.ci_low, kind)} .. {_fmt(row.ci_high, kind)}")
    console.print(table)
    if out is not None:
        console.print(f"Wrote {out / 'sim_intervals.csv'} and {out / 'summary.csv'}.")


@app.command("forecast")
def forecast_command(
    history: Annotated[Path, typer.Option(
        help="CSV of past intervals: interval_start, offered (empty = missing), optional channel "
        "and aht_s. Closed hours as 0.")],
    horizon: Annotated[int, typer.Option(help="Intervals to forecast after the history.")],
    out: Annotated[Path, typer.Option(help="Where to write the forecast CSV (atomically).")],
    interval_s: Annotated[float, typer.Option(help="Interval length in seconds.")] = 1800,
    country: Annotated[str | None, typer.Option(
        help="Public-holiday calendar, e.g. FR, US, IL.")] = None,
    subdivision: Annotated[str | None, typer.Option(help="Region, e.g. NY.")] = None,
    level: Annotated[float, typer.Option(help="Prediction-interval level, percent.")] = 80,
    method: Annotated[str, typer.Option(
        help="auto, seasonal_naive, weekly_average or daily_ets.")] = "auto",
    channel: Annotated[str, typer.Option(
        help="Channel name for files without a channel column.")] = "voice",
) -> None:
    """Forecast contacts per interval from a history file (the pick is per channel with auto).

    Example: ccplan forecast --history calls.csv --horizon 336 --country FR --out fc.csv
    """
    try:
        table = _read_history(history, channel)
        result = forecasting.forecast(table, horizon, interval_s=interval_s, country=country,
                                      subdivision=subdivision, level=level, method=method)
    except (forecasting.ForecastingError, InputFileError) as err:
        _fail(str(err))
        return
    write_csv_atomic(result, out)
    for name, info in result.attrs.get("methods", {}).items():
        scores = ", ".join(f"{k} {v:.3f}" for k, v in info["backtest_wape"].items()
                           if v == v)
        typer.echo(f"{name}: {info['method']}" + (f" (backtest WAPE: {scores})" if scores else ""))
    typer.echo(f"Wrote {len(result)} rows to {out}.")


def _read_history(path: Path, channel: str) -> pd.DataFrame:
    """A history CSV as the forecasting package reads it (missing cells stay missing)."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file.")
    raw = pd.read_csv(path)
    for col in ("interval_start", "offered"):
        if col not in raw.columns:
            raise InputFileError(f"{path}: no column {col!r} (found: {', '.join(raw.columns)}). "
                                 "A history has interval_start and offered (and channel, aht_s).")
    if "channel" not in raw.columns:
        raw["channel"] = channel
    raw["interval_start"] = pd.to_datetime(raw["interval_start"], errors="coerce")
    if raw["interval_start"].isna().any():
        row = int(raw["interval_start"].isna().to_numpy().nonzero()[0][0])
        raise InputFileError(f"{path}: row {row + 2} column 'interval_start' is not a time.")
    return raw


def main() -> None:
    """Entry point of the ``ccplan`` console script."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)


if __name__ == "__main__":  # python -m scenarios.cli
    main()
