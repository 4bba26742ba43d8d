"""The shrinkage plan (issue 17), by hand.

* A week across a month end takes each day's month: 3 March days and 4 April days give
  ``3/7 x March + 4/7 x April``, written out as arithmetic here; the same across a year end.
* Hours per week and per public holiday (Monday-Friday only, repeats once) over the contracted
  hours; per-week shares; the total is the sum (additive shrinkage).
* The total feeds ``AgentGroup.shrinkage``: available FTE = heads x (1 - total), by hand.
* Bad input: the message names the field, the value and the fix; a week whose total reaches 1
  names the week and its categories.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from staffing.capacity import AgentGroup, capacity_whatif, shrinkage_plan
from staffing.errors import InvalidParameterError

MONTHS = {m: 0.05 for m in range(1, 13)} | {3: 0.06, 4: 0.13, 12: 0.14}


def test_months_split_by_days_holidays_and_hours_by_hand():
    # 2027-03-22: 22-28 March; 2027-03-29: 29-31 March (3 days) + 1-4 April (4 days);
    # 2027-04-05: all April.
    weeks = pd.date_range("2027-03-22", periods=3, freq="7D")
    holidays = ["2027-03-26",  # Good Friday, week 0
                "2027-03-26",  # the same day again: counts once
                "2027-03-28",  # a Sunday: no working time lost
                "2027-03-29",  # Easter Monday, week 1
                "2027-04-02",  # Friday, week 1
                "2026-12-25"]  # outside the plan
    plan = shrinkage_plan(weeks, {"annual_leave": MONTHS,
                                  "public_holidays": {"hours_per_holiday": 7.5},
                                  "sickness": 0.04,
                                  "training": [0.01, 0.02, 0.03],
                                  "meetings": {"hours_per_week": 1.5}},
                          hours_per_fte_week=37.5, holidays=holidays)
    assert list(plan.columns) == ["week", "week_start", "annual_leave", "public_holidays",
                                  "sickness", "training", "meetings", "total"]
    assert plan["week"].tolist() == [0, 1, 2]
    assert list(plan["week_start"]) == list(weeks)
    leave = [0.06, (3 * 0.06 + 4 * 0.13) / 7, 0.13]
    holiday = [7.5 / 37.5, 2 * 7.5 / 37.5, 0.0]
    meetings = 1.5 / 37.5
    np.testing.assert_allclose(plan["annual_leave"], leave, rtol=1e-12)
    assert plan["annual_leave"][1] == pytest.approx(0.1)
    np.testing.assert_allclose(plan["public_holidays"], holiday, rtol=1e-12)
    np.testing.assert_allclose(plan["sickness"], 0.04)
    np.testing.assert_allclose(plan["training"], [0.01, 0.02, 0.03])
    np.testing.assert_allclose(plan["meetings"], meetings)
    total = [leave[k] + holiday[k] + 0.04 + [0.01, 0.02, 0.03][k] + meetings for k in range(3)]
    np.testing.assert_allclose(plan["total"], total, rtol=1e-12)


def test_a_week_across_the_year_end():
    # 2027-12-27: 27-31 December (5 days) + 1-2 January 2028 (2 days).
    plan = shrinkage_plan(pd.DatetimeIndex(["2027-12-27"]), {"leave": MONTHS},
                          hours_per_fte_week=40, holidays=["2027-12-27", "2028-01-01"])
    assert plan["leave"][0] == pytest.approx((5 * 0.14 + 2 * 0.05) / 7)
    # 2028-01-01 is a Saturday: only the Monday counts
    plan = shrinkage_plan(pd.DatetimeIndex(["2027-12-27"]), {"ph": {"hours_per_holiday": 8}},
                          hours_per_fte_week=40, holidays=["2027-12-27", "2028-01-01"])
    assert plan["ph"][0] == pytest.approx(8 / 40)


def test_time_zone_aware_weeks_count_their_local_days():
    weeks = pd.date_range("2027-03-29", periods=1, freq="7D", tz="America/Vancouver")
    plan = shrinkage_plan(weeks, {"leave": MONTHS, "ph": {"hours_per_holiday": 7.5}},
                          hours_per_fte_week=37.5, holidays=["2027-03-29"])
    assert plan["leave"][0] == pytest.approx((3 * 0.06 + 4 * 0.13) / 7)
    assert plan["ph"][0] == pytest.approx(0.2)


def test_the_total_is_the_shrinkage_the_supply_model_takes():
    weeks = pd.date_range("2027-03-22", periods=3, freq="7D")
    plan = shrinkage_plan(weeks, {"leave": MONTHS, "sickness": 0.05},
                          hours_per_fte_week=37.5)
    team = AgentGroup("voice", starting_headcount=20, attrition_weekly=0.0,
                      shrinkage=plan["total"].to_numpy())
    whatif = capacity_whatif({"voice": [10.0, 10.0, 10.0]}, [team])
    by_hand = [20 * (1 - (0.06 + 0.05)), 20 * (1 - (0.1 + 0.05)), 20 * (1 - (0.13 + 0.05))]
    np.testing.assert_allclose(whatif.weekly["available_fte"], by_hand, rtol=1e-12)


def test_a_total_of_one_names_the_week_and_the_categories():
    weeks = pd.date_range("2027-03-22", periods=3, freq="7D")
    with pytest.raises(InvalidParameterError, match=r"week 2 \(2027-04-05\) loses 1\.000 .*"
                       r"leave 0\.500, extra 0\.500.*below 1"):
        shrinkage_plan(weeks, {"leave": [0.1, 0.2, 0.5], "extra": {"hours_per_week": 20}},
                       hours_per_fte_week=40)


WEEKS = pd.date_range("2027-03-22", periods=2, freq="7D")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"week_starts": pd.DatetimeIndex(["2027-03-23"])},
     r"week_starts\[0\] must be a Monday at midnight, got '2027-03-23 00:00:00'"),
    ({"week_starts": pd.DatetimeIndex(["2027-03-22 09:00"])}, r"week_starts\[0\] must be a "
     "Monday at midnight"),
    ({"week_starts": pd.DatetimeIndex(["2027-03-29", "2027-03-22"])}, "must be increasing"),
    ({"week_starts": []}, "at least one week"),
    ({"week_starts": ["not a date"]}, "week_starts must be dates"),
    ({"hours_per_fte_week": 0}, r"hours_per_fte_week must be hours > 0, got 0\. E\.g\. 37\.5"),
    ({"categories": {}}, "categories must map each category"),
    ({"categories": {"sickness": -0.1}}, r"categories\['sickness'\] must be a share in "
     r"\[0, 1\), got -0\.1\. Give the share"),
    ({"categories": {"sickness": float("nan")}}, r"categories\['sickness'\] must be a share"),
    ({"categories": {"leave": {3: 0.06}}}, r"categories\['leave'\] has no share for "
     r"month\(s\) \[4\].*never read as zero"),
    ({"categories": {"leave": {3: 0.06, 4: 1.2}}}, r"categories\['leave'\]\[4\] must be a share"),
    ({"categories": {"leave": {13: 0.06}}}, r"not a month 1\.\.12"),
    ({"categories": {"training": [0.01]}}, r"categories\['training'\] must give one share per "
     r"week \(2\), got '1 values'"),
    ({"categories": {"training": [0.01, 1.5]}}, r"categories\['training'\]\[1\] must be a "
     "share"),
    ({"categories": {"meetings": {"hours_per_week": -1}}},
     r"categories\['meetings'\]\['hours_per_week'\] must be hours >= 0, got -1"),
    ({"categories": {"m": {"hours_per_week": 1, "hours_per_holiday": 7.5}}}, "exactly one key"),
    ({"categories": {"total": 0.1}}, "has a name that is empty or one of"),
    ({"categories": {"sickness": "4%"}}, r"categories\['sickness'\] must be a share, a "
     "mapping"),
    ({"holidays": ["someday"]}, "holidays must be dates"),
])
def test_bad_input_names_the_field_the_value_and_the_fix(kwargs, match):
    args = {"week_starts": WEEKS, "categories": {"sickness": 0.04},
            "hours_per_fte_week": 37.5} | kwargs
    week_starts = args.pop("week_starts")
    categories = args.pop("categories")
    with pytest.raises(InvalidParameterError, match=match):
        shrinkage_plan(week_starts, categories, **args)
