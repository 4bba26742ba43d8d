"""The ``ccplan`` command line.

Expected errors (bad input, bad files, unreachable targets) print one line to
stderr and exit with code 2. Unexpected errors keep their traceback (exit 1).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import inspect
import json
import math
import sys
import time
import warnings
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, NoReturn

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

import forecasting
import simulator
import staffing

from ._charts import backtest_chart_html, forecast_chart_html
from ._cli_scenarios import (
    check_command,
    compare_command,
    dashboard_command,
    demo_command,
    run_command,
    schema_command,
)
from ._errors import InputFileError
from ._history_files import (
    check_channel_spans,
    parse_column_mapping,
    read_history,
    rows_as_in_file,
)
from ._intervals import (
    fill_closed_intervals,
    parse_target,
    read_interval_table,
    read_intervals_csv,
    read_roster,
)
from ._output import write_csv_atomic, write_text_atomic
from ._schedule_files import (
    file_sha256,
    jsonable,
    read_requirements_csv,
    read_schedule_dir,
    write_schedule_dir,
)
from ._shift_rules import read_shift_rules

app = typer.Typer(
    name="ccplan",
    help="Contact-centre workforce planning: forecast, Erlang staffing, shift scheduling, "
    "simulation and cost, from scenario files (start with: ccplan demo).",
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


def _progress_bar() -> Progress:
    """The bar long commands show on stderr: label, bar, done of total, elapsed; gone after."""
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True),
                    transient=True)


def _fail(message: str) -> NoReturn:
    typer.echo(f"ccplan: error: {message}", err=True)
    raise typer.Exit(code=2)


@contextlib.contextmanager
def _writable(path: Path) -> Iterator[None]:
    """A write that fails (a folder where a file goes, no permission, no such parent) as
    the one-line error, not a raw OSError."""
    try:
        yield
    except OSError as err:
        _fail(f"cannot write {path}: {err.strerror or err}. Give a path in a folder you can "
              "write to.")


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
    if kind == "ratio":
        return f"{value:.2f}"
    return f"{value:.4g}"


_COLUMNS = [
    ("offered", "offered", "num"),
    ("aht_s", "AHT s", "s"),
    ("agents", "agents", "int"),
    ("scheduled_agents", "scheduled", "int"),
    ("service_level", "service level", "pct"),
    ("asa_s", "ASA s", "s"),
    ("abandon_rate", "abandon", "pct"),
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
    out: Annotated[Path | None, typer.Option(
        help="Also write the table as CSV (atomically): the input's interval_start and "
        "channel, offered, aht_s, agents (on the queue), scheduled_agents (with shrinkage) "
        "and the KPIs. ccplan simulate --staffing reads its 'agents' column.",
        show_default=False)] = None,
) -> None:
    """Agents needed per interval (Erlang C, or Erlang A with --patience-s), or KPIs at --agents.

    Example: ccplan erlang --offered 100 --interval-s 1800 --aht-s 180 --target 80/20

    Example: ccplan erlang --csv week.csv --interval-s 900 --patience-s 180 --out staff.csv
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
            for key in ("mean_wait_s", "asa_s"):
                if key in rec and math.isinf(getattr(row, key)):
                    rec[key] = None
                    rec["unstable"] = True
        typer.echo(json.dumps({"meta": meta, "intervals": records}, indent=2))
    else:
        _print_table(frame, meta, interval_s)
    if out is not None:
        try:
            write_csv_atomic(frame, out)
        except OSError as err:
            _fail(f"--out {out}: cannot write the CSV ({err.strerror or err}). Give a file "
                  "path in a writable folder, e.g. --out staff.csv.")
        typer.echo(f"Wrote {len(frame)} rows to {out}.", err=as_json)


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
        if not 0 <= agents <= 2**53:  # int64 would overflow (a raw OverflowError before)
            raise InputFileError(f"--agents must be a whole number of agents from 0 to 2**53, "
                                 f"got {agents}. E.g. --agents 14.")
        n = np.full(np.shape(off), agents, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # unstable rows show as inf
        kpis = staffing.queue_kpis(n, off, interval_s, aht, within, patience_s,
                                   concurrency=concurrency)
    out = table.copy()
    out["agents"] = np.atleast_1d(np.asarray(n, dtype=np.int64))
    out["scheduled_agents"] = staffing.scheduled_agents(out["agents"].to_numpy(), shrinkage)
    for col in ("offered_load_erl", "p_wait", "service_level", "service_level_of_answered",
                "service_level_wait_within", "asa_s", "mean_wait_s", "abandon_rate",
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
    cols = [c for c in _COLUMNS if c[0] != "abandon_rate" or meta["model"] == "erlang_a"]
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
        answered = (frame["offered"] * (1 - frame["abandon_rate"])).sum()
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
        settings = {name: simulator.ChannelModel(answer_within_s=within,
                                                 mean_patience_s=patience_s)
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
        with _writable(out):
            write_csv_atomic(intervals, out / "sim_intervals.csv")
            write_csv_atomic(summary, out / "summary.csv")
    console = Console() if sys.stdout.isatty() else Console(width=160)
    table = Table(title=f"Simulated {replications} replications (seed {seed}); mean and 95% "
                  "confidence interval over the horizon")
    for col in ("channel", "KPI", "mean", "95% CI"):
        table.add_column(col, justify="left" if col in ("channel", "KPI") else "right")
    for row in summary.itertuples(index=False):
        kind = "pct" if row.kpi in ("service_level", "abandon_rate", "occupancy") else "s"
        table.add_row(row.channel, row.kpi, _fmt(row.mean, kind),
                      f"{_fmt(row.ci_low, kind)} .. {_fmt(row.ci_high, kind)}")
    console.print(table)
    if out is not None:
        console.print(f"Wrote {out / 'sim_intervals.csv'} and {out / 'summary.csv'}.")


# ---------------------------------------------------------------------------------------------
# ccplan forecast (runs the forecast) and ccplan forecast backtest
# ---------------------------------------------------------------------------------------------

forecast_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(forecast_app, name="forecast")

_HISTORY_HELP = ("History file: .csv, .csv.gz or .parquet with interval_start, offered (empty = "
                 "missing; closed hours as 0), optional channel and aht_s.")
_COLUMNS_HELP = ("Rename the file's columns to ours, e.g. interval_start=DATE,"
                 "offered=CALLS,channel=queue (ours: interval_start, offered, channel, aht_s).")
_CONTACTS_HELP = ("The file has one row per contact: interval_start (or what --columns maps to "
                  "it) is the arrival time; optional channel. Counted per interval, whole days "
                  "from midnight to midnight, intervals without contacts as 0.")
_TZ_HELP = ("IANA time zone of the wall clock, e.g. Europe/Paris: the history is read on that "
            "wall clock (aware times converted; the repeated autumn hour summed, the skipped "
            "spring hour 0). Output times are that zone's wall clock.")
_CHANNEL_HELP = "Channel name for files without a channel column."
_COUNTRY_HELP = "Public-holiday calendar for the daily models, e.g. FR, US, IL."

HistoryOption = Annotated[Path | None, typer.Option(
    "--history", help=_HISTORY_HELP + " Required.", show_default=False)]
ColumnsOption = Annotated[str | None, typer.Option(help=_COLUMNS_HELP, show_default=False)]
ContactsOption = Annotated[bool, typer.Option("--contacts", help=_CONTACTS_HELP)]
TzOption = Annotated[str | None, typer.Option("--tz", help=_TZ_HELP, show_default=False)]
ChannelOption = Annotated[str, typer.Option(help=_CHANNEL_HELP)]
IntervalOption = Annotated[float, typer.Option(help="Interval length in seconds.")]
CountryOption = Annotated[str | None, typer.Option(help=_COUNTRY_HELP, show_default=False)]
SubdivisionOption = Annotated[str | None, typer.Option(
    help="Region of --country, e.g. NY for US.", show_default=False)]
LevelOption = Annotated[float, typer.Option(help="Prediction-interval level, percent.")]


@contextlib.contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """Show warnings raised inside as one ``ccplan: warning:`` line each (no source lines)."""
    with warnings.catch_warnings(record=True) as caught:  # the usual filters still apply
        try:
            yield
        finally:
            seen = set()
            for item in caught:
                text = str(item.message)
                if item.category is not UserWarning:
                    text = f"{item.category.__name__}: {text}"
                if text not in seen:
                    seen.add(text)
                    typer.echo(f"ccplan: warning: {text}", err=True)


def _check_horizon(horizon: int, history: Path) -> None:
    if horizon < 1:
        raise InputFileError(f"--horizon must be a whole number of intervals >= 1, got {horizon} "
                             f"(history {history}). E.g. --horizon 336 is one week of "
                             "30-minute intervals.")


def _load_history(history: Path, *, channel: str, columns: str | None, contacts: bool,
                  interval_s: float, tz: str | None) -> pd.DataFrame:
    """The history file, read, checked and tidied: the ``history`` table on a regular grid."""
    mapping = parse_column_mapping(columns)
    if tz is not None:
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
            raise InputFileError(f"--tz {tz!r} is not a known IANA time zone ({history}). Give "
                                 "a zone name such as Europe/Paris or America/New_York.") from err
    if not 0 < interval_s <= 7 * 86400:  # NaN fails too
        raise InputFileError(f"--interval-s must be > 0 seconds and at most 604800 (one week), "
                             f"got {interval_s:g}. E.g. 1800.")
    table = read_history(history, channel=channel, columns=mapping, contacts=contacts,
                         interval_s=interval_s)
    try:
        # Checked here with the file named in messages (forecast() checks again, quietly).
        tidy = forecasting.clean_history(table, interval_s=interval_s, where=str(history), tz=tz)
    except forecasting.HistoryError as err:
        message = str(err).replace("e.g. tz='Europe/Paris'", "e.g. --tz Europe/Paris")
        if not contacts:  # the table has the file's rows in the file's order
            message = rows_as_in_file(history, message)
        raise InputFileError(message) from None
    check_channel_spans(history, table, tidy, interval_s, contacts=contacts)
    return tidy


def forecast_command(
    ctx: typer.Context,
    history: HistoryOption = None,
    horizon: Annotated[int | None, typer.Option(
        help="Intervals to forecast after the history, >= 1 (336 = one week of 30 min). "
        "Required.", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write the forecast CSV (atomically). Required.", show_default=False)] = None,
    interval_s: IntervalOption = 1800,
    country: CountryOption = None,
    subdivision: SubdivisionOption = None,
    level: LevelOption = 80,
    method: Annotated[str, typer.Option(
        help="auto (per channel, the best backtest WAPE of "
        f"{', '.join(forecasting.AUTO_CANDIDATES)}) or one of "
        f"{', '.join(forecasting.METHODS)}.")] = "auto",
    channel: ChannelOption = "voice",
    columns: ColumnsOption = None,
    contacts: ContactsOption = False,
    tz: TzOption = None,
    chart: Annotated[Path | None, typer.Option(
        help="Where to write the HTML chart (self-contained, opens offline). Default: --out "
        "with the suffix .html.", show_default=False)] = None,
    no_chart: Annotated[bool, typer.Option("--no-chart", help="Write no HTML chart.")] = False,
) -> None:
    """Forecast contacts per interval from a history file (the pick is per channel with auto).

    Writes the forecast CSV (channel, interval_start, offered, offered_lo, offered_hi, aht_s
    when the history has it) and an HTML chart of the last 4 weeks and the forecast.

    Example: ccplan forecast --history calls.csv --horizon 336 --country FR --out fc.csv

    Run 'ccplan forecast backtest --help' to score the methods on the history instead.
    """
    if ctx.invoked_subcommand is not None:
        sources = {name: ctx.get_parameter_source(name) for name in ctx.params}
        given = [f"--{name.replace('_', '-')}" for name, source in sources.items()
                 if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")]
        if given:
            _fail(f"put the options of '{ctx.invoked_subcommand}' after it: ccplan forecast "
                  f"{ctx.invoked_subcommand} {' '.join(given)} ... ({', '.join(given)} came "
                  "before the subcommand).")
        return
    if history is None or horizon is None or out is None:
        missing = [name for name, value in (("--history", history), ("--horizon", horizon),
                                            ("--out", out)) if value is None]
        _fail(f"missing option {', '.join(missing)}. Example: ccplan forecast --history "
              "calls.csv --horizon 336 --out fc.csv (see ccplan forecast --help).")
    with _warnings_to_stderr():
        try:
            _check_horizon(horizon, history)
            tidy = _load_history(history, channel=channel, columns=columns, contacts=contacts,
                                 interval_s=interval_s, tz=tz)
            progress = _progress_bar()
            with progress:
                task = progress.add_task("channels", total=tidy["channel"].nunique())
                try:
                    result = forecasting.forecast(
                        tidy, horizon, interval_s=interval_s, country=country,
                        subdivision=subdivision, level=level, method=method,
                        on_channel=lambda done, total: progress.update(task, completed=done))
                except forecasting.ForecastingError as err:
                    raise InputFileError(f"{history}: {err}") from None
        except InputFileError as err:
            _fail(str(err))
            return
    with _writable(out):
        write_csv_atomic(result, out)
    methods = result.attrs.get("methods", {})
    for name, info in methods.items():
        scores = ", ".join(f"{k} {v:.3f}" for k, v in info["backtest_wape"].items()
                           if v == v)
        if scores:
            note = f" (backtest WAPE: {scores})"
        elif method == "auto":
            note = " (history too short for the backtest race: it needs 4 weeks and more)"
        else:
            note = ""
        typer.echo(f"{name}: {info['method']}{note}")
    typer.echo(f"Wrote {len(result)} rows to {out}.")
    if not no_chart:
        chart_path = chart if chart is not None else out.with_suffix(".html")
        html = forecast_chart_html(
            tidy, result, methods, interval_s,
            title=f"Forecast of {history.name}: {horizon} intervals of {interval_s:g} s")
        with _writable(chart_path):
            write_text_atomic(html, chart_path)
        typer.echo(f"Wrote the chart to {chart_path}.")


_SCORE_COLUMNS = [("n", "n", "int"), ("wape", "WAPE", "pct"), ("daily_wape", "daily WAPE", "pct"),
                  ("bias", "bias", "pct"), ("mase", "MASE", "ratio"),
                  ("coverage", "coverage", "pct")]


def _parse_methods(text: str) -> list[str]:
    known = ("auto",) + tuple(forecasting.METHODS)
    if text.strip() == "all":
        return list(known)
    methods = list(dict.fromkeys(m.strip() for m in text.split(",") if m.strip()))
    unknown = [m for m in methods if m not in known]
    if unknown or not methods:
        named = ", ".join(map(repr, unknown)) or "(none)"
        raise InputFileError(f"--methods: unknown method {named}; choose from "
                             f"{', '.join(known)} (comma separated), or all.")
    return methods


def _score_table(scores: pd.DataFrame, keys: list[str], title: str) -> Table:
    table = Table(title=title)
    for key in keys:
        table.add_column(key.replace("_", " "), justify="left" if key != "horizon_day"
                         else "right")
    for _, label, _kind in _SCORE_COLUMNS:
        table.add_column(label, justify="right")
    for row in scores.itertuples(index=False):
        table.add_row(*[str(getattr(row, k)) for k in keys],
                      *[_fmt(getattr(row, key), kind) for key, _, kind in _SCORE_COLUMNS])
    return table


def backtest_command(
    history: HistoryOption = None,
    horizon: Annotated[int | None, typer.Option(
        help="Intervals forecast from each origin, >= 1 (336 = one week of 30 min). Required.",
        show_default=False)] = None,
    origins: Annotated[int, typer.Option(
        help="Forecast origins per channel, >= 1; the last one is --horizon intervals before "
        "the end of the history.")] = 8,
    step_days: Annotated[float, typer.Option(help="Days between origins.")] = 7,
    methods: Annotated[str, typer.Option(
        help="Comma-separated methods to score: auto and any of "
        f"{', '.join(forecasting.METHODS)}; or all.")] =
        ",".join(("auto",) + tuple(forecasting.AUTO_CANDIDATES)),
    interval_s: IntervalOption = 1800,
    country: CountryOption = None,
    subdivision: SubdivisionOption = None,
    level: LevelOption = 80,
    channel: ChannelOption = "voice",
    columns: ColumnsOption = None,
    contacts: ContactsOption = False,
    tz: TzOption = None,
    out: Annotated[Path | None, typer.Option(
        help="Folder for backtest.csv, scores_by_channel.csv, scores_by_horizon_day.csv and "
        "backtest.html (written atomically).", show_default=False)] = None,
) -> None:
    """Score forecasting methods on the history itself, from rolling origins.

    Each method is fitted on the history before each origin and forecasts the --horizon
    intervals after it; the tables show WAPE (interval level), daily WAPE, bias
    (> 0: over-forecast), MASE (< 1 beats the in-sample seasonal naive) and the share of
    actuals inside the prediction interval, by method and channel and by method and
    horizon day.

    Files with --out DIR: backtest.csv (method, channel, origin, interval_start,
    horizon_day, actual, offered, offered_lo, offered_hi, scale), scores_by_channel.csv
    (method, channel, n, wape, daily_wape, bias, mase, coverage), scores_by_horizon_day.csv
    (method, horizon_day, n, wape, daily_wape, bias, mase, coverage; channels pooled) and
    backtest.html.

    Example: ccplan forecast backtest --history calls.csv --horizon 336 --origins 8 --out bt/
    """
    if history is None or horizon is None:
        missing = [name for name, value in (("--history", history), ("--horizon", horizon))
                   if value is None]
        _fail(f"missing option {', '.join(missing)}. Example: ccplan forecast backtest "
              "--history calls.csv --horizon 336 --origins 8 (see ccplan forecast backtest "
              "--help).")
    with _warnings_to_stderr():
        try:
            _check_horizon(horizon, history)
            if origins < 1:
                raise InputFileError(f"--origins must be >= 1, got {origins} (history "
                                     f"{history}).")
            chosen = _parse_methods(methods)
            step_s = step_days * 86400.0
            if not interval_s > 0 or step_s <= 0 or (step_s / interval_s) % 1 != 0:
                raise InputFileError(
                    f"--step-days {step_days:g} must be a positive whole number of "
                    f"--interval-s {interval_s:g} intervals, e.g. 7 (one week).")
            tidy = _load_history(history, channel=channel, columns=columns, contacts=contacts,
                                 interval_s=interval_s, tz=tz)
            progress = _progress_bar()
            with progress:
                task = progress.add_task("origins",
                                         total=tidy["channel"].nunique() * origins)
                try:
                    rows = forecasting.backtest(
                        tidy, interval_s=interval_s, horizon=horizon, n_origins=origins,
                        step_s=step_s, methods=chosen, country=country,
                        subdivision=subdivision, level=level,
                        on_origin=lambda done, total: progress.update(task, completed=done,
                                                                      total=total))
                except forecasting.ForecastingError as err:
                    raise InputFileError(f"{history}: {err}") from None
        except InputFileError as err:
            _fail(str(err))
            return
    by_channel = forecasting.score_backtest(rows, by=("method", "channel"))
    by_day = forecasting.score_backtest(rows, by=("method", "horizon_day"))
    order = {m: i for i, m in enumerate(chosen)}
    by_channel = by_channel.sort_values(["method", "channel"], key=lambda s: s.map(order)
                                        if s.name == "method" else s, ignore_index=True)
    by_day = by_day.sort_values(["method", "horizon_day"], key=lambda s: s.map(order)
                                if s.name == "method" else s, ignore_index=True)
    console = Console() if sys.stdout.isatty() else Console(width=160)
    span = (f"{origins} origins {step_days:g} days apart, horizon {horizon} intervals of "
            f"{interval_s:g} s")
    console.print(_score_table(by_channel, ["method", "channel"],
                               f"Backtest of {history.name} by method and channel ({span})"))
    console.print(_score_table(by_day, ["method", "horizon_day"],
                               "By method and horizon day (channels pooled)"))
    if out is not None:
        with _writable(out):
            write_csv_atomic(rows, out / "backtest.csv")
            write_csv_atomic(by_channel, out / "scores_by_channel.csv")
            write_csv_atomic(by_day, out / "scores_by_horizon_day.csv")
            write_text_atomic(backtest_chart_html(by_day, by_channel,
                                                  f"Backtest of {history.name}: {span}"),
                              out / "backtest.html")
        console.print(f"Wrote backtest.csv, scores_by_channel.csv, scores_by_horizon_day.csv "
                      f"and backtest.html to {out}.")


# ---------------------------------------------------------------------------------------------
# ccplan schedule and ccplan cost
# ---------------------------------------------------------------------------------------------


def _solve_with_spinner(solve, time_limit_s: float):
    """Run ``solve()`` in a worker thread; show a spinner with elapsed seconds of the time limit.

    The MILP solver reports no progress, so the bar shows time, not work.
    """
    progress = Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"),
                        BarColumn(), TextColumn("{task.completed:.0f} of {task.total:.0f} s"),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    with progress, concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        task = progress.add_task("solving (of the safety-net limit)", total=max(time_limit_s, 1.0))
        future = pool.submit(solve)
        started = time.monotonic()
        while True:
            try:
                return future.result(timeout=0.1)
            except concurrent.futures.TimeoutError:
                progress.update(task, completed=min(time.monotonic() - started, time_limit_s))


def _gap_text(summary: dict) -> str:
    gap = summary.get("mip_gap")
    return "-" if gap is None else f"{100 * gap:.2f}%"


def _print_schedule_summary(summary: dict, requirements_csv: Path) -> None:
    console = Console() if sys.stdout.isatty() else Console(width=160)
    table = Table(title=f"Schedule for {requirements_csv.name}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    rows = [
        ("status", str(summary["status"])),
        ("MIP gap reached", _gap_text(summary)),
        ("MIP gap asked", f"{100 * summary['mip_rel_gap']:.2f}%"),
        ("node budget", f"{summary.get('max_nodes', '-')}"),
        ("time limit (safety net)", f"{summary['time_limit_s']:g} s"),
        ("runtime", f"{summary['runtime_s']:.1f} s"),
        ("cost", f"{summary['cost']:,.2f}"),
        ("headcount", f"{summary['headcount']}"),
        ("FTE", f"{summary['fte']:.2f}"),
        ("paid hours", f"{summary['paid_hours']:,.1f}"),
        ("agent-intervals short", f"{summary['under_agent_intervals']}"),
        ("agent-intervals over", f"{summary.get('over_agent_intervals', 0)}"),
        ("agent-hours on shift while closed", f"{summary.get('closed_idle_agent_hours', 0):,.1f}"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    line = (f"Status {summary['status']}: MIP gap {_gap_text(summary)} (asked "
            f"{100 * summary['mip_rel_gap']:.2f}%), node budget {summary.get('max_nodes', '-')}, "
            f"time limit {summary['time_limit_s']:g} s (safety net), "
            f"runtime {summary['runtime_s']:.1f} s.")
    if summary["status"] == "gap_above_target":
        line += (" The solver used its node budget (rules.max_nodes) before reaching the gap "
                 "asked: the cost is at most the gap above the best possible, and the same "
                 "inputs give the same schedule on any machine.")
    console.print(line, highlight=False)
    if summary["status"] == "time_limit":
        Console(stderr=True).print(
            f"[bold yellow]ccplan: warning: the solver stopped at its time limit "
            f"({summary['time_limit_s']:g} s, a safety net) with MIP gap {_gap_text(summary)}: "
            "this schedule depends on the machine's speed and load. Raise --time-limit "
            "(rules.time_limit_s) or lower rules.max_nodes.[/]", highlight=False, soft_wrap=True)


@app.command()
def schedule(
    requirements_csv: Annotated[Path, typer.Argument(
        metavar="REQUIREMENTS_CSV", show_default=False,
        help="CSV of agents required: interval_start, agents_required (whole numbers; 0 where "
        "closed), optional channel. Every interval of the horizon, consecutive.")],
    rules: Annotated[Path, typer.Option(
        help="YAML of shift templates, labour rules and pay (see "
        "scenarios/examples/schedule/rules.yaml).", show_default=False)],
    interval_s: Annotated[float, typer.Option(
        help="Interval length of the requirements, seconds.")] = 1800,
    out: Annotated[Path | None, typer.Option(
        help="Folder for shifts.csv, breaks.csv, tours.csv, coverage.csv, costs.csv and "
        "summary.json (written atomically).", show_default=False)] = None,
    time_limit: Annotated[float | None, typer.Option(
        help="Safety-net time limit of the solver, seconds (overrides rules.time_limit_s of "
        "the rules file); the solver normally stops on its gap or node budget first.",
        show_default=False)] = None,
    channel: Annotated[str, typer.Option(help=_CHANNEL_HELP)] = "voice",
) -> None:
    """Choose shifts and breaks that cover a requirement at least cost (integer programme).

    Shows the solver's status, the MIP gap reached and the time limit; with --out, writes
    the schedule's tables and summary.json (ccplan cost reads that folder).

    Example: ccplan schedule requirements.csv --rules rules.yaml --interval-s 3600 --out sched/
    """
    with _warnings_to_stderr():
        try:
            if not (math.isfinite(interval_s) and interval_s > 0):
                raise InputFileError(f"--interval-s must be > 0 seconds, got {interval_s:g}. "
                                     "E.g. 1800 for 30 minutes.")
            if time_limit is not None and not (math.isfinite(time_limit) and time_limit > 0):
                raise InputFileError(f"--time-limit must be > 0 seconds, got {time_limit:g}. "
                                     "E.g. --time-limit 60.")
            table = read_requirements_csv(requirements_csv, channel=channel)
            years = sorted({int(y) for y in table["interval_start"].dt.year.unique()})
            shift_rules = read_shift_rules(rules, years=years)
            labour = shift_rules.rules
            if time_limit is not None:
                labour = dataclasses.replace(labour, time_limit_s=float(time_limit))

            def solve() -> staffing.Schedule:
                return staffing.schedule_shifts(table, shift_rules.templates,
                                                interval_s=interval_s, rules=labour,
                                                rates=shift_rules.rates)

            try:
                result = _solve_with_spinner(solve, labour.time_limit_s)
            except staffing.ContractError as err:
                hint = (" Check --interval-s." if "not consecutive" in str(err) else "")
                raise InputFileError(f"{requirements_csv}: {err}{hint}") from None
            except staffing.InvalidParameterError as err:
                if str(err).startswith("schedule_shifts(): interval_s"):
                    raise InputFileError(str(err)) from None
                raise shift_rules.error_in_file(err) from None
            except staffing.InfeasibleScheduleError as err:
                raise InputFileError(f"{rules} with {requirements_csv}: {err}") from None
        except InputFileError as err:
            _fail(str(err))
            return
    if out is not None:
        from importlib.metadata import version

        inputs = {"ccplan_version": version("ccplan"),
                  "requirements_csv": str(requirements_csv),
                  "requirements_sha256": file_sha256(requirements_csv),
                  "rules": str(rules), "rules_sha256": file_sha256(rules),
                  "interval_s": interval_s}
        with _writable(out):
            write_schedule_dir(result, out, inputs)
    _print_schedule_summary(result.summary, requirements_csv)
    if out is not None:
        typer.echo(f"Wrote shifts.csv, breaks.csv, tours.csv, coverage.csv, costs.csv and "
                   f"summary.json to {out}.")


_REPORT_TABLES = ("by_interval", "by_channel", "by_day", "by_week", "annual", "breakdown")


def _read_workload(path: Path, *, channel: str, aht_s: float | None) -> pd.DataFrame:
    """The forecast CSV as cost_report's workload: offered, aht_s and, if present, handled."""
    try:
        header = list(pd.read_csv(path, nrows=0).columns) if Path(path).is_file() else []
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputFileError(f"{path}: not a readable CSV ({str(err).splitlines()[0]}).") from None
    need = ("offered", "aht_s", "handled") if "handled" in header else ("offered", "aht_s")
    return read_interval_table(path, need=need, channel=channel, default_aht_s=aht_s)


def _money(value: float | None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:,.2f}"


def _print_cost_report(report, schedule_dir: Path) -> None:
    console = Console() if sys.stdout.isatty() else Console(width=160)
    s = report.summary
    table = Table(title=f"Cost per contact by channel ({schedule_dir}, "
                  f"{s['horizon_days']:g} days)")
    for label in ("channel", "offered", "handled", "paid hours", "cost", "share", "idle cost",
                  "per offered", "per handled", "per year"):
        table.add_column(label, justify="left" if label == "channel" else "right")
    for row in report.by_channel.itertuples(index=False):
        table.add_row(str(row.channel), f"{row.offered:,.0f}",
                      "-" if pd.isna(row.handled) else f"{row.handled:,.0f}",
                      f"{row.paid_hours:,.1f}", _money(row.cost), _fmt(row.share_of_cost, "pct"),
                      _money(row.cost_idle), _money(row.cost_per_offered),
                      _money(row.cost_per_handled), _money(row.cost_per_year))
    console.print(table)
    breakdown = Table(title="Finance breakdown: what the money is (component) and what it "
                      "buys (use)")
    for label in ("view", "item", "agent hours", "cost", "share"):
        breakdown.add_column(label, justify="left" if label in ("view", "item") else "right")
    for row in report.breakdown.itertuples(index=False):
        breakdown.add_row(str(row.view), str(row.item), f"{row.agent_hours:,.1f}",
                          _money(row.cost), _fmt(row.share, "pct"))
    console.print(breakdown)
    per_handled = ("" if s.get("cost_per_handled") is None
                   else f", {_money(s['cost_per_handled'])} per handled contact")
    console.print(f"Total {_money(s['cost'])} over the horizon ({_money(s['cost_per_year'])} per "
                  f"year if it repeats); {_money(s['cost_per_offered'])} per offered "
                  f"contact{per_handled}.")


@app.command()
def cost(
    schedule_dir: Annotated[Path, typer.Argument(
        metavar="SCHEDULE_DIR", show_default=False,
        help="Folder written by ccplan schedule --out.")],
    forecast: Annotated[Path, typer.Option(
        help="CSV of contacts: interval_start, offered, aht_s, optional channel and handled "
        "(e.g. ccplan forecast's output). Rows outside the schedule's horizon are left out.",
        show_default=False)],
    out: Annotated[Path | None, typer.Option(
        help="Folder for cost_by_interval.csv, cost_by_channel.csv, cost_by_day.csv, "
        "cost_by_week.csv, cost_annual.csv, cost_breakdown.csv and cost_summary.json.",
        show_default=False)] = None,
    aht_s: Annotated[float | None, typer.Option(
        help="Average handle time in seconds where the forecast has none.",
        show_default=False)] = None,
    channel: Annotated[str, typer.Option(help=_CHANNEL_HELP)] = "voice",
) -> None:
    """Price a schedule: cost per contact by channel, and what the money is and buys.

    Reads the schedule folder of ccplan schedule and a forecast of contacts, and shows the
    cost per offered (and handled) contact by channel and the finance breakdown (wages,
    premiums, overhead; handling, idle, shrinkage, paid breaks). The rules are in
    docs/cost.md.

    Example: ccplan cost sched/ --forecast forecast.csv --out cost/
    """
    with _warnings_to_stderr():
        try:
            sched, _inputs = read_schedule_dir(schedule_dir)
            workload = _read_workload(forecast, channel=channel, aht_s=aht_s)
            starts = pd.DatetimeIndex(sched.coverage["interval_start"])
            if len(starts):
                end = starts.max() + pd.Timedelta(seconds=float(sched.summary["interval_s"]))
                times = workload["interval_start"]
                inside = (times >= starts.min()) & (times < end)
                if not inside.all():
                    warnings.warn(f"{forecast}: left out {int((~inside).sum())} rows outside "
                                  f"the schedule's horizon ({starts.min()} to {end}).",
                                  stacklevel=1)
                    workload = workload[inside].reset_index(drop=True)
            try:
                report = staffing.cost_report(sched, workload)
            except (staffing.ContractError, staffing.InvalidParameterError) as err:
                raise InputFileError(f"{schedule_dir} with {forecast}: {err}") from None
        except InputFileError as err:
            _fail(str(err))
            return
    _print_cost_report(report, schedule_dir)
    if out is not None:
        with _writable(out):
            for name in _REPORT_TABLES:
                write_csv_atomic(getattr(report, name), out / f"cost_{name}.csv")
            write_text_atomic(json.dumps(jsonable(report.summary), indent=2) + "\n",
                              out / "cost_summary.json")
        typer.echo(f"Wrote {', '.join(f'cost_{n}.csv' for n in _REPORT_TABLES)} and "
                   f"cost_summary.json to {out}.")


def _reflow(doc: str | None) -> str:
    """A docstring as command help: one line per paragraph (typer keeps single line breaks)."""
    return "\n\n".join(" ".join(part.split()) for part in inspect.cleandoc(doc or "").split("\n\n"))


forecast_app.callback(invoke_without_command=True,
                      help=_reflow(forecast_command.__doc__))(forecast_command)
forecast_app.command("backtest", help=_reflow(backtest_command.__doc__))(backtest_command)
for _name, _command in (("run", run_command), ("compare", compare_command),
                        ("check", check_command), ("schema", schema_command),
                        ("demo", demo_command), ("dashboard", dashboard_command)):
    app.command(_name, help=_reflow(_command.__doc__))(_command)


def main() -> None:
    """Entry point of the ``ccplan`` console script."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)


if __name__ == "__main__":  # python -m scenarios.cli
    main()
