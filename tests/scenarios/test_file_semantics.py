"""Scenario files whose values are valid YAML and valid types but ask something odd.

Each case of issue 14, section 3 that is about what a file means rather than how it
is parsed: a clock change at local midnight, dates far from now, a missing pay rate,
a zero budget, work too large to run, a channel that is never open. Each either runs
correctly (checked against a hand calculation) or is refused at load with an
``InputFileError`` naming the file, line, field, value and fix; ``ccplan run`` then
prints that one line and exits 2.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zoneinfo
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from scenarios import InputFileError, load_scenarios, run_scenario
from scenarios.cli import app

runner = CliRunner()

CAIRO = zoneinfo.ZoneInfo("Africa/Cairo")


def _write(folder: Path, text: str, name: str = "s.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _assert_at(message: str, path: Path, line: int) -> None:
    prefix = re.compile(rf"^{re.escape(str(path.resolve()))}:{line}:\d+: ")
    assert prefix.match(message), f"expected {path.name}:{line}:<col>: at the start of {message!r}"


def _cli_error(path: Path) -> str:
    """``ccplan run`` on the file: exit code 2 and one line of error, returned."""
    result = runner.invoke(app, ["run", str(path), "--out", str(path.parent / "out")])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def _erlang_c_service_level(load_erl: float, n_agents: int, within_s: float,
                            aht_s: float) -> float:
    """Erlang C's service level from the textbook formula (Erlang B recursion, then C)."""
    b = 1.0
    for k in range(1, n_agents + 1):
        b = load_erl * b / (k + load_erl * b)
    c = n_agents * b / (n_agents - load_erl * (1.0 - b))
    return 1.0 - c * math.exp(-(n_agents - load_erl) * within_s / aht_s)


def _agents_for(load_erl: float, target: float, within_s: float, aht_s: float) -> int:
    n = int(math.floor(load_erl)) + 1
    while _erlang_c_service_level(load_erl, n, within_s, aht_s) < target:
        n += 1
    return n


# ---------------------------------------------------------------------------------------------
# 1. A clock change at local midnight
# ---------------------------------------------------------------------------------------------

CAIRO_FILE = """\
timezone: {zone}
interval: 30m
horizon: {{start: {start}, days: {days}}}
channels:
  voice:
    volume: {{daily: 1000, profile: flat}}
    aht: 4m
    target: 80% in 20s
pay: {{hourly_rates: {{agent: 20}}}}
"""


def test_the_transitions_used_below_are_the_real_ones():
    # Africa/Cairo (and its alias Egypt): clocks go from 00:00 +02 to 01:00 +03 on
    # 2026-04-24, and back from 00:00 +03 to 23:00 +02 on 2026-10-30 (zoneinfo's tzdata).
    before = dt.datetime(2026, 4, 23, 21, 59, tzinfo=dt.UTC).astimezone(CAIRO)
    after = dt.datetime(2026, 4, 23, 22, 0, tzinfo=dt.UTC).astimezone(CAIRO)
    assert (before.hour, before.minute, before.utcoffset()) == (23, 59, dt.timedelta(hours=2))
    assert (after.day, after.hour, after.utcoffset()) == (24, 1, dt.timedelta(hours=3))
    back = dt.datetime(2026, 10, 29, 21, 0, tzinfo=dt.UTC).astimezone(CAIRO)
    assert (back.day, back.hour, back.utcoffset()) == (29, 23, dt.timedelta(hours=2))
    assert zoneinfo.ZoneInfo("Egypt").utcoffset(dt.datetime(2026, 4, 24, 12)) == dt.timedelta(
        hours=3)


def test_a_day_whose_midnight_the_clocks_skip_starts_at_one_and_has_23_hours(tmp_path):
    path = _write(tmp_path, CAIRO_FILE.format(zone="Africa/Cairo", start="2026-04-24", days=2))
    scn = load_scenarios(path)[0]
    # The day's first instant is 01:00 +03 = 22:00 UTC the day before.
    assert scn.start == pd.Timestamp("2026-04-23 22:00", tz="UTC")
    assert scn.start.tz_convert(CAIRO).hour == 1
    # 23 hours (46 half-hours) on Friday the 24th, 24 hours (48) on Saturday.
    assert scn.n_intervals == 46 + 48

    result = run_scenario(scn)
    iv = result.intervals
    starts = pd.DatetimeIndex(iv["interval_start"])
    assert starts[0] == pd.Timestamp("2026-04-24 01:00", tz=CAIRO)
    assert starts[-1] == pd.Timestamp("2026-04-25 23:30", tz=CAIRO)
    dates = np.array([t.date() for t in starts])
    day1 = dates == dt.date(2026, 4, 24)
    assert day1.sum() == 46 and (~day1).sum() == 48
    # Flat profile: each day's 1000 contacts spread evenly over the intervals it has.
    np.testing.assert_allclose(iv["offered"][day1], 1000 / 46)
    np.testing.assert_allclose(iv["offered"][~day1], 1000 / 48)
    # Erlang C by hand on each day's load, 80% in 20 s, AHT 240 s, 30-minute intervals.
    n1 = _agents_for(1000 / 46 * 240 / 1800, 0.8, 20, 240)
    n2 = _agents_for(1000 / 48 * 240 / 1800, 0.8, 20, 240)
    assert (iv["agents_required"][day1] == n1).all()
    assert (iv["agents_required"][~day1] == n2).all()
    # Paid interval by interval at 20 per hour: 46 and 48 half-hours.
    assert result.totals["cost"].iloc[0] == pytest.approx(20 * 0.5 * (46 * n1 + 48 * n2))
    assert result.totals["offered"].iloc[0] == pytest.approx(2000)


def test_a_horizon_running_into_a_skipped_midnight_ends_before_it(tmp_path):
    # Egypt (the alias) from Thursday 23rd: that day has 24 hours, Friday 23.
    path = _write(tmp_path, CAIRO_FILE.format(zone="Egypt", start="2026-04-23", days=1))
    scn = load_scenarios(path)[0]
    assert scn.start == pd.Timestamp("2026-04-22 22:00", tz="UTC")
    assert scn.n_intervals == 48
    two = load_scenarios(_write(tmp_path, CAIRO_FILE.format(
        zone="Egypt", start="2026-04-23", days=2), "two.yaml"))[0]
    assert two.n_intervals == 48 + 46
    result = run_scenario(two)
    assert result.totals["offered"].iloc[0] == pytest.approx(2000)


def test_the_day_the_clocks_go_back_at_midnight_has_25_hours(tmp_path):
    path = _write(tmp_path, CAIRO_FILE.format(zone="Africa/Cairo", start="2026-10-29", days=2))
    scn = load_scenarios(path)[0]
    assert scn.start == pd.Timestamp("2026-10-28 21:00", tz="UTC")   # 00:00 +03
    assert scn.n_intervals == 50 + 48
    iv = run_scenario(scn).intervals
    dates = np.array([t.date() for t in pd.DatetimeIndex(iv["interval_start"])])
    np.testing.assert_allclose(iv["offered"][dates == dt.date(2026, 10, 29)], 1000 / 50)


SHIFTS = """\
shifts:
  templates:
    - {name: day, length: 8h, start: {earliest: "00:00", latest: "16:00", step: 4h}}
  rules: {coverage: soft, under_penalty: 100, time_limit_s: 60}
simulation: {replications: 2}
"""


def test_shifts_and_simulation_across_a_skipped_midnight(tmp_path):
    # The schedule tables (shifts by local day, headcount) and the simulation's days
    # raised ValueError on the nonexistent midnight.
    text = CAIRO_FILE.format(zone="Africa/Cairo", start="2026-04-23", days=3) + SHIFTS
    scn = load_scenarios(_write(tmp_path, text))[0]
    assert scn.n_intervals == 48 + 46 + 48
    result = run_scenario(scn)
    shifts = result.shifts
    starts = pd.DatetimeIndex(shifts["shift_start"]).tz_convert(CAIRO)
    # Shifts start on the local clock at 00:00, 04:00, ..., 16:00; on the 24th there is
    # no 00:00, so no shift starts then.
    assert set(starts.hour) <= {0, 4, 8, 12, 16}
    assert not ((starts.day == 24) & (starts.hour == 0)).any()
    # Every shift is paid 8 hours at 20 per hour.
    assert result.totals["cost"].iloc[0] == pytest.approx(20 * 8 * shifts["headcount"].sum())
    assert result.totals["offered"].iloc[0] == pytest.approx(3000)


# ---------------------------------------------------------------------------------------------
# 2. Dates outside the planning range
# ---------------------------------------------------------------------------------------------

BASE = """\
horizon: {start: 2026-03-02, days: 1}
channels:
  voice:
    volume: {daily: 480, profile: flat}
    aht: 4m
    target: 80% in 20s
"""


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "1969-12-31", "2201-01-01"])
def test_a_horizon_start_outside_the_planning_range_is_refused_at_load(tmp_path, start):
    # 9999-12-31 raised NotImplementedError, 0001-01-01 OutOfBoundsDatetime in the cost.
    text = BASE.replace("2026-03-02", start)
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    message = str(info.value)
    _assert_at(message, path, 1)
    assert "horizon.start must be a date from 1970-01-01 to 2200-12-31" in message
    assert f"got {start}" in message and "e.g. start: 2026-03-02" in message
    assert _cli_error(path) == f"ccplan: error: {message}"


@pytest.mark.slow
@pytest.mark.parametrize("start, days", [("1970-01-01", 1), ("2200-12-31", 371)])
def test_the_ends_of_the_planning_range_run(tmp_path, start, days):
    text = BASE.replace("2026-03-02", start).replace("days: 1", f"days: {days}")
    scn = load_scenarios(_write(tmp_path, text))[0]
    assert scn.n_intervals == 48 * days
    totals = run_scenario(scn).totals
    assert totals["offered"].iloc[0] == pytest.approx(480 * days)


def test_a_variant_moving_the_start_out_of_range_names_the_variant(tmp_path):
    text = BASE + "variants:\n  far: {horizon: {start: 9999-12-31}}\n"
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    message = str(info.value)
    _assert_at(message, path, _line_of(text, "far:"))
    assert "variants.far" in message and "1970-01-01 to 2200-12-31" in message


# ---------------------------------------------------------------------------------------------
# 3. No rate for interval staffing
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pay, found", [("pay: {hourly_rates: {}}", "none"),
                                        ("pay: {hourly_rates: {senior: 25}}", "senior")])
def test_interval_staffing_without_an_agent_rate_is_refused(tmp_path, pay, found):
    # An empty hourly_rates raised StopIteration in _interval_template; a file with only
    # another rate was silently paid that rate.
    text = BASE + pay + "\n"
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    message = str(info.value)
    _assert_at(message, path, _line_of(text, "pay:"))
    assert f"pay.hourly_rates has no 'agent' rate (found: {found})" in message
    assert "without shifts every agent (one team per channel: voice) is paid" in message
    assert "hourly_rates: {agent: 20}" in message
    assert _cli_error(path) == f"ccplan: error: {message}"


def test_a_missing_agent_rate_names_the_groups_needing_it(tmp_path):
    text = (BASE + "agents: {team_a: {skills: [voice]}, team_b: {skills: [voice]}}\n"
            "pay: {hourly_rates: {senior: 25}}\n")
    message = str(pytest.raises(InputFileError, load_scenarios, _write(tmp_path, text)).value)
    assert "every agent (the groups team_a, team_b) is paid the 'agent' rate" in message


def test_removing_the_agent_rate_through_extends_is_refused(tmp_path):
    _write(tmp_path, BASE + "pay: {hourly_rates: {agent: 20}}\n", "base.yaml")
    child = _write(tmp_path, "extends: base.yaml\npay: {hourly_rates: {agent: null}}\n",
                   "child.yaml")
    # A null inside pay.hourly_rates is refused where it is written (the merge would drop the
    # key and with it the rate).
    with pytest.raises(InputFileError, match=r"child\.yaml:2:\d+: pay\.hourly_rates\.agent is "
                                             r"empty \(null\)"):
        load_scenarios(child)


def test_the_quick_view_of_a_shift_file_without_an_agent_rate_pays_the_first_template(
        tmp_path):
    # With shifts the templates name their rates; the analytic view (interval staffing)
    # pays the first template's rate: 16 per hour here, by hand 16 x 0.5 h per agent.
    text = BASE + ("shifts:\n  templates:\n"
                   "    - {name: pt, length: 4h, start: {earliest: '00:00', latest: '20:00', "
                   "step: 4h}, agent_type: part_timer}\n"
                   "pay: {hourly_rates: {part_timer: 16}}\n")
    scn = load_scenarios(_write(tmp_path, text))[0]
    quick = scn.analytic()
    assert quick.rates.hourly_rates == {"part_timer": 16, "agent": 16}
    res = run_scenario(quick)
    agents = res.intervals["agents_on_queue"].sum()
    assert res.totals["cost"].iloc[0] == pytest.approx(16 * 0.5 * agents)


# ---------------------------------------------------------------------------------------------
# 4. A budget of 0
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("budget, period", [("{per_week: 0}", "week"),
                                            ("{per_year: 0.0}", "year")])
def test_a_zero_budget_is_refused_at_load(tmp_path, budget, period):
    # It made cost_vs_budget infinite, and writing summary.json with an expectation on it
    # raised ValueError (inf is not JSON).
    text = BASE + f"budget: {budget}\nexpect: [cost_vs_budget <= 1.2]\n"
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    message = str(info.value)
    _assert_at(message, path, _line_of(text, "budget:"))
    assert f"budget.per_{period} must be above 0, got 0" in message
    assert "or remove budget: to plan without one" in message
    assert _cli_error(path) == f"ccplan: error: {message}"


def test_a_zero_budget_in_a_variant_is_refused(tmp_path):
    text = BASE + "budget: {per_week: 1000}\nvariants:\n  free: {budget: {per_week: 0}}\n"
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError, match=r"variants\.free.*budget\.per_week must be above 0"):
        load_scenarios(path)


# ---------------------------------------------------------------------------------------------
# 5. Work too large to run
# ---------------------------------------------------------------------------------------------


def _refused_at_load(tmp_path, text: str, needle: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    message = str(info.value)
    _assert_at(message, path, _line_of(text, needle))
    assert _cli_error(path) == f"ccplan: error: {message}"
    return message


def test_a_huge_volume_scale_is_refused_at_load(tmp_path):
    message = _refused_at_load(tmp_path, BASE + "volume_scale: 1e300\n", "volume_scale")
    assert "volume_scale must be at most 1,000, got 1e+300" in message


def test_a_huge_aht_scale_is_refused_at_load(tmp_path):
    message = _refused_at_load(tmp_path, BASE + "aht_scale: 5000\n", "aht_scale")
    assert "aht_scale must be at most 1,000, got 5000" in message


def test_a_year_of_one_minute_intervals_is_refused_at_load(tmp_path):
    # 371 days x 1440 minutes = 534,240 channel-intervals; it ran for minutes and took
    # a gigabyte before.
    text = BASE.replace("days: 1", "days: 371") + "interval: 1m\n"
    message = _refused_at_load(tmp_path, text, "interval:")
    assert "makes 534,240 channel-intervals; at most 200,000" in message
    # Counted over the channels: 3 channels x 70 days x 1,440 = 302,400.
    text3 = (BASE.replace("days: 1", "days: 70") + "  chat:\n    volume: {daily: 10}\n"
             "    aht: 4m\n    target: 80% in 20s\n  mail:\n    volume: {daily: 10}\n"
             "    aht: 4m\n    target: 80% in 20s\ninterval: 1m\n")
    message = _refused_at_load(tmp_path, text3, "interval:")
    assert "for 3 channel(s) makes 302,400 channel-intervals" in message


def test_the_largest_grid_allowed_loads(tmp_path):
    # A year of 15-minute intervals for five channels (178,080) is under the 200,000.
    channels = "".join(f"  c{k}:\n    volume: {{daily: 10}}\n    aht: 4m\n"
                       f"    target: 80% in 20s\n" for k in range(5))
    text = ("horizon: {start: 2026-01-01, days: 371}\ninterval: 15m\nchannels:\n" + channels)
    scn = load_scenarios(_write(tmp_path, text))[0]
    assert scn.n_intervals * len(scn.channels) == 371 * 96 * 5 == 178_080


@pytest.mark.parametrize("count", ["1000000000000", "1001"])
def test_too_many_replications_are_refused_at_load(tmp_path, count):
    message = _refused_at_load(tmp_path, BASE + f"simulation: {{replications: {count}}}\n",
                               "simulation:")
    assert f"simulation.replications must be at most 1,000, got {int(count):,}" in message


def _run_error(tmp_path, text: str) -> str:
    """Loads, then run_scenario refuses before staffing; the CLI exits 2 with that line."""
    path = _write(tmp_path, text)
    scn = load_scenarios(path)[0]
    with pytest.raises(InputFileError) as info:
        run_scenario(scn)
    message = str(info.value)
    assert message.startswith(f"{path.resolve()}: ")
    result = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    return message


def test_more_contacts_in_an_interval_than_the_limit_are_refused_before_staffing(tmp_path):
    # 96,000,000 a day, flat over 48 half-hours = 2,000,000 an interval.
    text = BASE.replace("daily: 480", "daily: 96000000")
    message = _run_error(tmp_path, text)
    assert "channels.voice.volume gives 2,000,000 contacts in the interval starting " \
           "Mon 2026-03-02 00:00" in message
    assert "at most 1,000,000 per channel and interval" in message


def test_a_simulation_too_large_is_refused_before_it_starts(tmp_path):
    # 100,000 contacts x 300 replications = 30,000,000 > 20,000,000.
    text = (BASE.replace("daily: 480", "daily: 100000")
            .replace("target: 80% in 20s", "target: 80% in 20s\n    patience: 3m")
            + "simulation: {replications: 300}\n")
    message = _run_error(tmp_path, text)
    assert "300 replications of 100,000 offered contacts would simulate 30,000,000 " \
           "contacts; at most 20,000,000" in message


def test_method_simulation_counts_its_rounds(tmp_path):
    # 100,000 x 50 replications x 4 rounds = 20,000,000 allowed; x 5 rounds refused.
    text = (BASE.replace("daily: 480", "daily: 100000")
            .replace("target: 80% in 20s", "target: 80% in 20s\n    patience: 3m")
            + "simulation: {replications: 50}\nstaffing: {method: simulation, max_rounds: 5}\n")
    message = _run_error(tmp_path, text)
    assert "x 5 rounds (method: simulation) would simulate 25,000,000 contacts" in message


# ---------------------------------------------------------------------------------------------
# 6. A channel that is never open
# ---------------------------------------------------------------------------------------------


def test_a_centre_closed_for_the_whole_horizon_is_an_error_naming_the_channels(tmp_path):
    # Monday only, open on Saturdays: offered 0, cost 0, exit 0 before.
    text = BASE + "hours: {Sat: \"08:00-12:00\"}\n"
    message = _run_error(tmp_path, text)
    assert "hours: the centre is never open from Mon 2026-03-02 00:00 to Tue 2026-03-03 " \
           "00:00 (hours custom), but contacts arrive on voice (480)" in message
    assert "e.g. hours: 24x7" in message


def test_a_horizon_of_closed_holidays_is_an_error_too(tmp_path):
    # 2026-12-25 is a Friday and a holiday in England; 8x5 with holidays closed.
    text = (BASE.replace("2026-03-02", "2026-12-25")
            + "hours: 8x5\nholidays: {country: GB, subdivision: ENG}\n")
    message = _run_error(tmp_path, text)
    assert "never open from Fri 2026-12-25" in message and "and public holidays" in message


def test_a_channel_whose_contacts_all_arrive_while_closed_is_warned_about(tmp_path):
    # Voice arrives only 00:00-06:00, the centre is open 09:00-17:00: without retries
    # nothing reaches it. The warning names the channel; day is served.
    text = ("horizon: {start: 2026-03-02, days: 1}\nhours: 8x5\nchannels:\n"
            "  voice:\n    volume: {daily: 480, profile: {'00:00': 1, '06:00': 0}}\n"
            "    aht: 4m\n    target: 80% in 20s\n"
            "  day:\n    volume: {daily: 480, profile: {'09:00': 1, '17:00': 0}}\n"
            "    aht: 4m\n    target: 80% in 20s\n")
    scn = load_scenarios(_write(tmp_path, text))[0]
    with pytest.warns(UserWarning, match=r"channels\.voice: all its 480 contacts arrive while "
                                         r"the centre is closed"):
        result = run_scenario(scn)
    ch = result.channels.set_index("channel")
    assert ch.loc["voice", "offered"] == 0 and ch.loc["day", "offered"] == pytest.approx(480)


def test_with_retries_the_closed_hours_demand_moves_into_open_hours_without_a_warning(
        tmp_path):
    # Half the night's 480 call back after the 09:00 opening: 240 offered, by hand.
    text = ("horizon: {start: 2026-03-02, days: 1}\nhours: 8x5\n"
            "out_of_hours: {retry_share: 0.5}\nchannels:\n"
            "  voice:\n    volume: {daily: 480, profile: {'00:00': 1, '06:00': 0}}\n"
            "    aht: 4m\n    target: 80% in 20s\n")
    scn = load_scenarios(_write(tmp_path, text))[0]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        result = run_scenario(scn)
    assert result.totals["offered"].iloc[0] == pytest.approx(240)


@pytest.mark.slow
def test_a_horizon_far_past_the_history_is_refused_before_forecasting(tmp_path):
    # Found by the fuzz test: the Anonymous Bank's 1999 history forecast to a horizon in
    # 2200 took 38 s of CPU (3.5 million half-hours). 2001-03-01 is 732 days after the
    # first interval past the history (1999-02-28 00:00).
    history = tmp_path / "history.csv"
    rows = ["channel,interval_start,offered,aht_s"]
    start = pd.Timestamp("1999-02-14")
    rows += [f"voice,{start + pd.Timedelta(minutes=30 * k):%Y-%m-%dT%H:%M:%S},10,200"
             for k in range(14 * 48)]
    history.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = ("horizon: {start: 2001-03-01, days: 1}\nchannels:\n  voice:\n"
            "    volume: {history: history.csv, method: seasonal_naive}\n"
            "    aht: 4m\n    target: 80% in 20s\n")
    message = _run_error(tmp_path, text)
    assert f"channels.voice.volume.history: {history.resolve()} runs to 1999-02-27 23:30:00, " \
           "but the scenario's horizon starts 2001-03-01, 732 days later; ccplan forecasts " \
           "at most 731 days" in message
    # 731 days later runs, and a seasonal-naive forecast of a flat history is flat.
    ok = _write(tmp_path, text.replace("2001-03-01", "2001-02-28"), "ok.yaml")
    result = run_scenario(load_scenarios(ok)[0])
    assert result.totals["offered"].iloc[0] == pytest.approx(48 * 10)


# ---------------------------------------------------------------------------------------------
# Found by the fuzz test
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pay, field", [
    ("pay: {hourly_rates: {agent: 1.7976931348623157e+308}}", "pay.hourly_rates.agent"),
    ("pay: {hourly_rates: {agent: 20}, overhead_per_paid_hour: 1e12}",
     "pay.overhead_per_paid_hour"),
])
def test_a_pay_rate_so_large_the_cost_overflows_is_refused(tmp_path, pay, field):
    # The largest float as a rate made the scheduler's costs infinite: scipy's milp raised
    # a raw ValueError ('c' must be finite numbers).
    message = _refused_at_load(tmp_path, BASE + pay + "\n", "pay:")
    assert f"{field} must be at most 1,000,000,000 per hour" in message


def test_a_huge_premium_is_refused(tmp_path):
    message = _refused_at_load(tmp_path, BASE + "pay: {night_premium: 1e300}\n", "pay:")
    assert "pay.night_premium must be at most 100" in message and "got 1e+300" in message


def test_a_sweep_point_with_an_overflowing_rate_names_the_point(tmp_path):
    text = BASE + "sweep:\n  pay.hourly_rates.agent: [20, 1.7976931348623157e+308]\n"
    path = _write(tmp_path, text)
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    message = str(info.value)
    _assert_at(message, path, _line_of(text, "pay.hourly_rates.agent"))
    assert "sweep point pay.hourly_rates.agent=179769313486231570" in message
    assert "pay.hourly_rates.agent must be at most 1,000,000,000 per hour" in message


def test_lost_and_retry_shares_above_one_are_refused_at_load_naming_the_file(tmp_path):
    # It failed at run time in closed_hours_demand() with a message naming no file.
    text = BASE + "out_of_hours: {lost_share: 0.6, retry_share: 0.6}\n"
    message = _refused_at_load(tmp_path, text, "out_of_hours")
    assert "out_of_hours lost_share (0.6) + retry_share (0.6) = 1.2, above 1" in message


@pytest.mark.parametrize("field, value, rule", [
    ("aht", "1.0e+300", "channels.voice.aht must be at most 24h, got 1e+300 s"),
    ("aht", "25h", "channels.voice.aht must be at most 24h, got 90000 s"),
    ("patience", "1.0e+300", "channels.voice.patience must be at most 30 days, got 1e+300 s"),
])
def test_handle_times_and_patience_beyond_any_contact_are_refused(tmp_path, field, value,
                                                                  rule):
    # Found by the fuzz test: aht 1e300 s and patience 1e300 s overflowed inside the Erlang
    # formulas (RuntimeWarning: invalid value encountered in cast; IndexError).
    text = BASE.replace("    aht: 4m\n", f"    aht: {value if field == 'aht' else '4m'}\n")
    if field == "patience":
        text = text.replace("target: 80% in 20s", f"target: 80% in 20s\n    patience: {value}")
    message = _refused_at_load(tmp_path, text, field + ":")
    assert rule in message


def test_aht_scale_counts_towards_the_handle_time_limit(tmp_path):
    text = BASE + "aht_scale: 400\n"   # 4 minutes x 400 = 96,000 s
    message = _refused_at_load(tmp_path, text, "aht: 4m")
    assert "channels.voice.aht must be at most 24h, got 96000 s (after aht_scale)" in message


@pytest.mark.slow
def test_the_warning_reaches_the_user_when_scenarios_run_in_worker_processes(tmp_path):
    # With --workers the scenarios run in other processes, whose warnings went to their own
    # stderr (or were lost with Dask): run_many raises them again in the caller's process.
    from scenarios import run_many

    text = ("horizon: {start: 2026-03-02, days: 1}\nhours: 8x5\nchannels:\n"
            "  voice:\n    volume: {daily: 480, profile: {'00:00': 1, '06:00': 0}}\n"
            "    aht: 4m\n    target: 80% in 20s\n"
            "  day:\n    volume: {daily: 480, profile: {'09:00': 1, '17:00': 0}}\n"
            "    aht: 4m\n    target: 80% in 20s\n"
            "variants: {late: {hours: {Mon-Fri: \"10:00-17:00\"}}}\n")
    found = load_scenarios(_write(tmp_path, text))
    assert len(found) == 2
    with pytest.warns(UserWarning) as record:
        results, failures = run_many(found, workers=2)
    assert not failures and all(r is not None for r in results)
    texts = [str(w.message) for w in record
             if "channels.voice: all its 480 contacts arrive while the centre is closed"
             in str(w.message)]
    assert len(texts) == 2, [str(w.message) for w in record]
