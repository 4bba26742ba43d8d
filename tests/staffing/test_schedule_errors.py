"""schedule_shifts rejects bad input with messages that name the culprit and the fix.

Every message should say where (template, break, rule or table), what value,
which rule, and how to fix it (STYLE.md section 5); these tests pin the parts
a planner needs. Infeasible rules are explained in planner's terms: which
interval, which rule, never a solver status code alone.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from staffing import StaffingError, schedule_shifts
from staffing.errors import ContractError, InfeasibleScheduleError, InvalidParameterError
from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

TZ = "Europe/Paris"
H = 3600.0


def _requirements(values, start="2026-01-05 08:00", interval_s=H, channel="voice"):
    starts = pd.date_range(start, periods=len(values), freq=pd.Timedelta(seconds=interval_s),
                           tz=TZ)
    return pd.DataFrame({"channel": channel, "interval_start": starts, "agents_required": values})


REQ = _requirements([1, 2, 2, 2, 2, 2, 2, 1])           # Mon 08:00-16:00, hourly
OK = ShiftTemplate("FT4", 4 * H, 8 * H, 12 * H, start_step_s=H)


def _run(templates, requirements=REQ, interval_s=H, **kwargs):
    return schedule_shifts(requirements, templates, interval_s=interval_s, **kwargs)


def test_errors_are_staffing_errors_and_value_errors():
    with pytest.raises(InvalidParameterError) as info:
        _run([ShiftTemplate("FT4", 4 * H, 8 * H, 12 * H, start_step_s=H, hourly_rate=-1.0)])
    assert isinstance(info.value, StaffingError) and isinstance(info.value, ValueError)


# --------------------------------------------------------------------------------------
# Pay.
# --------------------------------------------------------------------------------------


def test_negative_template_hourly_rate_names_template_and_fix():
    bad = ShiftTemplate("Evening", 4 * H, 8 * H, 12 * H, start_step_s=H, hourly_rate=-12.5)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Evening'.*hourly rate.*>= 0.*-12\.5.*e\.g\. 20"):
        _run([bad])


def test_negative_rate_for_an_agent_type():
    rates = PayRates(hourly_rates={"agent": 20.0, "senior": -3.0})
    with pytest.raises(InvalidParameterError,
                       match=r"hourly_rates\['senior'\] must be a number >= 0, got -3\.0\. "
                             r"Give the base pay per paid hour"):
        _run([OK], rates=rates)


@pytest.mark.parametrize("name", ["night_premium", "weekend_premium", "holiday_premium",
                                  "overhead_per_paid_hour"])
def test_negative_premium_or_overhead(name):
    with pytest.raises(InvalidParameterError,
                       match=rf"PayRates: {name} must be a number >= 0, got -0\.25\. "
                             r"Premiums are extra shares of the base rate \(0\.25 = \+25%\)"):
        _run([OK], rates=PayRates(**{name: -0.25}))


def test_nan_premium_is_rejected_not_propagated():
    with pytest.raises(InvalidParameterError,
                       match=r"night_premium must be a number >= 0, got nan"):
        _run([OK], rates=PayRates(night_premium=float("nan")))


def test_unknown_agent_type_lists_the_known_ones():
    bad = ShiftTemplate("Sup", 4 * H, 8 * H, 12 * H, start_step_s=H, agent_type="supervisor")
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Sup': agent_type 'supervisor' has no rate in "
                             r"PayRates\.hourly_rates \(known: agent, junior\)\. Add it, or give "
                             r"the template an hourly_rate"):
        _run([bad], rates=PayRates(hourly_rates={"agent": 20.0, "junior": 15.0}))


def test_template_rate_overrides_a_missing_agent_type():
    # Not an error: the template's own hourly_rate wins over the (unknown) agent type.
    ok = ShiftTemplate("Sup", 4 * H, 8 * H, 12 * H, start_step_s=H, agent_type="supervisor",
                       hourly_rate=30.0)
    sched = _run([ok], rules=ScheduleRules(coverage="hard"))
    assert sched.summary["cost"] == pytest.approx(30.0 * 4 * sched.summary["n_shifts"])


# --------------------------------------------------------------------------------------
# Template shape and grid.
# --------------------------------------------------------------------------------------


def test_length_not_a_multiple_of_the_interval():
    req = _requirements([1] * 32, interval_s=900)
    bad = ShiftTemplate("Odd", 4 * H + 600, 8 * H, 10 * H, start_step_s=900)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Odd': length_s = 15000 s is not a whole number of "
                             r"900-second intervals\. Make the shift length a multiple "
                             r"\(e\.g\. 14400 or 15300\)"):
        _run([bad], requirements=req, interval_s=900)


def test_start_time_off_the_grid():
    bad = ShiftTemplate("Late", 4 * H, 8 * H + 900, 12 * H, start_step_s=H)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Late': earliest_start_s = 29700 s is not a whole "
                             r"number of 3600-second intervals\. Put start times on the interval "
                             r"grid"):
        _run([bad])


def test_template_longer_than_the_horizon():
    bad = ShiftTemplate("Long", 10 * H, 8 * H, 8 * H)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Long': length_s = 36000 s \(10 h\) does not fit in "
                             r"the 8-hour horizon of the requirements\. Shorten the shift or give "
                             r"requirements for a longer horizon"):
        _run([bad])


def test_no_start_lets_the_shift_fit():
    # Fits the horizon's length, but every allowed start is too late for it to end in time.
    bad = ShiftTemplate("Late", 4 * H, 13 * H, 15 * H, start_step_s=H)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Late': no start between 13:00 and 15:00 on its "
                             r"days lets a 4-hour shift fit in the horizon.*set wrap_around=True"):
        _run([bad])


def test_latest_start_before_earliest():
    bad = ShiftTemplate("Night", 4 * H, 12 * H, 8 * H, start_step_s=H)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Night': latest_start_s \(08:00\) is before "
                             r"earliest_start_s \(12:00\)\. Swap them; for shifts starting around "
                             r"midnight use two templates"):
        _run([bad])


@pytest.mark.parametrize("value", [-H, 86400.0, 90000.0])
def test_start_time_not_a_time_of_day(value):
    bad = ShiftTemplate("X", 4 * H, value, 12 * H, start_step_s=H)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'X': earliest_start_s must be a time of day in "
                             r"\[0, 86400\).*Write 07:00 as 25200"):
        _run([bad])


def test_headcount_bounds_reversed():
    bad = ShiftTemplate("FT4", 4 * H, 8 * H, 12 * H, start_step_s=H, min_headcount=3,
                        max_headcount=1)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'FT4': headcount bounds must satisfy 0 <= "
                             r"min_headcount <= max_headcount, got min_headcount=3, "
                             r"max_headcount=1"):
        _run([bad])


def test_duplicate_template_names():
    with pytest.raises(InvalidParameterError,
                       match=r"template names must be unique; \['FT4'\] appear more than once\. "
                             r"Rename them"):
        _run([OK, OK])


def test_no_templates():
    with pytest.raises(InvalidParameterError, match=r"no shift templates given"):
        _run([])


def test_template_channel_not_in_requirements():
    req = pd.concat([_requirements([1] * 8), _requirements([1] * 8, channel="chat")],
                    ignore_index=True)
    bad = ShiftTemplate("SMS", 4 * H, 8 * H, 12 * H, start_step_s=H, channels=("sms",))
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'SMS': channels \['sms'\] are not in the "
                             r"requirements \(channels: chat, voice\)\. Fix the channel names"):
        _run([bad], requirements=req, rules=ScheduleRules(blend=False))


# --------------------------------------------------------------------------------------
# Breaks.
# --------------------------------------------------------------------------------------


def test_break_ending_after_the_shift():
    bad = ShiftTemplate("FT4", 4 * H, 8 * H, 12 * H, start_step_s=H,
                        breaks=(BreakRule("lunch", H, 2 * H, 4 * H),))
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'FT4', break 'lunch': a break starting at 04:00 "
                             r"into the shift ends at 05:00, after the shift's 04:00\. Move "
                             r"latest_start_s to at most 10800 s, or shorten the break"):
        _run([bad])


def test_break_window_reversed_or_negative():
    bad = ShiftTemplate("FT4", 4 * H, 8 * H, 12 * H, start_step_s=H,
                        breaks=(BreakRule("tea", H, 2 * H, H),))
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'FT4', break 'tea': the window must satisfy 0 <= "
                             r"earliest_start_s <= latest_start_s"):
        _run([bad])


def test_break_off_the_grid():
    bad = ShiftTemplate("FT4", 4 * H, 8 * H, 12 * H, start_step_s=H,
                        breaks=(BreakRule("tea", 1800, H, 2 * H),))
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'FT4', break 'tea': duration_s = 1800 s is not a "
                             r"whole number of 3600-second intervals\. Put breaks on the interval "
                             r"grid"):
        _run([bad])


def test_overlapping_break_windows():
    req = _requirements([1] * 16, interval_s=1800)
    bad = ShiftTemplate("FT6", 6 * H, 8 * H, 10 * H, start_step_s=1800,
                        breaks=(BreakRule("tea", 1800, H, 2.5 * H),
                                BreakRule("lunch", H, 2 * H, 4 * H)))
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'FT6', break 'lunch': its window opens at 02:00 "
                             r"into the shift, before the previous break can end \(03:00\), so "
                             r"two breaks could overlap\. List breaks in order"):
        _run([bad], requirements=req, interval_s=1800)


# --------------------------------------------------------------------------------------
# Weekly tours.
# --------------------------------------------------------------------------------------


def test_weekly_tours_need_a_one_week_horizon():
    bad = ShiftTemplate("Week", 4 * H, 8 * H, 12 * H, start_step_s=H, days_per_week=5)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Week': weekly tours \(days_per_week=5\) need a "
                             r"horizon of exactly one week; the requirements cover 8 hours\. "
                             r"Give one week of requirements, or set days_per_week=None"):
        _run([bad])


def test_days_per_week_above_the_days_allowed():
    req = _requirements([1] * 28, start="2026-01-05 00:00", interval_s=6 * H)
    bad = ShiftTemplate("Week", 6 * H, 6 * H, 6 * H, start_step_s=6 * H, days=(0, 1, 2),
                        days_per_week=5)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'Week': days_per_week = 5 but the shift may only "
                             r"start on 3 days \(Mon, Tue, Wed\)\. Allow more days or lower "
                             r"days_per_week"):
        _run([bad], requirements=req, interval_s=6 * H)


def test_no_tour_with_consecutive_days_off():
    # Mon, Wed, Fri only: any 3-day tour leaves Tue, Thu, Sat, Sun off, not in one block.
    req = _requirements([1] * 28, start="2026-01-05 00:00", interval_s=6 * H)
    bad = ShiftTemplate("MWF", 6 * H, 6 * H, 6 * H, start_step_s=6 * H, days=(0, 2, 4),
                        days_per_week=3)
    with pytest.raises(InvalidParameterError,
                       match=r"shift template 'MWF': no weekly tour of 3 days fits.*"
                             r"consecutive_days_off=False"):
        _run([bad], requirements=req, interval_s=6 * H)


# --------------------------------------------------------------------------------------
# Requirements: missing rows and NaN are never read as zero.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [np.nan, None])
def test_missing_agents_required_is_not_zero(value):
    req = REQ.copy()
    req["agents_required"] = req["agents_required"].astype(object)
    req.loc[3, "agents_required"] = value
    with pytest.raises(ContractError,
                       match=r"'agents_required' must hold whole numbers >= 0; row 3 \(channel "
                             r"'voice', interval_start 2026-01-05 11:00:00\+01:00\) has .*"
                             r"Missing requirements are never read as zero: fill the interval"):
        _run([OK], requirements=req)


@pytest.mark.parametrize("value", [-1, 1.5])
def test_negative_or_fractional_requirement(value):
    req = REQ.copy()
    req["agents_required"] = req["agents_required"].astype(float)
    req.loc[2, "agents_required"] = value
    # The value is shown (numpy may print it as np.float64(...)), with the fix.
    with pytest.raises(ContractError, match=r"whole numbers >= 0; row 2 \(channel 'voice', "
                                            r"interval_start 2026-01-05 10:00:00\+01:00\) has "
                                            r"\S*" + re.escape(str(float(value))) + r"\)?\. "
                                            r"Missing requirements are never read as zero"):
        _run([OK], requirements=req)


def test_missing_interval_row_is_not_zero():
    req = REQ.drop(index=4).reset_index(drop=True)
    with pytest.raises(ContractError,
                       match=r"the requirements' intervals are not consecutive 3600-second "
                             r"intervals: 2026-01-05 11:00:00\+01:00 is followed by 2026-01-05 "
                             r"13:00:00\+01:00\. Give every interval of the horizon \(0 agents "
                             r"where closed\)"):
        _run([OK], requirements=req)


def test_missing_row_for_one_channel_is_not_zero():
    chat = _requirements([1] * 8, channel="chat").drop(index=5)
    req = pd.concat([REQ, chat], ignore_index=True)
    with pytest.raises(ContractError,
                       match=r"channel 'chat' has no requirement for 2026-01-05 13:00:00\+01:00 "
                             r"while other channels do\. Give every channel every interval \(0 "
                             r"where closed\): a missing requirement is never read as zero"):
        _run([OK], requirements=req)


def test_wrong_interval_s_is_caught_not_inferred():
    with pytest.raises(ContractError, match=r"not consecutive 1800-second intervals.*pass the "
                                            r"right interval_s"):
        _run([ShiftTemplate("FT4", 4 * H, 8 * H, 12 * H, start_step_s=1800)], interval_s=1800)


def test_missing_column():
    with pytest.raises(ContractError,
                       match=r"'requirements' has no column 'agents_required' \(found: "
                             r"channel, interval_start, agents\)\. Build it with "
                             r"staffing\.requirements\(\)"):
        _run([OK], requirements=REQ.rename(columns={"agents_required": "agents"}))


def test_duplicate_rows():
    req = pd.concat([REQ, REQ.iloc[[2]]], ignore_index=True)
    with pytest.raises(ContractError, match=r"two rows for channel 'voice' at 2026-01-05 "
                                            r"10:00:00\+01:00\. Keep one row per channel"):
        _run([OK], requirements=req)


def test_no_rows():
    with pytest.raises(ContractError, match=r"'requirements' has no rows"):
        _run([OK], requirements=REQ.iloc[:0])


def test_input_frame_is_not_modified_by_a_failed_or_good_call():
    req = REQ.copy()
    _run([OK], requirements=req)
    pd.testing.assert_frame_equal(req, REQ)


# --------------------------------------------------------------------------------------
# Rules out of range.
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("field,value,rule", [
    ("shrinkage", 1.0, r"in \[0, 1\), e\.g\. 0\.15"),
    ("under_penalty", 0.0, r"> 0 \(currency\)"),
    ("min_agents_on_duty", -1, r"a whole number >= 0"),
    ("max_total_headcount", 2.5, r"a whole number >= 0"),
    ("max_part_time_share", 1.5, r"in \[0, 1\]"),
    ("time_limit_s", 0.0, r"> 0 seconds"),
])
def test_rules_out_of_range(field, value, rule):
    with pytest.raises(InvalidParameterError, match=rf"ScheduleRules: {field} must be {rule}, "
                                                    rf"got {re.escape(repr(value))}"):
        _run([OK], rules=ScheduleRules(**{field: value}))


def test_unknown_coverage_mode():
    with pytest.raises(InvalidParameterError,
                       match=r"coverage must be 'soft' or 'hard', got 'strict'"):
        _run([OK], rules=ScheduleRules(coverage="strict"))


def test_part_time_bounds_reversed():
    with pytest.raises(InvalidParameterError,
                       match=r"min_part_time_share \(0\.6\) is above max_part_time_share \(0\.4\)"):
        _run([OK], rules=ScheduleRules(min_part_time_share=0.6, max_part_time_share=0.4))


@pytest.mark.parametrize("value", [0, -900, float("nan"), float("inf")])
def test_bad_interval_s(value):
    with pytest.raises(InvalidParameterError, match=r"interval_s must be > 0 seconds.*e\.g\. 900"):
        _run([OK], interval_s=value)


# --------------------------------------------------------------------------------------
# Infeasible rules, in planner's terms.
# --------------------------------------------------------------------------------------


def test_hard_coverage_where_no_template_covers():
    # 15-minute intervals from Monday 00:00; 3 agents needed 02:00-02:15, but the only
    # template works 03:00-04:00.
    values = [0] * 16
    values[8] = 3
    req = _requirements(values, start="2026-01-05 00:00", interval_s=900)
    late = ShiftTemplate("Late", H, 3 * H, 3 * H, start_step_s=900)
    with pytest.raises(InfeasibleScheduleError,
                       match=r"^Mon 2026-01-05 02:00-02:15 needs 3 agents but no shift template "
                             r"covers it\. Add a template or start time that covers it, or use "
                             r"coverage='soft' to leave it short at a penalty\.$"):
        _run([late], requirements=req, interval_s=900, rules=ScheduleRules(coverage="hard"))


def test_hard_coverage_gap_counts_further_intervals_and_names_the_channel():
    values = [0] * 16
    values[8:11] = [2, 2, 1]
    req = pd.concat([_requirements([0] * 16, start="2026-01-05 00:00", interval_s=900),
                     _requirements(values, start="2026-01-05 00:00", interval_s=900,
                                   channel="chat")], ignore_index=True)
    late = ShiftTemplate("Late", H, 3 * H, 3 * H, start_step_s=900)
    with pytest.raises(InfeasibleScheduleError,
                       match=r"^Mon 2026-01-05 02:00-02:15 needs 2 agents on channel 'chat' but "
                             r"no shift template covers it \(and 2 more intervals\)\."):
        _run([late], requirements=req, interval_s=900,
             rules=ScheduleRules(coverage="hard", blend=False))


def test_min_agents_on_duty_where_no_template_covers():
    # Soft coverage, but the centre is open 08:00-09:00 and nobody can be there.
    req = _requirements([1, 1, 1, 1, 1, 1, 1, 1])
    late = ShiftTemplate("Late", 4 * H, 9 * H, 12 * H, start_step_s=H)
    with pytest.raises(InfeasibleScheduleError,
                       match=r"^Mon 2026-01-05 08:00-09:00 needs 1 agents but no shift template "
                             r"covers it"):
        _run([late], requirements=req, rules=ScheduleRules(min_agents_on_duty=1))


def test_min_part_time_share_without_a_part_time_template():
    with pytest.raises(InfeasibleScheduleError,
                       match=r"min_part_time_share is 0\.3 but no template is part-time\. Mark a "
                             r"template is_part_time=True, or drop the rule"):
        _run([OK], rules=ScheduleRules(min_part_time_share=0.3))


def test_min_headcounts_above_the_cap():
    a = ShiftTemplate("A", 4 * H, 8 * H, 12 * H, start_step_s=H, min_headcount=3)
    b = ShiftTemplate("B", 4 * H, 8 * H, 12 * H, start_step_s=H, min_headcount=2)
    with pytest.raises(InfeasibleScheduleError,
                       match=r"the templates' min_headcount add up to 5 agents on Mon 2026-01-05, "
                             r"above "
                             r"max_total_headcount 4\. Lower the minimums or raise the cap"):
        _run([a, b], rules=ScheduleRules(max_total_headcount=4))


def test_tours_cannot_exceed_the_cap_in_any_interval():
    values = [0] * 28
    values[5] = 3
    req = _requirements(values, start="2026-01-05 00:00", interval_s=6 * H)
    week = ShiftTemplate("Week", 6 * H, 6 * H, 6 * H, start_step_s=6 * H, days_per_week=5)
    with pytest.raises(InfeasibleScheduleError,
                       match=r"^Tue 2026-01-06 06:00-12:00 needs 3 agents on duty but "
                             r"max_total_headcount is 2\. Raise the cap, or use coverage='soft'"):
        _run([week], requirements=req, interval_s=6 * H,
             rules=ScheduleRules(coverage="hard", max_total_headcount=2))


def test_infeasible_combination_names_the_rules():
    # Hard coverage needs 2 agents at once; the cap allows 1 per day.
    with pytest.raises(InfeasibleScheduleError,
                       match=r"^no schedule meets all the rules together: coverage='hard' "
                             r"\(every interval fully covered\); max_total_headcount=1\. Relax "
                             r"one of them"):
        _run([OK], rules=ScheduleRules(coverage="hard", max_total_headcount=1))


def test_infeasible_template_minimum_names_the_template():
    # PT4 must staff at least 1 part-timer, but the part-time share may not exceed 0.
    pt = ShiftTemplate("PT4", 4 * H, 8 * H, 12 * H, start_step_s=H, min_headcount=1,
                       max_headcount=5, is_part_time=True)
    with pytest.raises(InfeasibleScheduleError,
                       match=r"^no schedule meets all the rules together: max_part_time_share=0; "
                             r"template 'PT4' headcount 1\.\.5\. Relax one of them"):
        _run([pt, OK], rules=ScheduleRules(max_part_time_share=0.0))


def test_min_headcounts_on_different_days_do_not_add_up():
    # Daily templates' minimums hold on each day the template runs (ShiftTemplate docs), and
    # the cap holds day by day (ScheduleRules docs). "Mon" needs 2 agents on Monday, "Tue"
    # 2 on Tuesday: at most 2 agents start on either day, within a cap of 3. The plan is
    # feasible, so no InfeasibleScheduleError should be raised.
    req = _requirements([1] * 12, start="2026-01-05 00:00", interval_s=4 * H)
    mon = ShiftTemplate("Mon", 8 * H, 8 * H, 8 * H, start_step_s=4 * H, days=(0,),
                        min_headcount=2)
    tue = ShiftTemplate("Tue", 8 * H, 8 * H, 8 * H, start_step_s=4 * H, days=(1,),
                        min_headcount=2)
    try:
        sched = _run([mon, tue], requirements=req, interval_s=4 * H,
                     rules=ScheduleRules(max_total_headcount=3))
    except InfeasibleScheduleError as err:
        raise AssertionError(f"feasible per-day minimums rejected as infeasible: {err}") from err
    per_day = sched.shifts.groupby("template")["headcount"].sum().to_dict()
    assert per_day == {"Mon": 2, "Tue": 2}
