"""`ccplan erlang`: published example, JSON, reverse mode, CSV input and one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scenarios.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios/examples/data/anonymous_bank_week_voice.csv"
runner = CliRunner()


def _json(args):
    result = runner.invoke(app, ["erlang", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_published_example_in_json():
    # 100 calls in 30 minutes, AHT 180 s, 80/20: 14 agents, SL 0.88835 (see
    # tests/staffing/test_erlang_published.py for the source).
    out = _json(["--offered", "100", "--interval-s", "1800", "--aht-s", "180", "--target", "80/20"])
    (row,) = out["intervals"]
    assert row["agents"] == 14
    assert round(row["service_level"], 5) == 0.88835
    assert out["meta"]["model"] == "erlang_c"


def test_shrinkage_gives_scheduled_agents():
    out = _json(["--offered", "100", "--interval-s", "1800", "--aht-s", "180",
                 "--shrinkage", "0.3"])
    assert out["intervals"][0]["scheduled_agents"] == 20  # 14 / 0.7


def test_reverse_mode_reports_kpis_at_given_agents():
    out = _json(["--offered", "100", "--interval-s", "1800", "--aht-s", "180", "--agents", "13"])
    row = out["intervals"][0]
    assert row["agents"] == 13
    assert row["service_level"] < 0.8  # 14 is the minimum for 80/20, so 13 misses


def test_unstable_reverse_mode_is_flagged_not_nan():
    out = _json(["--offered", "100", "--interval-s", "1800", "--aht-s", "180", "--agents", "9"])
    row = out["intervals"][0]
    assert row["unstable"] is True and row["asa_s"] is None


def test_csv_of_the_bundled_week_with_erlang_a():
    out = _json(["--csv", str(EXAMPLE), "--interval-s", "900", "--patience-s", "180"])
    rows = out["intervals"]
    assert len(rows) == 386
    assert all(r["service_level"] >= 0.8 for r in rows if r["offered"] > 0)
    assert out["meta"]["model"] == "erlang_a"


def test_table_output_mentions_model_and_totals():
    result = runner.invoke(app, ["erlang", "--csv", str(EXAMPLE), "--interval-s", "900"])
    assert result.exit_code == 0
    assert "Erlang C, target 80% in 20 s" in result.stdout
    assert "386 intervals" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--offered", "100", "--aht-s", "-3"], "--aht '-3' must be a duration >= 0"),
        (["--offered", "100", "--aht-s", "0"], "aht_s must be a finite number > 0, got 0.0"),
        (["--offered", "100", "--aht-s", "180", "--target", "80"], "PERCENT/SECONDS"),
        (["--offered", "100"], "--aht is required"),
        (["--csv", "no/such/file.csv", "--aht-s", "180"], "no such file"),
        (["--offered", "100", "--aht-s", "180", "--max-abandon", "0.05"], "needs mean_patience_s"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(args, message):
    result = runner.invoke(app, ["erlang", *args])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_missing_values_in_csv_are_named_not_zero(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("offered,aht_s\n10,200\n,200\n")
    result = runner.invoke(app, ["erlang", "--csv", str(path)])
    assert result.exit_code == 2
    assert f"{path}: row 3 column 'offered' is empty" in result.stderr
    assert "never read as zero" in result.stderr


@pytest.mark.slow
def test_console_script_runs():
    env = dict(os.environ, PYTHONWARNINGS="error")
    proc = subprocess.run(
        [sys.executable, "-m", "scenarios.cli", "erlang", "--offered", "100", "--interval-s",
         "1800", "--aht-s", "180", "--json"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["intervals"][0]["agents"] == 14


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Beyond int64: a raw OverflowError before (issue 14, hostile-argument probe).
        (["--agents", "99999999999999999999"], "--agents must be a whole number of agents from "
                                               "0 to 2**53, got 99999999999999999999"),
        (["--agents", "-99999999999999999999"], "--agents must be a whole number"),
        (["--patience-s", "1e300", "--aht-s", "0.001"], "Erlang A is computed up to 1e+200 times"),
        (["--offered", "1e12"], "more than ccplan computes (1e+09 erlangs)"),
    ],
)
def test_hostile_numbers_are_one_line_errors(args, message):
    base = {"--offered": "100", "--interval-s": "1800", "--aht-s": "180"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [x for k, v in {**base, **given}.items() for x in (k, v)]
    result = runner.invoke(app, ["erlang", *argv])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr


@pytest.mark.slow
def test_the_issue_case_runs_in_bounded_memory():
    """`ccplan erlang --offered 1800000 --interval-s 1800 --aht-s 1 --patience-s 1e11 --agents
    1001` allocated 6.7 GB; run with the address space capped at 3 GB (tracemalloc peak in
    tests/staffing/test_erlang_bounded.py)."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))\n"
        "from scenarios.cli import main\n"
        "sys.argv = ['ccplan', 'erlang', '--offered', '1800000', '--interval-s', '1800',\n"
        "            '--aht-s', '1', '--patience-s', '1e11', '--agents', '1001', '--json']\n"
        "main()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr[-1000:]
    row = json.loads(proc.stdout)["intervals"][0]
    # The birth-death chain gives p_wait 0.96125821 here (computed in mpmath by
    # tests/staffing/test_erlang_bounded.py::test_cli_case_matches_the_chain).
    assert row["agents"] == 1001 and abs(row["p_wait"] - 0.96125821) < 1e-8
