"""forecast.html and backtest.html built from hand-made tables: the answer first, days never
summed over missing intervals, user text escaped, byte-identical pages."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd

import forecasting
from scenarios.report import backtest_chart_html, forecast_chart_html


def _tables():
    starts = pd.date_range("2026-03-02", periods=6 * 24, freq="h")
    history = pd.DataFrame({"channel": "<b>x</b>", "interval_start": starts,
                            "offered": np.tile(np.r_[np.zeros(8), np.full(16, 10.0)], 6)})
    history.loc[30, "offered"] = np.nan  # Tuesday has a missing hour
    ahead = pd.date_range("2026-03-08", periods=36, freq="h")
    forecast = pd.DataFrame({"channel": "<b>x</b>", "interval_start": ahead,
                             "offered": 10.0, "offered_lo": 5.0, "offered_hi": 15.0})
    return history, forecast


def _traces(page: str, div_id: str) -> dict[str, dict]:
    """The traces of one figure of the page, by name (from its Plotly.newPlot call)."""
    call = re.search(rf'Plotly\.newPlot\(\s*"{div_id}",', page)
    assert call is not None
    data, _ = json.JSONDecoder().raw_decode(page, page.index("[", call.end()))
    return {trace.get("name"): trace for trace in data}


def test_a_day_with_a_missing_interval_has_no_total():
    history, forecast = _tables()
    page = forecast_chart_html(history, forecast, {}, 3600, "t",
                               daily=forecasting.daily_totals(forecast), level=80)
    actual = _traces(page, "forecast-0-days")["actual"]["y"]
    # 16 open hours of 10 contacts a day; Tuesday misses an hour: unknown, not 150
    assert actual == [160.0, None, 160.0, 160.0, 160.0, 160.0]


def test_forecast_page_leads_with_the_pick_escapes_and_repeats():
    history, forecast = _tables()
    methods = {"<b>x</b>": {"method": "weekly_average",
                            "backtest_wape": {"seasonal_naive": 0.31, "weekly_average": 0.2}}}
    daily = forecasting.daily_totals(forecast)

    def build():
        return forecast_chart_html(history, forecast, methods, 3600, "t <i>", daily=daily,
                                   level=80)

    page = build()
    assert page == build()
    assert "<b>x</b>" not in page and "<i>" not in page.split("<body>")[1]
    text = re.sub(r"<[^>]+>", " ", page.split("<body>")[1].split("<script")[0])
    words = " ".join(text.split())
    assert "weekly_average 20.0% 31.0% 20.0% (picked) 360 contacts" in words
    assert page.count("Plotly.newPlot") == 2 and page.count("plotly.js v") == 1
    # Two forecast days: 24 intervals, then 12 of 24 (a part of a day, said so).
    assert "12 of 24 intervals" in page and page.count("24 of 24") == 0


def test_no_backtest_race_is_said_not_shown_as_numbers():
    history, forecast = _tables()
    methods = {"<b>x</b>": {"method": "weekly_average",
                            "backtest_wape": {"seasonal_naive": math.nan,
                                              "weekly_average": math.nan}}}
    page = forecast_chart_html(history, forecast, methods, 3600, "t",
                               daily=forecasting.daily_totals(forecast), level=80)
    assert "no backtest: the history is too short" in page


def test_backtest_page_names_the_lowest_wape_per_channel_first():
    by_channel = pd.DataFrame({
        "method": ["a", "b", "a", "b"], "channel": ["voice", "voice", "chat", "chat"],
        "n": 10, "wape": [0.30, 0.20, 0.10, np.nan], "daily_wape": 0.1, "bias": -0.02,
        "mase": 0.9, "coverage": 0.8})
    by_day = pd.DataFrame({"method": ["a", "b"], "horizon_day": [1, 1], "n": 10,
                           "wape": [0.2, 0.3], "daily_wape": 0.1, "bias": 0.0, "mase": 1.0,
                           "coverage": 0.8})
    page = backtest_chart_html(by_day, by_channel, "bt")
    first = page.split("<table>")[1].split("</table>")[0]
    words = " ".join(re.sub(r"<[^>]+>", " ", first).split())
    assert "chat a 10.0% 10.0% -2.0% 80.0% -" in words  # b could not run on chat
    assert "voice b 20.0% 10.0% -2.0% 80.0% a (30.0%)" in words
    assert page == backtest_chart_html(by_day, by_channel, "bt")


def test_only_a_day_the_horizon_cuts_is_called_part_of_a_day_not_a_dst_day():
    # Paris: 2026-03-29 has 23 hours; the forecast runs 24 + 23 + 12 hours.
    ahead = pd.date_range("2026-03-28", periods=59, freq="h", tz="Europe/Paris")
    forecast = pd.DataFrame({"channel": "voice", "interval_start": ahead, "offered": 10.0,
                             "offered_lo": 5.0, "offered_hi": 15.0})
    history = pd.DataFrame({"channel": "voice", "offered": 10.0, "interval_start": pd.date_range(
        "2026-03-21", periods=7 * 24, freq="h", tz="Europe/Paris")})
    daily = forecasting.daily_totals(forecast)
    assert daily["n_intervals"].tolist() == [24, 23, 12]
    page = forecast_chart_html(history, forecast, {"voice": {"method": "weekly_average",
                                                             "backtest_wape": {}}},
                               3600, "t", daily=daily, level=80)
    assert "12 of 24 intervals" in page and "23 of 24" not in page
