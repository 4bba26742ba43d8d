"""`ccplan schedule` and `ccplan cost`: outputs, hand-checked totals and one-line errors."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.files import read_shift_rules
from scenarios.files.schedules import read_schedule_dir
from staffing import schedule_shifts
from tests.scenarios.cli_histories import one_line_error

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios/examples/schedule"
runner = CliRunner()
FILES = ("shifts.csv", "breaks.csv", "tours.csv", "coverage.csv", "costs.csv", "summary.json")

# 4-hour shifts starting 08:00-12:00 on the hour; 20 per hour; the night starts at 14:00 here
# (a made-up window, so that the premium is exercised) with +50%.
RULES_4H = """\
templates:
  - {name: four, length: 4h, start: {earliest: "08:00", latest: "12:00", step: 1h}}
rules: {time_limit_s: 5}
pay: {hourly_rates: {agent: 20}}
"""
# A 6-hour shift with a one-hour unpaid break 2h-3h in, and a night premium from 14:00.
RULES_BREAK = """\
templates:
  - name: six
    length: 6h
    start: {earliest: "08:00", latest: "10:00", step: 1h}
    breaks: [{name: lunch, duration: 1h, window: [2h, 3h]}]
rules: {time_limit_s: 5}
pay: {hourly_rates: {agent: 20}, night_premium: 0.5, night: {start: "14:00", end: "06:00"}}
"""


def _requirements(tmp_path, agents, start="2026-01-05 08:00", name="req.csv"):
    path = tmp_path / name
    pd.DataFrame({"channel": "voice",
                  "interval_start": pd.date_range(start, periods=len(agents), freq="h"),
                  "agents_required": agents}).to_csv(path, index=False)
    return path


def _rules(tmp_path, text, name="rules.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _schedule(tmp_path, agents, rules_text, *extra):
    req = _requirements(tmp_path, agents)
    rules = _rules(tmp_path, rules_text)
    out = tmp_path / "out"
    result = runner.invoke(app, ["schedule", str(req), "--rules", str(rules), "--interval-s",
                                 "3600", "--out", str(out), *extra])
    return result, out


def test_hand_solved_instance_and_summary_line(tmp_path):
    # Needs 2,3,3,3,3,3,3,1 over 08:00-16:00 = 21 agent-hours; a 4-hour shift gives 4, so at
    # least ceil(21 / 4) = 6 shifts (480 at 20 per hour); six suffice: 3 at 08:00 (one of them
    # is not needed at 08:00 but is needed 09:00-11:00), 3 at 12:00.
    result, out = _schedule(tmp_path, [2, 3, 3, 3, 3, 3, 3, 1], RULES_4H)
    assert result.exit_code == 0, result.output
    for name in FILES:
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["cost"] == pytest.approx(480.0)
    assert summary["paid_hours"] == pytest.approx(24.0)
    assert summary["under_agent_intervals"] == 0
    assert summary["time_limit_s"] == 5
    assert summary["inputs"]["rules_sha256"]
    assert "Solver: optimal within" in result.stdout
    assert "time limit 5 s" in result.stdout
    for label in ("MIP gap reached", "time limit", "runtime", "cost", "headcount", "FTE",
                  "paid hours", "agent-intervals short", "agent-intervals over"):
        assert label in result.stdout, label


def test_time_limit_option_overrides_the_file(tmp_path):
    result, out = _schedule(tmp_path, [1, 1, 1, 1], RULES_4H, "--time-limit", "7")
    assert result.exit_code == 0, result.output
    assert json.loads((out / "summary.json").read_text())["time_limit_s"] == 7
    assert "time limit 7 s" in result.stdout


def test_tables_agree_with_a_recount_from_shifts_and_breaks(tmp_path):
    agents = [2, 3, 4, 4, 3, 4, 4, 3, 2, 1]  # 08:00-18:00
    result, out = _schedule(tmp_path, agents, RULES_BREAK)
    assert result.exit_code == 0, result.output
    shifts = pd.read_csv(out / "shifts.csv", parse_dates=["shift_start"])
    breaks = pd.read_csv(out / "breaks.csv", parse_dates=["break_start"])
    coverage = pd.read_csv(out / "coverage.csv", parse_dates=["interval_start"])
    costs = pd.read_csv(out / "costs.csv", parse_dates=["interval_start"])
    summary = json.loads((out / "summary.json").read_text())
    hours = pd.date_range("2026-01-05 08:00", periods=len(agents), freq="h")
    on_duty = np.zeros(len(hours), int)
    paid = np.zeros(len(hours), int)
    for row in shifts.itertuples():
        inside = (hours >= row.shift_start) & (hours < row.shift_start
                                                + pd.Timedelta(seconds=row.duration_s))
        on_duty += row.headcount * inside
        paid += row.headcount * inside
    assert (breaks.groupby("shift_id")["headcount"].sum()
            == shifts.set_index("shift_id")["headcount"]).all()  # one lunch per agent
    for row in breaks.itertuples():
        start = shifts.set_index("shift_id").loc[row.shift_id, "shift_start"]
        offset_h = (row.break_start - start).total_seconds() / 3600
        assert 2 <= offset_h <= 3  # inside the window
        inside = (hours >= row.break_start) & (hours < row.break_start
                                                + pd.Timedelta(seconds=row.duration_s))
        on_duty -= row.headcount * inside
        paid -= row.headcount * inside  # unpaid
    assert coverage["agents_scheduled"].tolist() == on_duty.tolist()
    assert (on_duty >= np.array(agents)).all() == (summary["under_agent_intervals"] == 0)
    assert costs["agents_paid"].tolist() == paid.tolist()
    # 20 per paid hour, +50% from 14:00 (the night window 14:00-06:00).
    rate = np.where(hours.hour >= 14, 30.0, 20.0)
    assert costs["cost"].to_numpy() == pytest.approx(paid * rate)
    assert summary["cost"] == pytest.approx(float((paid * rate).sum()))
    assert summary["paid_hours"] == pytest.approx(float(paid.sum()))
    assert summary["paid_hours"] == pytest.approx((shifts["headcount"] * shifts["paid_s"]).sum()
                                                  / 3600)


def test_schedule_folder_reads_back_as_the_same_schedule(tmp_path):
    agents = [2, 3, 4, 4, 3, 4, 4, 3, 2, 1]
    result, out = _schedule(tmp_path, agents, RULES_BREAK)
    assert result.exit_code == 0, result.output
    back, inputs = read_schedule_dir(out)
    found = read_shift_rules(tmp_path / "rules.yaml")
    table = pd.read_csv(tmp_path / "req.csv", parse_dates=["interval_start"])
    direct = schedule_shifts(table, found.templates, interval_s=3600, rules=found.rules,
                             rates=found.rates)
    for name in ("shifts", "breaks", "tours", "coverage", "costs"):
        pd.testing.assert_frame_equal(getattr(back, name), getattr(direct, name),
                                      check_dtype=False, check_index_type=False)
    assert back.summary["cost"] == pytest.approx(direct.summary["cost"])
    assert inputs["interval_s"] == 3600


@pytest.mark.slow
def test_bundled_example_solves_and_prices(tmp_path):
    out = tmp_path / "sched"
    result = runner.invoke(app, ["schedule", str(EXAMPLE / "requirements.csv"), "--rules",
                                 str(EXAMPLE / "rules.yaml"), "--interval-s", "3600", "--out",
                                 str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "optimal"
    costs = pd.read_csv(out / "costs.csv")
    assert summary["cost"] == pytest.approx(costs["cost"].sum())
    cost_out = tmp_path / "cost"
    result = runner.invoke(app, ["cost", str(out), "--forecast", str(EXAMPLE / "forecast.csv"),
                                 "--out", str(cost_out)])
    assert result.exit_code == 0, result.output
    assert "Cost per contact by channel" in result.stdout
    assert "Finance breakdown" in result.stdout
    by_channel = pd.read_csv(cost_out / "cost_by_channel.csv")
    offered = pd.read_csv(EXAMPLE / "forecast.csv")["offered"].sum()
    (row,) = by_channel.itertuples()
    assert row.cost == pytest.approx(summary["cost"])
    assert row.cost_per_offered == pytest.approx(summary["cost"] / offered)
    breakdown = pd.read_csv(cost_out / "cost_breakdown.csv")
    uses = breakdown[(breakdown["view"] == "use") & (breakdown["item"] != "total")]
    assert uses["cost"].sum() == pytest.approx(summary["cost"])
    for name in ("cost_by_interval.csv", "cost_by_day.csv", "cost_by_week.csv",
                 "cost_annual.csv", "cost_summary.json"):
        assert (cost_out / name).is_file(), name


def test_cost_by_hand_on_a_tiny_schedule(tmp_path):
    # 1 agent 08:00-12:00 at 20 per hour = 80; 10 contacts offered: 8 per offered contact.
    result, out = _schedule(tmp_path, [1, 1, 1, 1], RULES_4H)
    assert result.exit_code == 0, result.output
    forecast = tmp_path / "fc.csv"
    pd.DataFrame({"channel": "voice", "interval_start": pd.date_range(
        "2026-01-05 07:00", periods=6, freq="h"), "offered": [5, 4, 3, 2, 1, 7],
        "aht_s": 300.0}).to_csv(forecast, index=False)  # 07:00 and 12:00 are outside
    result = runner.invoke(app, ["cost", str(out), "--forecast", str(forecast)])
    assert result.exit_code == 0, result.output
    assert "left out 2 rows outside the schedule's horizon" in result.stderr
    assert "80.00 EUR over the horizon" in result.stdout  # a rules file without currency: EUR
    assert "8.00 EUR per offered contact" in result.stdout


def test_cost_prints_every_amount_with_the_rules_file_currency(tmp_path):
    # The same hand-priced day as above, in pounds: 1 agent 08:00-12:00 at 20 per hour = 80.
    result, out = _schedule(tmp_path, [1, 1, 1, 1], "currency: GBP\n" + RULES_4H)
    assert result.exit_code == 0, result.output
    assert "80.00 GBP" in result.stdout  # the schedule's summary table
    assert json.loads((out / "summary.json").read_text())["inputs"]["currency"] == "GBP"
    forecast = tmp_path / "fc.csv"
    pd.DataFrame({"channel": "voice", "interval_start": pd.date_range(
        "2026-01-05 08:00", periods=4, freq="h"), "offered": [5, 4, 3, 8],
        "aht_s": 300.0}).to_csv(forecast, index=False)
    cost_out = tmp_path / "cost"
    result = runner.invoke(app, ["cost", str(out), "--forecast", str(forecast),
                                 "--out", str(cost_out)])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "EUR" not in text
    assert "80.00 GBP over the horizon" in text
    assert "4.00 GBP per offered contact" in text  # 80 / 20 contacts
    for header in ("cost GBP", "idle cost GBP", "per offered GBP", "per handled GBP",
                   "per year GBP"):
        assert header in " ".join(text.split()), header
    # Every amount (two decimals) sits in a row or line that names the currency: the table
    # rows carry it in their column header, which is checked above; the sentence does per
    # amount.
    sentence = next(line for line in text.splitlines() if line.startswith("Total"))
    amounts = re.findall(r"\d[\d,]*\.\d\d(?! GBP)", sentence)
    assert amounts == [], sentence
    assert json.loads((cost_out / "cost_summary.json").read_text())["currency"] == "GBP"


def test_cost_of_a_folder_without_currency_says_how_to_fix_it(tmp_path):
    result, out = _schedule(tmp_path, [1, 1, 1, 1], RULES_4H)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    del summary["inputs"]["currency"]
    (out / "summary.json").write_text(json.dumps(summary))
    result = runner.invoke(app, ["cost", str(out), "--forecast", "x.csv"])
    assert result.exit_code == 2
    assert "inputs.currency is missing" in result.output
    assert "ccplan schedule --out" in result.output


@pytest.mark.parametrize(("make", "needles"), [
    (lambda p: (p / "nope.csv", RULES_4H), ["nope.csv: no such file"]),
    (lambda p: (_write(p, "interval_start,agents\n2026-01-05 08:00,1\n"), RULES_4H),
     ["req.csv: no column 'agents_required'", "found: interval_start, agents"]),
    (lambda p: (_write(p, "interval_start,agents_required\n2026-01-05 08:00,1\nlater,2\n"),
                RULES_4H), ["req.csv: row 3 column 'interval_start' is not a time: 'later'"]),
    (lambda p: (_write(p, "interval_start,agents_required\n2026-01-05 08:00,1\n"
                          "2026-01-05 09:00,-2\n"), RULES_4H),
     ["req.csv: row 3 column 'agents_required' must be a whole number of agents >= 0, "
      "got '-2'"]),
    (lambda p: (_write(p, "interval_start,agents_required\n2026-01-05 08:00,1\n"
                          "2026-01-05 09:00,\n"), RULES_4H),
     ["req.csv: row 3 column 'agents_required' is empty", "never read as zero"]),
    (lambda p: (_requirements(p, [1, 1, 1, 1]), RULES_4H.replace("4h,", "4h30m,")),
     ["rules.yaml:2: shift template 'four': length_s = 16200 s is not a whole number of "
      "3600-second intervals"]),
    (lambda p: (_requirements(p, [1, 1, 1, 1]), RULES_4H.replace("step: 1h", "step: 1j")),
     ["rules.yaml:2:", "templates[0].start.step must be a duration", "got '1j'"]),
    (lambda p: (_requirements(p, [3, 3, 3, 3]),
                RULES_4H.replace("rules: {", "rules: {coverage: hard, max_total_headcount: 1, ")),
     ["rules.yaml with", "req.csv", "no schedule meets all the rules together",
      "max_total_headcount=1"]),
    (lambda p: (_requirements(p, [1, 1, 1, 1], start="2026-01-05 23:00"), RULES_4H),
     ["rules.yaml:2: shift template 'four': no start between 08:00 and 12:00"]),
])
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, make, needles):
    req, rules_text = make(tmp_path)
    rules = _rules(tmp_path, rules_text)
    result = runner.invoke(app, ["schedule", str(req), "--rules", str(rules),
                                 "--interval-s", "3600"])
    one_line_error(result, *[n.replace("req.csv", str(req)).replace("rules.yaml",
                                                                    str(rules))
                             for n in needles])


def _write(tmp_path, text, name="req.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_wrong_interval_length_names_the_file_and_option(tmp_path):
    req = _requirements(tmp_path, [1, 1, 1, 1])
    rules = _rules(tmp_path, RULES_4H)
    result = runner.invoke(app, ["schedule", str(req), "--rules", str(rules)])  # 1800 default
    one_line_error(result, str(req), "not consecutive 1800-second intervals", "--interval.")


@pytest.mark.parametrize(("args", "needle"), [
    (["--interval-s", "0"], "--interval must be > 0 seconds, got 0"),
    (["--interval-s", "3600", "--time-limit", "0"], "--time-limit must be > 0 seconds, got 0"),
])
def test_bad_options(tmp_path, args, needle):
    req = _requirements(tmp_path, [1, 1, 1, 1])
    rules = _rules(tmp_path, RULES_4H)
    result = runner.invoke(app, ["schedule", str(req), "--rules", str(rules), *args])
    one_line_error(result, needle)


def test_cost_errors_are_one_line(tmp_path):
    result = runner.invoke(app, ["cost", str(tmp_path / "none"), "--forecast", "x.csv"])
    one_line_error(result, "none: no such folder")
    result, out = _schedule(tmp_path, [1, 1, 1, 1], RULES_4H)
    (out / "breaks.csv").unlink()
    result = runner.invoke(app, ["cost", str(out), "--forecast", "x.csv"])
    one_line_error(result, "breaks.csv: missing")
    result, out = _schedule(tmp_path, [1, 1, 1, 1], RULES_4H)
    short = _write(tmp_path, "interval_start,offered,aht_s\n2026-01-05 08:00,3,200\n", "fc.csv")
    result = runner.invoke(app, ["cost", str(out), "--forecast", str(short)])
    one_line_error(result, str(out), str(short), "'workload' has no row for channel 'voice'")
