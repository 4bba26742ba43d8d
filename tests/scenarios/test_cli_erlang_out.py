"""``ccplan erlang --out FILE``: the table as CSV, which ``ccplan simulate --staffing`` reads."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from scenarios.cli import app

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "scenarios/examples/data/anonymous_bank_week_voice.csv"
runner = CliRunner()


def test_out_writes_the_published_example(tmp_path):
    # 100 calls in 30 minutes, AHT 180 s, 80/20: 14 agents, SL 0.88835 (published; see
    # tests/staffing/test_erlang_published.py); 30% shrinkage: ceil(14 / 0.7) = 20 scheduled.
    out = tmp_path / "one.csv"
    result = runner.invoke(app, ["erlang", "--offered", "100", "--interval-s", "1800",
                                 "--aht-s", "180", "--shrinkage", "0.3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"Wrote 1 rows to {out}." in result.output
    table = pd.read_csv(out)
    assert table.loc[0, "agents"] == 14 and table.loc[0, "scheduled_agents"] == 20
    assert round(table.loc[0, "service_level"], 5) == 0.88835
    assert table.loc[0, "offered"] == 100 and table.loc[0, "aht_s"] == 180


def test_json_stdout_stays_json_with_out(tmp_path):
    out = tmp_path / "one.csv"
    result = runner.invoke(app, ["erlang", "--offered", "100", "--interval-s", "1800",
                                 "--aht-s", "180", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["intervals"][0]["agents"] == 14
    assert "Wrote 1 rows" in result.stderr
    assert pd.read_csv(out).loc[0, "agents"] == 14


def test_the_staffing_file_feeds_simulate(tmp_path):
    staff = tmp_path / "staff.csv"
    result = runner.invoke(app, ["erlang", "--csv", str(WEEK), "--interval-s", "900",
                                 "--patience-s", "180", "--out", str(staff)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(staff)
    week = pd.read_csv(WEEK)
    # One row per input row, the input's keys as written, agents on the queue per interval.
    assert list(table["interval_start"]) == list(week["interval_start"])
    assert list(table["channel"]) == list(week["channel"])
    assert list(table["offered"]) == list(week["offered"].astype(float))
    assert {"agents", "scheduled_agents", "service_level", "asa_s"} <= set(table.columns)
    assert (table["agents"] >= 1).all() and table["agents"].dtype.kind == "i"

    results = tmp_path / "results"
    sim = runner.invoke(app, ["simulate", "--volumes", str(WEEK), "--staffing", str(staff),
                              "--patience-s", "180", "--replications", "2", "--closed-gaps",
                              "--out", str(results)])
    assert sim.exit_code == 0, sim.output
    intervals = pd.read_csv(results / "sim_intervals.csv")
    one = intervals[intervals["replication"] == 0]
    staffed = dict(zip(pd.to_datetime(table["interval_start"]), table["agents"], strict=True))
    column = "agents_scheduled" if "agents_scheduled" in one.columns else "agents_on_duty"
    seen = {pd.Timestamp(t).tz_localize(None): a
            for t, a in zip(pd.to_datetime(one["interval_start"]), one[column], strict=True)}
    # The simulator staffed every open interval with staff.csv's agents.
    assert all(seen[t] == a for t, a in staffed.items())


def test_out_into_a_folder_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["erlang", "--offered", "100", "--interval-s", "1800",
                                 "--aht-s", "180", "--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f"ccplan: error: --out {tmp_path}: cannot write the CSV" in result.output
    assert "Traceback" not in result.output
