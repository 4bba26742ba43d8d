"""Demand of a scenario (``scenario_demand``): daily totals x profile, volume files, histories.

Each expected value is worked out by hand in the test (comments show the
arithmetic) or read off the input the test wrote; none comes from running the
code under test. Scenario files and CSVs are written into ``tmp_path``.
2026-03-02 is a Monday.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import forecasting
from scenarios import InputFileError, Scenario
from scenarios.pipeline import scenario_demand

MONDAY = "2026-03-02"


def _scenario(folder: Path, body: str, *, days: int = 1, interval: str = "30m",
              timezone: str = "UTC", extra: str = "") -> Scenario:
    text = (f"timezone: {timezone}\ninterval: {interval}\n"
            f"horizon: {{start: {MONDAY}, days: {days}}}\n"
            f"channels:\n{body}{extra}")
    path = folder / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return Scenario.from_yaml(path)


def _voice(volume: str, aht: str = "4m") -> str:
    return f"  voice: {{volume: {volume}, aht: {aht}, target: 80% in 20s}}\n"


def _offered(demand: pd.DataFrame, channel: str = "voice") -> np.ndarray:
    return demand.loc[demand["channel"] == channel, "offered"].to_numpy(dtype=float)


# ---------------------------------------------------------------------------------------------
# daily + profile
# ---------------------------------------------------------------------------------------------


def test_flat_daily_480_on_30_minutes_is_10_per_interval(tmp_path):
    scn = _scenario(tmp_path, _voice("{daily: 480, profile: flat}"))
    demand = scenario_demand(scn)
    assert list(demand.columns) == ["channel", "interval_start", "offered", "aht_s"]
    assert len(demand) == 48  # 24 h / 30 min
    assert (demand["channel"] == "voice").all()
    # 480 contacts / 48 intervals = 10.
    np.testing.assert_allclose(demand["offered"], 10.0)
    np.testing.assert_allclose(demand["aht_s"], 240.0)
    want = pd.date_range(f"{MONDAY} 00:00", f"{MONDAY} 23:30", freq="30min", tz="UTC")
    assert list(pd.DatetimeIndex(demand["interval_start"])) == list(want)
    assert isinstance(demand.index, pd.RangeIndex)


@pytest.mark.parametrize(("interval", "n", "per_interval"),
                         [("15m", 96, 5.0), ("30m", 48, 10.0), ("1h", 24, 20.0)])
def test_flat_daily_spreads_over_every_interval_length(tmp_path, interval, n, per_interval):
    scn = _scenario(tmp_path, _voice("{daily: 480}"), interval=interval)  # profile: flat
    offered = _offered(scenario_demand(scn))
    assert len(offered) == n
    np.testing.assert_allclose(offered, per_interval)  # 480 / n


def test_profile_weights_hold_until_the_next_key(tmp_path):
    volume = "{daily: 800, profile: {'08:00': 1, '12:00': 3, '16:00': 0}}"
    offered = _offered(scenario_demand(_scenario(tmp_path, _voice(volume))))
    # Weight-hours: 1 x 4 h (08-12) + 3 x 4 h (12-16) = 16; 800 / 16 = 50 contacts per
    # weight-hour: 50 per hour (25 per half hour) 08-12, 150 per hour (75 per half hour) 12-16.
    want = np.zeros(48)
    want[16:24] = 25.0  # 08:00-12:00
    want[24:32] = 75.0  # 12:00-16:00
    np.testing.assert_allclose(offered, want)
    assert offered.sum() == pytest.approx(800.0)


def test_profile_key_inside_an_interval_is_integrated_over_it(tmp_path):
    volume = "{daily: 60, profile: {'08:15': 1, '09:15': 0}}"
    offered = _offered(scenario_demand(_scenario(tmp_path, _voice(volume))))
    # One hour of weight 1 (08:15-09:15), 60 contacts: 1 per minute. 08:00-08:30 holds 15 of
    # those minutes, 08:30-09:00 all 30, 09:00-09:30 the last 15.
    want = np.zeros(48)
    want[16:19] = [15.0, 30.0, 15.0]
    np.testing.assert_allclose(offered, want)


def test_profile_is_zero_before_its_first_key(tmp_path):
    volume = "{daily: 320, profile: {'08:00': 1}}"
    offered = _offered(scenario_demand(_scenario(tmp_path, _voice(volume))))
    # Weight 1 from 08:00 to midnight: 16 h = 32 half hours; 320 / 32 = 10.
    want = np.r_[np.zeros(16), np.full(32, 10.0)]
    np.testing.assert_allclose(offered, want)


def test_weekday_map_gives_each_day_its_total(tmp_path):
    volume = "{daily: {Mon-Fri: 480, Sat: 240, Sun: 48}, profile: flat}"
    demand = scenario_demand(_scenario(tmp_path, _voice(volume), days=7))
    assert len(demand) == 7 * 48
    by_day = _offered(demand).reshape(7, 48)
    # Mon-Fri 480 / 48 = 10, Sat 240 / 48 = 5, Sun 48 / 48 = 1 (the horizon starts on Monday).
    for day, per_interval in enumerate([10, 10, 10, 10, 10, 5, 1]):
        np.testing.assert_allclose(by_day[day], per_interval)
    starts = pd.DatetimeIndex(demand["interval_start"])
    assert list(starts[::48].day_name()) == ["Monday", "Tuesday", "Wednesday", "Thursday",
                                            "Friday", "Saturday", "Sunday"]


def test_weekday_map_with_a_profile(tmp_path):
    volume = "{daily: {Mon: 160, Tue-Sun: 0}, profile: {'09:00': 1, '17:00': 0}}"
    by_day = _offered(scenario_demand(_scenario(tmp_path, _voice(volume), days=7))).reshape(7, 48)
    # Monday: 160 over 8 h (16 half hours) = 10 per half hour from 09:00; other days 0.
    want_monday = np.zeros(48)
    want_monday[18:34] = 10.0
    np.testing.assert_allclose(by_day[0], want_monday)
    np.testing.assert_allclose(by_day[1:], 0.0)


def test_time_zone_puts_intervals_on_the_local_clock(tmp_path):
    scn = _scenario(tmp_path, _voice("{daily: 480}"), timezone="Asia/Tokyo")
    starts = pd.DatetimeIndex(scenario_demand(scn)["interval_start"])
    assert str(starts.tz) == "Asia/Tokyo"
    assert starts[0] == pd.Timestamp(f"{MONDAY} 00:00", tz="Asia/Tokyo")
    # Tokyo is UTC+9 all year: local midnight is 15:00 UTC the day before.
    assert starts[0].tz_convert("UTC") == pd.Timestamp("2026-03-01 15:00", tz="UTC")


def test_spring_forward_day_spreads_its_total_over_23_hours(tmp_path):
    # Europe/London skips 01:00-02:00 on Sunday 2026-03-29: the day has 46 half hours.
    path = tmp_path / "dst.yaml"
    path.write_text("timezone: Europe/London\nhorizon: {start: 2026-03-23, days: 7}\n"
                    "channels:\n" + _voice("{daily: 460, profile: flat}"), encoding="utf-8")
    demand = scenario_demand(Scenario.from_yaml(path))
    starts = pd.DatetimeIndex(demand["interval_start"])
    sunday = starts.normalize() == pd.Timestamp("2026-03-29", tz="Europe/London")
    assert sunday.sum() == 46
    # 460 / 46 = 10 per half hour on the short day.
    np.testing.assert_allclose(demand.loc[sunday, "offered"], 10.0)


def test_horizon_over_spring_forward_has_no_spike(tmp_path):
    path = tmp_path / "dst.yaml"
    path.write_text("timezone: Europe/London\nhorizon: {start: 2026-03-23, days: 7}\n"
                    "channels:\n" + _voice("{daily: 460, profile: flat}"), encoding="utf-8")
    offered = _offered(scenario_demand(Scenario.from_yaml(path)))
    # No half hour can hold more than the short day's flat share, 460 / 46 = 10; and the
    # horizon holds at most its 7 days' totals.
    assert offered.max() <= 10.0 + 1e-9
    assert offered.sum() <= 7 * 460 + 1e-6


# ---------------------------------------------------------------------------------------------
# volume_scale, aht_scale, channel_shift
# ---------------------------------------------------------------------------------------------


def test_volume_scale_multiplies_offered(tmp_path):
    volume = "{daily: {Mon-Fri: 480, Sat-Sun: 96}}"
    demand = scenario_demand(_scenario(tmp_path, _voice(volume), days=7,
                                       extra="volume_scale: 1.25\n"))
    by_day = _offered(demand).reshape(7, 48)
    # 480 x 1.25 / 48 = 12.5 on weekdays, 96 x 1.25 / 48 = 2.5 at the weekend.
    np.testing.assert_allclose(by_day[:5], 12.5)
    np.testing.assert_allclose(by_day[5:], 2.5)
    np.testing.assert_allclose(demand["aht_s"], 240.0)  # handle time untouched


def test_aht_scale_multiplies_handle_time_not_volume(tmp_path):
    scn = _scenario(tmp_path, _voice("{daily: 480}", aht="4m"), extra="aht_scale: 1.5\n")
    assert scn.channels[0].aht_s == pytest.approx(240.0)  # as written: scaled where demand is built
    demand = scenario_demand(scn)
    np.testing.assert_allclose(demand["aht_s"], 360.0)
    np.testing.assert_allclose(demand["offered"], 10.0)


def test_channel_shift_moves_a_share_and_conserves_the_total(tmp_path):
    body = (_voice("{daily: 480}", aht="4m")
            + "  chat: {volume: {daily: 240}, aht: 6m, target: 80% in 60s}\n")
    extra = "channel_shift: [{from_channel: voice, to_channel: chat, share: 0.25}]\n"
    demand = scenario_demand(_scenario(tmp_path, body, extra=extra))
    assert list(demand["channel"].unique()) == ["voice", "chat"]  # file order
    voice, chat = _offered(demand, "voice"), _offered(demand, "chat")
    # Before: voice 10, chat 5 per interval. 25% of voice (2.5) moves: voice 7.5, chat 7.5.
    np.testing.assert_allclose(voice, 7.5)
    np.testing.assert_allclose(chat, 7.5)
    np.testing.assert_allclose(voice + chat, 15.0)
    # Each channel keeps its own handle time.
    aht = demand.groupby("channel")["aht_s"].unique()
    assert list(aht["voice"]) == [240.0] and list(aht["chat"]) == [360.0]


def test_channel_shift_applies_after_volume_scale(tmp_path):
    body = _voice("{daily: 480}") + "  chat: {volume: {daily: 240}, aht: 6m, target: 80% in 60s}\n"
    extra = ("volume_scale: 2\n"
             "channel_shift: [{from_channel: voice, to_channel: chat, share: 0.25}]\n")
    demand = scenario_demand(_scenario(tmp_path, body, extra=extra))
    # Scaled: voice 20, chat 10; 25% of 20 = 5 moves: voice 15, chat 15; total 30 = 2 x 15.
    np.testing.assert_allclose(_offered(demand, "voice"), 15.0)
    np.testing.assert_allclose(_offered(demand, "chat"), 15.0)


def test_channel_shift_of_everything_empties_the_source(tmp_path):
    body = _voice("{daily: 480}") + "  chat: {volume: {daily: 0}, aht: 6m, target: 80% in 60s}\n"
    extra = "channel_shift: [{from_channel: voice, to_channel: chat, share: 1}]\n"
    demand = scenario_demand(_scenario(tmp_path, body, extra=extra))
    np.testing.assert_allclose(_offered(demand, "voice"), 0.0)
    np.testing.assert_allclose(_offered(demand, "chat"), 10.0)


# ---------------------------------------------------------------------------------------------
# file: volumes per interval
# ---------------------------------------------------------------------------------------------


def _write_volumes(path: Path, starts: list[str], offered: list[float],
                   aht_s: list[float] | None = None) -> None:
    table = {"interval_start": starts, "offered": offered}
    if aht_s is not None:
        table["aht_s"] = aht_s
    pd.DataFrame(table).to_csv(path, index=False)


def _day_starts() -> list[str]:
    """The 48 half hours of MONDAY as naive local times."""
    return [f"{MONDAY} {h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]


def test_file_volumes_are_read_and_localised_to_the_time_zone(tmp_path):
    starts = _day_starts()
    offered = [float(k) for k in range(48)]
    aht = [200.0 + k for k in range(48)]
    # Rows in reverse order, plus a row of the day before (outside the horizon).
    _write_volumes(tmp_path / "voice.csv", ["2026-03-01 23:30", *starts[::-1]],
                   [999.0, *offered[::-1]], [999.0, *aht[::-1]])
    scn = _scenario(tmp_path, _voice("{file: voice.csv}"), timezone="Europe/Paris")
    demand = scenario_demand(scn)
    starts_out = pd.DatetimeIndex(demand["interval_start"])
    # Naive times are local: 00:00 in Paris (UTC+1 in March) is 23:00 UTC the day before.
    assert starts_out[0] == pd.Timestamp(f"{MONDAY} 00:00", tz="Europe/Paris")
    assert starts_out[0].tz_convert("UTC") == pd.Timestamp("2026-03-01 23:00", tz="UTC")
    assert len(demand) == 48
    np.testing.assert_allclose(demand["offered"], offered)  # in time order
    np.testing.assert_allclose(demand["aht_s"], aht)


def test_file_times_with_an_offset_are_converted_to_the_time_zone(tmp_path):
    # 23:00 UTC on Sunday is 00:00 on Monday in Paris.
    utc = pd.date_range("2026-03-01 23:00", periods=48, freq="30min", tz="UTC")
    _write_volumes(tmp_path / "voice.csv", [t.isoformat() for t in utc],
                   [float(k) for k in range(48)])
    scn = _scenario(tmp_path, _voice("{file: voice.csv}"), timezone="Europe/Paris")
    demand = scenario_demand(scn)
    assert pd.Timestamp(demand["interval_start"].iloc[0]) == pd.Timestamp(
        f"{MONDAY} 00:00", tz="Europe/Paris")
    np.testing.assert_allclose(demand["offered"], np.arange(48.0))


def test_file_without_aht_uses_the_channel_aht_and_its_scale(tmp_path):
    _write_volumes(tmp_path / "voice.csv", _day_starts(), [4.0] * 48)
    scn = _scenario(tmp_path, _voice("{file: voice.csv}", aht="5m"), extra="aht_scale: 1.2\n")
    demand = scenario_demand(scn)
    np.testing.assert_allclose(demand["aht_s"], 360.0)  # 300 s x 1.2
    np.testing.assert_allclose(demand["offered"], 4.0)


def test_file_aht_is_scaled_and_volume_scale_applies(tmp_path):
    _write_volumes(tmp_path / "voice.csv", _day_starts(), [4.0] * 48, [200.0] * 48)
    scn = _scenario(tmp_path, _voice("{file: voice.csv}"),
                    extra="aht_scale: 1.5\nvolume_scale: 0.5\n")
    demand = scenario_demand(scn)
    np.testing.assert_allclose(demand["aht_s"], 300.0)   # 200 s x 1.5
    np.testing.assert_allclose(demand["offered"], 2.0)   # 4 x 0.5


def test_file_missing_an_interval_names_the_file_and_the_first_gap(tmp_path):
    starts = _day_starts()
    kept = [s for k, s in enumerate(starts) if k not in (5, 9)]  # 02:30 and 04:30 missing
    path = tmp_path / "voice.csv"
    _write_volumes(path, kept, [1.0] * len(kept))
    scn = _scenario(tmp_path, _voice("{file: voice.csv}"))
    with pytest.raises(InputFileError, match=r"voice\.csv: channel 'voice' has no volume for 2 "
                       r"interval\(s\) of the horizon, the first Mon 2026-03-02 02:30\..*never "
                       r"read as zero") as info:
        scenario_demand(scn)
    assert str(path) in str(info.value)


def test_file_with_an_empty_offered_cell_is_an_error_not_zero(tmp_path):
    path = tmp_path / "voice.csv"
    path.write_text("interval_start,offered\n" + "".join(
        f"{s},{'' if k == 3 else 1}\n" for k, s in enumerate(_day_starts())), encoding="utf-8")
    scn = _scenario(tmp_path, _voice("{file: voice.csv}"))
    # Data row 4 is line 5 of the file (after the header).
    with pytest.raises(InputFileError, match=r"voice\.csv: row 5 column 'offered' is empty"):
        scenario_demand(scn)


def test_file_shorter_than_the_horizon_is_an_error(tmp_path):
    _write_volumes(tmp_path / "voice.csv", _day_starts(), [1.0] * 48)
    scn = _scenario(tmp_path, _voice("{file: voice.csv}"), days=2)
    with pytest.raises(InputFileError, match=r"voice\.csv: channel 'voice' has no volume for 48 "
                       r"interval\(s\).*the first Tue 2026-03-03 00:00"):
        scenario_demand(scn)


# ---------------------------------------------------------------------------------------------
# history: a forecast
# ---------------------------------------------------------------------------------------------

HISTORY_START = "2026-02-02"  # a Monday, four weeks before MONDAY
HISTORY_END = "2026-03-01 23:00"


def _weekly_pattern(starts: pd.DatetimeIndex) -> np.ndarray:
    """Contacts per hour: 10 x (weekday + 1) + hour; the same every week."""
    return (10 * (starts.day_of_week + 1) + starts.hour).to_numpy(dtype=float)


def _write_history(path: Path, *, aht_s: float | None = None) -> None:
    starts = pd.date_range(HISTORY_START, HISTORY_END, freq="1h")
    assert len(starts) == 4 * 7 * 24
    table = {"interval_start": starts.strftime("%Y-%m-%d %H:%M"),
             "offered": _weekly_pattern(starts)}
    if aht_s is not None:
        table["aht_s"] = np.full(len(starts), aht_s)
    pd.DataFrame(table).to_csv(path, index=False)


def test_history_methods_exist():
    assert {"seasonal_naive", "weekly_average"} <= set(forecasting.contracts.METHODS)


@pytest.mark.parametrize("method", ["seasonal_naive", "weekly_average"])
def test_history_forecast_repeats_an_exact_weekly_pattern(tmp_path, method):
    _write_history(tmp_path / "history.csv")
    scn = _scenario(tmp_path, _voice(f"{{history: history.csv, method: {method}}}"),
                    days=7, interval="1h")
    demand = scenario_demand(scn)
    starts = pd.DatetimeIndex(demand["interval_start"])
    assert len(demand) == 7 * 24
    assert starts[0] == pd.Timestamp(f"{MONDAY} 00:00", tz="UTC")
    want = _weekly_pattern(starts)
    # Seasonal naive repeats the last week; the weekly average of identical weeks is that week.
    np.testing.assert_allclose(demand["offered"], want, rtol=0.01)
    np.testing.assert_allclose(demand["aht_s"], 240.0)  # no aht_s in the history: the channel's


def test_history_forecast_across_a_gap_after_the_history(tmp_path):
    _write_history(tmp_path / "history.csv")
    path = tmp_path / "s.yaml"
    path.write_text("interval: 1h\nhorizon: {start: 2026-03-09, days: 7}\nchannels:\n"
                    + _voice("{history: history.csv, method: seasonal_naive}"), encoding="utf-8")
    demand = scenario_demand(Scenario.from_yaml(path))
    starts = pd.DatetimeIndex(demand["interval_start"])
    assert starts[0] == pd.Timestamp("2026-03-09 00:00", tz="UTC")
    np.testing.assert_allclose(demand["offered"], _weekly_pattern(starts))


def test_history_handle_times_are_forecast_and_scaled(tmp_path):
    _write_history(tmp_path / "history.csv", aht_s=200.0)
    scn = _scenario(tmp_path, _voice("{history: history.csv, method: seasonal_naive}"),
                    days=7, interval="1h", extra="aht_scale: 1.5\nvolume_scale: 2\n")
    demand = scenario_demand(scn)
    starts = pd.DatetimeIndex(demand["interval_start"])
    np.testing.assert_allclose(demand["aht_s"], 300.0)  # 200 s every week, x 1.5
    np.testing.assert_allclose(demand["offered"], 2 * _weekly_pattern(starts))


def test_horizon_starting_before_the_history_ends_is_an_error(tmp_path):
    _write_history(tmp_path / "history.csv")
    path = tmp_path / "s.yaml"
    path.write_text("interval: 1h\nhorizon: {start: 2026-03-01, days: 7}\nchannels:\n"
                    + _voice("{history: history.csv, method: seasonal_naive}"), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"history\.csv: the history runs to 2026-03-01 "
                       r"23:00:00, but the scenario's horizon starts 2026-03-01.*Start the "
                       r"horizon after the history \(2026-03-02\)"):
        scenario_demand(Scenario.from_yaml(path))


def test_unknown_history_method_is_an_input_file_error(tmp_path):
    _write_history(tmp_path / "history.csv")
    path = tmp_path / "s.yaml"
    text = ("interval: 1h\nhorizon: {start: 2026-03-02, days: 7}\nchannels:\n"
            + _voice("{history: history.csv, method: bogus}"))
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError, match=r"s\.yaml:4:\d+: .*method.*'bogus'"):
        scenario_demand(Scenario.from_yaml(path))


@pytest.mark.parametrize("monday,change,rows", [
    ("2026-03-23", "2026-03-29", 7 * 24 - 1),   # spring: 01:00-02:00 is skipped
    ("2026-10-19", "2026-10-25", 7 * 24 + 1),   # autumn: 01:00-02:00 happens twice
])
def test_history_forecast_stays_on_the_wall_clock_across_a_clock_change(tmp_path, monday,
                                                                        change, rows):
    # Four weeks of the weekly pattern on the wall clock, ending the Sunday before the
    # horizon; Europe/London changes its clocks on the horizon's Sunday. Seasonal naive
    # repeats the last week, so every local hour of the horizon must carry the pattern of
    # that same local weekday and hour: 09:00 stays 09:00 after the change.
    start = pd.Timestamp(monday) - pd.Timedelta(days=28)
    starts = pd.date_range(start, pd.Timestamp(monday) - pd.Timedelta(hours=1), freq="1h")
    pd.DataFrame({"interval_start": starts.strftime("%Y-%m-%d %H:%M"),
                  "offered": _weekly_pattern(starts)}).to_csv(tmp_path / "history.csv",
                                                               index=False)
    path = tmp_path / "s.yaml"
    path.write_text(f"timezone: Europe/London\ninterval: 1h\nhorizon: {{start: {monday}, "
                    "days: 7}\nchannels:\n"
                    + _voice("{history: history.csv, method: seasonal_naive}"), encoding="utf-8")
    demand = scenario_demand(Scenario.from_yaml(path))
    local = pd.DatetimeIndex(demand["interval_start"])
    assert len(demand) == rows
    assert str(local.tz) == "Europe/London"
    np.testing.assert_allclose(demand["offered"], _weekly_pattern(local))
    # The change's Sunday ends at 23:00 local with Sunday 23:00's value (7 x 10 + 23).
    sunday = demand[local.normalize() == pd.Timestamp(change, tz="Europe/London")]
    assert sunday["offered"].iloc[-1] == 93.0


# ---------------------------------------------------------------------------------------------
# Clock changes (Europe/London: 01:00 -> 02:00 on 2026-03-29, 02:00 -> 01:00 on 2026-10-25)
# ---------------------------------------------------------------------------------------------


def _london_week(tmp_path: Path, monday: str, volume: str) -> pd.DataFrame:
    path = tmp_path / "dst.yaml"
    path.write_text(f"timezone: Europe/London\ninterval: 1h\nhorizon: {{start: {monday}, "
                    "days: 7}\nchannels:\n" + _voice(volume), encoding="utf-8")
    return scenario_demand(Scenario.from_yaml(path))


@pytest.mark.parametrize("monday", ["2026-03-23", "2026-10-19"])
def test_profile_stays_on_the_wall_clock_on_a_clock_change_day(tmp_path, monday):
    # All of each day's 100 contacts between 09:00 and 10:00 local, every day, and half of
    # them in each of the hours 22:00 and 23:00 for the second profile: by hand.
    demand = _london_week(tmp_path, monday, "{daily: 100, profile: {'09:00': 1, '10:00': 0}}")
    local = pd.DatetimeIndex(demand["interval_start"])
    np.testing.assert_allclose(demand["offered"], np.where(local.hour == 9, 100.0, 0.0))
    demand = _london_week(tmp_path, monday, "{daily: 100, profile: {'22:00': 1}}")
    local = pd.DatetimeIndex(demand["interval_start"])
    np.testing.assert_allclose(demand["offered"], np.where(local.hour >= 22, 50.0, 0.0))


def test_autumn_day_spreads_a_flat_total_over_25_hours(tmp_path):
    demand = _london_week(tmp_path, "2026-10-19", "{daily: 250, profile: flat}")
    local = pd.DatetimeIndex(demand["interval_start"])
    sunday = local.normalize() == pd.Timestamp("2026-10-25", tz="Europe/London")
    assert sunday.sum() == 25
    np.testing.assert_allclose(demand.loc[sunday, "offered"], 10.0)    # 250 / 25


def _autumn_file_scenario(tmp_path: Path, starts: list[str], offered: list[float]) -> Scenario:
    _write_volumes(tmp_path / "voice.csv", starts, offered)
    path = tmp_path / "dst.yaml"
    path.write_text("timezone: Europe/London\ninterval: 1h\nhorizon: {start: 2026-10-25, "
                    "days: 1}\nchannels:\n" + _voice("{file: voice.csv}"), encoding="utf-8")
    return Scenario.from_yaml(path)


def test_file_with_the_repeated_hour_in_time_order(tmp_path):
    # 25 rows of naive local times: 01:00 twice, the first in summer time (+01:00).
    wall = [f"2026-10-25 {h:02d}:00" for h in (0, 1, 1, *range(2, 24))]
    demand = scenario_demand(_autumn_file_scenario(tmp_path, wall, [float(k) for k in range(25)]))
    local = pd.DatetimeIndex(demand["interval_start"])
    assert len(demand) == 25
    np.testing.assert_allclose(demand["offered"], np.arange(25.0))
    assert local[1] == pd.Timestamp("2026-10-25 01:00+01:00")
    assert local[2] == pd.Timestamp("2026-10-25 01:00+00:00")


def test_file_with_utc_offsets_across_the_change(tmp_path):
    utc = pd.date_range("2026-10-24 23:00", periods=25, freq="1h", tz="UTC")
    stamps = [t.tz_convert("Europe/London").isoformat() for t in utc]   # +01:00, then +00:00
    demand = scenario_demand(_autumn_file_scenario(tmp_path, stamps, [float(k) for k in range(25)]))
    np.testing.assert_allclose(demand["offered"], np.arange(25.0))


def test_file_with_a_duplicate_row_is_an_error(tmp_path):
    wall = [f"2026-10-25 {h:02d}:00" for h in (0, 1, 1, *range(2, 24))] + ["2026-10-25 05:00"]
    scn = _autumn_file_scenario(tmp_path, wall, [1.0] * 26)
    with pytest.raises(InputFileError, match=r"voice\.csv: channel 'voice' has more than one "
                                             r"row for 2026-10-25 05:00:00\+00:00"):
        scenario_demand(scn)


def test_file_with_contacts_at_a_skipped_time_is_an_error(tmp_path):
    # 01:00-02:00 does not exist in London on 2026-03-29; a 0 there is harmless, a 5 is not.
    wall = [f"2026-03-29 {h:02d}:00" for h in range(24)]
    _write_volumes(tmp_path / "voice.csv", wall, [0.0] + [0.0] + [1.0] * 22)
    path = tmp_path / "dst.yaml"
    path.write_text("timezone: Europe/London\ninterval: 1h\nhorizon: {start: 2026-03-29, "
                    "days: 1}\nchannels:\n" + _voice("{file: voice.csv}"), encoding="utf-8")
    demand = scenario_demand(Scenario.from_yaml(path))
    assert len(demand) == 23
    np.testing.assert_allclose(demand["offered"], [0.0] + [1.0] * 22)
    _write_volumes(tmp_path / "voice.csv", wall, [0.0] + [5.0] + [1.0] * 22)
    with pytest.raises(InputFileError, match=r"voice\.csv: channel 'voice' has contacts at "
                                             r"2026-03-29 01:00, a time the clocks of "
                                             r"Europe/London skip"):
        scenario_demand(Scenario.from_yaml(path))


def test_a_zone_that_skips_midnight(tmp_path):
    # America/Santiago moves from 00:00 to 01:00 on 2026-09-06: that day has no midnight and
    # 23 hours; its 230 contacts spread flat give 10 an hour (by hand), Saturday's 240 too.
    path = tmp_path / "s.yaml"
    path.write_text("timezone: America/Santiago\ninterval: 1h\nhorizon: {start: 2026-09-05, "
                    "days: 2}\nchannels:\n"
                    + _voice("{daily: {Sat: 240, Sun: 230}, profile: flat}"), encoding="utf-8")
    demand = scenario_demand(Scenario.from_yaml(path))
    local = pd.DatetimeIndex(demand["interval_start"])
    assert len(demand) == 47
    assert local[24] == pd.Timestamp("2026-09-06 01:00", tz="America/Santiago")
    np.testing.assert_allclose(demand["offered"], 10.0)
