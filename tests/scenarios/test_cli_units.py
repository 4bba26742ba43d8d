"""One grammar for durations and targets in the files and on the command line.

``scenarios.files.units.parse_target`` and ``parse_duration`` are the one owner; the scenario
files and every ``ccplan`` option that takes a duration or a target go through them. The
expected values are written by hand (80% is 0.8, one minute is 60 s, a day 86,400 s).
"""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.files import load_scenarios
from scenarios.files.units import parse_duration, parse_target

runner = CliRunner()


@pytest.mark.parametrize(("text", "expected"), [
    ("80% in 20s", (0.8, 20.0)),
    ("80/20", (0.8, 20.0)),
    ("80%/20s", (0.8, 20.0)),
    ("90% within 1m", (0.9, 60.0)),
    ("95% in 24h", (0.95, 86400.0)),
    ("85% in 1m30s", (0.85, 90.0)),
    ("80% in 20", (0.8, 20.0)),
    ("99.5/0", (0.995, 0.0)),
])
def test_targets_written_either_way(text, expected):
    level, within = parse_target(text)
    assert level == pytest.approx(expected[0]) and within == expected[1]


@pytest.mark.parametrize(("text", "rule"), [
    ("80", "must look like '80% in 20s' or 80/20"),
    ("80 in 20", "must look like '80% in 20s' or 80/20"),
    ("0.8/20", "for the fraction 0.8 write 80%"),  # never read as 0.8%
    ("120% in 20s", "below 100%, got 120%"),
    ("80/2x", "'2x' must be a duration"),
])
def test_bad_targets_state_the_rule(text, rule):
    with pytest.raises(ValueError, match=None) as err:
        parse_target(text)
    assert rule in str(err.value)


@pytest.mark.parametrize(("text", "seconds"), [
    ("3m", 180.0), ("180", 180.0), ("1.5h", 5400.0), ("8h30m", 30600.0), ("45s", 45.0),
    ("2.5", 2.5), (900, 900.0),
])
def test_durations_as_the_command_line_writes_them(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["-3", "inf", "nan", "3x", "08:30"])
def test_bad_durations_are_refused(text):
    with pytest.raises(ValueError, match="must be a duration"):
        parse_duration(text)


@pytest.mark.parametrize("target", ["80% in 20s", "80/20", "80% within 20"])
def test_a_scenario_file_takes_each_form_of_a_target(tmp_path, target):
    path = tmp_path / "s.yaml"
    path.write_text("horizon: {start: 2026-03-02, days: 1}\nchannels:\n  voice:\n"
                    "    volume: {daily: 480, profile: flat}\n    aht: 4m\n"
                    f"    target: \"{target}\"\n", encoding="utf-8")
    voice = load_scenarios(path)[0].channels[0]
    assert voice.service_level_target == pytest.approx(0.8)
    assert voice.answer_within_s == 20.0


def _erlang_json(*args: str) -> dict:
    result = runner.invoke(app, ["erlang", "--offered", "100", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_erlang_reads_the_files_units_as_the_seconds_it_always_took():
    files_way = _erlang_json("--interval", "30m", "--aht", "3m", "--target", "80% in 20s",
                             "--patience", "2m", "--max-asa", "30s")
    seconds_way = _erlang_json("--interval-s", "1800", "--aht-s", "180", "--target", "80/20",
                               "--patience-s", "120", "--max-asa-s", "30")
    assert files_way == seconds_way
    meta = files_way["meta"]
    assert meta["interval_s"] == 1800.0 and meta["mean_patience_s"] == 120.0
    assert meta["target"] == {"service_level": 0.8, "answer_within_s": 20.0}
    assert files_way["intervals"][0]["aht_s"] == 180.0


def _duration_options():
    """(command path, option names) of every option that takes a duration."""
    def walk(command, path=()):
        for param in command.params:
            if getattr(param, "metavar", None) == "DURATION":
                yield " ".join(path), tuple(param.opts), param
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, (*path, name))
    return list(walk(typer.main.get_command(app)))


DURATIONS = _duration_options()


def test_every_option_in_seconds_takes_a_duration():
    # An option named in seconds (--x-s) that took a number only would break the one grammar.
    def walk(command, path=()):
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.endswith("-s"):
                    yield " ".join(path), opt, getattr(param, "metavar", None)
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, (*path, name))
    seconds_options = list(walk(typer.main.get_command(app)))
    assert len(seconds_options) >= 12
    assert [o for o in seconds_options if o[2] != "DURATION"] == []
    names = {opts[0] for _, opts, _ in DURATIONS}
    assert {"--interval", "--aht", "--patience", "--max-asa", "--time-limit",
            "--hang-up-within", "--redial-window", "--max-idle-gap"} <= names


#: The least each command needs to get past its options (files that do not exist: the command
#: then stops on them, after every option was read).
REQUIRED = {"erlang": [], "simulate": ["--volumes", "none.csv"],
            "schedule": ["none.csv", "--rules", "none.yaml"],
            "cost": ["none", "--forecast", "none.csv"], "calibrate": ["none.csv"],
            "forecast": ["--history", "none.csv", "--horizon", "1", "--out", "fc.csv"],
            "forecast backtest": ["--history", "none.csv", "--horizon", "1"]}


@pytest.mark.parametrize(("command", "opts", "param"), DURATIONS,
                         ids=[f"{c} {o[0]}" for c, o, _ in DURATIONS])
def test_each_duration_option_takes_the_files_forms(tmp_path, monkeypatch, command, opts,
                                                     param):
    monkeypatch.chdir(tmp_path)
    argv = [*command.split(), *REQUIRED[command]]
    for name in opts:
        for text in ("1m30s", "90", "1.5h"):
            result = runner.invoke(app, [*argv, name, text])
            assert opts[0] not in result.output, (name, text, result.output)
        result = runner.invoke(app, [*argv, name, "3x"])
        assert result.exit_code == 2
        assert result.stderr.strip().splitlines() == [
            f"ccplan: error: {opts[0]} '3x' must be a duration such as 8h30m, 30m, 45s or a "
            f"number of seconds. E.g. {opts[0]} 3m"
            + (f" or {opts[0]}-s 180 in seconds." if len(opts) == 2 else " or 180 in seconds.")]
    if opts[0] != "--time-limit":
        assert opts == (opts[0], f"{opts[0]}-s")  # the seconds name still works


def test_a_bad_duration_is_one_line_naming_option_value_and_fix():
    result = runner.invoke(app, ["erlang", "--offered", "100", "--aht", "3 minutes"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["ccplan: error: --aht '3 minutes' must be a duration such as 8h30m, 30m, "
                     "45s or a number of seconds. E.g. --aht 3m or --aht-s 180 in seconds."]


def test_a_bad_target_is_one_line_naming_option_value_and_fix():
    result = runner.invoke(app, ["erlang", "--offered", "100", "--aht", "3m",
                                 "--target", "0.8/20"])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("ccplan: error: --target '0.8/20' needs a percentage")
    assert "80/20" in line and "80% in 20s" in line
