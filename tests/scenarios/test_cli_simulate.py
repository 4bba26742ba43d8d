"""`ccplan simulate`: tables written atomically, same seed same output, gaps and errors."""

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from scenarios.cli import app

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "scenarios/examples/data/anonymous_bank_week_voice.csv"
runner = CliRunner()


def _staffing(tmp_path, agents=6):
    week = pd.read_csv(WEEK)
    path = tmp_path / "staff.csv"
    week.assign(agents=agents)[["channel", "interval_start", "agents"]].to_csv(path, index=False)
    return path


def test_simulate_writes_tables_and_is_reproducible(tmp_path):
    staff = _staffing(tmp_path)
    args = ["simulate", "--volumes", str(WEEK), "--staffing", str(staff), "--patience-s", "180",
            "--replications", "2", "--seed", "4", "--closed-gaps"]
    first = runner.invoke(app, [*args, "--out", str(tmp_path / "a")])
    second = runner.invoke(app, [*args, "--out", str(tmp_path / "b")])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    a = pd.read_csv(tmp_path / "a/sim_intervals.csv")
    b = pd.read_csv(tmp_path / "b/sim_intervals.csv")
    pd.testing.assert_frame_equal(a, b)
    assert set(a.replication) == {0, 1}
    # Conservation holds in the written table too.
    assert (a.offered == a.answered + a.abandoned + a.waiting_at_end).all()
    assert "service_level" in (tmp_path / "a/summary.csv").read_text()
    assert not list((tmp_path / "a").glob("*.tmp"))  # no leftovers of the atomic writes


def test_gaps_are_an_error_unless_declared_closed(tmp_path):
    staff = _staffing(tmp_path)
    result = runner.invoke(app, ["simulate", "--volumes", str(WEEK), "--staffing", str(staff),
                                 "--replications", "2"])
    assert result.exit_code == 2
    assert "not interval_s=900" in result.stderr and "--closed-gaps" in result.stderr


def test_missing_agents_are_named(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("interval_start,agents\n1999-02-14 07:00,3\n1999-02-14 07:15,\n")
    result = runner.invoke(app, ["simulate", "--volumes", str(WEEK), "--staffing", str(path),
                                 "--replications", "2"])
    assert result.exit_code == 2
    assert f"{path}: row 3 column 'agents_scheduled' is empty" in result.stderr


def test_erlang_json_is_still_json():
    # The simulate command must not disturb the erlang command's machine output.
    result = runner.invoke(app, ["erlang", "--offered", "10", "--aht-s", "100", "--json"])
    assert json.loads(result.stdout)["intervals"][0]["agents"] >= 1


def test_simulate_with_a_roster_and_its_errors(tmp_path):
    day = pd.read_csv(WEEK)
    volumes = tmp_path / "day.csv"
    day[day.interval_start.str.startswith("1999-02-14")].to_csv(volumes, index=False)
    roster = tmp_path / "roster.csv"
    roster.write_text("agent,activity,start,end\n"
                      "ann,shift,1999-02-14 07:00,1999-02-14 15:00\n"
                      "ann,break,1999-02-14 11:00,1999-02-14 11:30\n"
                      "bob,shift,1999-02-14 07:00,1999-02-15 00:00\n")
    result = runner.invoke(app, ["simulate", "--volumes", str(volumes), "--roster", str(roster),
                                 "--replications", "2", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out/sim_intervals.csv")
    at_11 = table[table.interval_start == "1999-02-14 11:00:00"].agents_on_duty
    assert (at_11 == 1.0).all()  # ann is on her break
    roster.write_text("agent,activity,start,end\nann,shift,1999-02-14 15:00,1999-02-14 07:00\n")
    bad = runner.invoke(app, ["simulate", "--volumes", str(volumes), "--roster", str(roster),
                              "--replications", "2"])
    assert bad.exit_code == 2 and "row 0: end" in bad.stderr
