"""Simulation-corrected staffing (``staffing: {method: simulation}``): the target holds where
it is judged, costs and requirements only rise.

The instance is small enough to run in a few seconds: one morning of 30-minute
intervals, 20 calls of 15 minutes each per interval with an hour-long peak of
80, one-hour shifts on a 30-minute grid (so the schedule follows the
requirement closely), 80 % within 20 s, callers patient for a day on average
(Erlang A that close to Erlang C: the file format asks ``method: simulation``
for a patience). After the peak the agents the plan keeps are still busy with
peak calls, so per-interval Erlang staffing misses the target there (the
carry-over of docs/validation.md).

Every check below is made against something the pipeline did not compute
itself: the service level is recomputed from the simulator's raw counts (the
simulator run again on the result's agents, with the scenario's seed: common
random numbers make it the run the pipeline judged), the Erlang-only schedule
is solved directly with staffing, and the agents on duty are counted from the
result's shifts by hand.
"""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scenarios import InputFileError, load_scenarios, run_scenario
from scenarios.pipeline.contracts import ROUND_COLUMNS
from simulator import ChannelModel, simulate
from staffing import requirements, schedule_shifts
from staffing.shifts import PayRates, ScheduleRules, ShiftTemplate

INTERVAL_S = 1800
TARGET, WITHIN_S = 0.8, 20.0
PATIENCE_S = 86400.0
N_REPLICATIONS, SEED = 10, 3
TEMPLATES = [ShiftTemplate("hour", 3600, 8 * 3600, 13 * 3600, start_step_s=1800)]
HARD = ScheduleRules(coverage="hard", mip_rel_gap=0.0)
RATES = PayRates(hourly_rates={"agent": 20.0})

SCENARIO = """\
name: morning
timezone: UTC
interval: 30m
horizon: {start: 2026-03-03, days: 1}
hours: {all: "08:00-14:00"}
seed: 3
channels:
  voice: {volume: {file: voice.csv}, aht: 15m, target: 80% in 20s, patience: 24h}
staffing: {method: simulation, max_rounds: 9}
shifts:
  templates: [{name: hour, length: 1h, start: {earliest: "08:00", latest: "13:00", step: 30m}}]
  rules: {coverage: hard, mip_rel_gap: 0}
pay: {hourly_rates: {agent: 20}}
simulation: {replications: 10}
"""


def _day(channel="voice"):
    """The whole day's demand (0 outside 08:00-14:00), as the volume file gives it."""
    starts = pd.date_range("2026-03-03 00:00", periods=48, freq="30min", tz="UTC")
    offered = np.zeros(48)
    offered[16:28] = 20.0
    offered[20:22] = 80.0  # 10:00 and 10:30
    return pd.DataFrame({"channel": channel, "interval_start": starts, "offered": offered,
                         "aht_s": 900.0})


def _forecast():
    """The open morning only (08:00-14:00)."""
    day = _day()
    return day[day["offered"] > 0].reset_index(drop=True)


def _file(folder: Path, text: str = SCENARIO) -> Path:
    _day()[["interval_start", "offered"]].to_csv(folder / "voice.csv", index=False)
    path = folder / "morning.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(folder: Path, text: str = SCENARIO, on_stage=None, **overrides):
    scn = load_scenarios(_file(folder, text), overrides=overrides or None)[0]
    return run_scenario(scn, on_stage=on_stage)


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("loop"))


@pytest.fixture(scope="module")
def erlang_only():
    req = requirements(_forecast(), interval_s=INTERVAL_S, service_level_target=TARGET,
                       answer_within_s=WITHIN_S, mean_patience_s=PATIENCE_S)
    return req, schedule_shifts(req, TEMPLATES, interval_s=INTERVAL_S, rules=HARD, rates=RATES)


def _open(result):
    """The result's intervals of the open morning."""
    iv = result.intervals
    return iv[iv["is_open"]].reset_index(drop=True)


def _on_duty_by_hand(result) -> pd.Series:
    """Agents on duty per interval, counted from the result's one-hour shifts (no breaks)."""
    starts = _day()["interval_start"]
    counts = np.zeros(len(starts), dtype=np.int64)
    for shift in result.shifts.itertuples():
        end = shift.shift_start + pd.Timedelta(seconds=shift.duration_s)
        counts += np.where((starts >= shift.shift_start) & (starts < end), shift.headcount, 0)
    return pd.Series(counts, index=pd.DatetimeIndex(starts))


def _simulate_again(result):
    """The simulator on the result's agents on the queue, with the scenario's seed."""
    coverage = result.intervals[["channel", "interval_start", "agents_on_queue"]].copy()
    coverage["agents_on_queue"] = coverage["agents_on_queue"].astype(np.int64)
    sim, _ = simulate(_day(), coverage, interval_s=INTERVAL_S,
                      channels={"voice": ChannelModel(answer_within_s=WITHIN_S,
                                                      mean_patience_s=PATIENCE_S)},
                      n_replications=N_REPLICATIONS, seed=SEED)
    return sim


def _pooled_service_level(sim_intervals):
    per = sim_intervals.groupby(["channel", "interval_start"])[
        ["answered_within_target", "offered"]].sum()
    return per["answered_within_target"] / per["offered"]


def test_erlang_only_schedule_misses_the_target_after_the_peak(loop, erlang_only):
    # The premise: round 0 (per-interval Erlang) misses somewhere, so the loop has work to do.
    first = loop.rounds.iloc[0]
    assert first["n_missed"] > 0
    assert first["worst_service_level"] < TARGET
    # Where: after the peak (10:00-11:00), whose queue per-interval Erlang does not see. The
    # Erlang-only schedule simulated with the scenario's seed misses there. (Which interval is
    # round 0's worst at 10 replications is the luck of the draw, 09:30 in about one seed in
    # seven; a miss after the peak came at each of 40 seeds tried, and with 400 replications
    # 11:00 is the worst interval, 0.71.)
    _, sched = erlang_only
    coverage = sched.coverage.rename(columns={"agents_scheduled": "agents_on_queue"}).assign(
        channel="voice")  # the schedule of one pool names its coverage "blended"
    sim, _ = simulate(_forecast(), coverage[["channel", "interval_start", "agents_on_queue"]],
                      interval_s=INTERVAL_S,
                      channels={"voice": ChannelModel(answer_within_s=WITHIN_S,
                                                      mean_patience_s=PATIENCE_S)},
                      n_replications=N_REPLICATIONS, seed=SEED)
    sl = _pooled_service_level(sim)
    after = sl[sl.index.get_level_values("interval_start")
               >= pd.Timestamp("2026-03-03 11:00", tz="UTC")]
    assert (after < TARGET).any(), after


def test_every_judged_interval_meets_the_target_at_the_end(loop):
    assert loop.rounds.iloc[-1]["n_missed"] == 0
    sim = _simulate_again(loop)
    sl = _pooled_service_level(sim)
    fc = _forecast().set_index(["channel", "interval_start"])
    judged = fc["offered"] >= 10.0
    assert judged.sum() == loop.rounds.iloc[-1]["n_judged"] == 12
    assert (sl[judged[judged].index] >= TARGET).all(), sl[judged[judged].index].min()
    # The result's own simulated service level is the same simulation's (mean over
    # replications of each replication's share).
    per_rep = sim.assign(sl=sim["answered_within_target"] / sim["offered"]).groupby(
        ["channel", "interval_start"])["sl"].mean()
    mine = _open(loop).set_index(["channel", "interval_start"])["service_level"]
    np.testing.assert_allclose(mine.to_numpy(), per_rep.loc[mine.index].to_numpy(),
                               rtol=1e-12)


def test_the_simulation_judged_the_final_schedule(loop):
    # The agents the simulator put on the queue are the final schedule's, interval by interval.
    on_duty = _on_duty_by_hand(loop)
    mine = loop.intervals.set_index("interval_start")["agents_on_queue"]
    np.testing.assert_array_equal(mine.loc[on_duty.index].to_numpy(), on_duty.to_numpy())
    sim = _simulate_again(loop)
    seen = sim[sim.replication == 0].set_index("interval_start")["agents_on_duty"]
    np.testing.assert_array_equal(seen.loc[on_duty.index].to_numpy(), on_duty.to_numpy())


def test_cost_is_at_least_the_erlang_only_cost(loop, erlang_only):
    _, sched = erlang_only
    assert loop.rounds.iloc[0]["cost"] == pytest.approx(sched.summary["cost"])
    assert loop.totals.iloc[0]["cost"] >= sched.summary["cost"] - 1e-9
    assert loop.rounds.iloc[-1]["cost"] == pytest.approx(loop.totals.iloc[0]["cost"])
    # Requirements only rise and the solver is exact here, so costs never fall round to round.
    assert loop.rounds["cost"].is_monotonic_increasing


def test_requirements_only_go_up_and_the_schedule_covers_them(loop, erlang_only):
    req, _ = erlang_only
    final = _open(loop)
    erlang = req["agents_required"].to_numpy()
    assert (final["agents_required"].to_numpy() >= erlang).all()
    assert (final["agents_required"].to_numpy() > erlang).any()
    assert loop.rounds["requirement_agent_intervals"].is_monotonic_increasing
    assert loop.rounds["agents_added"].sum() == (final["agents_required"].to_numpy()
                                                 - erlang).sum()
    cov = _on_duty_by_hand(loop)
    assert (cov.loc[final["interval_start"]].to_numpy() >= final["agents_required"]).all()


def test_same_seed_gives_identical_results(loop, tmp_path):
    again = _run(tmp_path)
    for table in ("rounds", "intervals", "channels", "totals", "shifts"):
        pd.testing.assert_frame_equal(getattr(loop, table), getattr(again, table))


def test_round_limit_is_reported_not_hidden(tmp_path):
    seen = []
    res = _run(tmp_path, on_stage=seen.append, **{"staffing.max_rounds": 1})
    assert len(res.rounds) == 1 and list(res.rounds.columns) == ["scenario", *ROUND_COLUMNS]
    sl = _pooled_service_level(_simulate_again(res))
    open_sl = sl.loc[[("voice", t) for t in _forecast()["interval_start"]]]
    assert res.rounds.iloc[0]["n_missed"] == int((open_sl < TARGET).sum()) > 0
    assert (res.rounds["agents_added"] == 0).all()
    req = requirements(_forecast(), interval_s=INTERVAL_S, service_level_target=TARGET,
                       answer_within_s=WITHIN_S, mean_patience_s=PATIENCE_S)
    np.testing.assert_array_equal(_open(res)["agents_required"], req["agents_required"])
    # The progress callback saw exactly one round.
    assert seen.count("schedule") == len(res.rounds) == 1


def test_intervals_the_centre_is_closed_are_not_judged(tmp_path):
    # Open 10:00-11:00 only: the two peak intervals are judged, the rest has no contacts.
    res = _run(tmp_path, SCENARIO.replace('{all: "08:00-14:00"}', '{all: "10:00-11:00"}'),
               **{"staffing.max_rounds": 1})
    assert res.rounds.iloc[0]["n_judged"] == 2
    judged = _open(res)
    assert list(judged["interval_start"].dt.strftime("%H:%M")) == ["10:00", "10:30"]
    closed = res.intervals[~res.intervals["is_open"]]
    assert (closed["offered"] == 0).all()


def test_shrinkage_leaves_the_simulator_fewer_agents_than_scheduled(tmp_path):
    res = _run(tmp_path, **{"staffing.max_rounds": 1, "staffing.shrinkage": 0.25})
    cov = _on_duty_by_hand(res)
    on_queue = res.intervals.set_index("interval_start")["agents_on_queue"].loc[cov.index]
    np.testing.assert_array_equal(on_queue.to_numpy(), np.floor(cov.to_numpy() * 0.75))
    seen = _simulate_again(res)
    np.testing.assert_array_equal(
        seen[seen.replication == 0].set_index("interval_start")["agents_on_duty"]
        .loc[cov.index].to_numpy(), np.floor(cov.to_numpy() * 0.75))
    assert (on_queue.to_numpy() >= res.intervals.set_index("interval_start")
            ["agents_required"].loc[cov.index].to_numpy()).all()


def test_each_channel_is_its_own_pool_without_agent_groups(tmp_path):
    # The simulator staffs each channel from its own agents: without ``agents:`` the shift
    # rules never pool channels (the file's way to share agents is an ``agents:`` group).
    _day("chat")[["interval_start", "offered"]].to_csv(tmp_path / "chat.csv", index=False)
    text = SCENARIO.replace(
        "  voice: {volume: {file: voice.csv}, aht: 15m, target: 80% in 20s, patience: 24h}\n",
        "  voice: {volume: {file: voice.csv}, aht: 15m, target: 80% in 20s, patience: 24h}\n"
        "  chat: {volume: {file: chat.csv}, aht: 15m, target: 80% in 20s, patience: 24h}\n")
    res = _run(tmp_path, text, **{"staffing.max_rounds": 1, "simulation.replications": 2})
    assert set(res.shifts["channel"]) == {"voice", "chat"}
    iv = res.intervals[res.intervals["is_open"]]
    assert (iv["agents_on_queue"] >= iv["agents_required"]).all()
    assert (iv["agents_on_queue"] == np.floor(iv["agents_on_queue"])).all()


def test_soft_coverage_that_stays_short_stops_with_no_progress(tmp_path):
    # A shortfall costs almost nothing, so the solver staffs nobody and raising cannot help.
    text = SCENARIO.replace("rules: {coverage: hard, mip_rel_gap: 0}",
                            "rules: {coverage: soft, under_penalty: 0.01, mip_rel_gap: 0}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = _run(tmp_path, text, **{"simulation.replications": 2})
    messages = [str(w.message) for w in caught]
    assert any("coverage: soft" in m for m in messages)
    assert any("raising it changes nothing" in m for m in messages)
    assert res.rounds.iloc[-1]["n_missed"] > 0 and len(res.rounds) == 1


@pytest.mark.parametrize(("old", "new", "match"), [
    ("simulation: {replications: 10}", "simulation: {replications: 1}",
     r"simulation\.replications"),
    ("target: 80% in 20s", "target: 80 in 20s", r"channels\.voice\.target must look like"),
    ("max_rounds: 9", "max_rounds: 0", r"staffing\.max_rounds must be greater than or equal"),
])
def test_bad_parameters_are_named(tmp_path, old, new, match):
    with pytest.raises(InputFileError, match=match):
        load_scenarios(_file(tmp_path, SCENARIO.replace(old, new)))
