"""The Downloads page (AppTest): the CSV files parse back, formulas are escaped, the report.

The bytes of each download are caught where Streamlit stores them (AppTest's
in-memory media storage, replaced here by a subclass that records them), so
the test reads exactly what a browser would download. The totals' cost is
checked against the hand calculation of a flat one-day Erlang C plan
(``mpmath``; paid = ceil(required / 0.8), cost = paid x 24 h x 20).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

import scenarios
from dashboard import _knobs
from tests.dashboard.dashboard_refs import APP, erlang_c_service_level

TINY = """\
name: tiny
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: 24x7
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c, shrinkage: 0.2}
pay: {hourly_rates: {agent: 20}}
variants:
  busy: {channels: {voice: {volume: {daily: 3600}}}}
"""
# A name and a channel a spreadsheet would run as formulas.
EVIL = """\
name: '=HYPERLINK("http://example.invalid","x")'
interval: 1h
horizon: {start: 2026-03-02, days: 1}
channels:
  "-2+3": {volume: {daily: 240, profile: flat}, aht: 4m, target: 80% in 20s}
staffing: {method: erlang_c}
pay: {hourly_rates: {agent: 20}}
"""
# TINY with one shift template (8 h, starting on the hour), for the shifts table.
WITH_SHIFTS = TINY.replace("variants:", """\
shifts:
  templates: [{name: eight, length: 8h, start: {earliest: "00:00", latest: "16:00", step: 8h}}]
  rules: {coverage: hard, time_limit_s: 20}
variants:""")




def hand_cost(contacts_a_day: float) -> float:
    load = contacts_a_day / 24.0 * 240.0 / 3600.0
    n_required = math.floor(load) + 1
    while erlang_c_service_level(n_required, load, 20.0 / 240.0) < 0.8:
        n_required += 1
    return 24.0 * -(-5 * n_required // 4) * 20.0


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Every downloadable file the app stores, by the file name the browser would save."""
    stored: dict[str, bytes] = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            if filename:
                stored[filename] = self.get_file(file_id).content
            return file_id

    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", Recording)
    return stored


def app_on(tmp_path: Path, text: str, name: str) -> AppTest:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["uploads"] = {name: str(path)}
    at.session_state["picked"] = f"uploaded: {name}"
    at.run()
    at.switch_page("views/downloads.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8", keep_default_na=False,
                       na_values=[""])


def test_tables_parse_back_with_the_hand_cost(tmp_path, downloads):
    at = app_on(tmp_path, TINY, "tiny.yaml")
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["intervals.csv", "channels.csv", "totals.csv", "cost_breakdown.csv",
                      "report.html"]                          # no shifts in a quick run
    # The browser saves them under names that carry the scenario file's stem.
    assert set(downloads) == {"tiny_quick_intervals.csv", "tiny_quick_channels.csv",
                              "tiny_quick_totals.csv", "tiny_quick_cost_breakdown.csv",
                              "tiny_quick_report.html"}
    totals = read_csv(downloads["tiny_quick_totals.csv"]).set_index("scenario")
    assert totals.loc["tiny", "cost"] == pytest.approx(hand_cost(2400))
    assert totals.loc["tiny / busy", "cost"] == pytest.approx(hand_cost(3600))
    intervals = read_csv(downloads["tiny_quick_intervals.csv"])
    assert len(intervals) == 2 * 24                           # two scenarios x 24 hours
    assert intervals["offered"].tolist() == pytest.approx([100.0] * 24 + [150.0] * 24)
    starts = pd.to_datetime(intervals["interval_start"].iloc[:24])
    assert starts.iloc[0] == pd.Timestamp("2026-03-02T00:00:00+00:00")
    assert (starts.diff().dropna() == pd.Timedelta(hours=1)).all()
    channels = read_csv(downloads["tiny_quick_channels.csv"])
    assert channels["cost"].sum() == pytest.approx(hand_cost(2400) + hand_cost(3600))
    breakdown = read_csv(downloads["tiny_quick_cost_breakdown.csv"])
    wages = breakdown[(breakdown["component"] == "wages")].set_index("scenario")["amount"]
    assert wages["tiny"] == pytest.approx(hand_cost(2400))
    page = downloads["tiny_quick_report.html"].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "tiny / busy" in page


def test_formula_cells_come_out_as_text(tmp_path, downloads):
    app_on(tmp_path, EVIL, "evil.yaml")
    name = '=HYPERLINK("http://example.invalid","x")'
    totals = read_csv(downloads["evil_quick_totals.csv"])
    assert totals["scenario"].tolist() == ["'" + name]
    assert totals["cost"].dtype.kind == "f"                    # numbers stay numbers
    channels = read_csv(downloads["evil_quick_channels.csv"])
    assert channels["channel"].tolist() == ["'-2+3"]
    intervals = read_csv(downloads["evil_quick_intervals.csv"])
    assert set(intervals["scenario"]) == {"'" + name}
    assert set(intervals["channel"]) == {"'-2+3"}
    # No unescaped formula anywhere: every text cell starting with = + - @ has the apostrophe.
    for file, data in downloads.items():
        if file.endswith(".csv"):
            for column in read_csv(data).select_dtypes(exclude="number").columns:
                for cell in read_csv(data)[column].dropna().astype(str):
                    assert not cell.startswith(("=", "+", "-", "@")), (file, column, cell)


@pytest.mark.slow
def test_full_run_offers_its_tables_and_the_shifts(tmp_path, downloads):
    at = app_on(tmp_path, WITH_SHIFTS, "shifted.yaml")
    path = tmp_path / "shifted.yaml"
    key = scenarios.load_scenarios(path, variants=False)[0].sha256
    # As the Scenarios page's full-run button leaves it (the page then runs it, cached).
    at.session_state["full_run"] = (str(path), key, _knobs.as_json({}))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.radio(key="dl_kind").set_value("full").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.label for b in at.get("download_button")]
    assert "shifts.csv" in labels
    shifts = read_csv(downloads["shifted_full_shifts.csv"])
    assert set(shifts.columns) >= {"scenario", "shift_id", "shift_start", "duration_s",
                                   "headcount"}
    assert set(shifts["duration_s"]) == {8 * 3600.0}
    # Flat demand and hard coverage: each 8-hour shift carries the hand plan's paid agents
    # (cost / 24 h / 20 an hour), in both scenarios.
    headcount = shifts.groupby("scenario")["headcount"].agg(["min", "max", "size"])
    for scenario, daily in (("tiny", 2400), ("tiny / busy", 3600)):
        paid = hand_cost(daily) / 24 / 20
        assert headcount.loc[scenario].tolist() == [paid, paid, 3]
    # Shifts start at 00:00, 08:00 or 16:00 (the template's starts).
    hours = {pd.Timestamp(s).hour for s in shifts["shift_start"]}
    assert hours <= {0, 8, 16}
    assert "shifted_full_report.html" in downloads


@pytest.mark.slow
def test_downloads_page_in_the_browser(page, screenshot, tmp_path):
    """In chromium: each table's row count shown is the count of its rows (two scenarios x 24
    hours, two scenarios, ...), every button's file name reads in full at 1400 and 1000 px,
    and the page is saved at both."""
    from playwright.sync_api import expect

    from tests.dashboard.conftest import at_both_widths, upload
    from tests.dashboard.test_browser import go_to

    upload(page, "tiny.yaml", TINY)
    go_to(page, "Downloads")
    for file_name, rows in (("tiny_quick_intervals.csv", 2 * 24), ("tiny_quick_channels.csv", 2),
                            ("tiny_quick_totals.csv", 2)):
        line = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=file_name)
        expect(line).to_contain_text(f"{rows} rows")
    at_both_widths(page, screenshot, "downloads")
