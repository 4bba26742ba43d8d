"""The scenario file's ``capacity:`` block: its grammar, the values it gives, its errors.

Every file is written into ``tmp_path`` by the test that reads it. Expected values (weeks,
shares, FTE per head, the first Monday) are worked out by hand in the test; error tests pin
the message and check that it starts with ``<file>:<line>:<column>:``, the line counted in
the test from the YAML text.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from scenarios import InputFileError, load_scenarios
from scenarios.files import Scenario, scenario_json_schema

ROOT = Path(__file__).resolve().parents[2]

HEAD = (
    "horizon: {start: 2027-01-06, days: 7}\n"
    "pay: {hourly_rates: {agent: 20}}\n"
    "channels:\n"
    "  voice: {volume: {daily: 2400, profile: flat}, aht: 3m, target: 80% in 20s}\n"
    "  chat: {volume: {daily: 600, profile: flat}, aht: 6m, target: 80% in 60s, "
    "concurrency: 2}\n"
)


def _block(**lines: str) -> str:
    """A capacity block; keyword values replace its default lines by name."""
    parts = {
        "weeks": "  weeks: 26\n",
        "groups": ("  groups:\n"
                   "    phones:\n"
                   "      channels: [voice]\n"
                   "      headcount: 40\n"
                   "      attrition: 30%\n"
                   "      hiring: {training: 4w, graduate: 90%, min_class: 4, max_class: 12, "
                   "lead_time: 2w, every: 2w, cost_per_hire: 2500}\n"
                   "      classes: [{start: 2027-02-01, size: 10}]\n"
                   "    web:\n"
                   "      channels: [chat]\n"
                   "      headcount: [{tenure: 0w, heads: 2}, {tenure: 30w, heads: 8}]\n"
                   "      part_time: {share: 40%, fte: 0.5}\n"
                   "      attrition: {annual: 25%, first_weeks: [3%, 2%]}\n"
                   "      ramp: [60%, 80%]\n"
                   "      overtime: {limit: 5%, premium: 50%}\n"),
    }
    parts.update(lines)
    return "capacity:\n" + "".join(parts.values())


def _write(folder: Path, text: str, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _error(path: Path) -> str:
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    return str(info.value)


def test_the_block_reads_into_the_values_the_pipeline_plans_with(tmp_path):
    text = HEAD + _block(extra=(
        "  shrinkage:\n"
        "    annual_leave: {Jan: 6%, Feb-Jun: 8%, Jul-Aug: 15%, Sep-Nov: 8%, Dec: 14%}\n"
        "    public_holidays: {per_holiday: 7.5h}\n"
        "    sickness: 4%\n"
        "    meetings: {per_week: 1h}\n"
        "  events: [{name: letter, from: 2027-03-01, to: 2027-03-14, channel: voice, "
        "volume: +25%, aht: 4m}]\n"
        "  transfers: [{week: 10, from: phones, to: web, headcount: 3}]\n"
        "  risk: {probability: 90%, runs: 500}\n"
        "  budget: {by_month: {2027-01: 250000, 2027-02: 240000}}\n"))
    spec = Scenario.from_yaml(_write(tmp_path, text)).capacity
    assert spec is not None
    # Without start or history: the Monday of horizon.start's week (2027-01-06 is a Wednesday).
    assert spec.start == pd.Timestamp("2027-01-04")
    assert spec.n_weeks == 26 and spec.plan == "given"     # classes listed: given
    leave = spec.shrinkage["annual_leave"]
    assert [leave[m] for m in range(1, 13)] == [0.06, *[0.08] * 5, 0.15, 0.15, *[0.08] * 3, 0.14]
    assert spec.shrinkage["public_holidays"] == {"hours_per_holiday": 7.5}
    assert spec.shrinkage["meetings"] == {"hours_per_week": 1.0}
    assert spec.shrinkage["sickness"] == 0.04
    phones, web = spec.groups
    # 2027-02-01 is four weeks after 2027-01-04.
    assert phones.classes == ((4, 10),)
    assert phones.hiring.training_weeks == 4 and phones.hiring.every_weeks == 2
    assert phones.hiring.graduation_share == 0.9 and phones.fte_per_head == 1.0
    # 40% part-time at half time: 1 - 0.4 x 0.5 FTE per head.
    assert web.fte_per_head == pytest.approx(0.8)
    assert web.headcount == ((0, 2.0), (30, 8.0))
    assert web.attrition_annual == 0.25 and web.early_attrition_weekly == (0.03, 0.02)
    assert web.ramp == (0.6, 0.8) and web.overtime_limit_share == 0.05
    event = spec.events[0]
    assert (event.volume_change, event.aht_s) == (0.25, 240.0)
    assert spec.transfers == ((10, "phones", "web", 3.0),)
    assert (spec.risk_probability, spec.risk_runs) == (0.9, 500)
    assert spec.budget_by_month == {pd.Timestamp("2027-01-01"): 250000.0,
                                    pd.Timestamp("2027-02-01"): 240000.0}


def test_the_start_defaults_to_the_monday_after_the_history(tmp_path):
    days = pd.date_range("2024-01-01", "2026-03-11", freq="D")   # ends on a Wednesday
    pd.DataFrame({"channel": "voice", "date": days, "offered": 100}).to_csv(
        tmp_path / "hist.csv", index=False)
    text = (HEAD + _block(demand="  demand: {history: hist.csv}\n")).replace(
        "start: 2027-02-01", "start: 2")
    spec = Scenario.from_yaml(_write(tmp_path, text)).capacity
    # The last whole week ended on Sunday 2026-03-08: the forecast starts on Monday 03-09.
    assert spec.start == pd.Timestamp("2026-03-09")
    assert spec.history == (tmp_path / "hist.csv").resolve()


@pytest.mark.parametrize(("needle", "replace", "field", "rule"), [
    ("attrition: 30%", "attrition: -5%", r"capacity\.groups\.phones\.attrition",
     "share from 0% to 100%"),
    ("size: 10", "size: 14", r"capacity\.groups\.phones\.classes\[0\]\.size",
     r"at most hiring\.max_class \(12\), got 14\. Split the class"),
    ("training: 4w", "training: 30w", r"capacity\.groups\.phones\.hiring\.training",
     "not shorter than the plan's 26 weeks"),
    ("channels: [chat]", "channels: [chat, voice]",
     r"capacity\.groups\.web\.channels\[1\]", "'voice' is already in group 'phones'"),
    ("start: 2027-02-01", "start: 2027-02-02", r"capacity\.groups\.phones\.classes\[0\]\.start",
     r"must be a Monday.*Tuesday\)\. E\.g\. 2027-02-01"),
    ("start: 2027-02-01", "start: 2027-07-05", r"capacity\.groups\.phones\.classes\[0\]\.start",
     "outside the plan's 26 weeks"),
    ("min_class: 4", "min_class: 14", r"capacity\.groups\.phones\.hiring\.max_class",
     r"must be at least min_class \(14\)"),
    ("headcount: 40", "headcount: 40\n      hedcount: 3", r"capacity\.groups\.phones",
     "'hedcount' is not a known key \\(did you mean 'headcount'\\?\\)"),
])
def test_a_bad_value_is_named_with_its_line_and_the_fix(tmp_path, needle, replace, field, rule):
    text = (HEAD + _block()).replace(needle, replace)
    path = _write(tmp_path, text)
    message = _error(path)
    line = _line_of(text, replace.splitlines()[-1].strip().split(":")[0] + ":"
                    if "\n" in replace else replace)
    assert message.startswith(f"{path}:{line}:"), message
    assert re.search(field, message), message
    assert re.search(rule, message), message


def test_an_event_outside_the_weeks_is_refused_with_its_line(tmp_path):
    text = HEAD + _block(events="  events:\n    - {from: 2027-06-28, to: 2027-07-11, "
                                "channel: voice, volume: +10%}\n")
    path = _write(tmp_path, text)
    message = _error(path)
    # 26 weeks from 2027-01-04 end on Sunday 2027-07-04.
    assert message.startswith(f"{path}:{_line_of(text, '2027-06-28')}:"), message
    assert "capacity.events[0] runs 2027-06-28 to 2027-07-11, outside the plan's weeks " \
           "(2027-01-04 to 2027-07-04)" in message


@pytest.mark.parametrize(("lines", "needle", "rule"), [
    ({"shrinkage": "  shrinkage: {leave: {Jan-Jun: 8%, Aug-Dec: 9%}}\n"}, "shrinkage",
     "capacity.shrinkage.leave gives no share for Jul; a month left out is not read as 0"),
    ({"weeks": "  weeks: 100\n"}, "weeks: 100", "capacity.weeks must be less than or equal "
     "to 78"),
    ({"start": "  start: 2027-01-05\n"}, "start: 2027-01-05", "must be a Monday"),
    ({"budget": "  budget: {by_month: {January: 5}}\n"}, "budget", "must be a month written "
     "YYYY-MM"),
    ({"plan": "  plan: optimise\n"}, "plan: optimise", "optimise plans the classes itself"),
    ({"budget": "  budget: {by_month: {2027-12: 5}}\n"}, "budget", "by_month.2027-12 is outside "
     "the plan (2027-01-04 to 2027-07-04); a budget for it would be left out"),
    ({"transfers": "  transfers: [{week: 3, from: phones, to: mail, headcount: 2}]\n"},
     "transfers", "'mail' is not a group of the plan"),
    ({"events": "  events: [{from: 2027-02-01, to: 2027-02-03, channel: fax, volume: 5%}]\n"},
     "events", "'fax' is not a channel of the scenario"),
    ({"events": "  events: [{from: 2027-02-01, to: 2027-02-03, channel: voice, "
                "volume: -120%}]\n"}, "events", "must be a change above -100%"),
])
def test_the_cross_field_rules(tmp_path, lines, needle, rule):
    text = HEAD + _block(**lines)
    path = _write(tmp_path, text)
    message = _error(path)
    assert message.startswith(f"{path}:{_line_of(text, needle)}:"), message
    assert rule in message, message


def test_a_channel_without_a_group_and_a_short_horizon_are_refused(tmp_path):
    text = HEAD + _block().replace("      channels: [chat]\n", "      channels: [voice]\n")
    message = _error(_write(tmp_path, text))
    assert "'voice' is already in group 'phones'" in message
    text = (HEAD + _block()).replace("days: 7", "days: 3")
    message = _error(_write(tmp_path, text))
    assert "horizon.days must be at least 7 with capacity:" in message


def test_variants_and_sweeps_change_the_block_like_any_field(tmp_path):
    text = HEAD + _block() + (
        "variants:\n"
        "  churn: {capacity: {groups: {phones: {attrition: 45%}}}}\n"
        "sweep:\n"
        "  capacity.groups.phones.hiring.max_class: [10, 16]\n")
    base, churn, *points = load_scenarios(_write(tmp_path, text))
    assert base.capacity.groups[0].attrition_annual == 0.3
    assert churn.capacity.groups[0].attrition_annual == 0.45
    # the rest of the group stays as the base wrote it
    assert churn.capacity.groups[0].classes == ((4, 10),)
    assert churn.capacity.groups[1] == base.capacity.groups[1]
    assert [p.capacity.groups[0].hiring.max_class_size for p in points] == [10, 16]
    assert [p.label for p in points] == ["max_class=10", "max_class=16"]


def test_a_sweep_point_that_breaks_a_rule_names_the_sweep(tmp_path):
    text = HEAD + _block() + "sweep:\n  capacity.groups.phones.hiring.max_class: [8, 16]\n"
    path = _write(tmp_path, text)
    message = _error(path)
    assert message.startswith(f"{path}:{_line_of(text, 'max_class: [8')}:"), message
    assert "sweep point" in message and "at most hiring.max_class (8), got 10" in message


def test_the_schema_and_the_docs_cover_every_key():
    schema = scenario_json_schema()
    assert "capacity" in schema["properties"]
    defs = schema["$defs"]
    keys: set[str] = set()
    for name in ("CapacitySection", "_Demand", "_Event", "_PerHoliday", "_PerWeek", "_TenureBand",
                 "_PartTime", "_Attrition", "_Overtime", "_Hiring", "_Class", "_CapacityGroup",
                 "_CapacityTransfer", "_Risk", "_CapacityBudget"):
        keys |= set(defs[name]["properties"])
    assert {"from", "to", "per_holiday", "first_weeks", "lead_time"} <= keys
    docs = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    missing = sorted(k for k in keys if not re.search(rf"\b{k}:", docs))
    assert missing == [], f"docs/scenarios.md does not show {missing}"


def test_dates_are_days_of_the_calendar(tmp_path):
    # A class given by week number and one by date land in the same week.
    text = (HEAD + _block()).replace("classes: [{start: 2027-02-01, size: 10}]",
                                     "classes: [{start: 4, size: 10}, {start: 2027-02-15, "
                                     "size: 5}]")
    spec = Scenario.from_yaml(_write(tmp_path, text)).capacity
    assert spec.groups[0].classes == ((4, 10), (6, 5))
    assert spec.start.date() + dt.timedelta(weeks=6) == dt.date(2027, 2, 15)


def test_risk_runs_need_whole_agents(tmp_path):
    text = (HEAD + _block(risk="  risk: {probability: 90%}\n")).replace("headcount: 40",
                                                                         "headcount: 40.5")
    path = _write(tmp_path, text)
    message = _error(path)
    assert message.startswith(f"{path}:{_line_of(text, 'headcount: 40.5')}:"), message
    assert "capacity.groups.phones.headcount must be a whole number of agents with risk:, " \
           "got 40.5" in message


def test_the_dashboards_overrides_reach_the_block(tmp_path):
    path = _write(tmp_path, HEAD + _block())
    (scn,) = load_scenarios(path, variants=False, overrides={
        "capacity.groups.phones.attrition": "45%", "capacity.demand.growth": "5%",
        "capacity.groups.phones.hiring.max_class": 15})
    assert scn.capacity.groups[0].attrition_annual == 0.45
    assert scn.capacity.growth == 0.05
    assert scn.capacity.groups[0].hiring.max_class_size == 15


def test_a_sweep_over_a_class_size(tmp_path):
    text = HEAD + _block() + ("sweep:\n  capacity.groups.phones.classes: "
                              "[[{start: 4, size: 8}], [{start: 4, size: 12}]]\n")
    base, *points = load_scenarios(_write(tmp_path, text))
    assert base.capacity.groups[0].classes == ((4, 10),)
    assert [p.capacity.groups[0].classes for p in points] == [((4, 8),), ((4, 12),)]
