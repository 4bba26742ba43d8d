"""The bundled per-call week agrees with the bundled history, interval by interval.

``scenarios/examples/data/anonymous_bank_calls_week.csv.gz`` (one row per offered call,
14-20 Feb 1999) and ``anonymous_bank_history.csv`` (30-minute counts) are built from the same
records by different scripts; counting the calls per 30 minutes here must give the history's
``offered`` for that week exactly (totals per day in ``data/SOURCE.md``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "scenarios" / "examples" / "data"


def test_calls_counted_per_30_minutes_equal_the_history_week():
    calls = pd.read_csv(DATA / "anonymous_bank_calls_week.csv.gz")
    assert list(calls.columns) == ["offered_at"]
    times = pd.to_datetime(calls["offered_at"], format="%Y-%m-%d %H:%M:%S")
    assert times.is_monotonic_increasing
    assert times.min() >= pd.Timestamp("1999-02-14") and times.max() < pd.Timestamp("1999-02-21")
    counted = times.dt.floor("30min").value_counts()

    history = pd.read_csv(DATA / "anonymous_bank_history.csv")
    history["interval_start"] = pd.to_datetime(history["interval_start"])
    week = history[(history["interval_start"] >= "1999-02-14")
                   & (history["interval_start"] < "1999-02-21")]
    assert len(week) == 7 * 48
    expected = week.set_index("interval_start")["offered"]
    got = counted.reindex(expected.index, fill_value=0)
    pd.testing.assert_series_equal(got, expected, check_names=False, check_dtype=False)
    per_day = times.dt.date.value_counts().sort_index().tolist()
    assert per_day == [1466, 1416, 1628, 1368, 1318, 392, 185]   # SOURCE.md
    assert len(calls) == 7773
