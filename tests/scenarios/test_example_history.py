"""The bundled history slice ``anonymous_bank_history.csv``: shape, values, and a cross-check.

The file is built by ``docs/scripts/make_example_history.py`` from the shared per-call
data; these tests read only the committed files (no ``../shared``). The cross-check
compares it with the independently built week file ``anonymous_bank_week_voice.csv``
(15-minute intervals, opening hours only) over the intervals both cover.
"""

from pathlib import Path

import pandas as pd
import pytest

import forecasting
from scenarios.files.history import read_history

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "scenarios" / "examples" / "data"
HISTORY = DATA / "anonymous_bank_history.csv"
WEEK = DATA / "anonymous_bank_week_voice.csv"
STEP = pd.Timedelta(minutes=30)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The file as text, so that '12' vs '12.0' and empty cells are seen as written."""
    return pd.read_csv(HISTORY, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return pd.read_csv(HISTORY, parse_dates=["interval_start"])


def test_columns_and_channel(raw):
    assert list(raw.columns) == ["channel", "interval_start", "offered", "aht_s"]
    assert set(raw["channel"]) == {"voice"}
    # Naive wall-clock ISO timestamps, like the week file.
    assert raw["interval_start"].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00").all()


def test_whole_weeks_of_consecutive_30_minute_intervals(history):
    t = history["interval_start"]
    assert t.diff().iloc[1:].eq(STEP).all()
    assert t.iloc[0] == pd.Timestamp("1999-01-17 00:00")  # a Sunday, after 11-12 Jan
    assert t.iloc[-1] == pd.Timestamp("1999-02-27 23:30")  # a Saturday
    assert len(history) == 6 * 7 * 48


def test_offered_is_a_non_negative_whole_number(raw):
    # Every day of the span has per-call records, so no cell is missing.
    assert raw["offered"].str.fullmatch(r"\d+").all()


def test_aht_empty_exactly_where_nothing_was_served(raw, history):
    empty = raw["aht_s"] == ""
    assert (empty == history["aht_s"].isna()).all()
    # No call offered, so none served: aht_s must be missing, never 0.
    assert empty[history["offered"] == 0].all()
    # Calls offered but none served (hung up in the queue): a few late-night/early-morning
    # intervals and Friday 14:00 stragglers (see SOURCE.md).
    served_none = empty & (history["offered"] > 0)
    assert served_none.sum() == 7
    assert history.loc[served_none, "offered"].max() <= 4


def test_aht_is_plausible(history):
    aht = history["aht_s"].dropna()
    assert (aht > 0).all() and (aht <= 1200).all()
    # A mean over a few calls lies in 30-1200 s. Below 30 s are only intervals of 1-2 calls
    # just outside opening hours (06:30, 00:00) whose one served call was short (SOURCE.md).
    several = history["offered"] >= 3
    assert history.loc[several, "aht_s"].dropna().between(30, 1200).all()
    short = history[history["aht_s"] < 30]
    assert (short["offered"] <= 2).all()
    assert set(short["interval_start"].dt.strftime("%H:%M")) <= {"06:30", "00:00"}


def test_week_agrees_with_the_week_file(history):
    week = pd.read_csv(WEEK, parse_dates=["interval_start"])
    # The week file's opening hours start and end on half hours, so each of its 30-minute
    # slots is made of two 15-minute rows and can be compared with the history exactly.
    halves = week.groupby(week["interval_start"].dt.floor(STEP))["offered"]
    assert (halves.size() == 2).all()
    per_slot = halves.sum()
    hist = history.set_index("interval_start")["offered"]
    assert hist.reindex(per_slot.index).tolist() == per_slot.tolist()

    def per_day(counts: pd.Series) -> dict:
        return counts.groupby(counts.index.date).sum().to_dict()

    assert per_day(hist.reindex(per_slot.index)) == per_day(per_slot)
    assert per_slot.sum() == 7758
    # Outside the week file's hours the history keeps 15 more calls of 14-20 Feb: the ones
    # the week file reports as dropped outside opening hours (12 at 06:45-07:00, 1 at 00:01
    # on Tue 16, 2 at 14:00 on Fri 19).
    in_week = hist["1999-02-14":"1999-02-20 23:30"]
    outside = in_week[~in_week.index.isin(per_slot.index)]
    assert outside.sum() == 15
    assert outside[outside > 0].to_dict() == {
        pd.Timestamp("1999-02-14 06:30"): 1, pd.Timestamp("1999-02-15 06:30"): 2,
        pd.Timestamp("1999-02-16 00:00"): 1, pd.Timestamp("1999-02-16 06:30"): 3,
        pd.Timestamp("1999-02-18 06:30"): 6, pd.Timestamp("1999-02-19 14:00"): 2,
    }


def test_ccplan_reads_it_as_a_history():
    table = read_history(HISTORY, interval_s=1800)
    tidy = forecasting.clean_history(table, interval_s=1800, where=str(HISTORY))
    assert len(tidy) == 2016
    assert tidy["offered"].notna().all()
    assert tidy["offered"].sum() == 43838
