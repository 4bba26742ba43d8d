"""Fixes found by a review, checked by hand.

* Pay: the night premium goes by the local clock time of an interval's start, also on the
  days the clocks change (the window was measured as time elapsed since local midnight,
  an hour off on those days, and failed where local midnight does not exist).
* Deferred work: work carried in the backlog costs the handle time of the contacts that
  arrived, not the handle time of the interval in which it is worked.
"""

import numpy as np
import pandas as pd
import pytest

from staffing import deferred_requirements, schedule_shifts
from staffing.errors import InfeasibleTargetError
from staffing.shifts import PayRates, ScheduleRules, ShiftTemplate, interval_pay

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


# ---------------------------------------------------------------------------------------
# Deferred work: backlog kept in work, each contact at its own handle time
# ---------------------------------------------------------------------------------------


def test_deferred_backlog_keeps_the_handle_time_of_its_contacts():
    # 10 contacts of 3600 s arrive in hour 0; hour 1's (no) contacts would take 36 s.
    # Due within 2 h: 10 agent-hours in 2 hours -> 5 agents (the old code said 1, pricing
    # the 9 carried contacts at 36 s each in hour 1).
    plan = deferred_requirements([10, 0], 3600, [3600.0, 36.0], 2 * 3600)
    assert plan.agents_required.tolist() == [5, 5]
    assert plan.handled.tolist() == pytest.approx([5.0, 5.0])
    assert plan.handled_work_s.tolist() == pytest.approx([18000.0, 18000.0])
    assert plan.backlog.tolist() == pytest.approx([5.0, 0.0])
    assert plan.capacity.tolist() == pytest.approx([5.0, 5.0])  # no spare time in either hour
    assert plan.deadline_met.all()
    four = deferred_requirements([10, 0], 3600, [3600.0, 36.0], 2 * 3600, agents=4)
    # 4 agents: 4 + 4 contacts in 2 h, 2 left at the deadline.
    assert four.deadline_met.tolist() == [False, True]
    assert four.backlog.tolist() == pytest.approx([6.0, 2.0])


def test_deferred_mixed_handle_times_by_hand():
    # Hourly, due within 2 h, 1 agent (3600 s of work an hour):
    #   hour 0: 2 contacts x 1200 s = 2400 s, all done, 1200 s spare -> capacity 2 + 1200/1200 = 3
    #   hour 1: 3 contacts x 1800 s = 5400 s; 3600 s done = 2 contacts, 1 carried (1800 s)
    #   hour 2: 4 contacts x 300 s = 1200 s; the carried 1800 s first, then all 4 (1200 s):
    #           3000 s done = 5 contacts, 600 s spare -> capacity 5 + 600/300 = 7
    plan = deferred_requirements([2, 3, 4], 3600, [1200, 1800, 300], 2 * 3600, agents=1)
    assert plan.handled.tolist() == pytest.approx([2.0, 2.0, 5.0])
    assert plan.handled_work_s.tolist() == pytest.approx([2400.0, 3600.0, 3000.0])
    assert plan.backlog.tolist() == pytest.approx([0.0, 1.0, 0.0])
    assert plan.capacity.tolist() == pytest.approx([3.0, 2.0, 7.0])
    assert plan.deadline_met.all()
    assert int(deferred_requirements([2, 3, 4], 3600, [1200, 1800, 300],
                                     2 * 3600).agents_required.max()) == 1
    # Due within 1 h: hour 1 needs 5400 s in one hour -> 2 agents.
    assert int(deferred_requirements([2, 3, 4], 3600, [1200, 1800, 300],
                                     3600).agents_required.max()) == 2


def _contact_by_contact(offered, aht, is_open, levels, interval_s, k, backlog0):
    """Independent check: a list of single contacts worked one after another.

    Each interval the agents give levels[t] x interval_s seconds (0 while closed); the
    oldest contact is worked first, a contact may be split over intervals. Returns the
    contacts done (whole + the worked share of a part-done one) and the work done per
    interval, the contacts waiting at each interval's end, and per arrival interval
    whether all its contacts were finished by interval s + k - 1 (True past the horizon;
    None for an interval with no contacts, which the tests skip).
    """
    n = len(offered)
    queue = [[0, float(aht[0]), float(aht[0])] for _ in range(backlog0)]  # [arrival, left, aht]
    finished_at: dict[int, int] = {}
    done_contacts, done_work, waiting = [], [], []
    for t in range(n):
        queue += [[t, float(aht[t]), float(aht[t])] for _ in range(offered[t])]
        budget = levels[t] * interval_s if is_open[t] else 0.0
        contacts = work = 0.0
        while queue and budget > 1e-9:
            c = queue[0]
            step = min(budget, c[1])
            c[1] -= step
            budget -= step
            work += step
            contacts += step / c[2]
            if c[1] <= 1e-9:
                queue.pop(0)
                finished_at[c[0]] = t  # FIFO: the last one popped is the latest
        done_contacts.append(contacts)
        done_work.append(work)
        waiting.append(sum(c[1] / c[2] for c in queue))
    met = []
    for s in range(n):
        due = s + k - 1
        if offered[s] == 0 and not (s == 0 and backlog0 > 0):
            met.append(None)
        elif due >= n:
            met.append(True)
        elif any(c[0] <= s for c in queue):
            met.append(False)
        else:
            met.append(finished_at.get(s, -1) <= due)
    return done_contacts, done_work, waiting, met


@pytest.mark.parametrize("seed", range(40))
def test_deferred_mixed_handle_times_against_contact_by_contact(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 10))
    offered = rng.integers(0, 6, n).tolist()
    aht = rng.choice([60.0, 300.0, 900.0, 1800.0, 3600.0, 5400.0], n)
    is_open = (rng.random(n) < 0.85).tolist()
    k = int(rng.integers(1, 5))
    backlog0 = int(rng.integers(0, 4))
    ivl = 3600.0

    def meets(level):
        _, _, _, met = _contact_by_contact(offered, aht, is_open, [level] * n, ivl, k,
                                           backlog0)
        return all(m is not False for m in met)

    bf = next((c for c in range(31) if meets(c)), None)
    args = (offered, ivl, aht, k * ivl)
    kw = {"is_open": is_open, "initial_backlog": backlog0, "max_agents": 30}
    if bf is None:
        with pytest.raises(InfeasibleTargetError):
            deferred_requirements(*args, **kw)
        return
    plan = deferred_requirements(*args, **kw)
    assert int(plan.agents_required.to_numpy().max(initial=0)) == bf
    # The table at the level found and at a level below and above, checked interval by
    # interval (also per-interval agents: a different level each interval).
    per_interval = rng.integers(0, bf + 3, n).tolist()
    for levels in ([bf] * n, [max(bf - 1, 0)] * n, [bf + 1] * n, per_interval):
        got = deferred_requirements(*args, **{**kw, "agents": np.array(levels)})
        contacts, work, waiting, met = _contact_by_contact(offered, aht, is_open, levels, ivl,
                                                           k, backlog0)
        assert got.handled.tolist() == pytest.approx(contacts, abs=1e-9)
        assert got.handled_work_s.tolist() == pytest.approx(work, abs=1e-6)
        assert got.backlog.tolist() == pytest.approx(waiting, abs=1e-9)
        has_contacts = [m is not None for m in met]
        assert got.deadline_met[has_contacts].tolist() == [m for m in met if m is not None]


def test_deferred_constant_handle_time_levels_by_hand():
    # 30 emails of 300 s (9000 s = 2.5 agent-hours) in hours 0 and 3, hourly, due in 3 h:
    # 1 agent does 3600 s an hour: 10800 s in three hours >= 9000 s -> 1 agent.
    offered = [30, 0, 0, 30, 0, 0]
    plan = deferred_requirements(offered, 3600, 300, 3 * 3600)
    assert plan.agents_required.tolist() == [1] * 6
    assert plan.handled.tolist() == pytest.approx([12, 12, 6, 12, 12, 6])
    assert plan.handled_work_s.tolist() == pytest.approx([3600, 3600, 1800] * 2)
    assert plan.backlog.tolist() == pytest.approx([18, 6, 0, 18, 6, 0])
    assert plan.capacity.tolist() == pytest.approx([12.0] * 6)  # 3600 / 300
    # Due in 2 h: 7200 s < 9000 s for one agent -> 2 agents (24 then 6 emails).
    plan = deferred_requirements(offered, 3600, 300, 2 * 3600)
    assert plan.agents_required.tolist() == [2] * 6
    assert plan.handled.tolist() == pytest.approx([24, 6, 0, 24, 6, 0])
    assert plan.capacity.tolist() == pytest.approx([24.0] * 6)
    # Due in 1 h: 9000 s in one hour -> 3 agents.
    assert int(deferred_requirements(offered, 3600, 300, 3600).agents_required.max()) == 3


def test_deferred_initial_backlog_at_the_first_interval_handle_time():
    # 10 emails waiting (at interval 0's 360 s: 3600 s), closed in hour 0, 5 more of 720 s
    # in hour 1, due in 3 h: the backlog is due by hour 2 and 1 agent does it in hour 1;
    # hour 2 does hour 1's 5 x 720 s = 3600 s. 0 agents cannot.
    plan = deferred_requirements([0, 5, 0], 3600, [360, 720, 720], 3 * 3600,
                                 is_open=[False, True, True], initial_backlog=10)
    assert plan.agents_required.tolist() == [0, 1, 1]
    assert plan.handled.tolist() == pytest.approx([0, 10, 5])
    assert plan.handled_work_s.tolist() == pytest.approx([0, 3600, 3600])
    assert plan.backlog.tolist() == pytest.approx([10, 5, 0])
    assert plan.capacity.tolist() == pytest.approx([0, 10, 5])


def test_initial_backlog_due_while_closed_names_the_closed_window():
    # Nothing arrives; 5 contacts wait at the start, due within 2 h, and the first two hours
    # are closed: no level can meet that, and the error says why (not "more than max_agents").
    with pytest.raises(InfeasibleTargetError, match=r"the initial backlog and contacts arriving "
                                                    r"in interval 0 are due within 7200 s, but "
                                                    r"the centre is closed for that whole window"):
        deferred_requirements([0.0, 0.0, 0.0, 0.0], 3600, 600, 7200,
                              is_open=[False, False, True, True], initial_backlog=5)


def test_shift_start_times_are_local_clock_times_on_a_clock_change_day():
    # Berlin skips 02:00-03:00 on 2026-03-29. Four agents are needed 08:00-12:00 local and a
    # 4-hour shift may start only at 08:00: by hand, 4 shifts from 08:00 local, 16 paid hours
    # at 20/h = 320. (Read by elapsed time since midnight, "08:00" fell on 09:00 local.)
    horizon = pd.date_range("2026-03-29 00:00", periods=23, freq="1h", tz="Europe/Berlin")
    need = [4 if 8 <= ts.hour < 12 else 0 for ts in horizon]
    req = pd.DataFrame({"channel": "voice", "interval_start": horizon, "agents_required": need})
    tmpl = ShiftTemplate("4h", 4 * 3600, 8 * 3600, 8 * 3600, start_step_s=3600)
    sched = schedule_shifts(req, [tmpl], interval_s=3600, rules=ScheduleRules(coverage="hard"),
                            rates=PayRates(hourly_rates={"agent": 20.0}))
    assert sched.summary["cost"] == pytest.approx(320.0)
    assert list(sched.shifts["shift_start"]) == [pd.Timestamp("2026-03-29 08:00",
                                                              tz="Europe/Berlin")]
    assert list(sched.shifts["headcount"]) == [4]
