"""``ccplan calibrate``: customer behaviour estimated from a centre's per-contact records.

Reads the calls file (:mod:`scenarios.files.calls`), refuses it when it has bad
rows unless ``--skip-bad-rows`` (then lists them in ``bad_rows.csv``), runs
``forecasting.behaviour.calibrate`` and writes, atomically, into ``--out``:
``calibrated.yaml`` (the scenario snippet), ``fits.csv``, ``arrivals.csv`` (a
history file for ``ccplan forecast``) and ``report.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .._errors import InputFileError
from ._console import fail, fmt, stdout_console, warnings_to_stderr, writable
from ._options import duration_option

_COLUMNS_HELP = ("Name the file's columns and outcome spellings, e.g. arrival=start,wait_s=q_time,"
                 "outcome=status,answered=AGENT,abandoned=HANG|ABN (ours: arrival, channel, "
                 "wait_s, outcome, handle_s, customer_id, agent; answered, abandoned).")
#: Rows of the summary printed per channel: quantity, label, format.
_SHOWN = [("contacts", "contacts", "int"), ("aht_s", "AHT s", "s"),
          ("handle_cv", "handle cv", "ratio"), ("mean_patience_s", "patience s (censored)", "s"),
          ("naive_mean_patience_s", "naive patience s", "s"),
          ("hang_up_share", "hang-ups", "pct"), ("pickup_delay_mean_s", "pick-up s", "s"),
          ("after_contact_gap_mean_s", "gap under load s", "s"),
          ("redial_probability", "redial", "pct"), ("redial_delay_mean_s", "redial delay s", "s")]


def _check(name: str, value: float, low: float, high: float | None, example: str) -> None:
    inside = value >= low if high is None else low <= value <= high
    if not inside:  # NaN fails too
        bound = f">= {low:g} s" if high is None else f"between {low:g} and {high:g} s"
        raise InputFileError(f"--{name} must be {bound}, got {value:g} s. E.g. --{name} "
                             f"{example}.")


def calibrate_command(
    calls: Annotated[Path, typer.Argument(
        metavar="CALLS.csv", show_default=False,
        help="One row per contact (.csv or .csv.gz): arrival, wait_s, outcome (answered / "
        "abandoned), handle_s; optional channel, customer_id (0 or blank = unknown), agent.")],
    columns: Annotated[str | None, typer.Option(help=_COLUMNS_HELP, show_default=False)] = None,
    out: Annotated[Path, typer.Option(
        help="Folder for calibrated.yaml, fits.csv, arrivals.csv and report.html.")]
        = Path("calibration"),
    skip_bad_rows: Annotated[bool, typer.Option(
        "--skip-bad-rows", help="Leave bad rows out (listed in bad_rows.csv and counted) "
        "instead of refusing the file.")] = False,
    channel: Annotated[str, typer.Option(
        help="Channel of every row when the file has no channel column.")] = "voice",
    interval_s: Annotated[float, duration_option(
        "--interval", help="Interval of arrivals.csv.")] = 1800,
    hang_up_within_s: Annotated[float, duration_option(
        "--hang-up-within", help="An abandon after at most this wait is an instant "
        "hang-up.")] = 5.0,
    redial_window_s: Annotated[float, duration_option(
        "--redial-window", help="A redial is the same customer arriving again within this "
        "time after abandoning.")] = 3600.0,
    max_idle_gap_s: Annotated[float, duration_option(
        "--max-idle-gap", help="Longest gap between an agent's contacts read as idle "
        "(longer: a break).")] = 600.0,
) -> None:
    """Estimate customer behaviour from per-contact records (an ACD export).

    Patience by censored data (Kaplan-Meier, and the exponential maximum-likelihood mean:
    abandoned waits observed, answered waits censored), instant hang-ups, the pick-up
    delay (needs an agent column), redials (needs customer_id), the handle-time law and
    the arrivals per interval. Writes the scenario snippet calibrated.yaml, fits.csv,
    arrivals.csv and report.html (each fit against its data). Bad rows are listed by row
    and reason; the file is refused unless --skip-bad-rows.

    Example: ccplan calibrate calls.csv --columns wait_s=q_time,answered=AGENT,abandoned=HANG
    """
    from forecasting.behaviour import calibrate

    from ..files.calls import bad_rows_message, calibration_yaml, parse_call_columns, read_calls
    from ..files.output import write_csv_atomic, write_text_atomic
    from ..report import calibration_report_html

    with warnings_to_stderr():
        try:
            _check("interval", interval_s, 1, 7 * 86400, "30m")
            _check("redial-window", redial_window_s, 1, None, "1h")
            mapping, outcomes = parse_call_columns(columns)
            read = read_calls(calls, columns=mapping, outcomes=outcomes, channel=channel)
            message = bad_rows_message(calls, read)
            if message and not skip_bad_rows:
                raise InputFileError(f"{message} Fix them, or pass --skip-bad-rows to leave "
                                     "them out (they are then listed in bad_rows.csv).")
            if read.records.empty:
                raise InputFileError(f"{calls}: no good rows left ({read.n_rows} read, all "
                                     "bad); fix the file.")
            result = calibrate(read.records.drop(columns="row"), interval_s=interval_s,
                               hang_up_within_s=hang_up_within_s,
                               redial_window_s=redial_window_s, max_idle_gap_s=max_idle_gap_s)
        except InputFileError as err:
            fail(str(err))
            return
    n_bad = int(read.bad_rows["row"].nunique())
    facts = [("file", str(calls)), ("rows read", f"{read.n_rows:,}"),
             ("bad rows skipped", f"{n_bad:,}" + (" (listed in bad_rows.csv)" if n_bad else ""))]
    files = {"calibrated.yaml": calibration_yaml(result, source=calls.name),
             "report.html": calibration_report_html(result, source=calls.name, facts=facts)}
    with writable(out):
        for name, text in files.items():
            write_text_atomic(text, out / name)
        write_csv_atomic(result.fits, out / "fits.csv")
        write_csv_atomic(result.arrivals, out / "arrivals.csv")
        if n_bad:
            write_csv_atomic(read.bad_rows, out / "bad_rows.csv")
    table = Table(title=f"Calibration of {calls.name}")
    table.add_column("channel")
    for _, label, _kind in _SHOWN:
        table.add_column(label, justify="right")
    fits = result.fits.set_index(["channel", "quantity"])["value"]
    for name in result.fits["channel"].unique():
        table.add_row(str(name), *(fmt(fits.get((name, q)), kind) for q, _, kind in _SHOWN))
    stdout_console().print(table)
    for note in result.notes:
        typer.echo(f"note: {note}")
    if n_bad:
        counts = read.bad_rows.drop_duplicates("row")["reason"].str.replace(
            r"^goes back .*? from", "goes back from", regex=True).value_counts()
        typer.echo(f"Skipped {n_bad} bad row{'s' if n_bad != 1 else ''} of {read.n_rows} ("
                   + ", ".join(f"{n} {reason}" for reason, n in counts.items())
                   + f"); listed in {out / 'bad_rows.csv'}.")
    typer.echo(f"Wrote calibrated.yaml, fits.csv, arrivals.csv and report.html to {out}.")
