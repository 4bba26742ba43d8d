"""The bundled Vancouver 3-1-1 slice ``vancouver_311_daily.csv`` and what the example reads from it.

The file is a slice of the shared daily series (scenarios/examples/data/SOURCE.md); these
tests read only the committed files (no ``../shared``): its shape, and that the numbers
``vancouver_311_capacity.yaml`` says come from it (the weekday shape, the plan's start) are
what the file holds.
"""

from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "scenarios" / "examples"
DAILY = EXAMPLES / "data" / "vancouver_311_daily.csv"
EXAMPLE = EXAMPLES / "vancouver_311_capacity.yaml"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(DAILY, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def daily() -> pd.DataFrame:
    return pd.read_csv(DAILY, parse_dates=["date"])


@pytest.fixture(scope="module")
def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def test_columns_channel_and_whole_numbers(raw):
    assert list(raw.columns) == ["channel", "date", "offered"]
    assert set(raw["channel"]) == {"voice"}
    assert raw["date"].str.fullmatch(r"\d{4}-\d\d-\d\d").all()
    assert raw["offered"].str.fullmatch(r"\d+").all()   # counts, none missing


def test_whole_weeks_of_consecutive_days(daily):
    d = daily["date"]
    assert d.diff().iloc[1:].eq(pd.Timedelta(days=1)).all()
    assert (d.iloc[0], d.iloc[0].day_name()) == (pd.Timestamp("2021-01-04"), "Monday")
    assert (d.iloc[-1], d.iloc[-1].day_name()) == (pd.Timestamp("2024-09-29"), "Sunday")
    assert len(daily) == 195 * 7


def test_the_example_weekday_shape_is_the_last_53_weeks_of_the_file(daily, example):
    last = daily[daily["date"] >= daily["date"].iloc[-1] - pd.Timedelta(days=53 * 7 - 1)]
    assert len(last) == 53 * 7
    means = last.groupby(last["date"].dt.day_of_week)["offered"].mean()
    written = example["channels"]["voice"]["volume"]["daily"]
    assert {day: written[day] for day in DAYS} == {
        day: round(float(means[k])) for k, day in enumerate(DAYS)}


def test_the_plan_starts_the_monday_after_the_history(daily, example):
    start = pd.Timestamp(example["capacity"]["start"])
    assert start == daily["date"].iloc[-1] + pd.Timedelta(days=1)
    assert start.day_name() == "Monday"
    assert example["capacity"]["demand"]["history"] == "data/vancouver_311_daily.csv"
    assert example["capacity"]["weeks"] == 78
