"""A schedule cut by its time limit (the safety net) is never silent (issue 14, section 2).

The solve is made to hit the safety net deterministically: the clock the solver reads
(``staffing._schedule._clock``) jumps a year ahead as soon as a solve finds its first schedule,
which is far from the optimum on this week (gap asked 1%). Then the terminal says so in one
line, summary.json and the report carry the status and gap, and ``ccplan check`` fails the
scenario with the gap and the fix, unless the file sets ``allow_time_limit: true``. The same
file without the jump solves on its gap, and check passes.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from scenarios.cli import app
from tests.schedule_clock import CUT_WEEK
from tests.schedule_clock import jump_after_first_schedule as jump_clock

runner = CliRunner()

WEEK = CUT_WEEK


def _write(tmp_path, extra_rules: str = ""):
    path = tmp_path / "cut.yaml"
    path.write_text(WEEK.replace("EXTRA", extra_rules), encoding="utf-8")
    return path


@pytest.fixture
def jump_after_first_schedule(monkeypatch):
    """The solver's clock jumps a year ahead when a solve finds its first schedule."""
    return jump_clock(monkeypatch)


MESSAGE = re.compile(r"cut: schedule stopped at the time limit \(60 s\), within ([0-9.]+)% "
                     r"\(above the 1\.0% asked\): .*Raise shifts\.rules\.time_limit_s"
                     r".*allow_time_limit: true")


@pytest.mark.slow
def test_check_fails_and_run_reports_status_and_gap(tmp_path, jump_after_first_schedule):
    path = _write(tmp_path)
    result = runner.invoke(app, ["check", str(path), "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert jump_after_first_schedule                       # the safety net did fire
    match = MESSAGE.search(result.output)
    assert match, result.output
    assert float(match.group(1)) > 1.0                     # percent, above the 1% asked
    assert "FAIL  cut: schedule stopped at the time limit" in result.output
    # One visible line on the terminal (stderr), besides the check's own FAIL line.
    warnings = [line for line in result.output.splitlines()
                if "warning: cut: the schedule solver stopped at its time limit" in line]
    assert len(warnings) == 1, result.output

    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "the schedule solver stopped at its time limit (60 s" in result.output
    assert "TIME LIMIT" in result.output                    # the comparison table's column
    doc = json.loads((out / "summary.json").read_text())
    schedule = doc["scenarios"][0]["schedule"]
    assert schedule["status"] == "time_limit"
    assert schedule["mip_gap"] > 0.01
    assert schedule["mip_rel_gap"] == 0.01
    assert schedule["time_limit_s"] == 60.0
    assert schedule["allow_time_limit"] is False
    assert [c["passed"] for c in doc["checks"]] == [False]
    html = (out / "report.html").read_text()
    assert "STOPPED AT THE TIME LIMIT, within" in html


@pytest.mark.slow
def test_allow_time_limit_lets_check_pass(tmp_path, jump_after_first_schedule):
    path = _write(tmp_path, ", allow_time_limit: true")
    result = runner.invoke(app, ["check", str(path), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert jump_after_first_schedule
    assert "schedule stopped at the time limit" not in result.output
    # Still said on the terminal: allowing it does not hide it.
    assert "the schedule solver stopped at its time limit" in result.output


@pytest.mark.slow
def test_without_the_jump_the_solve_ends_on_its_gap_and_check_passes(tmp_path):
    path = _write(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--workers", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    schedule = json.loads((out / "summary.json").read_text())["scenarios"][0]["schedule"]
    assert schedule["status"] in ("optimal", "gap_above_target")
    assert "stopped at its time limit" not in result.output
    assert "TIME LIMIT " not in result.output
    result = runner.invoke(app, ["check", str(path), "--workers", "1"])
    assert result.exit_code == 0, result.output


def test_allow_time_limit_must_be_true_or_false(tmp_path):
    path = _write(tmp_path, ", allow_time_limit: maybe")
    result = runner.invoke(app, ["check", str(path), "--workers", "1"])
    assert result.exit_code == 2
    assert ("cut.yaml:26:108: shifts.rules.allow_time_limit must be true or false, got "
            "'maybe'. E.g. allow_time_limit: true." in result.output), result.output


def test_ccplan_schedule_says_so_in_one_line(tmp_path, jump_after_first_schedule):
    """``ccplan schedule`` on the bundled example (0.1% asked; HiGHS needs thousands of nodes)
    cut at its first schedule: status and gap in summary.json, one warning line."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "schedule"
    out = tmp_path / "sched"
    result = runner.invoke(app, ["schedule", str(example / "requirements.csv"), "--rules",
                                 str(example / "rules.yaml"), "--interval-s", "3600",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "time_limit"
    assert summary["mip_gap"] > summary["mip_rel_gap"] == 0.001
    lines = [line for line in result.output.splitlines()
             if "warning: the solver stopped at its time limit (600 s, a safety net)" in line]
    assert len(lines) == 1, result.output
    assert lines[0].endswith("or lower rules.max_nodes."), result.output    # not wrapped
