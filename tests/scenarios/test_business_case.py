"""Opening-hours business case: closed-hours flows by hand, orderings and identities.

The business case is a scenario file whose variants set ``hours:`` (as
``scenarios/examples/retail_bank.yaml``), run by ``run_scenario`` and compared
with ``comparison_table`` and ``deltas``. Scenario files and their volume
files are written into temporary folders.
"""

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios import InputFileError, comparison_table, deltas, load_scenarios, run_scenario
from scenarios.files import OpeningHours
from scenarios.pipeline import closed_hours_demand

H = 3600.0


def _demand(offered, start="2026-01-05 00:00", channel="voice", aht_s=240.0):
    starts = pd.date_range(start, periods=len(offered), freq="h", tz="Europe/London")
    return pd.DataFrame({"channel": channel, "interval_start": starts,
                         "offered": np.asarray(offered, dtype=float), "aht_s": aht_s})


# --- opening hours ---------------------------------------------------------------------------

def test_presets_open_the_documented_hours():
    # 2026-01-05 is a Monday; 2026-01-10 a Saturday.
    starts = pd.DatetimeIndex(pd.to_datetime([
        "2026-01-05 08:00", "2026-01-05 09:00", "2026-01-05 16:00", "2026-01-05 17:00",
        "2026-01-10 08:00", "2026-01-10 19:00", "2026-01-10 20:00", "2026-01-11 03:00"]))
    assert OpeningHours.preset("8x5").is_open(starts, H).tolist() == [
        False, True, True, False, False, False, False, False]
    assert OpeningHours.preset("extended").is_open(starts, H).tolist() == [
        True, True, True, True, True, True, False, False]
    assert OpeningHours.preset("24x7").is_open(starts, H).all()


def test_holidays_are_closed_all_day():
    hours = OpeningHours.preset("24x7", holidays=(date(2026, 1, 5),))
    starts = pd.date_range("2026-01-04 23:00", periods=3, freq="h")
    assert hours.is_open(starts, H).tolist() == [True, False, False]


def test_opening_time_off_the_interval_grid_is_rejected():
    hours = OpeningHours.weekly("half past", 8.5 * H, 17 * H)
    with pytest.raises(InputFileError, match=r"Mon opens at 08:30.*not on the 3600-second"):
        hours.is_open(pd.date_range("2026-01-05", periods=2, freq="h"), H)


def test_bad_hours_are_rejected():
    with pytest.raises(InputFileError, match=r"Mon hours must be \(open_s, close_s\)"):
        OpeningHours.weekly("bad", 20 * H, 8 * H)
    with pytest.raises(InputFileError, match="unknown preset '9x6'"):
        OpeningHours.preset("9x6")


# --- closed-hours flows, by hand --------------------------------------------------------------

# Monday 00:00-06:00, open 02:00-04:00 only: intervals 0, 1 closed, 2, 3 open, 4, 5 closed.
TINY = dict(offered=[4, 8, 10, 10, 2, 6])
TINY_HOURS = OpeningHours.weekly("tiny", 2 * H, 4 * H, days=(0,))


def test_conservation_by_hand_with_wrap_around():
    seen, flows = closed_hours_demand(_demand(TINY["offered"]), TINY_HOURS, interval_s=H,
                                      retry_share=0.5, lost_share=0.25, retry_spread_s=2 * H)
    # Closed before opening: 4 + 8 = 12 -> 6 retry, 3 each at 02:00 and 03:00.
    # Closed after closing: 2 + 6 = 8 -> 4 retry at the next opening, which with a
    # repeating horizon is 02:00 again: 2 each at 02:00 and 03:00.
    assert seen["offered"].tolist() == [0.0, 0.0, 15.0, 15.0, 0.0, 0.0]
    assert flows["lost_closed"].tolist() == [1.0, 2.0, 0.0, 0.0, 0.5, 1.5]
    assert flows["diverted"].tolist() == [1.0, 2.0, 0.0, 0.0, 0.5, 1.5]
    assert flows["retries_landing"].tolist() == [0.0, 0.0, 5.0, 5.0, 0.0, 0.0]
    # arrived 40 = offered 30 + lost 5 + diverted 5
    assert flows["arrived"].sum() == 40.0
    assert (seen["offered"].sum() + flows["lost_closed"].sum() + flows["diverted"].sum()
            + flows["retry_beyond_horizon"].sum()) == 40.0


def test_conservation_by_hand_without_wrap_around():
    seen, flows = closed_hours_demand(_demand(TINY["offered"]), TINY_HOURS, interval_s=H,
                                      retry_share=0.5, lost_share=0.25, retry_spread_s=2 * H,
                                      wrap_around=False)
    assert seen["offered"].tolist() == [0.0, 0.0, 13.0, 13.0, 0.0, 0.0]
    assert flows["retry_beyond_horizon"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0, 3.0]
    total = (seen["offered"].sum() + flows["lost_closed"].sum() + flows["diverted"].sum()
             + flows["retry_beyond_horizon"].sum())
    assert total == 40.0 == flows["arrived"].sum()


def test_shares_adding_to_one_divert_nobody():
    _, flows = closed_hours_demand(_demand(TINY["offered"]), TINY_HOURS, interval_s=H,
                                   retry_share=0.75, lost_share=0.25)
    assert flows["diverted"].sum() == 0.0


def test_retry_spread_raises_the_first_hours_as_computed_by_hand():
    # Monday 00:00-12:00, 9 contacts an hour; extended hours open at 08:00.
    seen, _ = closed_hours_demand(_demand([9.0] * 12), OpeningHours.preset("extended"),
                                  interval_s=H, retry_share=0.5, lost_share=0.5,
                                  retry_spread_s=1.5 * H, wrap_around=False)
    # 8 closed hours x 9 = 72 arrive closed, 36 retry. A 90-minute spread covers all of
    # 08:00-09:00 (60 min) and half of 09:00-10:00 (30 min): 2/3 and 1/3 of 36.
    assert seen["offered"].tolist()[8:] == [9.0 + 24.0, 9.0 + 12.0, 9.0, 9.0]
    assert seen["offered"].tolist()[:8] == [0.0] * 8


def test_retries_stay_inside_an_opening_shorter_than_the_spread():
    # Open 02:00-04:00, spread 4 h: the retries share the two open hours equally.
    seen, _ = closed_hours_demand(_demand([6.0, 6.0, 0.0, 0.0, 0.0, 0.0]), TINY_HOURS,
                                  interval_s=H, retry_share=1.0, lost_share=0.0,
                                  retry_spread_s=4 * H, wrap_around=False)
    assert seen["offered"].tolist() == [0.0, 0.0, 6.0, 6.0, 0.0, 0.0]


def test_the_input_frame_is_not_modified():
    demand = _demand(TINY["offered"])
    before = demand.copy()
    closed_hours_demand(demand, TINY_HOURS, interval_s=H, retry_share=0.5, lost_share=0.5)
    pd.testing.assert_frame_equal(demand, before)


@pytest.mark.parametrize(("retry", "lost", "match"), [
    (-0.1, 0.5, r"retry_share must be a fraction in \[0, 1\].*got -0.1"),
    (0.5, 1.5, r"lost_share must be a fraction in \[0, 1\].*got 1.5"),
    (0.7, 0.4, r"retry_share \+ lost_share must be <= 1, got 0.7 \+ 0.4 = 1.1"),
    (float("nan"), 0.2, r"retry_share must be a fraction"),
    (True, 0.0, r"retry_share must be a fraction"),
])
def test_bad_shares_are_named_errors(tmp_path, retry, lost, match):
    with pytest.raises(InputFileError, match=match):
        closed_hours_demand(_demand(TINY["offered"]), TINY_HOURS, interval_s=H,
                            retry_share=retry, lost_share=lost)
    tiny = load_scenarios(_week_file(tmp_path, TINY_FILE, days=1), variants=False)[0]
    with pytest.raises(InputFileError, match=match):
        run_scenario(replace(tiny, retry_share=retry, lost_share=lost))
    assert issubclass(InputFileError, ValueError)


def test_a_gap_in_the_demand_is_rejected():
    demand = _demand(TINY["offered"]).drop(index=3)
    with pytest.raises(InputFileError, match=r"follows .* by 7200 s, not interval_s=3600"):
        closed_hours_demand(demand, TINY_HOURS, interval_s=H, retry_share=0.5, lost_share=0.5)


# --- the business case on a small week --------------------------------------------------------

def _week_demand():
    """One week, hourly, 24x7: 30 contacts an hour 08:00-20:00, 4 at night, half at weekends."""
    starts = pd.date_range("2026-01-05", periods=7 * 24, freq="h", tz="Europe/London")
    hour = starts.hour.to_numpy()
    offered = np.where((hour >= 8) & (hour < 20), 30.0, 4.0)
    offered = np.where(starts.day_of_week.to_numpy() >= 5, offered / 2, offered)
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": offered,
                         "aht_s": 300.0})


WEEK = """\
name: week
timezone: Europe/London
interval: 1h
horizon: {start: 2026-01-05, days: DAYS}
hours: 8x5
seed: 7
channels:
  voice: {volume: {file: voice.csv}, aht: 5m, target: 80% in 20s, patience: 3m}
staffing: {method: erlang_a}
shifts:
  templates:
    - {name: FT8, length: 8h, start: {earliest: "00:00", latest: "23:00", step: 1h}}
    - {name: PT4, length: 4h, start: {earliest: "00:00", latest: "23:00", step: 1h},
       part_time: true}
  rules: {time_limit_s: 20, wrap_around: true}
pay: {hourly_rates: {agent: 20}}
out_of_hours: {retry_share: 0.6, lost_share: 0.3}
simulation: {replications: 0}
variants:
  extended: {hours: extended}
  24x7: {hours: 24x7}
"""
TINY_FILE = WEEK.replace("hours: 8x5", "hours: {Mon: \"02:00-04:00\"}")
OPTIONS = ("week", "week / extended", "week / 24x7")
RATE = 20.0


def _week_file(folder: Path, text: str = WEEK, days: int = 7) -> Path:
    _week_demand()[["interval_start", "offered"]].to_csv(folder / "voice.csv", index=False)
    path = folder / "week.yaml"
    path.write_text(text.replace("DAYS", str(days)), encoding="utf-8")
    return path


def _run_all(path: Path, **overrides):
    return {r.name: r for r in (run_scenario(s) for s in load_scenarios(
        path, overrides=overrides or None))}


@pytest.fixture(scope="module")
def week_case(tmp_path_factory):
    return _run_all(_week_file(tmp_path_factory.mktemp("week")))


def _totals(case) -> pd.DataFrame:
    return pd.concat([case[name].totals for name in OPTIONS]).set_index("scenario")


def test_wider_hours_handle_at_least_as_many_contacts(week_case):
    handled = _totals(week_case)["handled"]
    assert handled["week / 24x7"] >= handled["week / extended"] >= handled["week"]
    lost_closed = {name: week_case[name].flows["lost_closed"].sum() for name in OPTIONS}
    assert lost_closed["week / 24x7"] == 0.0
    assert lost_closed["week"] > lost_closed["week / extended"] > 0.0


def test_every_contact_is_accounted_for(week_case):
    arrived = _week_demand()["offered"].sum()
    for name in OPTIONS:
        t = week_case[name].totals.iloc[0]
        flows = week_case[name].flows
        assert flows["arrived"].sum() == pytest.approx(arrived, rel=0, abs=1e-9)
        lost = flows["lost_closed"].sum() + t["abandoned"]
        total = t["handled"] + lost + flows["diverted"].sum() + flows[
            "retry_beyond_horizon"].sum()
        assert total == pytest.approx(arrived, rel=1e-12)
        assert t["offered"] == pytest.approx(t["handled"] + t["abandoned"], rel=1e-12)
        assert t["offered"] == pytest.approx(flows["offered"].sum(), rel=1e-12)


def test_incremental_cost_per_contact_matches_the_summary(week_case):
    s = _totals(week_case)
    table = comparison_table([week_case[name] for name in OPTIONS])
    pairs = [("week", "week / extended"), ("week / extended", "week / 24x7"),
             ("week", "week / 24x7")]
    for option_from, option_to in pairs:
        row = deltas(table, option_from).set_index("scenario").loc[option_to]
        expected = ((s.at[option_to, "cost"] - s.at[option_from, "cost"])
                    / (s.at[option_to, "handled"] - s.at[option_from, "handled"]))
        assert row["delta_cost"] / row["delta_handled"] == pytest.approx(expected, rel=1e-12)


def test_cost_per_handled_and_schedule_cost_agree(week_case):
    for name in OPTIONS:
        row = week_case[name].totals.iloc[0]
        shifts = week_case[name].shifts
        # One rate, no premiums or overhead: the paid hours of the shifts at the rate.
        by_hand = float((shifts["headcount"] * shifts["paid_s"]).sum()) / 3600.0 * RATE
        assert row["cost"] == pytest.approx(by_hand, rel=1e-12)
        assert row["cost_per_handled"] == pytest.approx(row["cost"] / row["handled"], rel=1e-12)


def _service_by_hour(result) -> pd.DataFrame:
    iv = result.intervals
    within = (iv["service_level"] * iv["offered"]).where(iv["offered"] > 0, 0.0)
    by_hour = iv.assign(hour=pd.DatetimeIndex(iv["interval_start"]).hour,
                        answered_within_target=within).groupby(
        ["channel", "hour"], as_index=False)[["offered", "answered_within_target"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        by_hour["service_level"] = np.where(
            by_hour["offered"] > 0, by_hour["answered_within_target"] / by_hour["offered"],
            np.nan)
    return by_hour


def test_service_by_hour_adds_up_to_the_summary(week_case):
    for name in OPTIONS:
        row = week_case[name].totals.iloc[0]
        part = _service_by_hour(week_case[name])
        assert len(part) == 24
        assert part["offered"].sum() == pytest.approx(row["offered"], rel=1e-12)
        within = part["answered_within_target"].sum()
        assert within / part["offered"].sum() == pytest.approx(row["service_level"], rel=1e-12)
    by_hour = _service_by_hour(week_case["week"])
    closed_hour = by_hour[by_hour["hour"] == 3]
    assert closed_hour["offered"].item() == 0.0 and np.isnan(closed_hour["service_level"].item())


def test_nobody_is_needed_or_offered_while_closed(week_case):
    for name in OPTIONS:
        iv = week_case[name].intervals
        closed = iv[~iv["is_open"]]
        assert (closed["offered"] == 0).all() and (closed["agents_required"] == 0).all()


def test_hard_coverage_meets_the_target_in_every_open_interval(tmp_path):
    text = WEEK.replace("rules: {time_limit_s: 20, wrap_around: true}",
                        "rules: {coverage: hard, time_limit_s: 20}").replace(
        "hours: 8x5", "hours: extended").replace(
        "out_of_hours: {retry_share: 0.6, lost_share: 0.3}",
        "out_of_hours: {retry_share: 0.5, lost_share: 0.5}")
    case = run_scenario(load_scenarios(_week_file(tmp_path, text, days=2),
                                       variants=False)[0])     # Monday and Tuesday
    iv = case.intervals[case.intervals["offered"] > 0]
    assert (iv["agents_on_queue"] >= iv["agents_required"]).all()
    assert (iv["service_level"] >= 0.8).all()


def test_same_inputs_give_the_same_result(tmp_path):
    text = WEEK.replace("out_of_hours: {retry_share: 0.6, lost_share: 0.3}",
                        "out_of_hours: {retry_share: 0.5, lost_share: 0.4}").replace(
        "simulation: {replications: 0}", "simulation: {replications: 2}").replace(
        "  extended: {hours: extended}\n", "")
    path = _week_file(tmp_path, text, days=2)
    a, b = _run_all(path), _run_all(path)
    assert sorted(a) == ["week", "week / 24x7"]
    for name in a:
        pd.testing.assert_frame_equal(a[name].totals, b[name].totals)
        pd.testing.assert_frame_equal(a[name].intervals, b[name].intervals)
        s = a[name].channels
        assert (s["service_level_low"] <= s["service_level"]).all()
        assert (s["service_level"] <= s["service_level_high"]).all()


def test_each_channel_is_its_own_pool_without_agent_groups(tmp_path):
    # The service level is evaluated per channel and needs each channel's agents: without
    # ``agents:`` every channel is scheduled from its own pool (an ``agents:`` group is the
    # file's way to share agents, and the pipeline then shares them by requirement).
    demand = _week_demand()
    demand[["interval_start", "offered"]].to_csv(tmp_path / "chat.csv", index=False)
    text = TINY_FILE.replace(
        "  voice: {volume: {file: voice.csv}, aht: 5m, target: 80% in 20s, patience: 3m}\n",
        "  voice: {volume: {file: voice.csv}, aht: 5m, target: 80% in 20s, patience: 3m}\n"
        "  chat: {volume: {file: chat.csv}, aht: 5m, target: 80% in 20s, patience: 3m}\n")
    case = run_scenario(load_scenarios(_week_file(tmp_path, text, days=1),
                                       variants=False)[0])
    assert set(case.shifts["channel"]) == {"voice", "chat"}
    iv = case.intervals
    assert (iv["agents_on_queue"] == np.floor(iv["agents_on_queue"])).all()
