"""``ccplan capacity`` end to end, and ``ccplan check`` on the capacity plan's expect: lines.

A tiny centre (one voice channel, a flat day of one-hour intervals, 24x7) planned over 13
weeks from Monday 2027-01-04, with a base and a variant that doubles the attrition. The
checks are laws of the written files rather than numbers the code gave before: every month's
flows and costs of group ``all`` add up to the weeks' (weeks split across months by days), the
weekly stock moves by its flows, the printed headline numbers are those of summary.json, CSV
and Parquet agree, two runs are byte-identical, and the higher attrition loses more agents.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from scenarios.cli import app
from tests.scenarios.cli_histories import one_line_error

runner = CliRunner()

FILES = {"weekly.csv", "weekly.parquet", "channels.csv", "monthly.csv", "monthly.parquet",
         "classes.csv", "summary.json", "capacity.html"}

PLAN = """\
name: tiny
interval: 1h
horizon: {start: 2027-01-04, days: 7}
hours: 24x7
currency: XTS
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c, shrinkage: 0.2}
pay: {hourly_rates: {agent: 20}}
capacity:
  weeks: 13
  start: 2027-01-04
  hours_per_fte_week: 37.5
  groups:
    voice_team:
      channels: [voice]
      headcount: 60
      attrition: 20%
      overtime: {limit: 5%, premium: 50%}
      hiring: {training: 2w, graduate: 90%, min_class: 1, max_class: 10, cost_per_hire: 3000}
      classes: [{start: 2027-01-18, size: 6}]
{expect}variants:
  churn: {capacity: {groups: {voice_team: {attrition: 40%}}}}
"""


def plan_file(tmp_path: Path, expect: str = "", text: str = PLAN) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(text.replace("{expect}", expect), encoding="utf-8")
    return path


def run(*args: str):
    return runner.invoke(app, ["capacity", *args])


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cap")
    result = run(str(plan_file(folder)), "--out", str(folder / "out"))
    assert result.exit_code == 0, result.output
    return folder / "out", result


def test_writes_the_documented_files_with_the_scenario_first(written):
    out, _ = written
    assert {p.name for p in out.iterdir()} == FILES
    for name in ("weekly", "channels", "monthly", "classes"):
        table = pd.read_csv(out / f"{name}.csv")
        assert table.columns[0] == "scenario"
        assert list(dict.fromkeys(table["scenario"])) == ["tiny", "tiny / churn"]
    weekly = pd.read_csv(out / "weekly.csv")
    assert len(weekly) == 2 * 13                 # two plans x one group x 13 weeks
    summary = json.loads((out / "summary.json").read_text())
    assert [s["scenario"] for s in summary["scenarios"]] == ["tiny", "tiny / churn"]
    assert all(s["currency"] == "XTS" and s["n_weeks"] == 13 for s in summary["scenarios"])
    page = (out / "capacity.html").read_text()
    assert page.index("<h2>Comparison</h2>") < page.index("<h2>tiny</h2>")


def test_parquet_and_csv_agree(written):
    out, _ = written
    for name in ("weekly", "monthly"):
        csv = pd.read_csv(out / f"{name}.csv")
        parquet = pd.read_parquet(out / f"{name}.parquet")
        assert list(csv.columns) == list(parquet.columns)
        numeric = csv.select_dtypes("number").columns
        pd.testing.assert_frame_equal(csv[numeric], parquet[numeric], check_dtype=False)


def test_months_add_up_to_the_weeks_and_the_stock_moves_by_its_flows(written):
    out, _ = written
    weekly = pd.read_csv(out / "weekly.csv")
    monthly = pd.read_csv(out / "monthly.csv")
    for scenario, rows in weekly.groupby("scenario"):
        months = monthly[(monthly["scenario"] == scenario) & (monthly["group"] == "all")]
        # 13 weeks from Monday 4 January: 28 days of January, 28 of February, 31 of March
        # and 4 of April = 91.
        assert months["days"].sum() == 91
        assert list(months["days"]) == [28, 28, 31, 4]
        for column in ("hires", "graduates", "leavers", "wages", "hiring_cost",
                       "training_cost", "overtime_cost", "cost"):
            assert months[column].sum() == pytest.approx(rows[column].sum(), rel=1e-9), column
        rows = rows.sort_values("week")
        stock = rows["headcount"].to_numpy()
        flows = (rows["graduates"] - rows["leavers"] + rows["transfers_in"]
                 - rows["transfers_out"]).to_numpy()
        assert stock[1:] == pytest.approx(stock[:-1] + flows[:-1])


def test_more_attrition_loses_more_agents(written):
    out, _ = written
    weekly = pd.read_csv(out / "weekly.csv")
    leavers = weekly.groupby("scenario")["leavers"].sum()
    assert leavers["tiny / churn"] > leavers["tiny"] > 0


def test_prints_the_headline_numbers_of_summary_json(written):
    out, result = written
    summary = json.loads((out / "summary.json").read_text())
    text = " ".join(result.stdout.split())
    for plan in summary["scenarios"]:
        assert f"{plan['annual_cost']:,.2f} XTS" in text
        assert f"{100 * plan['min_weekly_coverage']:.1f}%" in text
    assert "Wrote weekly, monthly, channels and classes tables" in result.stdout


def test_no_variants_plans_the_base_only(tmp_path):
    result = run(str(plan_file(tmp_path)), "--out", str(tmp_path / "o"), "--no-variants")
    assert result.exit_code == 0, result.output
    weekly = pd.read_csv(tmp_path / "o" / "weekly.csv")
    assert set(weekly["scenario"]) == {"tiny"}


def test_same_file_same_bytes(tmp_path):
    path = plan_file(tmp_path)
    for name in ("a", "b"):
        assert run(str(path), "--out", str(tmp_path / name)).exit_code == 0
    for file in ("weekly.csv", "monthly.csv", "classes.csv", "summary.json", "capacity.html"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_a_file_without_a_capacity_block_is_one_line_error(tmp_path):
    text = PLAN.split("capacity:")[0] + "{expect}"
    path = plan_file(tmp_path, text=text)
    one_line_error(run(str(path), "--out", str(tmp_path / "o")), str(path),
                   "no scenario in it has a capacity: block")
    assert not (tmp_path / "o").exists()


def test_a_bad_capacity_block_names_file_line_and_field(tmp_path):
    path = plan_file(tmp_path, text=PLAN.replace("attrition: 20%", "attrition: -5%"))
    result = run(str(path), "--out", str(tmp_path / "o"))
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "-5%" in t)
    one_line_error(result, f"tiny.yaml:{line}", "attrition")


def test_an_out_that_is_a_file_is_one_line_error(tmp_path):
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    one_line_error(run(str(plan_file(tmp_path)), "--out", str(blocker)), "cannot write",
                   "--out DIR")


def test_check_judges_the_capacity_expectations(tmp_path):
    expect = textwrap.dedent("""\
        expect: ["hires_total <= 6", "min_weekly_coverage >= 0.0", "hires_total <= 5"]
        """)
    path = plan_file(tmp_path, expect=expect)
    result = runner.invoke(app, ["check", str(path)])
    # The given plan hires one class of 6 in both scenarios: the third line fails in each.
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert sum(line.startswith("FAIL") for line in lines) == 2
    assert sum(line.startswith("PASS") for line in lines) == 4
