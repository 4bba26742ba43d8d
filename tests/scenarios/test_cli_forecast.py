"""`ccplan forecast`: a history file to a forecast CSV, with the pick reported."""

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from scenarios.cli import app
from staffing import check_forecast

runner = CliRunner()


def _history(path, days=35):
    rng = np.random.default_rng(0)
    starts = pd.date_range("2026-01-05", periods=48 * days, freq="30min")
    hours = starts.hour + starts.minute / 60
    offered = rng.poisson(np.where((hours >= 8) & (hours < 20), 30, 0))
    pd.DataFrame({"interval_start": starts, "offered": offered}).to_csv(path, index=False)


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
