"""`ccplan forecast backtest`: rolling-origin scores printed, written as CSVs and charted."""

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from scenarios.cli import app
from tests.scenarios.cli_histories import counts, one_line_error

runner = CliRunner()
FAST = ["--origins", "2", "--methods", "seasonal_naive,weekly_average"]
SCORES = ["n", "wape", "daily_wape", "bias", "mase", "coverage"]


def _counts(days=35, channels=("voice", "chat"), seed=2):
    return counts(days, channels, seed)


def _run(*args):
    return runner.invoke(app, ["forecast", "backtest", *map(str, args)])


def test_backtest_writes_rows_scores_and_chart(tmp_path):
    _counts().to_csv(tmp_path / "h.csv", index=False)
    out = tmp_path / "bt"
    result = _run("--history", tmp_path / "h.csv", "--horizon", 336, *FAST, "--out", out)
    assert result.exit_code == 0, result.output
    for text in ("seasonal_naive", "weekly_average", "voice", "chat", "WAPE", "daily WAPE",
                 "MASE", "coverage", "horizon day"):
        assert text in result.stdout

    rows = pd.read_csv(out / "backtest.csv", parse_dates=["origin", "interval_start"])
    assert list(rows.columns) == ["method", "channel", "origin", "interval_start", "horizon_day",
                                  "actual", "offered", "offered_lo", "offered_hi", "scale"]
    # 2 methods x 2 channels x 2 origins x 336 intervals; origins one week apart.
    assert len(rows) == 2 * 2 * 2 * 336
    assert sorted(rows["origin"].unique()) == list(pd.to_datetime(["2026-01-26", "2026-02-02"]))
    assert sorted(rows["horizon_day"].unique()) == list(range(1, 8))

    by_channel = pd.read_csv(out / "scores_by_channel.csv")
    assert list(by_channel.columns) == ["method", "channel"] + SCORES
    assert len(by_channel) == 4
    by_day = pd.read_csv(out / "scores_by_horizon_day.csv")
    assert list(by_day.columns) == ["method", "horizon_day"] + SCORES
    assert len(by_day) == 2 * 7 and (by_day["n"] == 2 * 2 * 48).all()

    html = (out / "backtest.html").read_text(encoding="utf-8")
    assert 'class="plotly-graph-div"' in html and 'src="https://cdn.plot.ly' not in html
    assert "seasonal_naive" in html and "WAPE by horizon day" in html and "by channel" in html
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_wape_in_the_scores_matches_the_rows(tmp_path):
    _counts().to_csv(tmp_path / "h.csv", index=False)
    out = tmp_path / "bt"
    result = _run("--history", tmp_path / "h.csv", "--horizon", 336, *FAST, "--out", out)
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out / "backtest.csv")
    scores = pd.read_csv(out / "scores_by_channel.csv").set_index(["method", "channel"])
    # Independent: sum |forecast - actual| / sum actual over the rows, by plain pandas.
    for name in ("voice", "chat"):
        part = rows[(rows["method"] == "seasonal_naive") & (rows["channel"] == name)]
        part = part.dropna(subset=["actual", "offered"])
        wape = (part["offered"] - part["actual"]).abs().sum() / part["actual"].sum()
        assert scores.loc[("seasonal_naive", name), "wape"] == pytest.approx(wape, rel=1e-12)
        assert scores.loc[("seasonal_naive", name), "n"] == len(part)
    # Seasonal naive from a week back: each forecast is the actual one week earlier.
    voice = rows[(rows["method"] == "seasonal_naive") & (rows["channel"] == "voice")]
    first, second = (g.reset_index(drop=True) for _, g in voice.groupby("origin"))
    np.testing.assert_array_equal(second["offered"], first["actual"])


def test_backtest_reads_mapped_parquet_contacts_like_the_forecast(tmp_path):
    counts = _counts(channels=("voice",))
    rng = np.random.default_rng(5)
    repeat = counts.loc[counts.index.repeat(counts["offered"])]
    arrived = repeat["interval_start"] + pd.to_timedelta(
        rng.integers(0, 1800, len(repeat)), unit="s")
    pd.DataFrame({"ts": arrived.to_numpy()}).to_parquet(tmp_path / "contacts.parquet")
    counts.to_csv(tmp_path / "counts.csv", index=False)
    a = _run("--history", tmp_path / "counts.csv", "--horizon", 96, *FAST,
             "--out", tmp_path / "a")
    b = _run("--history", tmp_path / "contacts.parquet", "--contacts", "--columns",
             "interval_start=ts", "--horizon", 96, *FAST, "--out", tmp_path / "b")
    assert a.exit_code == 0 and b.exit_code == 0, b.output
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "a" / "backtest.csv"),
                                  pd.read_csv(tmp_path / "b" / "backtest.csv"))


_one_line_error = one_line_error


def test_backtest_errors_are_one_line(tmp_path):
    path = tmp_path / "calls.csv"
    _counts(days=21, channels=("voice",)).to_csv(path, index=False)
    # 21 days cannot hold 8 weekly origins with a week's horizon after two weeks of training.
    _one_line_error(_run("--history", path, "--horizon", 336), "calls.csv", "origins")
    _one_line_error(_run("--history", path, "--horizon", 48, "--methods", "arima"),
                    "--methods", "'arima'", "seasonal_naive")
    _one_line_error(_run("--history", path, "--horizon", 48, "--step-days", 0.3, *FAST[:2]),
                    "--step-days 0.3")
    _one_line_error(_run("--history", tmp_path / "none.csv", "--horizon", 48), "none.csv",
                    "no such file")
    _one_line_error(_run("--history", path, "--horizon", 0), "--horizon", "calls.csv")
    _one_line_error(_run("--history", path), "missing option --horizon")
    _one_line_error(_run("--history", path, "--horizon", 48, "--columns", "offered=CALLS"),
                    "calls.csv", "'CALLS'", "found: channel, interval_start, offered")
    assert not list(tmp_path.glob("*/backtest.csv"))


def test_help_reads_as_a_subcommand():
    result = runner.invoke(app, ["forecast", "backtest", "--help"])
    assert result.exit_code == 0
    for text in ("--origins", "--step-days", "--methods", "--out", "scores_by_channel.csv",
                 "--columns", "--contacts", "--tz"):
        assert text in result.stdout


def test_hostile_numbers_and_paths_are_one_line_errors(tmp_path):
    # Each ended in a raw exception (or hung building a list of a billion origins) before.
    import time

    path = tmp_path / "calls.csv"
    _counts(days=35, channels=("voice",)).to_csv(path, index=False)
    started = time.perf_counter()
    _one_line_error(_run("--history", path, "--horizon", 48, "--origins", 10**9, *FAST[2:]),
                    "calls.csv", "1000000000 origins")
    assert time.perf_counter() - started < 30
    _one_line_error(_run("--history", path, "--horizon", 48, "--interval-s", "inf", *FAST),
                    "--interval 'inf' must be a duration >= 0")
    _one_line_error(_run("--history", path, "--horizon", 48, "--out", path, *FAST),
                    f"cannot write {path}")
