"""The engine commands of ``ccplan``: ``erlang`` (staffing per interval), ``simulate`` (the
simulator on volumes and agents), ``schedule`` (shifts at least cost) and ``cost``
(pricing a schedule). Each reads its input files, calls one engine and prints
or writes its tables. numpy, pandas and the readers are imported by the
commands that run, so that ``ccplan --help`` starts without them.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import math
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

import simulator
import staffing

from .._errors import InputFileError
from ._console import (
    fail,
    fmt,
    money,
    progress_bar,
    stdout_console,
    warnings_to_stderr,
    writable,
)
from ._options import TARGET_HELP, duration_option, target_option

if TYPE_CHECKING:
    import pandas as pd

CHANNEL_HELP = "Channel name for files without a channel column."

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


def erlang(
    offered: Annotated[float | None, typer.Option(
        help="Contacts offered in one interval (or use --csv).")] = None,
    csv: Annotated[Path | None, typer.Option(
        help="CSV of intervals: column 'offered' (required); optional 'interval_start', "
        "'channel', 'aht_s' (overrides --aht per row).")] = None,
    interval_s: Annotated[float, duration_option("--interval", help="Interval length.")] = 900,
    aht_s: Annotated[float | None, duration_option(
        "--aht", help="Average handle time (required unless the CSV has aht_s).",
        show_default=False)] = None,
    target: Annotated[str, typer.Option(help=TARGET_HELP, metavar="TARGET")] = "80/20",
    patience_s: Annotated[float | None, duration_option(
        "--patience", help="MEAN patience: Erlang A with abandonment. Omit for Erlang C.",
        show_default=False)] = None,
    max_occupancy: Annotated[float | None, typer.Option(
        help="Occupancy cap, fraction in (0, 1], e.g. 0.85.")] = None,
    max_asa_s: Annotated[float | None, duration_option(
        "--max-asa", help="Upper bound on ASA.", show_default=False)] = None,
    max_abandon: Annotated[float | None, typer.Option(
        help="Upper bound on the abandonment rate, fraction (needs --patience).")] = None,
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
    """Agents needed per interval (Erlang C, or Erlang A with --patience), or KPIs at --agents.

    Example: ccplan erlang --offered 100 --interval 30m --aht 3m --target "80% in 20s"

    Example: ccplan erlang --csv week.csv --interval-s 900 --patience-s 180 --out staff.csv
    """
    try:
        columns = _erlang_columns(offered, csv, interval_s, aht_s, target, patience_s,
                                  max_occupancy, max_asa_s, max_abandon, shrinkage, concurrency,
                                  min_agents, agents)
    except (staffing.StaffingError, InputFileError) as err:
        fail(str(err))
        return
    sl, within = target_option(target)
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
        typer.echo(json.dumps({"meta": meta, "intervals": _json_records(columns)}, indent=2,
                              allow_nan=False))
    else:
        _print_table(columns, meta, interval_s)
    if out is not None:
        import pandas as pd

        from ..files.output import write_csv_atomic

        try:
            write_csv_atomic(pd.DataFrame(columns), out)
        except OSError as err:
            fail(f"--out {out}: cannot write the CSV ({err.strerror or err}). Give a file "
                  "path in a writable folder, e.g. --out staff.csv.")
        typer.echo(f"Wrote {len(columns['agents'])} rows to {out}.", err=as_json)


#: The KPI columns ``ccplan erlang`` adds after agents and scheduled_agents, in order.
_KPI_COLUMNS = ("offered_load_erl", "p_wait", "service_level", "service_level_of_answered",
                "service_level_wait_within", "asa_s", "mean_wait_s", "abandon_rate",
                "occupancy", "mean_queue")


def _erlang_columns(offered, csv, interval_s, aht_s, target, patience_s, max_occupancy,
                    max_asa_s, max_abandon, shrinkage, concurrency, min_agents,
                    agents) -> dict[str, Any]:
    """The table of ``ccplan erlang`` as columns (name -> 1-D array, in order): the input's
    columns, agents, scheduled_agents and the KPIs. Only ``--csv`` reads with pandas: one
    interval (``--offered``) runs on numpy alone, so the command starts faster."""
    import numpy as np

    if (offered is None) == (csv is None):
        raise InputFileError("give exactly one of --offered (one interval) or --csv FILE "
                             "(many intervals).")
    sl, within = target_option(target)
    columns: dict[str, Any]
    if csv is not None:
        from ..files.intervals import read_intervals_csv

        table = read_intervals_csv(csv, default_aht_s=aht_s)
        columns = {name: table[name].to_numpy() for name in table.columns}
        # An array of intervals: messages then name the interval by its index.
        off = columns["offered"].astype(float)
        aht = columns["aht_s"].astype(float)
    else:
        if aht_s is None:
            raise InputFileError("--aht is required with --offered (the average handle time, "
                                 "e.g. --aht 4m or --aht-s 240).")
        columns = {"offered": np.array([offered], dtype=float),
                   "aht_s": np.array([aht_s], dtype=float)}
        off, aht = offered, aht_s  # scalars, so that messages name the option without an index
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
                                   concurrency=concurrency, as_frame=False)
    columns["agents"] = np.atleast_1d(np.asarray(n, dtype=np.int64))
    columns["scheduled_agents"] = np.atleast_1d(
        staffing.scheduled_agents(columns["agents"], shrinkage))
    for name in _KPI_COLUMNS:
        columns[name] = kpis[name]
    return columns


def _json_value(value: Any) -> Any:
    """One cell for JSON: a numpy number as a Python number, a missing or infinite number as
    null, a text as itself."""
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _json_records(columns: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per interval; an unstable interval (ASA infinite: agents <= load with no
    abandonment) has ``unstable: true`` and null waits."""
    records = []
    for i in range(len(columns["agents"])):
        record = {name: _json_value(values[i]) for name, values in columns.items()}
        if any(math.isinf(float(columns[key][i])) for key in ("mean_wait_s", "asa_s")):
            record["unstable"] = True
        records.append(record)
    return records


def _print_table(columns: dict[str, Any], meta: dict, interval_s: float) -> None:
    import numpy as np

    # Piped output gets a width that fits the table instead of the 80-column default.
    console = stdout_console()
    model = "Erlang A" if meta["model"] == "erlang_a" else "Erlang C"
    tgt = meta["target"]
    title = (f"{model}, target {100 * tgt['service_level']:g}% in {tgt['answer_within_s']:g} s, "
             f"intervals of {interval_s:g} s")
    if meta["mean_patience_s"] is not None:
        title += f", mean patience {meta['mean_patience_s']:g} s"
    table = Table(title=title)
    keys = [c for c in ("interval_start", "channel") if c in columns]
    for k in keys:
        table.add_column(k)
    cols = [c for c in _COLUMNS if c[0] != "abandon_rate" or meta["model"] == "erlang_a"]
    for _, label, _kind in cols:
        table.add_column(label, justify="right")
    rows = len(columns["agents"])
    for i in range(rows):
        cells = [str(columns[k][i]) for k in keys]
        cells += [fmt(columns[key][i], kind) for key, _, kind in cols]
        table.add_row(*cells)
    console.print(table)
    if rows > 1:
        hours = interval_s / 3600.0
        offered = columns["offered"]
        offered_total = np.nansum(offered)
        answered = np.nansum(offered * (1 - columns["abandon_rate"]))
        within = np.nansum(offered * columns["service_level"])
        console.print(
            f"{rows} intervals; offered {offered_total:,.0f}; peak agents "
            f"{columns['agents'].max()}; agent-hours {columns['agents'].sum() * hours:,.1f} on "
            f"the queue, {columns['scheduled_agents'].sum() * hours:,.1f} scheduled; service "
            f"level over all intervals {100 * within / max(offered_total, 1e-12):.1f}%; "
            f"answered {answered:,.0f}."
        )
    if np.isinf(columns["asa_s"]).any():
        console.print("[yellow]inf: agents <= offered load with no abandonment (the queue is "
                      "unstable). Add agents or give --patience.[/yellow]")


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
    interval_s: Annotated[float, duration_option("--interval", help="Interval length.")] = 900,
    aht_s: Annotated[float | None, duration_option(
        "--aht", help="Average handle time where the volumes file has none.",
        show_default=False)] = None,
    target: Annotated[str, typer.Option(help=TARGET_HELP, metavar="TARGET")] = "80/20",
    patience_s: Annotated[float | None, duration_option(
        "--patience", help="MEAN patience (abandonment); omit for none.",
        show_default=False)] = None,
    channel: Annotated[str, typer.Option(help=CHANNEL_HELP)] = "voice",
    replications: Annotated[int, typer.Option(help="Independent replications (>= 2).")] = 10,
    seed: Annotated[int, typer.Option(help="Root seed; the same seed gives the same tables.")] = 0,
    out: Annotated[Path | None, typer.Option(
        help="Folder for sim_intervals.csv and summary.csv (written atomically).")] = None,
    closed_gaps: Annotated[bool, typer.Option(
        help="Treat intervals missing between rows as closed: no contacts, no agents "
        "(otherwise a gap is an error).")] = False,
) -> None:
    """Simulate the centre: volumes and agents per interval -> KPIs with confidence intervals.

    Example: ccplan simulate --volumes week.csv --patience 3m --replications 10 --out out/
    """
    from ..files.intervals import fill_closed_intervals, read_interval_table, read_roster
    from ..files.output import write_csv_atomic

    try:
        _, within = target_option(target)
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
        with progress_bar() as bar:
            task = bar.add_task("replications", total=replications)
            intervals, summary = simulator.simulate(
                forecast, coverage, roster=roster, interval_s=interval_s, channels=settings,
                n_replications=replications, seed=seed,
                on_replication=lambda done: bar.update(task, completed=done),
            )
    except (simulator.SimulatorError, InputFileError) as err:
        hint = (" Or pass --closed-gaps if the missing intervals are closed hours."
                if "Fill the missing intervals" in str(err) else "")
        fail(str(err) + hint)
        return
    if out is not None:
        with writable(out):
            write_csv_atomic(intervals, out / "sim_intervals.csv")
            write_csv_atomic(summary, out / "summary.csv")
    console = stdout_console()
    table = Table(title=f"Simulated {replications} replications (seed {seed}); mean and 95% "
                  "confidence interval over the horizon")
    for col in ("channel", "KPI", "mean", "95% CI"):
        table.add_column(col, justify="left" if col in ("channel", "KPI") else "right")
    for row in summary.itertuples(index=False):
        kind = "pct" if row.kpi in ("service_level", "abandon_rate", "occupancy") else "s"
        table.add_row(row.channel, row.kpi, fmt(row.mean, kind),
                      f"{fmt(row.ci_low, kind)} .. {fmt(row.ci_high, kind)}")
    console.print(table)
    if out is not None:
        console.print(f"Wrote {out / 'sim_intervals.csv'} and {out / 'summary.csv'}.")




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


def _print_schedule_summary(summary: dict, requirements_csv: Path, currency: str) -> None:
    from ..compare import solver_text

    console = stdout_console()
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
        ("cost", f"{money(summary['cost'])} {currency}"),
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
    line = (f"Solver: {solver_text(summary['status'], summary.get('mip_gap'))} (gap asked "
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


def schedule(
    requirements_csv: Annotated[Path, typer.Argument(
        metavar="REQUIREMENTS_CSV", show_default=False,
        help="CSV of agents required: interval_start, agents_required (whole numbers; 0 where "
        "closed), optional channel. Every interval of the horizon, consecutive.")],
    rules: Annotated[Path, typer.Option(
        help="YAML of shift templates, labour rules and pay (see "
        "scenarios/examples/schedule/rules.yaml).", show_default=False)],
    interval_s: Annotated[float, duration_option(
        "--interval", help="Interval length of the requirements.")] = 1800,
    out: Annotated[Path | None, typer.Option(
        help="Folder for shifts.csv, breaks.csv, tours.csv, coverage.csv, costs.csv and "
        "summary.json (written atomically).", show_default=False)] = None,
    time_limit: Annotated[float | None, duration_option(
        "--time-limit", help="Safety-net time limit of the solver (overrides "
        "rules.time_limit_s of the rules file); the solver normally stops on its gap or node "
        "budget first.", seconds_name=False, show_default=False)] = None,
    channel: Annotated[str, typer.Option(help=CHANNEL_HELP)] = "voice",
) -> None:
    """Choose shifts and breaks that cover a requirement at least cost (integer programme).

    Shows the solver's status, the MIP gap reached and the time limit; with --out, writes
    the schedule's tables and summary.json (ccplan cost reads that folder).

    Example: ccplan schedule requirements.csv --rules rules.yaml --interval 1h --out sched/
    """
    from ..files import read_shift_rules
    from ..files.schedules import file_sha256, read_requirements_csv, write_schedule_dir

    with warnings_to_stderr():
        try:
            if not (math.isfinite(interval_s) and interval_s > 0):
                raise InputFileError(f"--interval must be > 0 seconds, got {interval_s:g}. E.g. "
                                     "--interval 30m (or --interval-s 1800).")
            if time_limit is not None and not (math.isfinite(time_limit) and time_limit > 0):
                raise InputFileError(f"--time-limit must be > 0 seconds, got {time_limit:g}. "
                                     "E.g. --time-limit 1m.")
            table = read_requirements_csv(requirements_csv, channel=channel)
            years = sorted({int(y) for y in table["interval_start"].dt.year.unique()})
            shift_rules = read_shift_rules(rules, years=years)
            labour = shift_rules.rules
            currency = shift_rules.currency
            if time_limit is not None:
                labour = dataclasses.replace(labour, time_limit_s=float(time_limit))

            def solve() -> staffing.Schedule:
                return staffing.schedule_shifts(table, shift_rules.templates,
                                                interval_s=interval_s, rules=labour,
                                                rates=shift_rules.rates)

            try:
                result = _solve_with_spinner(solve, labour.time_limit_s)
            except staffing.errors.ContractError as err:
                hint = (" Check --interval." if "not consecutive" in str(err) else "")
                raise InputFileError(f"{requirements_csv}: {err}{hint}") from None
            except staffing.errors.InvalidParameterError as err:
                if str(err).startswith("schedule_shifts(): interval_s"):
                    raise InputFileError(str(err)) from None
                raise shift_rules.error_in_file(err) from None
            except staffing.errors.InfeasibleScheduleError as err:
                raise InputFileError(f"{rules} with {requirements_csv}: {err}") from None
        except InputFileError as err:
            fail(str(err))
            return
    if out is not None:
        from importlib.metadata import version

        inputs = {"ccplan_version": version("ccplan"),
                  "requirements_csv": str(requirements_csv),
                  "requirements_sha256": file_sha256(requirements_csv),
                  "rules": str(rules), "rules_sha256": file_sha256(rules),
                  "interval_s": interval_s, "currency": currency}
        with writable(out):
            write_schedule_dir(result, out, inputs)
    _print_schedule_summary(result.summary, requirements_csv, currency)
    if out is not None:
        typer.echo(f"Wrote shifts.csv, breaks.csv, tours.csv, coverage.csv, costs.csv and "
                   f"summary.json to {out}.")


_REPORT_TABLES = ("by_interval", "by_channel", "by_day", "by_week", "annual", "breakdown")


def _read_workload(path: Path, *, channel: str, aht_s: float | None) -> pd.DataFrame:
    """The forecast CSV as cost_report's workload: offered, aht_s and, if present, handled."""
    import pandas as pd

    from ..files.intervals import read_interval_table

    try:
        header = list(pd.read_csv(path, nrows=0).columns) if Path(path).is_file() else []
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputFileError(f"{path}: not a readable CSV ({str(err).splitlines()[0]}).") from None
    need = ("offered", "aht_s", "handled") if "handled" in header else ("offered", "aht_s")
    return read_interval_table(path, need=need, channel=channel, default_aht_s=aht_s)


def _print_cost_report(report, schedule_dir: Path, currency: str) -> None:
    """The cost tables; every amount is in ``currency`` (said in the column or after it)."""
    import pandas as pd

    console = stdout_console()
    s = report.summary
    table = Table(title=f"Cost per contact by channel ({schedule_dir}, "
                  f"{s['horizon_days']:g} days; amounts in {currency})")
    for label in ("channel", "offered", "handled", "paid hours", f"cost {currency}", "share",
                  f"idle cost {currency}", f"per offered {currency}", f"per handled {currency}",
                  f"per year {currency}"):
        table.add_column(label, justify="left" if label == "channel" else "right")
    for row in report.by_channel.itertuples(index=False):
        table.add_row(str(row.channel), f"{row.offered:,.0f}",
                      "-" if pd.isna(row.handled) else f"{row.handled:,.0f}",
                      f"{row.paid_hours:,.1f}", money(row.cost), fmt(row.share_of_cost, "pct"),
                      money(row.cost_idle), money(row.cost_per_offered),
                      money(row.cost_per_handled), money(row.cost_per_year))
    console.print(table)
    breakdown = Table(title="Finance breakdown: what the money is (component) and what it "
                      "buys (use)")
    for label in ("view", "item", "agent hours", f"cost {currency}", "share"):
        breakdown.add_column(label, justify="left" if label in ("view", "item") else "right")
    for row in report.breakdown.itertuples(index=False):
        breakdown.add_row(str(row.view), str(row.item), f"{row.agent_hours:,.1f}",
                          money(row.cost), fmt(row.share, "pct"))
    console.print(breakdown)
    per_handled = ("" if s.get("cost_per_handled") is None
                   else f", {money(s['cost_per_handled'])} {currency} per handled contact")
    console.print(f"Total {money(s['cost'])} {currency} over the horizon "
                  f"({money(s['cost_per_year'])} {currency} per year if it repeats); "
                  f"{money(s['cost_per_offered'])} {currency} per offered contact{per_handled}.",
                  highlight=False)


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
    aht_s: Annotated[float | None, duration_option(
        "--aht", help="Average handle time where the forecast has none.",
        show_default=False)] = None,
    channel: Annotated[str, typer.Option(help=CHANNEL_HELP)] = "voice",
) -> None:
    """Price a schedule: cost per contact by channel, and what the money is and buys.

    Reads the schedule folder of ccplan schedule and a forecast of contacts, and shows the
    cost per offered (and handled) contact by channel and the finance breakdown (wages,
    premiums, overhead; handling, idle, shrinkage, paid breaks). The rules are in
    docs/cost.md.

    Example: ccplan cost sched/ --forecast forecast.csv --out cost/
    """
    import pandas as pd

    from ..files.output import write_csv_atomic, write_text_atomic
    from ..files.schedules import jsonable, read_schedule_dir

    with warnings_to_stderr():
        try:
            sched, inputs = read_schedule_dir(schedule_dir)
            currency = inputs.get("currency")
            if not isinstance(currency, str) or not currency:
                raise InputFileError(f"{schedule_dir / 'summary.json'}: inputs.currency is "
                                     "missing (the currency of the rules file's pay). Write "
                                     "the folder again with ccplan schedule --out.")
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
            except (staffing.errors.ContractError, staffing.errors.InvalidParameterError) as err:
                raise InputFileError(f"{schedule_dir} with {forecast}: {err}") from None
        except InputFileError as err:
            fail(str(err))
            return
    _print_cost_report(report, schedule_dir, currency)
    if out is not None:
        with writable(out):
            for name in _REPORT_TABLES:
                write_csv_atomic(getattr(report, name), out / f"cost_{name}.csv")
            write_text_atomic(json.dumps(jsonable({**report.summary, "currency": currency}),
                                         indent=2) + "\n",
                              out / "cost_summary.json")
        typer.echo(f"Wrote {', '.join(f'cost_{n}.csv' for n in _REPORT_TABLES)} and "
                   f"cost_summary.json to {out}.")
