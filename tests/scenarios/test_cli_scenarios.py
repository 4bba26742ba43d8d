"""``ccplan run``, ``compare``, ``check`` and ``schema`` through typer's CliRunner.

The scenarios are tiny enough to price by hand: one contact an hour (24 a day), 4-minute
calls, 80% in 20 s. The offered load is 1/15 erlang, so one agent meets the target (M/M/1:
service level ``1 - rho exp(-(mu - lambda) T) = 1 - (1/15) exp(-(14/15)(20/240))``), the day
pays 24 agent-hours at the hourly rate, and FTE is 24 h / (37.5 h / 7).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import tomllib
import xml.etree.ElementTree as ET
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.report import BUNDLE_FILES
from tests.scenarios.cli_histories import one_line_error

ROOT = Path(__file__).resolve().parents[2]
FAILING = ROOT / "tests/data/failing_scenario.yaml"
runner = CliRunner()

# The layout documented for `ccplan run --out DIR` (scenarios/report/_bundle.py, ccplan run --help)
DOCUMENTED_FILES = {"intervals.csv", "intervals.parquet", "channels.csv", "channels.parquet",
                    "totals.csv", "totals.parquet", "cost_breakdown.csv", "shifts.csv",
                    "summary.json", "report.html"}

# By hand (module docstring).
SERVICE_LEVEL = 1 - (1 / 15) * math.exp(-(14 / 15) * (20 / 240))
PAID_HOURS = 24.0
FTE = PAID_HOURS / (37.5 / 7)


def tiny(name: str, rate: float = 20.0, seed: int = 42, expect: tuple[str, ...] = ()) -> str:
    lines = [
        f"name: {name}",
        "interval: 1h",
        "horizon: {start: 2026-03-02, days: 1}",
        "hours: 24x7",
        f"seed: {seed}",
        "channels:",
        "  voice: {volume: {daily: 24, profile: flat}, aht: 4m, target: 80% in 20s}",
        f"pay: {{hourly_rates: {{agent: {rate}}}}}",
    ]
    if expect:
        lines.append("expect:")
        lines.extend(f"  - {line}" for line in expect)
    return "\n".join(lines) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_hand_references_hold():
    # One agent meets 80% in 20 s (so no interval needs two), and 24 h is 4.48 FTE.
    assert 0.8 < SERVICE_LEVEL < 1
    assert abs(FTE - 4.48) < 1e-12


# ---------------------------------------------------------------------------------------------
# ccplan run
# ---------------------------------------------------------------------------------------------


def test_run_writes_the_bundle_and_the_summary_names_version_hash_and_seed(tmp_path):
    path = write(tmp_path, "tiny.yaml", tiny("tiny", seed=42))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert set(BUNDLE_FILES) == DOCUMENTED_FILES
    for name in BUNDLE_FILES:
        assert (out / name).is_file(), name
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    try:
        installed = version("ccplan")
    except PackageNotFoundError:
        installed = "unknown"
    else:
        assert installed == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
            "version"], "the installed ccplan is not this source tree's; reinstall it"
    assert summary["ccplan_version"] == installed
    assert summary["scenario_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert summary["seed"] == 42
    assert summary["scenarios"][0]["n_replications"] == 0
    totals = summary["scenarios"][0]["totals"]
    assert totals["cost"] == pytest.approx(24 * 20.0)
    assert totals["cost_per_contact"] == pytest.approx(20.0)
    assert totals["fte"] == pytest.approx(FTE)
    # The printed comparison gives money with its currency (the file says none: EUR).
    printed = " ".join(result.stdout.split())
    assert "cost EUR" in printed and "cost/contact EUR" in printed
    assert "480.00" in printed and "20.00" in printed
    assert totals["service_level"] == pytest.approx(SERVICE_LEVEL, rel=1e-9)
    # The CSV and Parquet tables hold the same rows.
    for name in ("intervals", "channels", "totals"):
        csv = pd.read_csv(out / f"{name}.csv")
        parquet = pd.read_parquet(out / f"{name}.parquet")
        assert len(csv) == len(parquet) == {"intervals": 24, "channels": 1, "totals": 1}[name]
    assert pd.read_csv(out / "intervals.csv")["agents_required"].tolist() == [1] * 24
    assert "tiny" in result.stdout
    assert str(out) in result.stdout


def test_run_replaces_an_existing_output_folder(tmp_path):
    path = write(tmp_path, "tiny.yaml", tiny("tiny"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier run")
    result = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(BUNDLE_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny.yaml"]


def _dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", socket.gethostname())[:40] or "host"


def _leftover(folder: Path, name: str, owner: str, tail: str = "k1ll3d00") -> Path:
    """A temporary folder as a writer killed mid-write leaves it: one CSV half written."""
    tmp = folder / f".{name}.{owner}.{tail}.tmp"
    tmp.mkdir()
    (tmp / "intervals.csv").write_text("scenario,channel,interval_start,offe", encoding="utf-8")
    return tmp


def test_the_next_run_removes_the_temporary_folder_of_a_killed_run(tmp_path):
    path = write(tmp_path, "tiny.yaml", tiny("tiny"))
    dead = _leftover(tmp_path, "out", f"{_host()}-{_dead_pid()}")
    # Killed between its two renames: the previous folder stepped aside, the new one not in.
    dead_old = _leftover(tmp_path, "out", f"{_host()}-{_dead_pid()}", "old")
    live = _leftover(tmp_path, "out", f"{_host()}-{os.getpid()}", "running1")   # still writing
    elsewhere = _leftover(tmp_path, "out", f"otherhost-{_dead_pid()}", "network1")
    other = _leftover(tmp_path, "other", f"{_host()}-{_dead_pid()}")   # not this folder's
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert not dead.exists() and not dead_old.exists()
    assert live.exists() and elsewhere.exists() and other.exists()
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(BUNDLE_FILES)
    totals = pd.read_csv(out / "totals.csv")
    assert totals["cost"].tolist() == pytest.approx([24 * 20.0])


def test_temporaries_named_without_a_pid_are_removed_only_when_a_day_old(tmp_path):
    from scenarios.files.output import remove_stale_temporaries

    old = tmp_path / ".out.abcd_123.tmp"           # as mkdtemp named them before
    old_aside = tmp_path / ".out.old"              # the previous folder, stepped aside
    fresh = tmp_path / ".out.efgh_456.tmp"
    for folder in (old, old_aside, fresh):
        folder.mkdir()
    mine = tmp_path / ".out.keepthis.txt"          # not a temporary's name: never touched
    mine.write_text("notes", encoding="utf-8")
    day_ago = os.stat(old).st_mtime - 86400 - 60
    for path in (old, old_aside, mine):
        os.utime(path, (day_ago, day_ago))
    assert sorted(remove_stale_temporaries(tmp_path, "out")) == sorted([old, old_aside])
    assert not old.exists() and not old_aside.exists() and fresh.exists() and mine.exists()


def test_a_stale_temporary_file_of_compare_is_removed(tmp_path):
    path = write(tmp_path, "tiny.yaml", tiny("tiny"))
    out = tmp_path / "cmp"
    out.mkdir()
    stale = out / f".comparison.csv.{_host()}-{_dead_pid()}.abcdefgh.tmp"
    stale.write_text("scenario,co", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(path), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert pd.read_csv(out / "comparison.csv")["cost"].tolist() == pytest.approx([24 * 20.0])


#: A child that writes the bundle and stops for good after the first Parquet file.
_KILLED_WRITER = textwrap.dedent("""
    import sys, time
    import pandas as pd
    import scenarios
    from scenarios.report import _bundle
    result = scenarios.run_scenario(scenarios.load_scenarios(sys.argv[1])[0])
    parquet = pd.DataFrame.to_parquet
    def stall(self, *args, **kwargs):
        parquet(self, *args, **kwargs)
        print("writing", flush=True)
        time.sleep(600)
    pd.DataFrame.to_parquet = stall
    _bundle.write_bundle([result], sys.argv[2], report_html="<html></html>")
""")


@pytest.mark.slow
def test_a_run_killed_with_sigkill_mid_write_is_cleaned_up_by_the_next(tmp_path):
    path = write(tmp_path, "tiny.yaml", tiny("tiny"))
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    child = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(path), str(out)],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert [p.name for p in left] == [p.name for p in left
                                      if p.name.endswith(".tmp") and f"-{child.pid}." in p.name]
    assert len(left) == 1 and (left[0] / "intervals.parquet").is_file()
    assert not out.exists()

    result = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert not left[0].exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny.yaml"]
    assert pd.read_csv(out / "totals.csv")["cost"].tolist() == pytest.approx([24 * 20.0])


# ---------------------------------------------------------------------------------------------
# ccplan compare
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_compare_writes_csv_and_html_and_prints_the_table(tmp_path):
    cheap = write(tmp_path, "cheap.yaml", tiny("cheap", rate=20))
    dear = write(tmp_path, "dear.yaml", tiny("dear", rate=25))
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", str(cheap), str(dear), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "comparison.csv")
    assert table["scenario"].tolist() == ["cheap", "dear"]
    # 24 agent-hours at 20 and at 25; the same service level, so only the cheaper one is on
    # the efficient frontier.
    assert table["cost"].tolist() == pytest.approx([480.0, 600.0])
    assert table["cost_per_contact"].tolist() == pytest.approx([20.0, 25.0])
    assert table["service_level"].tolist() == pytest.approx([SERVICE_LEVEL] * 2, rel=1e-9)
    assert table["is_efficient"].tolist() == [True, False]
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") or "<html" in html.lower()
    assert "cheap" in html and "dear" in html
    for text in ("cheap", "dear", "480.00", "600.00", "20.00", "25.00", "93.8%"):
        assert text in result.stdout, text


# ---------------------------------------------------------------------------------------------
# ccplan check
# ---------------------------------------------------------------------------------------------

PASSING = ("service_level >= 0.9", "cost_per_contact <= 20.5", "fte <= 4.5")


def test_check_exits_0_when_every_expectation_passes(tmp_path):
    path = write(tmp_path, "ok.yaml", tiny("ok", expect=PASSING))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert len(lines) == 3 and all(line.startswith("PASS  ") for line in lines)
    # Each line names the expectation, the value (worked by hand) and the limit.
    assert "voice service_level 0.938 >= 0.9 (expected service_level >= 0.9)" in lines[0]
    assert "total cost_per_contact 20.00 <= 20.5 (expected cost_per_contact <= 20.5)" in lines[1]
    # FTE 4.48 is shown with the decimals that tell it from the limit 4.5.
    assert "total fte 4.48 <= 4.5 (expected fte <= 4.5)" in lines[2]
    assert "3 of 3 expectation(s) passed" in result.stdout


def test_check_exits_1_when_one_fails_and_writes_junit(tmp_path):
    path = write(tmp_path, "tight.yaml",
                 tiny("tight", expect=(*PASSING[:2], "cost_per_contact <= 19")))
    report = tmp_path / "reports" / "check.xml"
    result = runner.invoke(app, ["check", str(path), "--junit", str(report)])
    assert result.exit_code == 1, result.output
    fails = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert fails == ["FAIL  tight: total cost_per_contact 20.00 > 19 "
                     "(expected cost_per_contact <= 19)"]
    assert "2 of 3 expectation(s) passed" in result.stdout

    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "0")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["tight"]
    assert (suites[0].get("tests"), suites[0].get("failures")) == ("3", "1")
    cases = suites[0].findall("testcase")
    assert len(cases) == 3
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["total: cost_per_contact <= 19"]
    assert "20.00" in failed[0].find("failure").get("message")


def test_check_on_the_failing_scenario_file_exits_1_and_says_why():
    result = runner.invoke(app, ["check", str(FAILING)])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert ("FAIL  failing_on_purpose: total cost_per_contact 20.00 > 0.01 "
            "(expected cost_per_contact <= 0.01)") in out
    assert f"PASS  failing_on_purpose: voice service_level {SERVICE_LEVEL:.3f} >= 0.8" in out
    assert "1 of 2 expectation(s) passed" in out


# ---------------------------------------------------------------------------------------------
# Bad input: one line, exit 2
# ---------------------------------------------------------------------------------------------


def test_bad_yaml_is_one_line_naming_file_line_and_column(tmp_path):
    # The flow mapping on line 2 is never closed; the parser stops at the ':' after
    # 'channels' on line 3, column 9.
    text = ("name: bad\n"
            "horizon: {start: 2026-03-02, days: 1\n"
            "channels:\n"
            "  voice: {volume: {daily: 24}, aht: 4m, target: 80% in 20s}\n")
    path = write(tmp_path, "bad.yaml", text)
    for command in (["run", str(path), "--out", str(tmp_path / "o")], ["check", str(path)],
                    ["compare", str(path), "--out", str(tmp_path / "c")]):
        result = runner.invoke(app, command)
        one_line_error(result, f"{path}:3:9", "YAML")
    assert not (tmp_path / "o").exists() and not (tmp_path / "c").exists()


def test_unknown_key_is_one_line_naming_file_line_column_and_key(tmp_path):
    line4 = "  voice: {volume: {daily: 24}, aht: 4m, target: 80% in 20s, patients: 3m}"
    text = "name: typo\nhorizon: {start: 2026-03-02, days: 1}\nchannels:\n" + line4 + "\n"
    path = write(tmp_path, "typo.yaml", text)
    column = line4.index("patients") + 1
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "o")])
    one_line_error(result, f"{path}:4:{column}", "'patients'", "patience")

    top = write(tmp_path, "top.yaml", tiny("top").replace("hours: 24x7", "colour: blue"))
    line = tiny("top").splitlines().index("hours: 24x7") + 1
    result = runner.invoke(app, ["check", str(top)])
    one_line_error(result, f"{top}:{line}:1", "'colour'")


def test_missing_file_is_one_line(tmp_path):
    missing = tmp_path / "nope.yaml"
    result = runner.invoke(app, ["check", str(missing)])
    one_line_error(result, str(missing))


# ---------------------------------------------------------------------------------------------
# ccplan schema
# ---------------------------------------------------------------------------------------------


def test_schema_prints_json_with_channels():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert "channels" in schema["properties"]
    assert "horizon" in schema["properties"]
    # The same document as the Python API gives.
    from scenarios.files import scenario_json_schema
    assert schema == json.loads(json.dumps(scenario_json_schema()))
    assert re.match(r"https://json-schema.org/", schema["$schema"])
