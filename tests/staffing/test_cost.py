"""cost_report: rosters small enough to price by hand.

The main case (``night_roster``) is a Christmas Eve night in Paris, 20:00 to
04:00 in hourly intervals, two channels (voice, chat) served by one blended
pool. The scheduler has exactly one cheapest answer (checked below):

* 3 agents on ``N8`` (20:00-04:00, 20/h): a paid 1-hour rest at 22:00 and an
  unpaid 1-hour meal at 01:00 (both windows are a single slot);
* 2 agents on ``PT4`` (00:00-04:00, 16/h, no breaks).

Pay: night premium 25% from 22:00, holiday premium 100% on 25 December, a
weekend premium that never applies (a Thursday and a Friday), overhead 5 per
paid hour. Shrinkage 10%.

Per paid agent-hour, by hand:

====================  ======================================  =====
interval              N8                                      PT4
====================  ======================================  =====
20:00, 21:00          20 + 5 = 25                             -
22:00, 23:00          20 x 1.25 + 5 = 30                      -
00:00 - 03:00         20 x (1 + 0.25 + 1.0) + 5 = 50          16 x 2.25 + 5 = 41
====================  ======================================  =====

Workload per contact: voice 360 s = 0.1 h; chat 720 s at concurrency 2 = 0.1 h.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

from staffing import CostReport, Schedule, cost_report, schedule_shifts
from staffing.errors import ContractError, InvalidParameterError
from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

TZ = "Europe/Paris"
STARTS = pd.date_range("2026-12-24 20:00", periods=8, freq="h", tz=TZ)
VOICE_OFFERED = [10, 12, 0, 15, 20, 20, 25, 10]
CHAT_OFFERED = [6, 8, 0, 5, 10, 10, 15, 10]
# Interval 5 (01:00) is short-staffed: fewer contacts handled there.
VOICE_HANDLED = [10, 12, 0, 15, 20, 12, 25, 10]
CHAT_HANDLED = [6, 8, 0, 5, 10, 6, 15, 10]

# Pool figures per interval, by hand (see the module docstring).
PAID = [3, 3, 3, 3, 3 + 2, 2, 3 + 2, 3 + 2]          # the meal at 01:00 is unpaid
ON_DUTY = [3, 3, 0, 3, 5, 2, 5, 5]                   # everyone rests at 22:00
POOL_COST = [3 * 25, 3 * 25, 3 * 30, 3 * 30, 3 * 50 + 2 * 41, 2 * 41, 3 * 50 + 2 * 41,
             3 * 50 + 2 * 41]
TOTAL = 3 * 25 * 2 + 3 * 30 * 2 + (3 * 50 + 2 * 41) * 3 + 2 * 41      # 1108
WORKLOAD_H = [1.0 + 0.6, 1.2 + 0.8, 0.0, 1.5 + 0.5, 2.0 + 1.0, 2.0 + 1.0, 2.5 + 1.5, 1.0 + 1.0]
AVAILABLE_H = [0.9 * n for n in ON_DUTY]             # on duty less 10% shrinkage
HANDLING_H = [1.6, 2.0, 0.0, 2.0, 3.0, 0.9 * 2, 4.0, 2.0]   # min(workload, available)
IDLE_H = [2.7 - 1.6, 2.7 - 2.0, 0.0, 2.7 - 2.0, 4.5 - 3.0, 0.0, 4.5 - 4.0, 4.5 - 2.0]
# Voice's share of the pool: its workload over the pool's; at 22:00 nobody has work, so the
# horizon's shares apply: voice 11.2 h of 17.6 h.
VOICE_SHARE = [1.0 / 1.6, 1.2 / 2.0, 11.2 / 17.6, 1.5 / 2.0, 2.0 / 3.0, 2.0 / 3.0, 2.5 / 4.0,
               1.0 / 2.0]


def _requirements() -> pd.DataFrame:
    voice = [1, 1, 0, 1, 2, 1, 2, 2]
    chat = [1, 1, 0, 1, 1, 0, 1, 1]
    return pd.concat([
        pd.DataFrame({"channel": "voice", "interval_start": STARTS, "agents_required": voice}),
        pd.DataFrame({"channel": "chat", "interval_start": STARTS, "agents_required": chat}),
    ], ignore_index=True)


def _workload(handled: bool = True) -> pd.DataFrame:
    voice = pd.DataFrame({"channel": "voice", "interval_start": STARTS,
                          "offered": np.array(VOICE_OFFERED, float), "aht_s": 360.0})
    chat = pd.DataFrame({"channel": "chat", "interval_start": STARTS,
                         "offered": np.array(CHAT_OFFERED, float), "aht_s": 720.0})
    if handled:
        voice["handled"] = np.array(VOICE_HANDLED, float)
        chat["handled"] = np.array(CHAT_HANDLED, float)
    return pd.concat([voice, chat], ignore_index=True)


@pytest.fixture(scope="module")
def night_roster() -> Schedule:
    n8 = ShiftTemplate("N8", 8 * 3600, 20 * 3600, 20 * 3600, start_step_s=3600,
                       breaks=(BreakRule("rest", 3600, 2 * 3600, 2 * 3600, is_paid=True),
                               BreakRule("meal", 3600, 5 * 3600, 5 * 3600)))
    pt4 = ShiftTemplate("PT4", 4 * 3600, 0, 0, start_step_s=3600, hourly_rate=16.0)
    rates = PayRates(hourly_rates={"agent": 20.0}, overhead_per_paid_hour=5.0,
                     night_premium=0.25, weekend_premium=0.5, holiday_premium=1.0,
                     holidays=(dt.date(2026, 12, 25),))
    sched = schedule_shifts(_requirements(), [n8, pt4], interval_s=3600,
                            rules=ScheduleRules(coverage="hard", shrinkage=0.1), rates=rates)
    # The forced optimum: ceil(2 / 0.9) = 3 on N8 (20:00 needs it), ceil(1 / 0.9) = 2 on PT4
    # (01:00, when N8 is at its meal).
    assert sched.shifts.set_index("template")["headcount"].to_dict() == {"N8": 3, "PT4": 2}
    return sched


@pytest.fixture(scope="module")
def report(night_roster: Schedule) -> CostReport:
    return cost_report(night_roster, _workload(), concurrency={"chat": 2})


def _channel(table: pd.DataFrame, channel: str) -> pd.DataFrame:
    return table[table["channel"] == channel].sort_values("interval_start").reset_index(drop=True)


def test_schedule_is_priced_as_by_hand(night_roster: Schedule) -> None:
    assert night_roster.costs["cost"].tolist() == pytest.approx(POOL_COST)
    assert night_roster.costs["agents_paid"].tolist() == PAID
    assert night_roster.summary["cost"] == pytest.approx(1108.0)
    assert TOTAL == 1108


def test_by_interval_shares_the_blended_cost_by_workload(report: CostReport) -> None:
    voice = _channel(report.by_interval, "voice")
    chat = _channel(report.by_interval, "chat")
    chat_share = [1 - s for s in VOICE_SHARE]
    assert voice["allocation_share"].tolist() == pytest.approx(VOICE_SHARE)
    assert voice["cost"].tolist() == pytest.approx(
        [s * c for s, c in zip(VOICE_SHARE, POOL_COST, strict=True)])
    assert chat["cost"].tolist() == pytest.approx(
        [s * c for s, c in zip(chat_share, POOL_COST, strict=True)])
    # 20:00: voice 1.0 h of 1.6 h of work; 3 agents x 25/h.
    assert voice.loc[0, "cost"] == pytest.approx(1.0 / 1.6 * 3 * 25)
    assert voice.loc[0, "wages"] == pytest.approx(1.0 / 1.6 * 3 * 20)
    assert voice.loc[0, "overhead"] == pytest.approx(1.0 / 1.6 * 3 * 5)
    # 22:00: no work anywhere; everyone on the paid rest, shared 11.2 : 6.4.
    assert voice.loc[2, "cost"] == pytest.approx(11.2 / 17.6 * 3 * 30)
    assert voice.loc[2, "paid_break_hours"] == pytest.approx(11.2 / 17.6 * 3)
    assert voice.loc[2, "cost_paid_breaks"] == pytest.approx(11.2 / 17.6 * 3 * 30)
    assert chat.loc[2, "night_premium"] == pytest.approx(6.4 / 17.6 * 3 * 20 * 0.25)
    # 00:00: holiday night, N8 and PT4 on; chat has 1 h of the 3 h of work.
    assert chat.loc[4, "holiday_premium"] == pytest.approx(1 / 3 * (3 * 20 * 1.0 + 2 * 16 * 1.0))
    assert chat.loc[4, "night_premium"] == pytest.approx(1 / 3 * (3 * 20 + 2 * 16) * 0.25)
    assert chat.loc[4, "weekend_premium"] == 0.0
    # 01:00: under-staffed: 3 h of work, 2 x 0.9 = 1.8 h available; voice has 2/3.
    assert voice.loc[5, "handling_hours"] == pytest.approx(2 / 3 * 1.8)
    assert voice.loc[5, "idle_hours"] == 0.0
    assert voice.loc[5, "excess_workload_hours"] == pytest.approx(2.0 - 2 / 3 * 1.8)
    assert chat.loc[5, "excess_workload_hours"] == pytest.approx(1.0 - 1 / 3 * 1.8)
    assert voice.loc[5, "cost_handling"] == pytest.approx(2 / 3 * 41 * 1.8)
    assert voice.loc[5, "cost_shrinkage"] == pytest.approx(2 / 3 * 41 * 0.2)
    # 03:00: 2 h of work for 4.5 h available, split evenly.
    assert chat.loc[7, "cost_idle"] == pytest.approx(0.5 * (232 / 5) * (4.5 - 2.0))
    assert voice["workload_hours"].tolist() == pytest.approx([0.1 * n for n in VOICE_OFFERED])
    assert chat["workload_hours"].tolist() == pytest.approx([0.1 * n for n in CHAT_OFFERED])
    assert voice["handled"].tolist() == VOICE_HANDLED


def test_by_interval_adds_up(report: CostReport, night_roster: Schedule) -> None:
    bi = report.by_interval
    assert bi["cost"].sum() == pytest.approx(night_roster.summary["cost"], rel=1e-12)
    assert bi["agent_hours"].sum() == pytest.approx(sum(PAID))
    parts = ["wages", "night_premium", "weekend_premium", "holiday_premium", "overhead"]
    np.testing.assert_allclose(bi[parts].sum(axis=1), bi["cost"], rtol=1e-12)
    uses = ["cost_handling", "cost_idle", "cost_shrinkage", "cost_paid_breaks"]
    np.testing.assert_allclose(bi[uses].sum(axis=1), bi["cost"], rtol=1e-12, atol=1e-12)
    hours = ["handling_hours", "idle_hours", "shrinkage_hours", "paid_break_hours"]
    np.testing.assert_allclose(bi[hours].sum(axis=1), bi["agent_hours"], rtol=1e-12)
    pooled = bi.groupby("interval_start")["cost"].sum().to_numpy()
    np.testing.assert_allclose(pooled, POOL_COST, rtol=1e-12)
    assert list(bi.columns[:2]) == ["channel", "interval_start"]
    assert "agent_hours" in bi.columns and "cost" in bi.columns      # the costs contract


def test_by_channel_cost_per_contact(report: CostReport) -> None:
    voice_cost = (75 * 1.0 / 1.6 + 75 * 1.2 / 2.0 + 90 * 11.2 / 17.6 + 90 * 1.5 / 2.0
                  + 232 * 2 / 3 + 82 * 2 / 3 + 232 * 2.5 / 4.0 + 232 * 1 / 2)
    chat_cost = 1108 - voice_cost
    bc = report.by_channel.set_index("channel")
    assert bc.loc["voice", "cost"] == pytest.approx(voice_cost)
    assert bc.loc["chat", "cost"] == pytest.approx(chat_cost)
    assert bc.loc["voice", "offered"] == 112 and bc.loc["chat", "offered"] == 64
    assert bc.loc["voice", "handled"] == 112 - 8 and bc.loc["chat", "handled"] == 64 - 4
    assert bc.loc["voice", "cost_per_offered"] == pytest.approx(voice_cost / 112)
    assert bc.loc["chat", "cost_per_offered"] == pytest.approx(chat_cost / 64)
    assert bc.loc["voice", "cost_per_handled"] == pytest.approx(voice_cost / 104)
    assert bc.loc["chat", "cost_per_handled"] == pytest.approx(chat_cost / 60)
    assert bc.loc["voice", "share_of_cost"] == pytest.approx(voice_cost / 1108)
    assert bc["share_of_cost"].sum() == pytest.approx(1.0)
    assert bc.loc["voice", "workload_hours"] == pytest.approx(11.2)
    assert bc.loc["chat", "workload_hours"] == pytest.approx(6.4)
    assert bc.loc["voice", "excess_workload_hours"] == pytest.approx(2.0 - 2 / 3 * 1.8)
    assert bc.loc["voice", "cost_per_year"] == pytest.approx(voice_cost * 365.25 / (8 / 24))
    voice_idle = sum(s * c / p * i for s, c, p, i in zip(VOICE_SHARE, POOL_COST, PAID, IDLE_H,
                                                         strict=True))
    assert bc.loc["voice", "cost_idle"] == pytest.approx(voice_idle)
    assert report.summary["cost_per_offered"] == pytest.approx(1108 / 176)
    assert report.summary["cost_per_handled"] == pytest.approx(1108 / 164)


def test_breakdown_by_component_and_use(report: CostReport) -> None:
    b = report.breakdown.set_index(["view", "item"])
    wages = 20 * 3 * (8 - 1) + 16 * 2 * 4                    # N8 paid 7 h, PT4 4 h
    night = 20 * 0.25 * 3 * 5 + 16 * 0.25 * 2 * 4            # N8 paid 5 night hours
    holiday = 20 * 1.0 * 3 * 3 + 16 * 1.0 * 2 * 4            # N8 paid 3 hours on the 25th
    overhead = 5 * (3 * 7 + 2 * 4)
    assert b.loc[("component", "wages"), "cost"] == pytest.approx(wages)
    assert b.loc[("component", "night premium"), "cost"] == pytest.approx(night)
    assert b.loc[("component", "weekend premium"), "cost"] == 0.0
    assert b.loc[("component", "holiday premium"), "cost"] == pytest.approx(holiday)
    assert b.loc[("component", "overhead"), "cost"] == pytest.approx(overhead)
    assert wages + night + holiday + overhead == 1108
    assert b.loc[("component", "total"), "cost"] == pytest.approx(1108)
    assert b.loc[("component", "night premium"), "agent_hours"] == pytest.approx(3 * 5 + 2 * 4)
    assert b.loc[("component", "holiday premium"), "agent_hours"] == pytest.approx(3 * 3 + 2 * 4)
    assert b.loc[("component", "wages"), "agent_hours"] == pytest.approx(29)

    rate = [c / p for c, p in zip(POOL_COST, PAID, strict=True)]   # per paid agent-hour
    assert rate == pytest.approx([25, 25, 30, 30, 232 / 5, 41, 232 / 5, 232 / 5])
    handling = 25 * 1.6 + 25 * 2.0 + 30 * 2.0 + 46.4 * 3.0 + 41 * 1.8 + 46.4 * 4.0 + 46.4 * 2.0
    idle = 25 * 1.1 + 25 * 0.7 + 30 * 0.7 + 46.4 * 1.5 + 46.4 * 0.5 + 46.4 * 2.5
    shrink = 0.1 * (25 * 3 + 25 * 3 + 30 * 3 + 46.4 * 5 + 41 * 2 + 46.4 * 5 + 46.4 * 5)
    breaks = 3 * 30
    assert handling + idle + shrink + breaks == pytest.approx(1108)
    assert b.loc[("use", "handling contacts"), "cost"] == pytest.approx(handling)
    assert b.loc[("use", "paid but idle"), "cost"] == pytest.approx(idle)
    assert b.loc[("use", "shrinkage"), "cost"] == pytest.approx(shrink)
    assert b.loc[("use", "paid breaks"), "cost"] == pytest.approx(breaks)
    assert b.loc[("use", "handling contacts"), "agent_hours"] == pytest.approx(sum(HANDLING_H))
    assert b.loc[("use", "paid but idle"), "agent_hours"] == pytest.approx(sum(IDLE_H))
    assert b.loc[("use", "shrinkage"), "agent_hours"] == pytest.approx(0.1 * sum(ON_DUTY))
    assert b.loc[("use", "paid breaks"), "agent_hours"] == pytest.approx(3)
    assert b.loc[("use", "paid but idle"), "share"] == pytest.approx(idle / 1108)
    assert report.summary["excess_workload_hours"] == pytest.approx(3.0 - 1.8)
    assert report.summary["handling_hours"] == pytest.approx(16.4)


def test_by_use_rows_sum_to_the_total(report: CostReport) -> None:
    b = report.breakdown
    uses = b[(b["view"] == "use") & (b["item"] != "total")]
    components = b[(b["view"] == "component") & (b["item"] != "total")]
    total = b.loc[(b["view"] == "use") & (b["item"] == "total"), "cost"].item()
    assert total == report.summary["cost"]
    assert uses["cost"].sum() == pytest.approx(total, rel=1e-12)
    assert components["cost"].sum() == pytest.approx(total, rel=1e-12)
    assert uses["share"].sum() == pytest.approx(1.0, rel=1e-12)
    assert uses["agent_hours"].sum() == pytest.approx(report.summary["paid_hours"], rel=1e-12)


def test_annual_scales_the_horizon_to_a_year(report: CostReport) -> None:
    factor = 365.25 / (8 / 24)                                # an 8-hour horizon
    annual = report.annual.set_index("item")
    assert report.summary["annual_factor"] == pytest.approx(factor)
    assert report.summary["horizon_days"] == pytest.approx(8 / 24)
    assert annual.loc["total", "cost_per_year"] == pytest.approx(1108 * factor)
    assert report.summary["cost_per_year"] == pytest.approx(1108 * factor)
    assert annual.loc["holiday premium", "cost_per_year"] == pytest.approx(
        (20 * 3 * 3 + 16 * 2 * 4) * factor)
    assert annual.loc["overhead", "cost_horizon"] == pytest.approx(5 * 29)


def test_days_and_weeks_in_the_local_time_zone(report: CostReport) -> None:
    # 00:00 on the 25th in Paris is 23:00 on the 24th in UTC: it must count on the 25th.
    by_day = report.by_day.set_index("date")
    assert list(by_day.index) == [dt.date(2026, 12, 24), dt.date(2026, 12, 25)]
    assert by_day.loc[dt.date(2026, 12, 24), "cost"] == pytest.approx(2 * 75 + 2 * 90)
    assert by_day.loc[dt.date(2026, 12, 25), "cost"] == pytest.approx(3 * 232 + 82)
    assert by_day.loc[dt.date(2026, 12, 25), "holiday_premium"] == pytest.approx(
        20 * 3 * 3 + 16 * 2 * 4)
    assert by_day.loc[dt.date(2026, 12, 24), "holiday_premium"] == 0.0
    assert by_day.loc[dt.date(2026, 12, 24), "agent_hours"] == pytest.approx(12)
    assert len(report.by_week) == 1
    week = report.by_week.iloc[0]
    assert week["week_start"] == dt.date(2026, 12, 21)        # the Monday
    assert week["horizon_days"] == pytest.approx(8 / 24)
    assert week["cost"] == pytest.approx(1108)


def test_without_handled_nothing_is_assumed(night_roster: Schedule) -> None:
    r = cost_report(night_roster, _workload(handled=False), concurrency={"chat": 2})
    assert r.by_channel["handled"].isna().all()
    assert r.by_channel["cost_per_handled"].isna().all()
    assert r.by_interval["handled"].isna().all()
    assert r.summary["handled"] is None and r.summary["cost_per_handled"] is None
    assert r.summary["has_handled"] is False
    assert r.by_channel["cost_per_offered"].notna().all()


def test_concurrency_changes_the_split(night_roster: Schedule) -> None:
    # Without concurrency a chat is 0.2 h of work: at 20:00 voice has 1.0 of 2.2 h.
    r = cost_report(night_roster, _workload())
    voice = _channel(r.by_interval, "voice")
    assert voice.loc[0, "cost"] == pytest.approx(1.0 / 2.2 * 75)
    assert r.summary["cost"] == pytest.approx(1108)


def test_per_channel_pools_keep_their_own_cost() -> None:
    starts = pd.date_range("2026-01-05 09:00", periods=2, freq="h")
    req = pd.DataFrame({"channel": ["voice", "voice", "chat", "chat"],
                        "interval_start": list(starts) * 2, "agents_required": [1, 1, 1, 1]})
    sched = schedule_shifts(req, [ShiftTemplate("2h", 7200, 9 * 3600, 9 * 3600,
                                                start_step_s=3600)],
                            interval_s=3600, rules=ScheduleRules(blend=False))
    workload = pd.DataFrame({"channel": ["voice", "voice", "chat", "chat"],
                             "interval_start": list(starts) * 2,
                             "offered": [5.0, 5.0, 0.0, 0.0], "aht_s": 360.0})
    r = cost_report(sched, workload)
    bc = r.by_channel.set_index("channel")
    # Each pool: 1 agent x 2 h x 20; chat keeps its cost although it has no work.
    assert bc.loc["chat", "cost"] == pytest.approx(2 * 20)
    assert bc.loc["voice", "cost"] == pytest.approx(2 * 20)
    assert bc.loc["chat", "cost_idle"] == pytest.approx(2 * 20)
    assert bc.loc["voice", "cost_idle"] == pytest.approx(20 * (1 - 0.5) * 2)
    assert bc.loc["voice", "cost_per_offered"] == pytest.approx(40 / 10)
    assert np.isnan(bc.loc["chat", "cost_per_offered"])         # no contacts: undefined
    assert (r.by_interval["allocation_share"] == 1.0).all()
    assert r.summary["blend"] is False


def test_blended_pool_with_no_work_is_split_equally_with_a_warning() -> None:
    starts = pd.date_range("2026-01-05 09:00", periods=2, freq="h")
    req = pd.DataFrame({"channel": ["voice", "voice", "chat", "chat"],
                        "interval_start": list(starts) * 2, "agents_required": [1, 1, 0, 0]})
    sched = schedule_shifts(req, [ShiftTemplate("2h", 7200, 9 * 3600, 9 * 3600,
                                                start_step_s=3600)], interval_s=3600)
    workload = pd.DataFrame({"channel": ["voice", "voice", "chat", "chat"],
                             "interval_start": list(starts) * 2, "offered": 0.0,
                             "aht_s": 300.0})
    with pytest.warns(UserWarning, match="no workload in the whole horizon"):
        r = cost_report(sched, workload)
    bc = r.by_channel.set_index("channel")
    assert bc.loc["voice", "cost"] == pytest.approx(40 / 2)
    assert bc.loc["chat", "cost"] == pytest.approx(40 / 2)


def test_handled_above_offered_warns(night_roster: Schedule) -> None:
    workload = _workload()
    workload.loc[workload["channel"] == "chat", "handled"] += 1.0
    with pytest.warns(UserWarning, match="handled 68 contacts but was offered 64"):
        cost_report(night_roster, workload, concurrency={"chat": 2})


def test_input_is_not_modified(night_roster: Schedule) -> None:
    workload = _workload()
    before = workload.copy()
    costs_before = night_roster.costs.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost_report(night_roster, workload, concurrency={"chat": 2})
    pd.testing.assert_frame_equal(workload, before)
    pd.testing.assert_frame_equal(night_roster.costs, costs_before)


# Bad input ------------------------------------------------------------------------------------


def test_missing_column(night_roster: Schedule) -> None:
    workload = _workload().drop(columns="aht_s")
    with pytest.raises(ContractError, match=r"cost_report\(\): 'workload' has no column 'aht_s' "
                                            r"\(found: channel, interval_start, offered"):
        cost_report(night_roster, workload)


def test_nan_offered(night_roster: Schedule) -> None:
    workload = _workload()
    workload.loc[3, "offered"] = np.nan
    with pytest.raises(ContractError, match=r"column 'offered' must be a finite number of "
                                            r"contacts >= 0; row 3 \(channel 'voice', "
                                            r"interval_start 2026-12-24 23:00:00\+01:00\) has "
                                            r"nan\. Fill or drop"):
        cost_report(night_roster, workload)


def test_negative_aht(night_roster: Schedule) -> None:
    workload = _workload()
    workload.loc[9, "aht_s"] = -30.0
    with pytest.raises(ContractError, match=r"column 'aht_s' must be a finite number of seconds "
                                            r"> 0, e\.g\. 240; row 9 \(channel 'chat'.*has "
                                            r"-30\.0"):
        cost_report(night_roster, workload)


def test_negative_handled(night_roster: Schedule) -> None:
    workload = _workload()
    workload.loc[0, "handled"] = -1.0
    with pytest.raises(ContractError, match=r"column 'handled' must be .*row 0"):
        cost_report(night_roster, workload)


def test_missing_interval(night_roster: Schedule) -> None:
    workload = _workload().drop(index=12)
    with pytest.raises(ContractError, match=r"no row for channel 'chat' at 2026-12-25 00:00:00"
                                            r"\+01:00 .*never read as zero"):
        cost_report(night_roster, workload)


def test_interval_outside_the_horizon(night_roster: Schedule) -> None:
    workload = _workload()
    extra = workload.iloc[[7]].assign(interval_start=STARTS[-1] + pd.Timedelta(hours=1))
    with pytest.raises(ContractError, match=r"row for channel 'voice' at 2026-12-25 04:00:00"
                                            r"\+01:00, outside the schedule's horizon"):
        cost_report(night_roster, pd.concat([workload, extra], ignore_index=True))


def test_duplicate_row(night_roster: Schedule) -> None:
    workload = _workload()
    with pytest.raises(ContractError, match="two rows for channel 'voice'"):
        cost_report(night_roster, pd.concat([workload, workload.iloc[[0]]], ignore_index=True))


def test_time_zone_mismatch(night_roster: Schedule) -> None:
    workload = _workload()
    workload["interval_start"] = workload["interval_start"].dt.tz_localize(None)
    with pytest.raises(ContractError, match=r"time-zone naive but the schedule's is in "
                                            r"Europe/Paris"):
        cost_report(night_roster, workload)


def test_bad_concurrency(night_roster: Schedule) -> None:
    with pytest.raises(InvalidParameterError, match=r"concurrency\['chat'\] must be a number "
                                                    r">= 1.*got 0\.5"):
        cost_report(night_roster, _workload(), concurrency={"chat": 0.5})
    with pytest.raises(InvalidParameterError, match="concurrency names channel 'email'"):
        cost_report(night_roster, _workload(), concurrency={"email": 2})


def test_not_a_schedule() -> None:
    with pytest.raises(InvalidParameterError, match="schedule must be a staffing.Schedule"):
        cost_report(_workload(), _workload())  # type: ignore[arg-type]


def test_per_channel_schedule_needs_the_same_channels() -> None:
    starts = pd.date_range("2026-01-05 09:00", periods=2, freq="h")
    req = pd.DataFrame({"channel": "voice", "interval_start": starts, "agents_required": 1})
    sched = schedule_shifts(req, [ShiftTemplate("2h", 7200, 9 * 3600, 9 * 3600,
                                                start_step_s=3600)],
                            interval_s=3600, rules=ScheduleRules(blend=False))
    workload = pd.DataFrame({"channel": ["voice", "voice", "chat", "chat"],
                             "interval_start": list(starts) * 2, "offered": 1.0,
                             "aht_s": 300.0})
    with pytest.raises(ContractError, match=r"one pool per channel \(voice\) but 'workload' has "
                                            r"channels chat, voice"):
        cost_report(sched, workload)


def _hand_schedule(agents_paid: int, cost: float) -> Schedule:
    """One blended pool, one hourly interval, built by hand."""
    start = pd.Timestamp("2026-01-05 09:00")
    coverage = pd.DataFrame({"channel": ["blended"], "interval_start": [start],
                             "agents_required": [2], "agents_target": [2],
                             "agents_scheduled": [2], "agents_on_break": [0],
                             "agents_on_paid_break": [0], "over": [0], "under": [0],
                             "is_open": [True]})
    costs = pd.DataFrame({"channel": ["blended"], "interval_start": [start],
                          "agents_paid": [agents_paid], "agent_hours": [float(agents_paid)],
                          "wages": [cost], "night_premium": [0.0], "weekend_premium": [0.0],
                          "holiday_premium": [0.0], "overhead": [0.0], "cost": [cost]})
    empty = pd.DataFrame()
    return Schedule(empty, empty, empty, coverage, costs,
                    {"interval_s": 3600.0, "horizon_s": 3600.0, "shrinkage": 0.0,
                     "blend": True, "cost": cost})


def test_hand_built_schedule() -> None:
    workload = pd.DataFrame({"channel": ["voice"], "interval_start":
                             [pd.Timestamp("2026-01-05 09:00")], "offered": [3.0],
                             "aht_s": [1200.0]})
    r = cost_report(_hand_schedule(2, 2 * 20.0), workload)
    b = r.breakdown.set_index(["view", "item"])["cost"]
    assert b[("use", "handling contacts")] == pytest.approx(20.0 * 3 * 1200 / 3600)
    assert b[("use", "paid but idle")] == pytest.approx(20.0 * (2 - 1))
    assert r.summary["annual_factor"] == pytest.approx(365.25 * 24)


def test_inconsistent_schedule() -> None:
    workload = pd.DataFrame({"channel": ["voice"], "interval_start":
                             [pd.Timestamp("2026-01-05 09:00")], "offered": [3.0],
                             "aht_s": [1200.0]})
    with pytest.raises(ContractError, match=r"pays 3 agents but has 2 on duty and 0 on a paid "
                                            r"break"):
        cost_report(_hand_schedule(3, 60.0), workload)
