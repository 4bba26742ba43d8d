"""``ccplan forecast`` (forecast contacts from a history file, with an HTML chart) and
``ccplan forecast backtest`` (score the methods on the history from rolling origins).
"""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

import forecasting

from .._errors import InputFileError
from ._console import fail, fmt, progress_bar, stdout_console, warnings_to_stderr, writable
from ._engine_commands import CHANNEL_HELP
from ._options import duration_option

if TYPE_CHECKING:
    import pandas as pd

forecast_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

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
_COUNTRY_HELP = "Public-holiday calendar for the daily models, e.g. FR, US, IL."

HistoryOption = Annotated[Path | None, typer.Option(
    "--history", help=_HISTORY_HELP + " Required.", show_default=False)]
ColumnsOption = Annotated[str | None, typer.Option(help=_COLUMNS_HELP, show_default=False)]
ContactsOption = Annotated[bool, typer.Option("--contacts", help=_CONTACTS_HELP)]
TzOption = Annotated[str | None, typer.Option("--tz", help=_TZ_HELP, show_default=False)]
ChannelOption = Annotated[str, typer.Option(help=CHANNEL_HELP)]
IntervalOption = Annotated[float, duration_option("--interval", help="Interval length.")]
CountryOption = Annotated[str | None, typer.Option(help=_COUNTRY_HELP, show_default=False)]
SubdivisionOption = Annotated[str | None, typer.Option(
    help="Region of --country, e.g. NY for US.", show_default=False)]
LevelOption = Annotated[float, typer.Option(help="Prediction-interval level, percent.")]



def _check_horizon(horizon: int, history: Path) -> None:
    if horizon < 1:
        raise InputFileError(f"--horizon must be a whole number of intervals >= 1, got {horizon} "
                             f"(history {history}). E.g. --horizon 336 is one week of "
                             "30-minute intervals.")


def _load_history(history: Path, *, channel: str, columns: str | None, contacts: bool,
                  interval_s: float, tz: str | None) -> pd.DataFrame:
    """The history file, read, checked and tidied: the ``history`` table on a regular grid."""
    from ..files.history import (
        check_channel_spans,
        parse_column_mapping,
        read_history,
        rows_as_in_file,
    )

    mapping = parse_column_mapping(columns)
    if tz is not None:
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
            raise InputFileError(f"--tz {tz!r} is not a known IANA time zone ({history}). Give "
                                 "a zone name such as Europe/Paris or America/New_York.") from err
    if not 0 < interval_s <= 7 * 86400:  # NaN fails too
        raise InputFileError(f"--interval must be > 0 seconds and at most 604800 (one week), "
                             f"got {interval_s:g}. E.g. --interval 30m (or --interval-s 1800).")
    table = read_history(history, channel=channel, columns=mapping, contacts=contacts,
                         interval_s=interval_s)
    try:
        # Checked here with the file named in messages (forecast() checks again, quietly).
        tidy = forecasting.clean_history(table, interval_s=interval_s, where=str(history), tz=tz)
    except forecasting.errors.HistoryError as err:
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
        f"{', '.join(forecasting.contracts.AUTO_CANDIDATES)}) or one of "
        f"{', '.join(forecasting.contracts.METHODS)}.")] = "auto",
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
    from ..files.output import write_csv_atomic, write_text_atomic
    from ..report import forecast_chart_html

    if ctx.invoked_subcommand is not None:
        sources = {name: ctx.get_parameter_source(name) for name in ctx.params}
        given = [f"--{name.replace('_', '-')}" for name, source in sources.items()
                 if source is not None and source.name not in ("DEFAULT", "DEFAULT_MAP")]
        if given:
            fail(f"put the options of '{ctx.invoked_subcommand}' after it: ccplan forecast "
                  f"{ctx.invoked_subcommand} {' '.join(given)} ... ({', '.join(given)} came "
                  "before the subcommand).")
        return
    if history is None or horizon is None or out is None:
        missing = [name for name, value in (("--history", history), ("--horizon", horizon),
                                            ("--out", out)) if value is None]
        fail(f"missing option {', '.join(missing)}. Example: ccplan forecast --history "
              "calls.csv --horizon 336 --out fc.csv (see ccplan forecast --help).")
    with warnings_to_stderr():
        try:
            _check_horizon(horizon, history)
            tidy = _load_history(history, channel=channel, columns=columns, contacts=contacts,
                                 interval_s=interval_s, tz=tz)
            progress = progress_bar()
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
            fail(str(err))
            return
    with writable(out):
        write_csv_atomic(result.table, out)
    methods = result.methods
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
    typer.echo(f"Wrote {len(result.table)} rows to {out}.")
    if not no_chart:
        chart_path = chart if chart is not None else out.with_suffix(".html")
        html = forecast_chart_html(
            tidy, result.table, methods, interval_s,
            title=f"Forecast of {history.name}: {horizon} intervals of {interval_s / 60:g} min",
            daily=forecasting.daily_totals(result.table, level=level), level=level)
        with writable(chart_path):
            write_text_atomic(html, chart_path)
        typer.echo(f"Wrote the chart to {chart_path}.")


_SCORE_COLUMNS = [("n", "n", "int"), ("wape", "WAPE", "pct"), ("daily_wape", "daily WAPE", "pct"),
                  ("bias", "bias", "pct"), ("mase", "MASE", "ratio"),
                  ("coverage", "coverage", "pct")]


def _parse_methods(text: str) -> list[str]:
    known = ("auto",) + tuple(forecasting.contracts.METHODS)
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
                      *[fmt(getattr(row, key), kind) for key, _, kind in _SCORE_COLUMNS])
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
        f"{', '.join(forecasting.contracts.METHODS)}; or all.")] =
        ",".join(("auto",) + tuple(forecasting.contracts.AUTO_CANDIDATES)),
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
    from ..files.output import write_csv_atomic, write_text_atomic
    from ..report import backtest_chart_html

    if history is None or horizon is None:
        missing = [name for name, value in (("--history", history), ("--horizon", horizon))
                   if value is None]
        fail(f"missing option {', '.join(missing)}. Example: ccplan forecast backtest "
              "--history calls.csv --horizon 336 --origins 8 (see ccplan forecast backtest "
              "--help).")
    with warnings_to_stderr():
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
                    f"--interval {interval_s:g} s intervals, e.g. 7 (one week).")
            tidy = _load_history(history, channel=channel, columns=columns, contacts=contacts,
                                 interval_s=interval_s, tz=tz)
            progress = progress_bar()
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
            fail(str(err))
            return
    by_channel = forecasting.score_backtest(rows, by=("method", "channel"))
    by_day = forecasting.score_backtest(rows, by=("method", "horizon_day"))
    order = {m: i for i, m in enumerate(chosen)}
    by_channel = by_channel.sort_values(["method", "channel"], key=lambda s: s.map(order)
                                        if s.name == "method" else s, ignore_index=True)
    by_day = by_day.sort_values(["method", "horizon_day"], key=lambda s: s.map(order)
                                if s.name == "method" else s, ignore_index=True)
    console = stdout_console()
    span = (f"{origins} origins {step_days:g} days apart, horizon {horizon} intervals of "
            f"{interval_s:g} s")
    console.print(_score_table(by_channel, ["method", "channel"],
                               f"Backtest of {history.name} by method and channel ({span})"))
    console.print(_score_table(by_day, ["method", "horizon_day"],
                               "By method and horizon day (channels pooled)"))
    if out is not None:
        with writable(out):
            write_csv_atomic(rows, out / "backtest.csv")
            write_csv_atomic(by_channel, out / "scores_by_channel.csv")
            write_csv_atomic(by_day, out / "scores_by_horizon_day.csv")
            title = (f"Backtest of {history.name}: {origins} origins {step_days:g} days apart, "
                     f"horizon {horizon} intervals of {interval_s / 60:g} min")
            write_text_atomic(backtest_chart_html(by_day, by_channel, title),
                              out / "backtest.html")
        console.print(f"Wrote backtest.csv, scores_by_channel.csv, scores_by_horizon_day.csv "
                      f"and backtest.html to {out}.")
