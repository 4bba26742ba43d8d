"""`ccplan forecast`: a history file to a forecast CSV and chart, with the pick reported."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from scenarios.cli import app
from staffing.contracts import check_forecast
from tests.scenarios.cli_histories import counts, one_line_error

runner = CliRunner()
FAST = ["--method", "weekly_average"]


def _history(path, days=35):
    rng = np.random.default_rng(0)
    starts = pd.date_range("2026-01-05", periods=48 * days, freq="30min")
    hours = starts.hour + starts.minute / 60
    offered = rng.poisson(np.where((hours >= 8) & (hours < 20), 30, 0))
    pd.DataFrame({"interval_start": starts, "offered": offered}).to_csv(path, index=False)


def _counts(days=35, channels=("voice", "chat"), seed=1):
    return counts(days, channels, seed)


def _run(*args):
    return runner.invoke(app, ["forecast", *map(str, args)])


_one_line_error = one_line_error


@pytest.mark.slow
def test_forecast_writes_a_forecast_table_and_reports_the_pick(tmp_path):
    _history(tmp_path / "history.csv")
    out = tmp_path / "out" / "forecast.csv"
    result = runner.invoke(app, ["forecast", "--history", str(tmp_path / "history.csv"),
                                 "--horizon", "96", "--out", str(out), "--country", "FR"])
    assert result.exit_code == 0, result.output
    assert "voice:" in result.stdout and "backtest WAPE" in result.stdout
    table = pd.read_csv(out, parse_dates=["interval_start"])
    assert len(table) == 96
    check_forecast(table.assign(aht_s=300.0))


def test_forecast_errors_are_one_line(tmp_path):
    path = tmp_path / "history.csv"
    pd.DataFrame({"when": ["2026-01-05 00:00"], "offered": [3]}).to_csv(path, index=False)
    result = runner.invoke(app, ["forecast", "--history", str(path), "--horizon", "5",
                                 "--out", str(tmp_path / "f.csv")])
    assert result.exit_code == 2 and "no column 'interval_start'" in result.stderr
    _history(path)
    result = runner.invoke(app, ["forecast", "--history", str(path), "--horizon", "5",
                                 "--out", str(tmp_path / "f.csv"), "--country", "XX"])
    assert result.exit_code == 2 and "unknown holiday calendar" in result.stderr


def test_chart_is_self_contained_html_with_a_panel_per_channel(tmp_path):
    _counts().to_csv(tmp_path / "h.csv", index=False)
    result = _run("--history", tmp_path / "h.csv", "--horizon", 336,
                  "--out", tmp_path / "fc.csv", *FAST)
    assert result.exit_code == 0, result.output
    chart = tmp_path / "fc.html"  # default: next to --out
    html = chart.read_text(encoding="utf-8")
    assert 'class="plotly-graph-div"' in html
    assert "voice: weekly_average" in html and "chat: weekly_average" in html
    assert "80% interval (per interval)" in html and "interval of the day" in html
    assert "actual" in html
    # plotly.js is inline (opens offline), not fetched from a CDN.
    assert 'src="https://cdn.plot.ly' not in html and len(html) > 1_000_000
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    other = tmp_path / "charts" / "mine.html"
    result = _run("--history", tmp_path / "h.csv", "--horizon", 48,
                  "--out", tmp_path / "fc2.csv", "--chart", other, *FAST)
    assert result.exit_code == 0 and other.is_file() and not (tmp_path / "fc2.html").exists()
    result = _run("--history", tmp_path / "h.csv", "--horizon", 48,
                  "--out", tmp_path / "fc3.csv", "--no-chart", *FAST)
    assert result.exit_code == 0 and not (tmp_path / "fc3.html").exists()


def test_chart_title_names_the_auto_pick_and_its_wape(tmp_path):
    # Ending at noon keeps the daily models out of the race (they need whole days): fast.
    _counts(channels=("voice",)).iloc[:-24].to_csv(tmp_path / "h.csv", index=False)
    result = _run("--history", tmp_path / "h.csv", "--horizon", 48, "--out",
                  tmp_path / "fc.csv")
    assert result.exit_code == 0, result.output
    picked = result.stdout.split("voice: ")[1].split(" ")[0]
    html = (tmp_path / "fc.html").read_text(encoding="utf-8")
    assert f"voice: {picked} (backtest WAPE " in html


def test_column_mapping_renames_the_file_columns(tmp_path):
    counts = _counts()
    counts.to_csv(tmp_path / "ours.csv", index=False)
    theirs = counts.rename(columns={"interval_start": "DATE", "offered": "CSPL_RECEIVED_CALLS",
                                    "channel": "queue"}).assign(extra="ignored")
    theirs.to_csv(tmp_path / "theirs.csv", index=False)
    expected = _run("--history", tmp_path / "ours.csv", "--horizon", 96,
                    "--out", tmp_path / "a.csv", *FAST)
    mapped = _run("--history", tmp_path / "theirs.csv", "--horizon", 96, "--out",
                  tmp_path / "b.csv", "--columns",
                  "interval_start=DATE,offered=CSPL_RECEIVED_CALLS,channel=queue", *FAST)
    assert expected.exit_code == 0 and mapped.exit_code == 0, mapped.output
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "a.csv"),
                                  pd.read_csv(tmp_path / "b.csv"))

    wrong = _run("--history", tmp_path / "theirs.csv", "--horizon", 96, "--out",
                 tmp_path / "c.csv", "--columns", "interval_start=DATE,offered=CALLS", *FAST)
    _one_line_error(wrong, "theirs.csv", "'CALLS'",
                    "found: queue, DATE, CSPL_RECEIVED_CALLS, extra")
    bad_name = _run("--history", tmp_path / "theirs.csv", "--horizon", 96, "--out",
                    tmp_path / "c.csv", "--columns", "calls=CSPL_RECEIVED_CALLS", *FAST)
    _one_line_error(bad_name, "--columns", "'calls'", "offered")


def test_parquet_and_gzip_histories_give_the_csv_forecast(tmp_path):
    counts = _counts()
    counts.to_csv(tmp_path / "h.csv", index=False)
    counts.to_csv(tmp_path / "h.csv.gz", index=False)
    counts.to_parquet(tmp_path / "h.parquet", index=False)
    frames = []
    for name in ("h.csv", "h.csv.gz", "h.parquet"):
        out = tmp_path / f"fc_{name.replace('.', '_')}.csv"
        result = _run("--history", tmp_path / name, "--horizon", 96, "--out", out, *FAST)
        assert result.exit_code == 0, result.output
        frames.append(pd.read_csv(out))
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])


def test_per_contact_records_give_the_forecast_of_their_counts(tmp_path):
    counts = _counts()
    counts.to_csv(tmp_path / "counts.csv", index=False)
    # One row per contact, arriving at a random second inside its interval, shuffled.
    rng = np.random.default_rng(7)
    repeat = counts.loc[counts.index.repeat(counts["offered"])]
    arrived = repeat["interval_start"] + pd.to_timedelta(
        rng.integers(0, 1800, len(repeat)), unit="s")
    contacts = pd.DataFrame({"arrived_at": arrived.to_numpy(),
                             "queue": repeat["channel"].to_numpy(),
                             "agent": "x"}).sample(frac=1.0, random_state=3)
    contacts.to_csv(tmp_path / "contacts.csv", index=False)
    from_counts = _run("--history", tmp_path / "counts.csv", "--horizon", 336,
                       "--out", tmp_path / "a.csv", *FAST)
    from_contacts = _run("--history", tmp_path / "contacts.csv", "--contacts", "--columns",
                         "interval_start=arrived_at,channel=queue", "--horizon", 336,
                         "--out", tmp_path / "b.csv", *FAST)
    assert from_counts.exit_code == 0 and from_contacts.exit_code == 0, from_contacts.output
    a, b = pd.read_csv(tmp_path / "a.csv"), pd.read_csv(tmp_path / "b.csv")
    assert len(a) == 2 * 336
    pd.testing.assert_frame_equal(a, b)


def test_tz_merges_the_repeated_autumn_hour(tmp_path):
    # Naive wall-clock export over the end of summer time in Paris (2026-10-25 02:00-03:00
    # happens twice): without --tz the repeated slots are an error, with it they are summed.
    starts = pd.date_range("2026-09-21", "2026-10-28 23:30", freq="30min")
    repeated = starts[(starts >= "2026-10-25 02:00") & (starts < "2026-10-25 03:00")]
    times = starts.append(repeated).sort_values()
    pd.DataFrame({"interval_start": times, "offered": 5}).to_csv(tmp_path / "h.csv", index=False)
    plain = _run("--history", tmp_path / "h.csv", "--horizon", 48,
                 "--out", tmp_path / "a.csv", *FAST)
    _one_line_error(plain, "h.csv", "2026-10-25 02:00:00", "--tz")
    zoned = _run("--history", tmp_path / "h.csv", "--horizon", 48, "--out",
                 tmp_path / "a.csv", "--tz", "Europe/Paris", *FAST)
    assert zoned.exit_code == 0, zoned.output
    assert "ccplan: warning:" in zoned.stderr and "2026-10-25" in zoned.stderr
    _one_line_error(_run("--history", tmp_path / "h.csv", "--horizon", 48, "--out",
                         tmp_path / "a.csv", "--tz", "Mars/Olympus", *FAST),
                    "'Mars/Olympus'", "h.csv")


@pytest.mark.parametrize("case", ["missing_file", "no_column", "text_offered", "duplicate",
                                  "horizon_zero", "unknown_country", "bad_suffix"])
def test_bad_input_is_one_line_naming_the_file(tmp_path, case):
    good = tmp_path / "calls.csv"
    counts = _counts(channels=("voice",))
    counts.to_csv(good, index=False)
    path, args, needles = good, ["--horizon", 48], ["calls.csv"]
    if case == "missing_file":
        path, needles = tmp_path / "nope.csv", ["nope.csv", "no such file"]
    elif case == "no_column":
        counts.rename(columns={"offered": "calls"}).to_csv(good, index=False)
        needles += ["no column 'offered'", "found: channel, interval_start, calls", "--columns"]
    elif case == "text_offered":
        counts.astype({"offered": object}).assign(
            offered=lambda t: t["offered"].where(t.index != 40, "12 calls")).to_csv(good,
                                                                                   index=False)
        needles += ["row 42", "'offered'", "'12 calls'"]  # header is row 1, first data row 2
    elif case == "duplicate":
        pd.concat([counts, counts.iloc[[100]]]).to_csv(good, index=False)
        needles += ["repeat", str(counts["interval_start"].iloc[100]), "first at row 102"]
    elif case == "horizon_zero":
        args, needles = ["--horizon", 0], needles + ["--horizon", "got 0"]
    elif case == "unknown_country":
        args, needles = ["--horizon", 48, "--country", "XX"], needles + ["'XX'"]
    elif case == "bad_suffix":
        path = tmp_path / "calls.xlsx"
        path.write_text("not really")
        needles = ["calls.xlsx", ".csv, .csv.gz or .parquet"]
    result = _run("--history", path, *args, "--out", tmp_path / "fc.csv", *FAST)
    _one_line_error(result, *needles)
    assert not (tmp_path / "fc.csv").exists() and not (tmp_path / "fc.html").exists()


def test_missing_options_and_options_before_the_subcommand(tmp_path):
    _one_line_error(_run("--history", tmp_path / "h.csv"), "--horizon, --out")
    _one_line_error(_run("--history", tmp_path / "h.csv", "backtest"),
                    "ccplan forecast backtest --history")


def test_help_lists_the_subcommand_and_the_history_options():
    result = runner.invoke(app, ["forecast", "--help"])
    assert result.exit_code == 0
    for text in ("backtest", "--history", "--columns", "--contacts", "--tz", "--chart"):
        assert text in result.stdout


def test_a_history_too_short_to_race_is_said(tmp_path):
    path = tmp_path / "short.csv"
    _counts(days=20, channels=("voice",)).to_csv(path, index=False)
    result = _run("--history", path, "--horizon", 48, "--out", tmp_path / "fc.csv", "--no-chart")
    assert result.exit_code == 0, result.output
    assert "voice: weekly_average (history too short for the backtest race" in result.stdout


@pytest.mark.parametrize("stamp", ["0001-01-01 00:00:00", "9999-12-31 00:00:00"])
def test_a_date_outside_1970_2200_names_file_row_and_column(tmp_path, stamp):
    # One typo'd year used to grow a grid from the year 1 to now (past 5 GB); now refused
    # before anything is built.
    path = tmp_path / "calls.csv"
    table = _counts(channels=("voice",))
    table["interval_start"] = table["interval_start"].astype(str)
    table.loc[3, "interval_start"] = stamp
    table.to_csv(path, index=False)
    result = _run("--history", path, "--horizon", 48, "--out", tmp_path / "fc.csv", *FAST)
    _one_line_error(result, "calls.csv: row 5 column 'interval_start'", repr(stamp),
                    "outside 1970-01-01..2200-12-31", "typo in the year")
    assert not (tmp_path / "fc.csv").exists()


def test_a_grid_beyond_the_bound_names_file_rows_and_bound(tmp_path):
    path = tmp_path / "calls.csv"
    table = _counts(channels=("voice",))
    table["interval_start"] = table["interval_start"].astype(str)
    table.loc[3, "interval_start"] = "1975-01-01 00:00:00"
    table.to_csv(path, index=False)
    result = _run("--history", path, "--horizon", 48, "--interval-s", 60,
                  "--out", tmp_path / "fc.csv", *FAST)
    _one_line_error(result, "calls.csv", "channel 'voice' runs from 1975-01-01 00:00:00 (row 5)",
                    "intervals of 60 s", "at most 5,000,000")


def test_times_written_with_and_without_seconds_are_both_read(tmp_path):
    # pandas infers one format from the first value; '2026-01-05 09:00' among
    # '2026-01-05 08:30:00' values used to be reported as "not a time".
    path = tmp_path / "calls.csv"
    table = _counts(channels=("voice",))
    table["interval_start"] = table["interval_start"].dt.strftime("%Y-%m-%d %H:%M:%S")
    table.loc[3, "interval_start"] = table.loc[3, "interval_start"][:16]
    table.to_csv(path, index=False)
    result = _run("--history", path, "--horizon", 48, "--out", tmp_path / "fc.csv", *FAST)
    assert result.exit_code == 0, result.output


def test_a_one_day_history_is_an_error_not_a_forecast_of_nan(tmp_path):
    # It used to exit 0 with offered NaN in 288 of 336 rows.
    path = tmp_path / "calls.csv"
    _counts(days=1, channels=("voice",)).to_csv(path, index=False)
    result = _run("--history", path, "--horizon", 336, "--out", tmp_path / "fc.csv")
    _one_line_error(result, "calls.csv: channel 'voice' has too little history",
                    "2026-01-05 00:00:00 to 2026-01-05 23:30:00, 1 day",
                    "at least 7 days per channel (336 intervals of 1800 s)")
    assert not (tmp_path / "fc.csv").exists()


@pytest.mark.parametrize("command", [[], ["backtest"]])
def test_a_channel_made_by_one_damaged_cell_names_its_row(tmp_path, command):
    # 'vioce' in one row made a second channel whose forecast was 335 NaN rows of 336.
    path = tmp_path / "calls.csv"
    table = _counts(channels=("voice",))
    table.loc[500, "channel"] = "vioce"
    table.to_csv(path, index=False)
    args = (["--out", tmp_path / "fc.csv", *FAST] if not command
            else ["--origins", 1, "--methods", "weekly_average"])
    result = runner.invoke(app, ["forecast", *command, "--history", str(path),
                                 "--horizon", "336", *map(str, args)])
    _one_line_error(result, "calls.csv: channel 'vioce' has too little history (1 row: row 502;",
                    "fix the channel name in row 502 or drop it")
    assert not (tmp_path / "fc.csv").exists()


def test_closed_hours_left_out_of_the_file_are_named_not_forecast_as_nan(tmp_path):
    # A file without rows for closed hours: those times are missing, never zero, so they
    # cannot be forecast; it used to write NaN for 168 of 336 rows.
    path = tmp_path / "calls.csv"
    table = _counts(channels=("voice",))
    table[table["offered"] > 0].to_csv(path, index=False)
    result = _run("--history", path, "--horizon", 336, "--out", tmp_path / "fc.csv")
    _one_line_error(result, "calls.csv", "channel 'voice'", "cannot be forecast",
                    "Closed hours must be 0, not missing")
    assert not (tmp_path / "fc.csv").exists()


def test_a_written_forecast_never_holds_nan_offered(tmp_path):
    # Missing cells inside a long history are skipped, never read as zero, and every
    # forecast row has a number.
    path = tmp_path / "calls.csv"
    full = _counts()
    table = full.copy()
    table.loc[table.sample(frac=0.2, random_state=4).index, "offered"] = np.nan
    first_week = table["interval_start"] < "2026-01-12"  # complete: every time of week known
    table.loc[first_week, "offered"] = full.loc[first_week, "offered"]
    table.to_csv(path, index=False)
    result = _run("--history", path, "--horizon", 336, "--out", tmp_path / "fc.csv", *FAST)
    assert result.exit_code == 0, result.output
    written = pd.read_csv(tmp_path / "fc.csv")
    assert len(written) == 2 * 336 and written["offered"].notna().all()


@pytest.mark.parametrize(("args", "needles"), [
    # Each ended in a raw exception before (issue 14, hostile-argument probe).
    (["--horizon", 10**9], ["horizon must be at most 1,000,000 intervals, got 1,000,000,000"]),
    (["--horizon", 48, "--interval-s", "inf"], ["--interval 'inf' must be a duration >= 0"]),
    (["--horizon", 48, "--interval", "10d"], ["--interval '10d' must be a duration such as"]),
    (["--horizon", 48, "--interval", "200h"], ["--interval must be > 0 seconds and at most "
                                                "604800 (one week), got 720000"]),
    (["--horizon", 48, "--interval-s", "1e308"], ["--interval must", "got 1e+308"]),
])
def test_hostile_numbers_are_one_line_errors(tmp_path, args, needles):
    path = tmp_path / "calls.csv"
    _counts(channels=("voice",)).to_csv(path, index=False)
    result = _run("--history", path, *args, "--out", tmp_path / "fc.csv", *FAST)
    _one_line_error(result, *needles)


def test_an_unwritable_out_is_a_one_line_error(tmp_path):
    path = tmp_path / "calls.csv"
    _counts(channels=("voice",)).to_csv(path, index=False)
    (tmp_path / "adir").mkdir()
    result = _run("--history", path, "--horizon", 48, "--out", tmp_path / "adir", *FAST)
    _one_line_error(result, f"cannot write {tmp_path / 'adir'}: Is a directory")
    result = _run("--history", path, "--horizon", 48, "--out", path / "fc.csv", *FAST)
    _one_line_error(result, f"cannot write {path / 'fc.csv'}")
