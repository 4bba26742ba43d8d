"""load_scenarios(overrides=...) (the dashboard's knobs) and scenario_forecast (its Forecast page).

Expected values are worked out by hand from the files written here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scenarios import InputFileError, load_scenarios
from scenarios.pipeline import scenario_demand, scenario_forecast

BASE = """\
horizon: {start: 2026-03-02, days: 1}
interval: 1h
channels:
  voice: {volume: {daily: 240, profile: flat}, aht: 4m, target: 80% in 20s}
  chat: {volume: {daily: 48, profile: flat}, aht: 6m, target: 80% in 60s, concurrency: 2}
shifts:
  templates: [{name: day, length: 8h, start: {earliest: "00:00", latest: "16:00", step: 1h}}]
variants:
  busy: {volume_scale: 1.5}
"""


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_overrides_change_fields_before_variants(tmp_path):
    path = write(tmp_path, BASE)
    base, busy = load_scenarios(path, overrides={"volume_scale": 2.0,
                                                 "channels.voice.aht": "5m",
                                                 "staffing": {"shrinkage": 0.25}})
    assert base.volume_scale == 2.0 and base.channels[0].aht_s == 300.0
    assert base.shrinkage == 0.25
    # The variant builds on the overrides: its own volume_scale wins, the AHT stays overridden.
    assert busy.volume_scale == 1.5 and busy.channels[0].aht_s == 300.0
    demand = scenario_demand(base)
    # 240 a day, flat over 24 hourly intervals, times 2: 20 per interval.
    voice = demand[demand["channel"] == "voice"]["offered"].to_numpy()
    assert np.allclose(voice, 20.0)
    # The file's hash does not change with the knobs.
    assert base.sha256 == load_scenarios(path)[0].sha256


def test_none_removes_a_section(tmp_path):
    path = write(tmp_path, BASE)
    assert load_scenarios(path)[0].shift_rules is not None
    assert load_scenarios(path, overrides={"shifts": None})[0].shift_rules is None


def test_bad_override_names_the_setting(tmp_path):
    path = write(tmp_path, BASE)
    with pytest.raises(InputFileError, match=r"with the settings staffing\.shrinkage=1\.5: "
                                             r"staffing\.shrinkage must be less than 1"):
        load_scenarios(path, overrides={"staffing.shrinkage": 1.5})
    with pytest.raises(InputFileError, match=r"with the settings staffing\.method='erlang_a'.*"
                                             r"patience"):
        load_scenarios(path, overrides={"staffing.method": "erlang_a"})


def test_scenario_forecast_repeats_an_exact_weekly_pattern(tmp_path):
    # Four weeks of hourly history with an exact weekly pattern: seasonal naive repeats it.
    starts = pd.date_range("2026-02-02", periods=4 * 168, freq="h")
    pattern = np.array([(h % 24) + 10 * (h // 24) for h in range(168)], dtype=float)
    history = pd.DataFrame({"channel": "voice", "interval_start": starts,
                            "offered": np.tile(pattern, 4)})
    history.to_csv(tmp_path / "history.csv", index=False)
    path = write(tmp_path, """\
horizon: {start: 2026-03-02, days: 7}
interval: 1h
channels:
  voice: {volume: {history: history.csv, method: seasonal_naive}, aht: 4m, target: 80% in 20s}
  chat: {volume: {daily: 100, profile: flat}, aht: 6m, target: 80% in 60s}
""")
    scn = load_scenarios(path)[0]
    hist, result = scenario_forecast(scn)
    fc = result.table
    assert list(fc["channel"].unique()) == ["voice"]          # chat is not forecast
    assert len(hist) == 4 * 168 and len(fc) == 168
    assert np.allclose(fc["offered"].to_numpy(), pattern)
    assert (fc["offered_lo"] <= fc["offered"]).all() and (fc["offered"] <= fc["offered_hi"]).all()
    assert result.methods["voice"]["method"] == "seasonal_naive"


def test_scenario_forecast_is_empty_without_history(tmp_path):
    hist, result = scenario_forecast(load_scenarios(write(tmp_path, BASE))[0])
    fc = result.table
    assert hist.empty and fc.empty
    assert {"offered_lo", "offered_hi"} <= set(fc.columns)


def test_analytic_drops_shifts_and_simulation_and_sizes_simulation_by_erlang_a(tmp_path):
    text = BASE.replace("aht: 4m, target: 80% in 20s}",
                        "aht: 4m, target: 80% in 20s, patience: 3m}").replace(
        "concurrency: 2}", "concurrency: 2, patience: 5m}")
    text += "staffing: {method: simulation}\nsimulation: {replications: 4}\n"
    scn = load_scenarios(write(tmp_path, text), variants=False)[0]
    assert scn.method == "simulation" and scn.n_replications == 4 and scn.shift_rules
    quick = scn.analytic()
    assert (quick.method, quick.n_replications, quick.shift_rules) == ("erlang_a", 0, None)
    assert (quick.name, quick.sha256, quick.channels) == (scn.name, scn.sha256, scn.channels)


def test_forecast_follows_an_edited_history_file(tmp_path):
    # The forecast of a history is remembered while the file is unchanged: an edit shows.
    starts = pd.date_range("2026-02-02", periods=4 * 168, freq="h")
    path = write(tmp_path, """\
horizon: {start: 2026-03-02, days: 7}
interval: 1h
channels:
  voice: {volume: {history: history.csv, method: seasonal_naive}, aht: 4m, target: 80% in 20s}
""")
    for level in (10.0, 25.0):
        pd.DataFrame({"channel": "voice", "interval_start": starts,
                      "offered": level}).to_csv(tmp_path / "history.csv", index=False)
        scn = load_scenarios(path)[0]
        _hist, result = scenario_forecast(scn)
        fc = result.table
        assert np.allclose(fc["offered"].to_numpy(), level)
        # Twice in a row: the same numbers (the second comes from the memory).
        assert np.allclose(scenario_forecast(scn)[1].table["offered"].to_numpy(), level)


def test_each_scenario_says_what_kind_it_is(tmp_path):
    path = write(tmp_path, BASE + "sweep:\n  volume_scale: [1.0, 1.1]\n")
    assert [s.kind for s in load_scenarios(path)] == ["base", "variant", "sweep", "sweep"]
