"""The shift rules YAML: values mapped to staffing's dataclasses, and one-line errors."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from scenarios import InputFileError
from scenarios.files import read_shift_rules
from scenarios.files.units import parse_days, parse_duration, parse_time
from staffing import schedule_shifts
from staffing.errors import InvalidParameterError
from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios/examples/schedule/rules.yaml"

FULL = """\
templates:
  - name: FT8
    length: 8h30m
    start: {earliest: 7:00, latest: "11:00", step: 30m}
    breaks:
      - {name: lunch, duration: 30m, window: [3h, 5h]}
      - {name: tea, duration: 15m, window: [5h30m, 7h], paid: true}
    days: Mon-Fri
    days_per_week: 5
    consecutive_days_off: false
    agent_type: senior
    min_headcount: 2
    max_headcount: 40
  - name: PT4
    length: 14400
    start: "17:00"
    days: [Sat, sunday]
    part_time: true
    hourly_rate: 18.5
    channels: chat
rules:
  coverage: hard
  under_penalty: 150
  blend: false
  shrinkage: 0.15
  min_agents_on_duty: 1
  max_total_headcount: 60
  max_part_time_share: 0.4
  min_part_time_share: 0.1
  wrap_around: true
  contracted_hours_per_week: 40
  time_limit_s: 2m
  mip_rel_gap: 0.01
pay:
  hourly_rates: {agent: 20, senior: 26}
  overhead_per_paid_hour: 8
  night_premium: 0.25
  night: {start: "21:00", end: "24:00"}
  weekend_premium: 0.5
  weekend_days: Fri-Sat
  holiday_premium: 1
  holidays: [2026-12-25, 2026-01-01]
"""


def _write(tmp_path, text, name="rules.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_full_file_maps_to_the_dataclasses(tmp_path):
    found = read_shift_rules(_write(tmp_path, FULL))
    h, m = 3600.0, 60.0
    assert found.templates == (
        ShiftTemplate("FT8", 8 * h + 30 * m, 7 * h, 11 * h, start_step_s=30 * m,
                      breaks=(BreakRule("lunch", 30 * m, 3 * h, 5 * h, is_paid=False),
                              BreakRule("tea", 15 * m, 5 * h + 30 * m, 7 * h, is_paid=True)),
                      days=(0, 1, 2, 3, 4), days_per_week=5, consecutive_days_off=False,
                      agent_type="senior", min_headcount=2, max_headcount=40),
        # A single start: the step is moot (the template's length, which is on the grid).
        ShiftTemplate("PT4", 4 * h, 17 * h, 17 * h, start_step_s=4 * h, days=(5, 6),
                      is_part_time=True, hourly_rate=18.5, channels=("chat",)),
    )
    assert found.rules == ScheduleRules(
        coverage="hard", under_penalty=150, blend=False, shrinkage=0.15, min_agents_on_duty=1,
        max_total_headcount=60, max_part_time_share=0.4, min_part_time_share=0.1,
        wrap_around=True, contracted_hours_per_week=40, time_limit_s=120, mip_rel_gap=0.01)
    assert found.rates == PayRates(
        hourly_rates={"agent": 20, "senior": 26}, overhead_per_paid_hour=8, night_premium=0.25,
        night_start_s=21 * h, night_end_s=24 * h, weekend_premium=0.5, weekend_days=(4, 5),
        holiday_premium=1, holidays=(dt.date(2026, 1, 1), dt.date(2026, 12, 25)))
    assert found.template_lines == {"FT8": 2, "PT4": 14}


def test_minimal_file_takes_the_staffing_defaults(tmp_path):
    found = read_shift_rules(_write(tmp_path, "templates:\n  - {name: A, length: 8h, "
                                              "start: {earliest: '08:00', latest: '10:00'}}\n"))
    assert found.templates == (ShiftTemplate("A", 8 * 3600.0, 8 * 3600.0, 10 * 3600.0),)
    assert found.rules == ScheduleRules()
    assert found.rates == PayRates()


@pytest.mark.parametrize(("text", "seconds"), [
    ("8h30m", 30600), ("30m", 1800), ("45s", 45), ("1.5h", 5400), ("2h 15m", 8100),
    (900, 900), ("90 min", 5400)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("text", "seconds"), [("07:00", 25200), ("7:00", 25200),
                                               ("23:30", 84600), ("00:00:30", 30), (3600, 3600)])
def test_times_of_day(text, seconds):
    assert parse_time(text) == seconds


@pytest.mark.parametrize(("text", "days"), [
    ("Mon-Fri", (0, 1, 2, 3, 4)), ("Sat-Sun", (5, 6)), ("Fri-Mon", (0, 4, 5, 6)),
    ("all", tuple(range(7))), (["Mon", "Wed", "friday"], (0, 2, 4)), ("Sun", (6,)),
    (["Mon-Tue", "Thu"], (0, 1, 3)), ("Mon,Wed", (0, 2))])
def test_days(text, days):
    assert parse_days(text) == days


def test_unquoted_clock_time_is_a_time_not_base_60(tmp_path):
    # YAML 1.1 reads 22:00 as 22 * 60 + 0 = 1320; the file means 22:00.
    found = read_shift_rules(_write(tmp_path, "templates:\n  - {name: A, length: 2h, "
                                              "start: 22:00}\npay: {night: {start: 21:00}}\n"))
    assert found.templates[0].earliest_start_s == 22 * 3600
    assert found.rates.night_start_s == 21 * 3600


def test_country_holidays_for_the_years_asked(tmp_path):
    path = _write(tmp_path, "templates: [{name: A, length: 8h, start: '08:00'}]\n"
                            "pay: {holidays: {country: FR, dates: [2026-06-02]}}\n")
    holidays = read_shift_rules(path, years=[2026]).rates.holidays
    # Bastille Day and Christmas are French public holidays every year; the listed date is kept.
    for day in (dt.date(2026, 7, 14), dt.date(2026, 12, 25), dt.date(2026, 6, 2)):
        assert day in holidays
    assert all(d.year == 2026 for d in holidays)
    with pytest.raises(InputFileError, match=r"rules.yaml:2:\d+: pay.holidays.country 'FR' "
                                             "needs the years"):
        read_shift_rules(path)


def test_bundled_example_reads():
    found = read_shift_rules(EXAMPLE, years=[1999])
    assert [t.name for t in found.templates] == ["day", "evening", "friday", "part_time"]
    assert found.rates.night_premium == 0.25
    assert found.rates.weekend_days == (4, 5)


TEMPLATE = "templates:\n  - {name: A, length: 8h, start: '07:00'%s}\n"


@pytest.mark.parametrize(("text", "needles"), [
    # YAML syntax: line and column of the problem.
    ("templates:\n  - {name: A, length: 8h\n", ["rules.yaml:3:1:", "not valid YAML"]),
    ("templates: [\n", ["rules.yaml:2:1:", "not valid YAML"]),
    ("", ["rules.yaml: the file is empty", "templates"]),
    ("- a\n- b\n", ["rules.yaml:1:1:", "must be a mapping"]),
    ("templates: []\n", ["rules.yaml:1:12:", "templates must list at least one", "got []"]),
    (TEMPLATE % ", lenght: 9h", ["rules.yaml:2:43:", "templates[0]:", "'lenght' is not a known "
                                 "key (did you mean 'length'?)", "allowed here: name, length"]),
    ("templates:\n  - {name: A, start: '07:00'}\n",
     ["rules.yaml:2:5:", "templates[0] has no 'length'", "e.g. length: 8h30m"]),
    ("templates:\n  - {name: A, length: 8x, start: '07:00'}\n",
     ["rules.yaml:2:23:", "templates[0].length must be a duration", "got '8x'"]),
    ("templates:\n  - {name: A, length: 8h, start: '25:00'}\n",
     ["rules.yaml:2:34:", "templates[0].start must be a time of day", "got '25:00'"]),
    (TEMPLATE % ", days: Mon-Fry", ["rules.yaml:2:49:", "templates[0].days has an unknown day "
                                    "'Fry'", "got 'Mon-Fry'"]),
    (TEMPLATE % ", days: [0, 1]", ["templates[0].days must be day names", "got [0, 1]"]),
    (TEMPLATE % ", breaks: [{name: l, duration: 30m, window: [7h, 8h]}]",
     ["rules.yaml:2:85:", "templates[0].breaks[0].window lets break 'l' start 8h",
      "after the 8h shift ends", "got [7h, 8h]", "at most 7h30m"]),
    (TEMPLATE % ", breaks: [{name: l, duration: 30m, window: 3h}]",
     ["templates[0].breaks[0].window must be two durations", "got '3h'", "window: [3h, 5h]"]),
    (TEMPLATE % ", breaks: [{name: l, duration: 30m, window: [2h]}]",
     ["templates[0].breaks[0].window must be two durations", "got [2h]"]),
    (TEMPLATE % ", breaks: [{name: a, duration: 1h, window: [2h, 4h]}, {name: b, duration: 15m,"
     " window: [4h, 6h]}]", ["templates[0].breaks[1].window opens 4h into the shift",
                             "before break 'a' can end (5h)", "got [4h, 6h]"]),
    (TEMPLATE % ", breaks: [{name: l, duration: 30m, window: [4h, 2h]}]",
     ["templates[0].breaks[0].window must be [earliest, latest]", "got [4h, 2h]"]),
    (TEMPLATE % ", min_headcount: -1", ["templates[0].min_headcount must be greater than or "
                                        "equal to 0", "got '-1'"]),
    (TEMPLATE % ", min_headcount: 5, max_headcount: 2", ["templates[0].max_headcount (2) is "
                                                         "below min_headcount (5)"]),
    (TEMPLATE % ", days_per_week: 2.5", ["templates[0].days_per_week must be a whole number",
                                         "got '2.5'"]),
    (TEMPLATE % ", days: Sat-Sun, days_per_week: 5",
     ["templates[0].days_per_week is 5 but days allows only 2 (Sat, Sun)"]),
    (TEMPLATE % ", agent_type: senior", ["templates[0].agent_type 'senior' has no rate in "
                                         "pay.hourly_rates (known: agent)"]),
    (TEMPLATE % ", part_time: maybe", ["templates[0].part_time must be true or false",
                                       "got 'maybe'"]),
    ("templates:\n  - {name: A, length: 8h, start: {earliest: '07:00', latest: '06:00'}}\n",
     ["templates[0].start.latest 06:00 is before start.earliest 07:00"]),
    ("templates:\n  - {name: A, length: 8h, start: '07:00'}\n  - {name: A, length: 4h, "
     "start: '08:00'}\n", ["rules.yaml:3:12:", "templates[1].name 'A' is already the name of "
                           "templates[0]"]),
    ("templates:\n  - name: A\n    name: B\n", ["rules.yaml:3:5:", "templates[0].name is given "
                                               "twice (first on line 2)"]),
    ("x: 1\n" + TEMPLATE % "", ["rules.yaml:1:1:", "the top level: 'x' is not a known key",
                                "allowed here: templates, rules, pay, currency"]),
    ("rules: {shrinkage: 15}\n" + TEMPLATE % "",
     ["rules.yaml:1:20:", "rules.shrinkage must be less than 1", "got '15'", "0.15"]),
    ("rules: {coverage: full}\n" + TEMPLATE % "",
     ["rules.yaml:1:19:", "rules.coverage must be one of 'soft', 'hard'", "got 'full'"]),
    ("rules: {min_part_time_share: 0.5, max_part_time_share: 0.2}\n" + TEMPLATE % "",
     ["rules.min_part_time_share (0.5) is above max_part_time_share (0.2)"]),
    ("rules: {time_limit_s: 0}\n" + TEMPLATE % "", ["rules.time_limit_s must be greater than 0",
                                                    "got '0'"]),
    ("pay: {holidays: [2026-13-01]}\n" + TEMPLATE % "",
     ["rules.yaml:1:18:", "pay.holidays[0] must be a date", "got '2026-13-01'"]),
    ("pay: {holidays: {country: XX}}\n" + TEMPLATE % "",
     ["rules.yaml:1:27:", "pay.holidays.country 'XX' is not a country"]),
    ("pay: {night: {start: '22:00', end: '25:00'}}\n" + TEMPLATE % "",
     ["pay.night.end must be a time of day from 00:00 to 24:00", "got '25:00'"]),
    ("pay: {hourly_rates: {agent: -3}}\n" + TEMPLATE % "",
     ["pay.hourly_rates.agent must be greater than or equal to 0", "got '-3'"]),
    ("pay: {night_premium: 25%}\n" + TEMPLATE % "", ["pay.night_premium must be a number",
                                                     "got '25%'"]),
])
def test_bad_input_names_file_line_field_and_value(tmp_path, text, needles):
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        read_shift_rules(path, years=[2026])
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path)), message
    for needle in needles:
        assert needle.replace("rules.yaml", str(path)) in message, (needle, message)


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        read_shift_rules(tmp_path / "nope.yaml")


def test_staffing_error_is_reported_against_the_file_and_template_line(tmp_path):
    path = _write(tmp_path, "templates:\n  - {name: A, length: 4h, start: '08:00'}\n"
                            "  - {name: B, length: 4h30m, start: '08:00'}\n")
    found = read_shift_rules(path)
    req = pd.DataFrame({"channel": "voice", "interval_start": pd.date_range(
        "2026-01-05 08:00", periods=8, freq="h"), "agents_required": 1})
    with pytest.raises(InvalidParameterError) as info:
        schedule_shifts(req, found.templates, interval_s=3600, rules=found.rules,
                        rates=found.rates)
    err = found.error_in_file(info.value)
    assert isinstance(err, InputFileError)
    assert str(err).startswith(f"{path}:3: shift template 'B': length_s = 16200 s")
