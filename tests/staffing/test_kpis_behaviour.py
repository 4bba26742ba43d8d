"""Behaviour of queue_kpis, required_agents and requirements beyond the formulas.

Reference values come from hand calculation or from the definitions; none
were produced by the code under test.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from staffing import erlang_c, queue_kpis, required_agents, requirements
from staffing.contracts import check_requirements
from staffing.errors import ContractError, InfeasibleTargetError, InvalidParameterError


def _sl_erlang_c(n, load, within_s, aht_s):
    # Textbook Erlang C service level, written out here from the definition.
    return 1.0 - erlang_c(n, load) * np.exp(-(n - load) * within_s / aht_s)


def test_zero_offered_is_a_perfect_interval_and_needs_min_agents():
    kpis = queue_kpis(0, 0, 900, 300, 20, mean_patience_s=120)
    assert kpis.loc[0, "service_level"] == 1.0
    assert kpis.loc[0, "mean_wait_s"] == 0.0
    assert kpis.loc[0, "abandon_rate"] == 0.0
    assert required_agents(0, 900, 300) == 0
    assert required_agents(0, 900, 300, min_agents=2) == 2


def test_unstable_erlang_c_is_inf_with_a_warning_not_silent():
    with pytest.warns(RuntimeWarning, match="unstable"):
        kpis = queue_kpis([5, 20], 100, 1800, 180, 20)  # load 10 erlangs
    assert np.isinf(kpis.loc[0, "mean_wait_s"]) and kpis.loc[0, "service_level"] == 0.0
    assert np.isfinite(kpis.loc[1, "mean_wait_s"])


def test_erlang_a_stays_finite_in_overload_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kpis = queue_kpis(5, 100, 1800, 180, 20, mean_patience_s=60)  # 10 erlangs on 5
    # Overloaded with abandonment: throughput is at most 5 agents' worth, so at least half abandon.
    assert kpis.loc[0, "abandon_rate"] >= 0.5
    assert np.isfinite(kpis.loc[0, "mean_wait_s"])


def test_required_agents_published_example_and_vectorised():
    # 100 calls in 30 min, AHT 180 s, 80/20 -> 14 agents (see test_erlang_published.py).
    got = required_agents(np.array([100.0, 100.0, 0.0]), 1800, 180)
    assert got.tolist() == [14, 14, 0]


def test_concurrency_divides_servers():
    # With concurrency k, the servers needed are those of the single-contact case; agents
    # are that number divided by k, rounded up.
    slots = required_agents(300, 1800, 600, 0.8, 60)
    for k in (1, 2, 3, 4):
        assert required_agents(300, 1800, 600, 0.8, 60, concurrency=k) == -(-slots // k)


def test_each_target_binds_alone():
    load = 100 * 180 / 1800
    n_occ = required_agents(100, 1800, 180, None, max_occupancy=0.6)
    assert load / n_occ <= 0.6 < load / (n_occ - 1)
    n_asa = required_agents(100, 1800, 180, None, max_asa_s=5.0)
    asa = queue_kpis([n_asa - 1, n_asa], 100, 1800, 180, 20).asa_s.to_numpy()
    assert asa[1] <= 5.0 < asa[0]
    n_ab = required_agents(100, 1800, 180, None, mean_patience_s=60, max_abandon=0.02)
    ab = queue_kpis([n_ab - 1, n_ab], 100, 1800, 180, 20, 60).abandon_rate.to_numpy()
    assert ab[1] <= 0.02 < ab[0]


def test_service_level_uses_the_textbook_erlang_c():
    for offered in (10, 100, 1000, 5000):
        load = offered * 300 / 900
        n = required_agents(offered, 900, 300, 0.8, 20)
        assert _sl_erlang_c(n, load, 20, 300) >= 0.8 > _sl_erlang_c(n - 1, load, 20, 300)


def test_infeasible_target_names_interval_and_target():
    with pytest.raises(InfeasibleTargetError, match=r"interval 1 .*service_level_target=0.8"):
        required_agents([10, 5000], 900, 300, 0.8, 20, max_agents=100)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"offered": -1}, "offered"),
        ({"aht_s": 0}, "aht_s"),
        ({"aht_s": float("nan")}, "aht_s"),
        ({"service_level_target": 1.0}, "service_level_target"),
        ({"service_level_target": 0.0}, "service_level_target"),
        ({"interval_s": -900}, "interval_s"),
        ({"mean_patience_s": 0}, "mean_patience_s"),
        ({"max_occupancy": 1.5}, "max_occupancy"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    args = {"offered": 100, "interval_s": 900, "aht_s": 300} | kwargs
    with pytest.raises(InvalidParameterError, match=name):
        required_agents(**args)


def test_mismatched_shapes_name_the_arguments():
    with pytest.raises(ValueError, match=r"offered \(3,\).*aht_s \(2,\)"):
        required_agents([1, 2, 3], 900, [300, 300])


def test_max_abandon_needs_patience_and_some_target_is_needed():
    with pytest.raises(InvalidParameterError, match="mean_patience_s"):
        required_agents(100, 900, 300, max_abandon=0.05)
    with pytest.raises(InvalidParameterError, match="no target"):
        required_agents(100, 900, 300, None)


def test_fractional_agents_are_rejected():
    with pytest.raises(InvalidParameterError, match="whole number"):
        queue_kpis(3.5, 10, 900, 300, 20)


def _forecast():
    return pd.DataFrame({
        "channel": ["voice"] * 3,
        "interval_start": pd.date_range("2026-03-02 09:00", periods=3, freq="30min",
                                        tz="Europe/London"),
        "offered": [100.0, 0.0, 50.0],
        "aht_s": [180.0, 180.0, 200.0],
        "note": ["extra columns are ignored", "", ""],
    })


def test_requirements_table_meets_contract_and_leaves_input_alone():
    forecast = _forecast()
    before = forecast.copy()
    req = requirements(forecast, interval_s=1800)
    check_requirements(req)
    pd.testing.assert_frame_equal(forecast, before)
    assert req.agents_required.tolist()[:2] == [14, 0]
    assert str(req.interval_start.dt.tz) == "Europe/London"
    assert isinstance(req.index, pd.RangeIndex)


def test_requirements_errors_name_column_and_interval():
    forecast = _forecast().drop(columns="aht_s")
    with pytest.raises(ContractError, match=r"no column 'aht_s' \(found: channel"):
        requirements(forecast, interval_s=1800)
    forecast = _forecast()
    forecast.loc[2, "offered"] = np.nan
    with pytest.raises(ContractError, match=r"'offered'.*row 2.*never read as zero"):
        requirements(forecast, interval_s=1800)
    forecast = _forecast()
    forecast.loc[2, "offered"] = 1e9
    with pytest.raises(InfeasibleTargetError,
                       match=r"channel 'voice', interval_start 2026-03-02 10:00"):
        requirements(forecast, interval_s=1800)


def test_repeated_intervals_get_the_same_answers_as_alone():
    # Many equal volumes (solved once internally) with a varying patience column.
    offered = np.tile([0.0, 3.0, 40.0, 40.0, 120.0], 40)
    patience = np.repeat([60.0, 240.0], 100)
    together = required_agents(offered, 900, 300, 0.8, 20, patience)
    alone = [required_agents(o, 900, 300, 0.8, 20, p) for o, p in zip(offered, patience,
                                                                       strict=True)]
    assert together.tolist() == alone
    assert required_agents(np.full(100, 50.0), 900, 300).tolist() == [required_agents(50.0, 900,
                                                                                      300)] * 100
