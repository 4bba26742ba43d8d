"""Hostile files given to `ccplan simulate` and `ccplan schedule` (issue 14, section 3).

A probe of the commands with empty, non-UTF-8, binary and non-finite inputs found these
ending in a raw pandas exception and a traceback (exit 1); each is now the one-line error
naming the file (exit 2). The probe's other cases already were.
"""

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from scenarios.cli import app
from tests.scenarios.cli_histories import one_line_error

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "scenarios/examples/data/anonymous_bank_week_voice.csv"
REQUIREMENTS = ROOT / "scenarios/examples/schedule/requirements.csv"
RULES = ROOT / "scenarios/examples/schedule/rules.yaml"
runner = CliRunner()


@pytest.mark.parametrize(("content", "needle"), [
    (b"", "No columns to parse from file"),  # was pandas EmptyDataError
    ("agent,activity,start,end\ncaf\xe9,shift,2026-03-02 08:00,2026-03-02 16:00\n"
     .encode("latin-1"), "'utf-8' codec can't decode"),  # was UnicodeDecodeError
    (bytes(range(256)) * 4, "Error tokenizing data"),  # was pandas ParserError
])
def test_simulate_with_an_unreadable_roster_names_the_file(tmp_path, content, needle):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(content)
    result = runner.invoke(app, ["simulate", "--volumes", str(WEEK), "--roster", str(roster),
                                 "--replications", "2"])
    one_line_error(result, f"{roster}: not a readable CSV", needle)


def test_schedule_with_an_infinite_requirement_names_row_and_column(tmp_path):
    table = pd.read_csv(REQUIREMENTS)
    table["agents_required"] = table["agents_required"].astype(float)
    table.loc[30, "agents_required"] = float("inf")  # was pandas IntCastingNaNError
    path = tmp_path / "requirements.csv"
    table.to_csv(path, index=False)
    result = runner.invoke(app, ["schedule", str(path), "--rules", str(RULES),
                                 "--interval-s", "3600"])
    one_line_error(result, f"{path}: row 32 column 'agents_required' must be a whole number of "
                           "agents >= 0, got 'inf'")


@pytest.mark.slow
def test_out_naming_an_existing_file_is_the_one_line_error(tmp_path):
    # simulate, schedule and cost write into the folder --out names; a file in its place
    # ended in a FileExistsError traceback (exit 1).
    taken = tmp_path / "taken"
    taken.write_text("not a folder\n", encoding="utf-8")
    staff = tmp_path / "staff.csv"
    done = runner.invoke(app, ["erlang", "--csv", str(WEEK), "--interval-s", "900",
                               "--patience-s", "180", "--out", str(staff)])
    assert done.exit_code == 0, done.output
    result = runner.invoke(app, ["simulate", "--volumes", str(WEEK), "--staffing", str(staff),
                                 "--patience-s", "180", "--replications", "2", "--closed-gaps",
                                 "--out", str(taken)])
    one_line_error(result, f"cannot write {taken}")
    result = runner.invoke(app, ["schedule", str(REQUIREMENTS), "--rules", str(RULES),
                                 "--interval-s", "3600", "--out", str(taken)])
    one_line_error(result, f"cannot write {taken}")
    folder = tmp_path / "schedule"
    done = runner.invoke(app, ["schedule", str(REQUIREMENTS), "--rules", str(RULES),
                               "--interval-s", "3600", "--out", str(folder)])
    assert done.exit_code == 0, done.output
    forecast = ROOT / "scenarios/examples/schedule/forecast.csv"
    result = runner.invoke(app, ["cost", str(folder), "--forecast", str(forecast),
                                 "--out", str(taken)])
    one_line_error(result, f"cannot write {taken}")
    assert taken.read_text(encoding="utf-8") == "not a folder\n"
