"""Opening-hours business case: closed-hours flows by hand, orderings and identities.

``scenarios/__init__.py`` does not export these names yet (another session owns
it), so the tests import from the module.
"""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from scenarios import InputFileError, OpeningHours, business_case, closed_hours_demand
from staffing.shifts import ScheduleRules, ShiftTemplate

H = 3600.0


def _demand(offered, start="2026-01-05 00:00", channel="voice", aht_s=240.0):
    starts = pd.date_range(start, periods=len(offered), freq="h", tz="Europe/London")
    return pd.DataFrame({"channel": channel, "interval_start": starts,
                         "offered": np.asarray(offered, dtype=float), "aht_s": aht_s})


# --- opening hours ---------------------------------------------------------------------------

def test_presets_open_the_documented_hours():
    # 2026-01-05 is a Monday; 2026-01-10 a Saturday.
    starts = pd.DatetimeIndex(pd.to_datetime([
        "2026-01-05 08:00", "2026-01-05 09:00", "2026-01-05 16:00", "2026-01-05 17:00",
        "2026-01-10 08:00", "2026-01-10 19:00", "2026-01-10 20:00", "2026-01-11 03:00"]))
    assert OpeningHours.preset("8x5").is_open(starts, H).tolist() == [
        False, True, True, False, False, False, False, False]
    assert OpeningHours.preset("extended").is_open(starts, H).tolist() == [
        True, True, True, True, True, True, False, False]
    assert OpeningHours.preset("24x7").is_open(starts, H).all()


def test_holidays_are_closed_all_day():
    hours = OpeningHours.preset("24x7", holidays=(date(2026, 1, 5),))
    starts = pd.date_range("2026-01-04 23:00", periods=3, freq="h")
    assert hours.is_open(starts, H).tolist() == [True, False, False]


def test_opening_time_off_the_interval_grid_is_rejected():
    hours = OpeningHours.weekly("half past", 8.5 * H, 17 * H)
    with pytest.raises(InputFileError, match=r"Mon opens at 08:30.*not on the 3600-second"):
        hours.is_open(pd.date_range("2026-01-05", periods=2, freq="h"), H)


def test_bad_hours_are_rejected():
    with pytest.raises(InputFileError, match=r"Mon hours must be \(open_s, close_s\)"):
        OpeningHours.weekly("bad", 20 * H, 8 * H)
    with pytest.raises(InputFileError, match="unknown preset '9x6'"):
        OpeningHours.preset("9x6")


# --- closed-hours flows, by hand --------------------------------------------------------------

# Monday 00:00-06:00, open 02:00-04:00 only: intervals 0, 1 closed, 2, 3 open, 4, 5 closed.
TINY = dict(offered=[4, 8, 10, 10, 2, 6])
TINY_HOURS = OpeningHours.weekly("tiny", 2 * H, 4 * H, days=(0,))


def test_conservation_by_hand_with_wrap_around():
    seen, flows = closed_hours_demand(_demand(TINY["offered"]), TINY_HOURS, interval_s=H,
                                      retry_share=0.5, lost_share=0.25, retry_spread_s=2 * H)
    # Closed before opening: 4 + 8 = 12 -> 6 retry, 3 each at 02:00 and 03:00.
    # Closed after closing: 2 + 6 = 8 -> 4 retry at the next opening, which with a
    # repeating horizon is 02:00 again: 2 each at 02:00 and 03:00.
    assert seen["offered"].tolist() == [0.0, 0.0, 15.0, 15.0, 0.0, 0.0]
    assert flows["lost_closed"].tolist() == [1.0, 2.0, 0.0, 0.0, 0.5, 1.5]
    assert flows["diverted"].tolist() == [1.0, 2.0, 0.0, 0.0, 0.5, 1.5]
    assert flows["retries_landing"].tolist() == [0.0, 0.0, 5.0, 5.0, 0.0, 0.0]
    # arrived 40 = offered 30 + lost 5 + diverted 5
    assert flows["arrived"].sum() == 40.0
    assert (seen["offered"].sum() + flows["lost_closed"].sum() + flows["diverted"].sum()
            + flows["retry_beyond_horizon"].sum()) == 40.0


def test_conservation_by_hand_without_wrap_around():
    seen, flows = closed_hours_demand(_demand(TINY["offered"]), TINY_HOURS, interval_s=H,
                                      retry_share=0.5, lost_share=0.25, retry_spread_s=2 * H,
                                      wrap_around=False)
    assert seen["offered"].tolist() == [0.0, 0.0, 13.0, 13.0, 0.0, 0.0]
    assert flows["retry_beyond_horizon"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0, 3.0]
    total = (seen["offered"].sum() + flows["lost_closed"].sum() + flows["diverted"].sum()
             + flows["retry_beyond_horizon"].sum())
    assert total == 40.0 == flows["arrived"].sum()


def test_shares_adding_to_one_divert_nobody():
    _, flows = closed_hours_demand(_demand(TINY["offered"]), TINY_HOURS, interval_s=H,
                                   retry_share=0.75, lost_share=0.25)
    assert flows["diverted"].sum() == 0.0


def test_retry_spread_raises_the_first_hours_as_computed_by_hand():
    # Monday 00:00-12:00, 9 contacts an hour; extended hours open at 08:00.
    seen, _ = closed_hours_demand(_demand([9.0] * 12), OpeningHours.preset("extended"),
                                  interval_s=H, retry_share=0.5, lost_share=0.5,
                                  retry_spread_s=1.5 * H, wrap_around=False)
    # 8 closed hours x 9 = 72 arrive closed, 36 retry. A 90-minute spread covers all of
    # 08:00-09:00 (60 min) and half of 09:00-10:00 (30 min): 2/3 and 1/3 of 36.
    assert seen["offered"].tolist()[8:] == [9.0 + 24.0, 9.0 + 12.0, 9.0, 9.0]
    assert seen["offered"].tolist()[:8] == [0.0] * 8


def test_retries_stay_inside_an_opening_shorter_than_the_spread():
    # Open 02:00-04:00, spread 4 h: the retries share the two open hours equally.
    seen, _ = closed_hours_demand(_demand([6.0, 6.0, 0.0, 0.0, 0.0, 0.0]), TINY_HOURS,
                                  interval_s=H, retry_share=1.0, lost_share=0.0,
                                  retry_spread_s=4 * H, wrap_around=False)
    assert seen["offered"].tolist() == [0.0, 0.0, 6.0, 6.0, 0.0, 0.0]


def test_the_input_frame_is_not_modified():
    demand = _demand(TINY["offered"])
    before = demand.copy()
    closed_hours_demand(demand, TINY_HOURS, interval_s=H, retry_share=0.5, lost_share=0.5)
    pd.testing.assert_frame_equal(demand, before)


@pytest.mark.parametrize(("retry", "lost", "match"), [
    (-0.1, 0.5, r"retry_share must be a fraction in \[0, 1\].*got -0.1"),
    (0.5, 1.5, r"lost_share must be a fraction in \[0, 1\].*got 1.5"),
    (0.7, 0.4, r"retry_share \+ lost_share must be <= 1, got 0.7 \+ 0.4 = 1.1"),
    (float("nan"), 0.2, r"retry_share must be a fraction"),
    (True, 0.0, r"retry_share must be a fraction"),
])
def test_bad_shares_are_named_errors(retry, lost, match):
    with pytest.raises(InputFileError, match=match):
        closed_hours_demand(_demand(TINY["offered"]), TINY_HOURS, interval_s=H,
                            retry_share=retry, lost_share=lost)
    with pytest.raises(InputFileError, match=match):
        business_case(_demand(TINY["offered"]), {"tiny": TINY_HOURS}, interval_s=H,
                      templates=[ShiftTemplate("x", 2 * H, 0, 0)], retry_share=retry,
                      lost_share=lost)
    assert issubclass(InputFileError, ValueError)


def test_a_gap_in_the_demand_is_rejected():
    demand = _demand(TINY["offered"]).drop(index=3)
    with pytest.raises(InputFileError, match=r"follows .* by 7200 s, not interval_s=3600"):
        closed_hours_demand(demand, TINY_HOURS, interval_s=H, retry_share=0.5, lost_share=0.5)


# --- the business case on a small week --------------------------------------------------------

def _week_demand():
    """One week, hourly, 24x7: 30 contacts an hour 08:00-20:00, 4 at night, half at weekends."""
    starts = pd.date_range("2026-01-05", periods=7 * 24, freq="h", tz="Europe/London")
    hour = starts.hour.to_numpy()
    offered = np.where((hour >= 8) & (hour < 20), 30.0, 4.0)
    offered = np.where(starts.day_of_week.to_numpy() >= 5, offered / 2, offered)
    return pd.DataFrame({"channel": "voice", "interval_start": starts, "offered": offered,
                         "aht_s": 300.0})


TEMPLATES = [ShiftTemplate("FT8", 8 * H, 0, 23 * H, start_step_s=H),
             ShiftTemplate("PT4", 4 * H, 0, 23 * H, start_step_s=H, is_part_time=True)]
OPTIONS = {name: OpeningHours.preset(name) for name in ("8x5", "extended", "24x7")}


@pytest.fixture(scope="module")
def week_case():
    return business_case(_week_demand(), OPTIONS, interval_s=H, templates=TEMPLATES,
                         retry_share=0.6, lost_share=0.3, mean_patience_s=180.0,
                         rules=ScheduleRules(time_limit_s=20, wrap_around=True),
                         compare=[("8x5", "24x7")])


def test_wider_hours_handle_at_least_as_many_contacts(week_case):
    handled = week_case.summary.set_index("option")["handled"]
    assert handled["24x7"] >= handled["extended"] >= handled["8x5"]
    lost_closed = week_case.summary.set_index("option")["lost_closed"]
    assert lost_closed["24x7"] == 0.0
    assert lost_closed["8x5"] > lost_closed["extended"] > 0.0


def test_every_contact_is_accounted_for(week_case):
    s = week_case.summary
    arrived = _week_demand()["offered"].sum()
    assert np.allclose(s["arrived"], arrived, rtol=0, atol=1e-9)
    total = s["handled"] + s["lost"] + s["diverted"] + s["retry_beyond_horizon"]
    assert np.allclose(total, arrived, rtol=1e-12)
    assert np.allclose(s["offered"], s["handled"] + s["abandoned"], rtol=1e-12)


def test_incremental_cost_per_contact_matches_the_summary(week_case):
    s = week_case.summary.set_index("option")
    inc = week_case.incremental
    assert list(zip(inc["option_from"], inc["option_to"], strict=True)) == [
        ("8x5", "extended"), ("extended", "24x7"), ("8x5", "24x7")]
    for row in inc.itertuples():
        expected = ((s.at[row.option_to, "cost"] - s.at[row.option_from, "cost"])
                    / (s.at[row.option_to, "handled"] - s.at[row.option_from, "handled"]))
        assert row.cost_per_incremental_contact == pytest.approx(expected, rel=1e-12)


def test_cost_per_handled_and_schedule_cost_agree(week_case):
    for row in week_case.summary.itertuples():
        sched = week_case.schedules[row.option]
        assert row.cost == pytest.approx(sched.costs["cost"].sum(), rel=1e-12)
        assert row.cost_per_handled == pytest.approx(row.cost / row.handled, rel=1e-12)


def test_service_by_hour_adds_up_to_the_summary(week_case):
    by_hour = week_case.service_by_hour
    for row in week_case.summary.itertuples():
        part = by_hour[by_hour["option"] == row.option]
        assert len(part) == 24
        assert part["offered"].sum() == pytest.approx(row.offered, rel=1e-12)
        within = part["answered_within_target"].sum()
        assert within / part["offered"].sum() == pytest.approx(row.service_level, rel=1e-12)
    closed_hour = by_hour[(by_hour["option"] == "8x5") & (by_hour["hour"] == 3)]
    assert closed_hour["offered"].item() == 0.0 and np.isnan(closed_hour["service_level"].item())


def test_nobody_is_needed_or_offered_while_closed(week_case):
    iv = week_case.intervals
    closed = iv[~iv["is_open"]]
    assert (closed["offered"] == 0).all() and (closed["agents_required"] == 0).all()


def test_hard_coverage_meets_the_target_in_every_open_interval():
    demand = _week_demand().iloc[:48].reset_index(drop=True)  # Monday and Tuesday
    case = business_case(demand, {"extended": OpeningHours.preset("extended")}, interval_s=H,
                         templates=TEMPLATES, retry_share=0.5, lost_share=0.5,
                         mean_patience_s=180.0,
                         rules=ScheduleRules(coverage="hard", time_limit_s=20))
    iv = case.intervals[case.intervals["offered"] > 0]
    assert (iv["agents_on_queue"] >= iv["agents_required"]).all()
    assert (iv["service_level"] >= 0.8).all()


def test_same_inputs_give_the_same_result():
    demand = _week_demand().iloc[:48].reset_index(drop=True)
    kwargs = dict(interval_s=H, templates=TEMPLATES, retry_share=0.5, lost_share=0.4,
                  mean_patience_s=180.0, rules=ScheduleRules(time_limit_s=20),
                  n_replications=2, seed=7)
    options = {"8x5": OpeningHours.preset("8x5"), "24x7": OpeningHours.preset("24x7")}
    a = business_case(demand, options, **kwargs)
    b = business_case(demand, options, **kwargs)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.intervals, b.intervals)
    s = a.summary
    assert (s["sim_service_level_ci_low"] <= s["sim_service_level"]).all()
    assert (s["sim_service_level"] <= s["sim_service_level_ci_high"]).all()


def test_blended_pool_of_several_channels_is_refused():
    demand = pd.concat([_demand(TINY["offered"]), _demand(TINY["offered"], channel="chat")])
    with pytest.raises(InputFileError, match=r"blend=True pools channels \['chat', 'voice'\]"):
        business_case(demand, {"tiny": TINY_HOURS}, interval_s=H,
                      templates=[ShiftTemplate("x", 2 * H, 0, 0)], retry_share=0.5,
                      lost_share=0.5)
