"""Bad input through ``forecast()``: a ``HistoryError`` that says where, what and how to fix it.

STYLE.md section 5: every message names the caller, the field and the value,
states the rule and says how to fix it; the error is a ``ValueError`` too.
The history checks themselves are tested on ``clean_history`` in
``test_baselines.py``; here they are reached through the public entry point.
"""

import re

import numpy as np
import pandas as pd
import pytest

from forecasting import forecast
from forecasting.contracts import METHODS
from forecasting.errors import HistoryError

INTERVAL_S = 3600
PER_DAY = 24


def _history(n_days=2, seed=0):
    rng = np.random.default_rng(seed)
    values = rng.poisson(20, n_days * PER_DAY).astype(float)
    starts = pd.date_range("2026-01-05", periods=values.size, freq="60min")
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": values})


def _raises(history, match, **kwargs):
    kwargs = {"interval_s": INTERVAL_S, "method": "seasonal_naive", **kwargs}
    horizon = kwargs.pop("horizon", 5)
    with pytest.raises(HistoryError, match=match) as caught:
        forecast(history, horizon, **kwargs)
    assert isinstance(caught.value, ValueError)
    return str(caught.value)


# --- the history table ---------------------------------------------------------------------

def test_a_missing_column_is_named_with_the_columns_found():
    history = _history().rename(columns={"offered": "calls"})
    _raises(history, re.escape(
        "forecast(): history has no column 'offered' (found: channel, interval_start, calls). "
        "Name the columns channel, interval_start and offered"))


def test_two_missing_columns_are_both_named():
    history = _history().drop(columns="channel").rename(columns={"interval_start": "ts"})
    _raises(history, re.escape("history has no column 'channel', 'interval_start' "
                               "(found: ts, offered)"))


def test_text_in_counts_names_the_row_and_the_value():
    history = _history().astype({"offered": object})
    history.loc[3, "offered"] = "12a"
    _raises(history, re.escape("forecast(): history row 3: offered '12a' is not a number. "
                               "Fix the value or leave the cell empty"))


def test_text_in_handle_times_names_the_row_and_the_value():
    history = _history().assign(aht_s=240.0).astype({"aht_s": object})
    history.loc[7, "aht_s"] = "4 min"
    _raises(history, re.escape("forecast(): history row 7: aht_s '4 min' is not a number."))


def test_duplicate_timestamps_are_named_with_how_to_fix_them():
    history = _history()
    history = pd.concat([history, history.iloc[[2]]], ignore_index=True)
    _raises(history, re.escape(
        "forecast(): history rows repeat channel 'voice' and interval_start 2026-01-05 02:00:00 "
        "(first at row 2). Sum or drop the duplicates"))


def test_a_negative_count_names_the_row_the_value_and_the_rule():
    history = _history()
    history.loc[1, "offered"] = -2.0
    _raises(history, re.escape("forecast(): history row 1: offered -2 is negative. Counts are "
                               ">= 0; leave the cell empty if unknown."))


def test_a_handle_time_of_zero_is_named():
    history = _history().assign(aht_s=240.0)
    history.loc[5, "aht_s"] = 0.0
    _raises(history, re.escape("forecast(): history row 5: aht_s 0 must be > 0 seconds"))


def test_a_time_that_is_not_a_time_is_named():
    history = _history().astype({"interval_start": object})
    history.loc[4, "interval_start"] = "soon"
    _raises(history, re.escape("forecast(): history row 4: interval_start 'soon' is not a time."))


def test_history_that_is_not_a_table_is_named():
    _raises(history=[1, 2, 3], match=re.escape(
        "forecast(): history must be a pandas DataFrame, got list."))


@pytest.mark.parametrize("interval_s", [0, -900])
def test_an_interval_length_that_is_not_positive_is_named(interval_s):
    _raises(_history(), re.escape(f"forecast(): interval_s must be > 0 seconds, got "
                                  f"{interval_s}."), interval_s=interval_s)


def test_the_input_is_unchanged_when_it_is_rejected():
    history = _history()
    history.loc[1, "offered"] = -2.0
    before = history.copy(deep=True)
    _raises(history, "is negative")
    pd.testing.assert_frame_equal(history, before)


# --- the other arguments -------------------------------------------------------------------

@pytest.mark.parametrize("horizon", [0, -1, 1.5, 2.0, "5", None, True])
def test_a_horizon_that_is_not_a_whole_number_of_intervals_is_named(horizon):
    _raises(_history(), "forecast\\(\\): horizon must be a whole number of intervals >= 1, got "
            + re.escape(f"{horizon!r}."), horizon=horizon)


@pytest.mark.parametrize("method", METHODS + ("auto",))
def test_an_unknown_country_is_named_with_known_codes(method):
    # Checked up front for every method, before any model is fitted.
    _raises(_history(), re.escape(
        "forecast(): unknown holiday calendar country='XX', subdivision=None (")
        + ".*" + re.escape("). Use an ISO code the holidays package knows, e.g. 'FR'"),
        country="XX", method=method)


def test_an_unknown_subdivision_is_named():
    _raises(_history(), re.escape("unknown holiday calendar country='FR', subdivision='ZZ'"),
            country="FR", subdivision="ZZ", method="daily_ets")


def test_a_subdivision_without_a_country_says_to_give_one():
    _raises(_history(), re.escape("forecast(): subdivision 'NY' needs a country, e.g. "
                                  "country='FR'."), subdivision="NY")


@pytest.mark.parametrize("method", ["prophet", "MSTL", "daily-ets", "", None])
def test_an_unknown_method_is_named_with_the_known_ones(method):
    _raises(_history(), re.escape(f"forecast(): method must be one of auto, "
                                  f"{', '.join(METHODS)}; got {method!r}."), method=method)


# --- what a method needs from the history ---------------------------------------------------

@pytest.mark.parametrize("method", ["daily_ets", "daily_arima", "daily_ets_arima"])
def test_a_daily_method_on_a_history_that_stops_mid_day_is_named(method):
    history = _history(n_days=25).iloc[:-3]  # ends at 20:00
    _raises(history, re.escape(f"forecast(): method {method} needs the history of channel "
                               "'voice' to end at midnight (whole days)."), method=method)


@pytest.mark.parametrize("method", ["daily_ets", "daily_arima", "daily_ets_arima"])
def test_a_daily_method_with_too_few_days_says_how_many_it_needs(method):
    _raises(_history(n_days=14), re.escape(
        "channel 'voice' has 14 complete days; the daily model needs at least 21 (three "
        "weeks)."), method=method)


def test_mstl_with_less_than_two_weeks_says_how_much_it_needs():
    _raises(_history(n_days=10), re.escape(
        "channel 'voice' needs at least two weeks of history (336 intervals) with at least a "
        "week of known values; it has 240 intervals, 240 known."),
        method="mstl")


# --- found while writing these tests (failed before the fixes that came with them) ---------

@pytest.mark.parametrize("level", [100, -5])
@pytest.mark.parametrize("method", METHODS)
def test_a_level_outside_0_100_is_named_for_every_method(method, level):
    # The baselines reject it; DailyProfile and MSTLForecast document level "in (0, 100)" but
    # return NaN, infinite or inverted intervals instead.
    _raises(_history(n_days=49), re.escape(f"level must be in (0, 100), e.g. 80, got {level}"),
            level=level, method=method)


def test_an_empty_history_is_named():
    _raises(_history().iloc[:0], "forecast\\(\\): history has no rows")


def test_mstl_on_a_history_with_no_known_value_says_so():
    history = _history(n_days=21).assign(offered=np.nan)
    message = _raises(history, "channel 'voice'.*known", method="mstl")
    assert "504 intervals, 0 known" in message  # 504 intervals, but none of them known


# --- hostile numbers (issue 14): named errors, not raw exceptions or gigabytes --------------

@pytest.mark.parametrize("interval_s", [float("inf"), 1e308, 7 * 86400 + 1])
def test_an_interval_longer_than_a_week_is_named(interval_s):
    _raises(_history(), r"interval_s must be at most one week \(604800 seconds\), got",
            interval_s=interval_s)


def test_a_horizon_beyond_the_bound_is_named_before_any_allocation():
    _raises(_history(), r"horizon must be at most 1,000,000 intervals, got 1,000,000,000",
            horizon=10**9)
    with pytest.raises(HistoryError, match=r"at most 1,000,000"):
        from forecasting import WeeklyAverage

        WeeklyAverage(INTERVAL_S).fit(_history(n_days=7)).predict(10**12)


def test_a_forecast_past_2200_is_named():
    # 24-hour intervals: the last of 100,000 after 2026-01-18 ends 100,001 days later, on
    # 2299-11-04 (datetime arithmetic).
    history = _history(n_days=14)
    daily = history.set_index("interval_start").resample("D")["offered"].sum().reset_index()
    daily["channel"] = "voice"
    _raises(daily, r"100,000 intervals of 86400 s after the history's end \(2026-01-18 "
                   r"00:00:00\) run to 2299-11-04, past 2200-12-31", interval_s=86400,
            horizon=100_000)


@pytest.mark.parametrize("step_s", [float("nan"), float("inf")])
def test_a_backtest_step_that_is_not_a_number_is_named(step_s):
    from forecasting import backtest

    with pytest.raises(HistoryError, match=r"step_s \((nan|inf)\) must be a whole number"):
        backtest(_history(n_days=35), interval_s=INTERVAL_S, horizon=24, step_s=step_s,
                 methods=["weekly_average"])


def test_a_backtest_with_a_billion_origins_is_named_at_once():
    import time

    from forecasting import backtest

    started = time.perf_counter()
    with pytest.raises(HistoryError, match=r"1000000000 origins 7 days apart"):
        backtest(_history(n_days=35), interval_s=INTERVAL_S, horizon=24, n_origins=10**9,
                 methods=["weekly_average"])
    assert time.perf_counter() - started < 10
