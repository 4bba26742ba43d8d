"""Fixes found by a review, checked by hand.

* Pay: the night premium goes by the local clock time of an interval's start, also on the
  days the clocks change (the window was measured as time elapsed since local midnight,
  an hour off on those days, and failed where local midnight does not exist).
* Deferred work: work carried in the backlog costs the handle time of the contacts that
  arrived, not the handle time of the interval in which it is worked.
"""

import pandas as pd
import pytest

from staffing import PayRates, ScheduleRules, ShiftTemplate, schedule_shifts
from staffing._pay import interval_pay

# ---------------------------------------------------------------------------------------
# Pay: night window by the local clock
# ---------------------------------------------------------------------------------------

NIGHT = PayRates(hourly_rates={"agent": 20.0}, night_premium=0.25)  # 22:00-06:00, +5 per hour


def _whole_local_day(day: str, tz: str) -> pd.DatetimeIndex:
    start = pd.Timestamp(day, tz=tz)
    end = pd.Timestamp(pd.Timestamp(day) + pd.Timedelta(days=1), tz=tz)  # next local midnight
    return pd.date_range(start, end, freq="h", inclusive="left")


def _clock(ts: pd.DatetimeIndex) -> list[str]:
    return [t.strftime("%H:%M%z") for t in ts]


def test_night_premium_berlin_spring_forward():
    # 2026-03-29: 02:00 CET jumps to 03:00 CEST, so the local day has 23 hourly intervals.
    ts = _whole_local_day("2026-03-29", "Europe/Berlin")
    assert _clock(ts) == (["00:00+0100", "01:00+0100"]
                          + [f"{h:02d}:00+0200" for h in range(3, 24)])
    pay = interval_pay(ts, 3600, 20.0, NIGHT)
    night = [c for c, p in zip(_clock(ts), pay["night_premium"], strict=True) if p > 0]
    # By hand: the clock hours 00, 01, 03, 04, 05, 22, 23 (02 does not exist).
    assert night == ["00:00+0100", "01:00+0100", "03:00+0200", "04:00+0200", "05:00+0200",
                     "22:00+0200", "23:00+0200"]
    assert pay["night_premium"].sum() == pytest.approx(7 * 5.0)
    assert pay["wages"].sum() == pytest.approx(23 * 20.0)


def test_night_premium_berlin_fall_back():
    # 2026-10-25: 03:00 CEST goes back to 02:00 CET, so 02:00 happens twice: 25 intervals.
    ts = _whole_local_day("2026-10-25", "Europe/Berlin")
    assert len(ts) == 25
    pay = interval_pay(ts, 3600, 20.0, NIGHT)
    night = [c for c, p in zip(_clock(ts), pay["night_premium"], strict=True) if p > 0]
    # By hand: 00, 01, 02 (summer time), 02 (winter time), 03, 04, 05, 22, 23.
    assert night == ["00:00+0200", "01:00+0200", "02:00+0200", "02:00+0100", "03:00+0100",
                     "04:00+0100", "05:00+0100", "22:00+0100", "23:00+0100"]
    assert pay["night_premium"].sum() == pytest.approx(9 * 5.0)
    assert pay["wages"].sum() == pytest.approx(25 * 20.0)


def test_night_premium_where_local_midnight_does_not_exist():
    # America/Santiago 2026-09-06: 24:00 -04 jumps to 01:00 -03; there is no local midnight.
    ts = pd.date_range("2026-09-05 20:00", periods=12, freq="h", tz="America/Santiago")
    assert _clock(ts) == (["20:00-0400", "21:00-0400", "22:00-0400", "23:00-0400"]
                          + [f"{h:02d}:00-0300" for h in range(1, 9)])
    rates = PayRates(hourly_rates={"agent": 20.0}, night_premium=0.25, weekend_premium=0.5,
                     holiday_premium=1.0, holidays=(pd.Timestamp("2026-09-06").date(),))
    pay = interval_pay(ts, 3600, 20.0, rates)
    night = [c[:5] for c, p in zip(_clock(ts), pay["night_premium"], strict=True) if p > 0]
    assert night == ["22:00", "23:00", "01:00", "02:00", "03:00", "04:00", "05:00"]
    # 5 Sept is a Saturday, 6 Sept a Sunday (and the holiday here): every interval is on a
    # weekend; the 8 from 01:00 on are on the holiday.
    assert pay["weekend_premium"].tolist() == [10.0] * 12
    assert pay["holiday_premium"].tolist() == [0.0] * 4 + [20.0] * 8
    total = sum(pay[p].sum() for p in pay)
    # By hand: 12 x 20 wages + 7 x 5 night + 12 x 10 weekend + 8 x 20 holiday.
    assert total == pytest.approx(240 + 35 + 120 + 160)


def test_night_window_with_minutes_by_local_clock():
    # A window 22:30-05:30 with 30-minute intervals on the spring-forward night in Berlin.
    rates = PayRates(hourly_rates={"agent": 20.0}, night_premium=0.5,
                     night_start_s=22.5 * 3600, night_end_s=5.5 * 3600)
    ts = pd.date_range("2026-03-28 22:00", "2026-03-29 06:30", freq="30min",
                       tz="Europe/Berlin")
    pay = interval_pay(ts, 1800, 20.0, rates)
    night = [t.strftime("%H:%M") for t, p in zip(ts, pay["night_premium"], strict=True) if p > 0]
    assert night == ["22:30", "23:00", "23:30", "00:00", "00:30", "01:00", "01:30",
                     "03:00", "03:30", "04:00", "04:30", "05:00"]
    assert pay["night_premium"].sum() == pytest.approx(12 * 5.0)  # 20 x 0.5 h x 0.5


def test_schedule_costs_use_the_local_clock_on_a_clock_change_day():
    # One agent 20:00-24:00 local on 29 March 2026 (Berlin, after the clock change):
    # by hand 20 + 20 + 25 + 25 = 90 (the old code priced 22:00 as 21 h after midnight).
    starts = pd.date_range("2026-03-29 20:00", periods=4, freq="h", tz="Europe/Berlin")
    req = pd.DataFrame({"channel": "voice", "interval_start": starts, "agents_required": 1})
    t = ShiftTemplate("4h", 4 * 3600, 0, 23 * 3600, start_step_s=3600)
    sched = schedule_shifts(req, [t], interval_s=3600, rules=ScheduleRules(coverage="hard"),
                            rates=NIGHT)
    costs = sched.costs.sort_values("interval_start")
    assert costs.agents_paid.tolist() == [1, 1, 1, 1]
    assert costs.night_premium.tolist() == pytest.approx([0.0, 0.0, 5.0, 5.0])
    assert costs.cost.sum() == pytest.approx(90.0)
