"""The Forecast page (Streamlit AppTest).

Scenario files and histories are written into ``tmp_path`` and picked as an
upload. The expected numbers come from outside ``ccplan``:

- the history repeats one week exactly (contacts = 10 + hour + 7 x weekday,
  four weeks), so a seasonal-naive forecast (last week repeated) is that same
  pattern, with nothing left over for the prediction interval;
- on such a series both seasonal-naive and the weekly average (the mean of
  identical weeks) backtest with no error at all: WAPE 0, so "auto" picks a
  method whose WAPE is 0;
- a channel given as a flat daily total spreads it evenly: 240 a day is 10 an
  hour, and the volume knob multiplies that.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.dashboard_refs import chart, knob, trace, values

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"

HISTORY_START = pd.Timestamp("2026-02-02")        # a Monday; four whole weeks
HORIZON_START = pd.Timestamp("2026-03-02")        # the Monday after

SCENARIO = """\
name: weekly
interval: 1h
horizon: {{start: 2026-03-02, days: 7}}
hours: 24x7
channels:
  voice: {{volume: {{history: history.csv, method: {method}}}, aht: 4m, target: 80% in 20s}}
  chat: {{volume: {{daily: 240, profile: flat}}, aht: 6m, target: 80% in 60s}}
staffing: {{method: erlang_c}}
"""


def pattern(stamps: pd.DatetimeIndex) -> np.ndarray:
    """The contacts of the constructed week: 10 + hour of day + 7 x weekday (Mon = 0)."""
    return (10 + stamps.hour + 7 * stamps.day_of_week).to_numpy(dtype=float)


def write_files(folder: Path, method: str) -> Path:
    stamps = pd.date_range(HISTORY_START, periods=4 * 7 * 24, freq="h")
    pd.DataFrame({"interval_start": stamps.strftime("%Y-%m-%dT%H:%M:%S"),
                  "offered": pattern(stamps).astype(int)}).to_csv(folder / "history.csv",
                                                                  index=False)
    path = folder / "weekly.yaml"
    path.write_text(SCENARIO.format(method=method), encoding="utf-8")
    return path


def forecast_page(path: Path) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["uploads"] = {path.name: str(path)}
    at.session_state["picked"] = f"uploaded: {path.name}"
    at.run()
    at.switch_page("views/forecast.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at








def times(data: dict) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(data["x"]))


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_seasonal_naive_on_an_exact_weekly_pattern_forecasts_the_pattern(tmp_path):
    at = forecast_page(write_files(tmp_path, "seasonal_naive"))
    assert at.selectbox(key="forecast_channel").value == "voice"
    spec = chart(at, "forecast_chart")

    ahead = trace(spec, "forecast")
    stamps = times(ahead)
    assert list(stamps) == list(pd.date_range(HORIZON_START, periods=7 * 24, freq="h"))
    assert values(ahead) == pytest.approx(pattern(stamps), abs=1e-9)
    # The 80% interval: both edges drawn, and on an exact pattern nothing is left to spread.
    low = values(trace(spec, "80% prediction interval (lower)"))
    high = values(trace(spec, "80% prediction interval (upper)"))
    assert low == pytest.approx(pattern(stamps), abs=1e-9)
    assert high == pytest.approx(pattern(stamps), abs=1e-9)
    assert trace(spec, "80% prediction interval")["fill"] == "toself"

    # History: the last four weeks of the file, as written.
    past = trace(spec, "history (actual)")
    assert times(past).min() >= HISTORY_START
    assert times(past).max() == HORIZON_START - pd.Timedelta(hours=1)
    assert values(past) == pytest.approx(pattern(times(past)))
    assert spec["layout"]["xaxis"]["title"]["text"] == "local time"
    assert spec["layout"]["yaxis"]["title"]["text"] == "contacts offered per 60 min"

    # The file names the method: nothing was backtested, and the page says so.
    assert not at.dataframe
    assert any("names the method (seasonal_naive)" in i.value for i in at.info)


def test_auto_shows_the_backtest_scores_and_the_pick(tmp_path):
    at = forecast_page(write_files(tmp_path, "auto"))
    table = at.dataframe[0].value
    assert list(table.columns) == ["method", "backtest WAPE (%)", "picked"]
    wape = table.set_index("method")["backtest WAPE (%)"]
    assert wape["seasonal_naive"] == pytest.approx(0.0, abs=1e-9)
    assert wape["weekly_average"] == pytest.approx(0.0, abs=1e-9)
    picked = table[table["picked"]]
    assert len(picked) == 1
    assert picked["backtest WAPE (%)"].iloc[0] == pytest.approx(0.0, abs=1e-9)
    # Whichever exact method was picked, the forecast is the pattern.
    ahead = trace(chart(at, "forecast_chart"), "forecast")
    assert values(ahead) == pytest.approx(pattern(times(ahead)), abs=1e-9)


def test_a_channel_without_history_shows_the_demand_and_follows_the_volume_knob(tmp_path):
    path = write_files(tmp_path, "seasonal_naive")
    at = forecast_page(path)
    at.selectbox(key="forecast_channel").select("chat").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("no history to forecast from" in i.value and "daily totals" in i.value
               for i in at.info)
    assert not [c for c in at.get("plotly_chart") if c.proto.id.endswith("-forecast_chart")]
    demand = trace(chart(at, "demand_chart"), "offered (scenario demand)")
    assert list(times(demand)) == list(pd.date_range(HORIZON_START, periods=7 * 24, freq="h"))
    assert values(demand) == pytest.approx([240 / 24] * (7 * 24), rel=1e-12)

    # The volume knob on the Scenarios page scales the demand the scenario uses.
    at.switch_page("views/scenarios.py").run()
    knob(at, "Volume scale").set_value(1.5).run()
    assert not at.exception, [e.value for e in at.exception]
    at.switch_page("views/forecast.py").run()
    at.selectbox(key="forecast_channel").select("chat").run()
    demand = trace(chart(at, "demand_chart"), "offered (scenario demand)")
    assert values(demand) == pytest.approx([1.5 * 240 / 24] * (7 * 24), rel=1e-12)


def test_one_week_of_history_leaves_the_forecast_most_of_the_axis(tmp_path):
    """Issue 18: four weeks of history left the forecast a thin slice; "1 week" keeps the
    history's last 7 x 24 hours (as the file has them) and the same forecast."""
    at = forecast_page(write_files(tmp_path, "seasonal_naive"))
    at.segmented_control(key="forecast_history_weeks").set_value("1 week").run()
    assert not at.exception, [e.value for e in at.exception]
    spec = chart(at, "forecast_chart")
    past = trace(spec, "history (actual)")
    assert list(times(past)) == list(pd.date_range(HORIZON_START - pd.Timedelta(weeks=1),
                                                   periods=7 * 24, freq="h"))
    assert values(past) == pytest.approx(pattern(times(past)))
    ahead = trace(spec, "forecast")
    assert list(times(ahead)) == list(pd.date_range(HORIZON_START, periods=7 * 24, freq="h"))
    assert spec["layout"]["title"]["text"] == "voice: last week of history and the forecast"


@pytest.mark.slow
def test_forecast_page_in_the_browser(page, screenshot):
    """In chromium, the bundled Anonymous Bank (a history file): the method the page names
    is the one the public forecast picked for the channel, nothing is cut off at 1400 or
    1000 px, and the page is saved at both widths."""
    from playwright.sync_api import expect

    import scenarios
    from tests.dashboard.conftest import at_both_widths
    from tests.dashboard.test_browser import choose, go_to

    bank = next(p for p in scenarios.example_files() if p.name == "anonymous_bank.yaml")
    base = scenarios.load_scenarios(bank, variants=False)[0]
    _, forecast = scenarios.pipeline.scenario_forecast(base)
    channel = base.channels[0].name
    method = forecast.methods[channel]["method"]
    choose(page, "Scenario file", "bundled: anonymous_bank.yaml")
    go_to(page, "Forecast")
    expect(page.get_by_text(f"Forecast method: {method}.")).to_be_visible(timeout=300_000)
    at_both_widths(page, screenshot, "forecast")
