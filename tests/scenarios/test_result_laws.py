"""Every result table obeys the queue's laws; confidence bands stay in their range.

The issue's case: the bundled anonymous_bank.yaml wrote service_level_high > 1 in 279
of 384 intervals, abandon_rate_low < 0 in 316 and asa_s_low down to -59 s.
"""

from dataclasses import replace

import numpy as np
import pytest

from scenarios import load_scenarios, run_scenario
from scenarios.files import example_files
from scenarios.pipeline import ResultInvariantError, check_result


@pytest.fixture(scope="module")
def bank_results():
    path = next(p for p in example_files() if p.name == "anonymous_bank.yaml")
    return [run_scenario(s) for s in load_scenarios(path)]


@pytest.mark.slow
def test_anonymous_bank_bands_stay_in_range(bank_results):
    n_rows = 0
    for result in bank_results:
        for table in (result.intervals, result.channels):
            for name in ("service_level", "abandon_rate"):
                low, high = table[f"{name}_low"], table[f"{name}_high"]
                assert low.notna().any()
                assert (low.dropna() >= 0).all() and (high.dropna() <= 1).all(), name
                ok = table[name].notna() & low.notna()
                assert (low[ok] <= table.loc[ok, name] + 1e-12).all()
                assert (table.loc[ok, name] <= high[ok] + 1e-12).all()
            assert (table["asa_s_low"].dropna() >= 0).all()
        n_rows += int(result.intervals["service_level_high"].notna().sum())
    assert n_rows == 384  # the open intervals with contacts, as in the issue


def test_anonymous_bank_totals_obey_the_queue(bank_results):
    for result in bank_results:
        for table in (result.channels, result.totals):
            assert (table["handled"] + table["abandoned"] <= table["offered"] + 1e-9).all()
            assert ((table["abandon_rate"] >= 0) & (table["abandon_rate"] <= 1)).all()
        check_result(result)  # the pipeline's own check agrees


@pytest.mark.parametrize(("table", "column", "value", "words"), [
    ("intervals", "service_level_high", 1.19, "intervals.service_level_high must be in"),
    ("intervals", "asa_s_low", -59.0, "intervals.asa_s_low must be >= 0"),
    ("totals", "abandon_rate", 1.006, "totals.abandon_rate must be in"),
    ("channels", "abandoned", 1e9, "handled \\+ abandoned must be <= offered"),
])
def test_check_result_names_the_broken_law(bank_results, table, column, value, words):
    good = bank_results[0]
    frame = getattr(good, table).copy()
    frame.loc[frame.index[0], column] = value
    broken = replace(good, **{table: frame})
    with pytest.raises(ResultInvariantError, match=words) as err:
        check_result(broken)
    assert "anonymous_bank.yaml" in str(err.value) and "bug in ccplan" in str(err.value)


def test_check_result_passes_nan(bank_results):
    good = bank_results[0]
    frame = good.intervals.copy()
    frame["service_level_low"] = np.nan
    check_result(replace(good, intervals=frame))
