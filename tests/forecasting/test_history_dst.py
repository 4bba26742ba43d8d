"""clean_history() on daylight-saving days: wall-clock grid, autumn hour summed, spring hour 0.

Expected values are worked out by hand from the zone rules:

- Europe/Paris 2012-10-28: 03:00 CEST (01:00 UTC) becomes 02:00 CET, so the
  wall clock shows 02:00-02:59 twice (00:00-00:59 UTC and 01:00-01:59 UTC).
- Europe/Paris 2012-03-25: 02:00 CET (01:00 UTC) becomes 03:00 CEST, so the
  wall clock never shows 02:00-02:59.
- America/New_York 2012-11-04: 02:00 EDT (06:00 UTC) becomes 01:00 EST, so
  01:00-01:59 is shown twice (05:00-05:59 UTC and 06:00-06:59 UTC).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from forecasting import clean_history
from forecasting.errors import HistoryError


def _call(history: pd.DataFrame, **kwargs: object) -> tuple[pd.DataFrame, list[str]]:
    """clean_history() and the messages of the UserWarnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tidy = clean_history(history, **kwargs)  # type: ignore[arg-type]
    return tidy, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def _wall(day: str, times: list[str]) -> list[pd.Timestamp]:
    return [pd.Timestamp(f"{day} {t}") for t in times]


def _half_hours(day: str, first: str, n_slots: int) -> list[pd.Timestamp]:
    return list(pd.date_range(f"{day} {first}", periods=n_slots, freq="30min"))


# --- time-zone-aware input -----------------------------------------------------------------


@pytest.mark.parametrize("convert_first", [True, False])
def test_aware_autumn_hour_is_summed_on_the_wall_clock(convert_first):
    # 22:00 UTC on the 27th is 00:00 CEST on the 28th; 12 half-hours to 04:30 CET.
    utc = pd.date_range("2012-10-27 22:00", periods=12, freq="30min", tz="UTC")
    counts = np.arange(1.0, 13.0)  # 1, 2, ..., 12 in UTC order
    history = pd.DataFrame({
        "channel": "voice",
        "interval_start": utc.tz_convert("Europe/Paris") if convert_first else utc,
        "offered": counts,
    })
    before = history.copy()
    kwargs = {} if convert_first else {"tz": "Europe/Paris"}
    tidy, messages = _call(history, interval_s=1800, **kwargs)

    # 00:00 00:30 01:00 01:30 (CEST) -> 1 2 3 4; 02:00 = 5 (CEST) + 7 (CET) = 12;
    # 02:30 = 6 + 8 = 14; 03:00 03:30 04:00 04:30 (CET) -> 9 10 11 12.
    assert tidy.interval_start.tolist() == _half_hours("2012-10-28", "00:00", 10)
    assert tidy.interval_start.dt.tz is None
    assert tidy.offered.tolist() == [1.0, 2.0, 3.0, 4.0, 12.0, 14.0, 9.0, 10.0, 11.0, 12.0]
    assert tidy.offered.sum() == counts.sum() == 78.0
    assert len(messages) == 1
    assert "repeated autumn hour(s) on 2012-10-28" in messages[0]
    assert "summed" in messages[0]
    pd.testing.assert_frame_equal(history, before)


def test_aware_spring_hour_gets_zero_not_missing():
    # 23:00 UTC on the 24th is 00:00 CET on the 25th; 01:00 UTC is 03:00 CEST.
    utc = pd.date_range("2012-03-24 23:00", periods=8, freq="30min", tz="UTC")
    history = pd.DataFrame({"channel": "voice",
                            "interval_start": utc.tz_convert("Europe/Paris"),
                            "offered": np.arange(1.0, 9.0)})
    before = history.copy()
    tidy, messages = _call(history, interval_s=1800)

    assert tidy.interval_start.tolist() == _half_hours("2012-03-25", "00:00", 10)
    assert tidy.offered.tolist() == [1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 5.0, 6.0, 7.0, 8.0]
    assert not tidy.offered.isna().any()
    assert len(messages) == 1
    assert "spring" in messages[0] and "2012-03-25" in messages[0]
    pd.testing.assert_frame_equal(history, before)


def test_new_york_autumn_hour_at_15_minutes():
    # 04:00 UTC is 00:00 EDT; 16 quarter-hours to 02:45 EST.
    utc = pd.date_range("2012-11-04 04:00", periods=16, freq="15min", tz="UTC")
    history = pd.DataFrame({"channel": "chat",
                            "interval_start": utc.tz_convert("America/New_York"),
                            "offered": np.arange(16.0),
                            "aht_s": 100.0})
    tidy, messages = _call(history, interval_s=900)

    expected_starts = list(pd.date_range("2012-11-04 00:00", periods=12, freq="15min"))
    assert tidy.interval_start.tolist() == expected_starts
    # 00:xx -> 0 1 2 3; 01:xx -> 4+8, 5+9, 6+10, 7+11; 02:xx -> 12 13 14 15.
    assert tidy.offered.tolist() == [0.0, 1.0, 2.0, 3.0, 12.0, 14.0, 16.0, 18.0,
                                     12.0, 13.0, 14.0, 15.0]
    assert tidy.offered.sum() == 120.0
    assert tidy.aht_s.tolist() == [100.0] * 12
    assert len(messages) == 1 and "2012-11-04" in messages[0]
    # a week on the wall clock has 7 * 86400 / 900 slots whatever the zone does
    assert len(tidy) == 12


def test_aware_rows_of_the_same_instant_are_still_an_error():
    # 00:30 UTC is 02:30 CEST: the first pass through the repeated hour, given twice.
    instants = pd.DatetimeIndex(["2012-10-28 00:30", "2012-10-28 00:30", "2012-10-28 01:00"],
                                tz="UTC").tz_convert("Europe/Paris")
    history = pd.DataFrame({"channel": "voice", "interval_start": instants,
                            "offered": [1.0, 2.0, 3.0]})
    with pytest.raises(HistoryError, match="repeat channel 'voice'.*same instant"):
        clean_history(history, interval_s=1800)


# --- naive input with tz -----------------------------------------------------------------


def test_naive_repeated_autumn_hour_is_summed_with_tz():
    history = pd.DataFrame({
        "channel": "voice",
        "interval_start": _wall("2012-10-28", ["01:00", "02:00", "02:00", "03:00"]),
        "offered": [1.0, 2.0, 3.0, 4.0],
    })
    before = history.copy()
    tidy, messages = _call(history, interval_s=3600, tz="Europe/Paris")

    assert tidy.interval_start.tolist() == _wall("2012-10-28", ["01:00", "02:00", "03:00"])
    assert tidy.offered.tolist() == [1.0, 5.0, 4.0]
    assert len(messages) == 1 and "repeated autumn hour(s) on 2012-10-28" in messages[0]
    pd.testing.assert_frame_equal(history, before)


def test_naive_autumn_rows_in_real_time_order_are_not_called_unsorted():
    # An exporter writing in real time order gives 02:00 02:30 02:00 02:30.
    history = pd.DataFrame({
        "channel": "voice",
        "interval_start": _wall("2012-10-28", ["01:30", "02:00", "02:30", "02:00", "02:30",
                                               "03:00"]),
        "offered": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    })
    tidy, messages = _call(history, interval_s=1800, tz="Europe/Paris")
    assert tidy.offered.tolist() == [1.0, 6.0, 8.0, 6.0]
    assert len(messages) == 1 and "autumn" in messages[0]


def test_merged_aht_is_weighted_by_offered():
    history = pd.DataFrame({
        "channel": "voice",
        "interval_start": _wall("2012-10-28", ["01:00", "02:00", "02:00", "03:00"]),
        "offered": [5.0, 10.0, 30.0, 5.0],
        "aht_s": [120.0, 100.0, 200.0, 120.0],
    })
    tidy, _ = _call(history, interval_s=3600, tz="Europe/Paris")
    # (10 * 100 + 30 * 200) / 40 = 175
    assert tidy.aht_s.tolist() == [120.0, 175.0, 120.0]
    assert tidy.offered.tolist() == [5.0, 40.0, 5.0]


def test_merged_aht_is_the_plain_mean_without_contacts_and_missing_stays_missing():
    history = pd.DataFrame({
        "channel": ["a", "a", "b", "b"],
        "interval_start": _wall("2012-10-28", ["02:00", "02:00", "02:00", "02:00"]),
        "offered": [0.0, 0.0, 4.0, np.nan],
        "aht_s": [100.0, 300.0, 150.0, np.nan],
    })
    tidy, _ = _call(history, interval_s=3600, tz="Europe/Paris")
    assert tidy.channel.tolist() == ["a", "b"]
    assert tidy.aht_s.tolist() == [200.0, 150.0]
    assert tidy.offered.iloc[0] == 0.0
    assert np.isnan(tidy.offered.iloc[1])  # half the hour unknown: the total is unknown


def test_naive_spring_hour_is_zero_with_tz_and_given_counts_are_kept():
    history = pd.DataFrame({
        "channel": ["voice"] * 3 + ["chat"] * 3,
        "interval_start": (_wall("2012-03-25", ["01:30", "03:00", "04:00"])
                           + _wall("2012-03-25", ["01:30", "02:00", "03:00"])),
        "offered": [1.0, 2.0, 3.0, 4.0, 7.0, 5.0],
    })
    tidy, messages = _call(history, interval_s=1800, tz="Europe/Paris")

    chat = tidy[tidy.channel == "chat"]
    assert chat.interval_start.tolist() == _half_hours("2012-03-25", "01:30", 4)
    assert chat.offered.tolist() == [4.0, 7.0, 0.0, 5.0]  # 02:00 as given, 02:30 filled
    voice = tidy[tidy.channel == "voice"]
    assert voice.interval_start.tolist() == _half_hours("2012-03-25", "01:30", 6)
    offered = voice.offered.tolist()
    assert offered[:4] == [1.0, 0.0, 0.0, 2.0]
    assert np.isnan(offered[4])  # 03:30 is an ordinary gap: still missing
    assert offered[5] == 3.0
    assert len(messages) == 1 and "2012-03-25" in messages[0]


# --- naive input without tz, and errors ------------------------------------------------------


def test_naive_repeat_without_tz_is_an_error_that_suggests_tz():
    history = pd.DataFrame({
        "channel": "voice",
        "interval_start": _wall("2012-10-28", ["01:00", "02:00", "02:00", "03:00"]),
        "offered": [1.0, 2.0, 3.0, 4.0],
    })
    with pytest.raises(HistoryError, match=r"repeat channel 'voice'.*tz='Europe/Paris'"):
        clean_history(history, interval_s=3600)


def test_naive_spring_gap_without_tz_stays_missing_and_silent():
    history = pd.DataFrame({"channel": "voice",
                            "interval_start": _wall("2012-03-25", ["01:00", "03:00"]),
                            "offered": [1.0, 2.0]})
    tidy, messages = _call(history, interval_s=3600)
    assert tidy.offered.isna().tolist() == [False, True, False]
    assert messages == []


@pytest.mark.parametrize("moment", ["2012-10-28 05:00",   # DST day, ordinary hour
                                    "2012-10-21 02:00",   # 02:00 a week before
                                    "2012-03-25 01:00"])  # spring day, ordinary hour
def test_repeat_outside_the_autumn_hour_is_still_an_error_with_tz(moment):
    start = pd.Timestamp(moment)
    history = pd.DataFrame({"channel": "voice",
                            "interval_start": [start, start, start + pd.Timedelta("1h")],
                            "offered": [1.0, 2.0, 3.0]})
    with pytest.raises(HistoryError, match="repeat channel 'voice'.*not"):
        clean_history(history, interval_s=3600, tz="Europe/Paris")


def test_autumn_slot_three_times_is_an_error():
    history = pd.DataFrame({"channel": "voice",
                            "interval_start": _wall("2012-10-28", ["02:00"] * 3),
                            "offered": [1.0, 2.0, 3.0]})
    with pytest.raises(HistoryError, match="more than twice"):
        clean_history(history, interval_s=3600, tz="Europe/Paris")


def test_unknown_zone_is_an_error():
    history = pd.DataFrame({"channel": "voice",
                            "interval_start": _wall("2012-10-28", ["01:00"]),
                            "offered": [1.0]})
    with pytest.raises(HistoryError, match="tz 'Europe/Pariss' is not a known IANA"):
        clean_history(history, interval_s=3600, tz="Europe/Pariss")
