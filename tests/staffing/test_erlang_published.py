"""Published Erlang values, each with its source.

Where a source prints a rounded number, the assertion is exactly as strong as the printed
precision: e.g. a table capacity ``A`` printed to one decimal for blocking ``p`` means the
true capacity lies in ``[A - 0.05, A + 0.05]``, i.e. ``B(N, A - 0.05) <= p <= B(N, A + 0.05)``
(B increases with the load).  Every published entry is also checked against an exact
mpmath evaluation of the Erlang B definition *inside the test*, so a failure says whether
the table or the library disagrees.
"""

from __future__ import annotations

import math

import pytest
from mpmath import mp, mpf

from staffing import erlang_b, erlang_c, queue_kpis, required_agents


def _mp_erlang_b(n: int, a: float) -> mpf:
    """Erlang B from its definition, (A^n/n!) / sum_{k<=n} A^k/k!, at 40 digits."""
    with mp.workdps(40):
        a = mpf(a)
        terms = [mp.power(a, k) / mp.factorial(k) for k in range(n + 1)]
        return +(terms[-1] / mp.fsum(terms))


# --------------------------------------------------------------------------------------
# Erlang C worked example: 100 calls per 30 minutes, AHT 180 s, 80 % in 20 s.
# Sources:
#   * pyworkforce 0.1.0 README, https://pypi.org/project/pyworkforce/0.1.0/ :
#     ErlangC(transactions=100, asa=20/60, aht=3, interval=30, max_occupancy=0.85, ...)
#     .required_positions(service_level=0.8) -> raw_positions 14,
#     service_level 0.8883500191794669, occupancy 0.7142857142857143,
#     waiting_probability 0.1741319335950498.
#   * R package ErlangC 0.1.0 README, https://rdocumentation.org/packages/ErlangC/versions/0.1.0 :
#     erlang_c(100, 30 min, 180 s, 20 s, 14) -> traffic_intensity 10,
#     wait_probability 0.1741319, service_level 0.88835,
#     average_speed_of_answer 7.83593701177724 s, occupancy 0.7142857; calculate_agents(...) -> 14.
#   (The same example is the worked example of Peter Prevos's Erlang C article on
#   lucidmanager.org; that page was not among the stored sources, so the numbers above are
#   cited from the two package pages, which agree with each other.)
# --------------------------------------------------------------------------------------


def test_worked_example_required_agents_is_14():
    n = required_agents(100, 1800.0, 180.0, service_level_target=0.8, answer_within_s=20.0)
    assert n == 14
    # pyworkforce also caps occupancy at 85 %; occupancy at 14 agents is 0.714, so still 14.
    n_occ = required_agents(
        100, 1800.0, 180.0, service_level_target=0.8, answer_within_s=20.0, max_occupancy=0.85
    )
    assert n_occ == 14


def test_worked_example_kpis_at_14_agents():
    df = queue_kpis(
        n_agents=14, offered=100.0, interval_s=1800.0, aht_s=180.0, answer_within_s=20.0
    )
    row = df.iloc[0]
    assert round(float(row["service_level"]), 5) == 0.88835
    # pyworkforce prints the full double; the closed form 1 - C*exp(-(N-A)*T/AHT) is exact,
    # so 1e-9 leaves room only for a different (stable) evaluation order.
    assert float(row["service_level"]) == pytest.approx(0.8883500191794669, rel=1e-9)
    assert float(row["p_wait"]) == pytest.approx(0.1741319335950498, rel=1e-9)
    assert float(row["occupancy"]) == pytest.approx(0.7142857142857143, rel=1e-12)
    assert float(row["mean_wait_s"]) == pytest.approx(7.83593701177724, rel=1e-9)
    assert abs(float(row["abandon_rate"])) <= 1e-12  # no abandonment in Erlang C
    # 13 agents must miss the 80 % target (otherwise 14 would not be the minimum).
    df13 = queue_kpis(
        n_agents=13, offered=100.0, interval_s=1800.0, aht_s=180.0, answer_within_s=20.0
    )
    assert float(df13["service_level"].iloc[0]) < 0.8


def test_worked_example_erlang_c_first_stable_count():
    # R ErlangC 0.1.0 README, calculate_agents(...)$process, first row: traffic 10,
    # wait_probability 0.6821182 -- the search starts at the first stable count, 11 agents.
    assert round(erlang_c(11, 10.0), 7) == 0.6821182
    assert round(erlang_c(14, 10.0), 7) == 0.1741319


# --------------------------------------------------------------------------------------
# 10 erlangs at 2 % blocking need 17 trunks (classic trunk-sizing example; verified
# against the exact definition in this test).
# --------------------------------------------------------------------------------------


def test_ten_erlangs_two_percent_needs_17_trunks():
    # independent check of the claim itself
    assert _mp_erlang_b(17, 10.0) <= mpf("0.02") < _mp_erlang_b(16, 10.0)
    assert erlang_b(17, 10.0) <= 0.02 < erlang_b(16, 10.0)


# --------------------------------------------------------------------------------------
# Erlang B tables
# --------------------------------------------------------------------------------------

# Source: "Appendix A: Table of Erlang B", Carrier Grade Voice Over IP, 2nd ed. (D. Collins),
#   https://www.globalspec.com/reference/55139/203279/appendix-a-table-of-erlang-b
#   (capacity in erlangs, printed to 1 decimal; columns 1.0 %, 2.0 %, 5.0 % used here).
GLOBALSPEC_TABLE = {
    # channels: (A at 1 %, A at 2 %, A at 5 %)
    1: (0.0, 0.0, 0.1),
    2: (0.2, 0.2, 0.4),
    3: (0.5, 0.6, 0.9),
    4: (0.9, 1.1, 1.5),
    5: (1.4, 1.7, 2.2),
    6: (1.9, 2.3, 3.0),
    7: (2.5, 2.9, 3.7),
    8: (3.1, 3.6, 4.5),
    9: (3.8, 4.3, 5.4),
}
GLOBALSPEC_CASES = [
    (n, p, a, 0.05)
    for n, row in GLOBALSPEC_TABLE.items()
    for p, a in zip((0.01, 0.02, 0.05), row, strict=True)
]

# Source: Westbay Erlang calculator manual, "How much traffic?",
#   https://erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm
#   15 lines at 1 % blocking carry 8.108 erlangs (3 decimals).
ERLANG_COM_CASES = [(15, 0.01, 8.108, 0.0005)]

# Source: Erlang B table values for 0.5 % blocking (textbook trunking exercise: "how many
#   users can be supported for 0.5 % blocking probability for 1, 5, 10, 20, 100 trunked
#   channels"), transcribed "from table" in GitHub repository
#   code-with-omar/cellular-and-mobile-sessional, file lab-3.py (https://github.com/code-with-omar/cellular-and-mobile-sessional):
#   A = [0.005, 1.13, 3.96, 11.1, 80.9]; half a unit of the printed last digit as tolerance.
RAPPAPORT_CASES = [
    (1, 0.005, 0.005, 0.0005),
    (5, 0.005, 1.13, 0.005),
    (10, 0.005, 3.96, 0.005),
    (20, 0.005, 11.1, 0.05),
    (100, 0.005, 80.9, 0.05),
]

TABLE_CASES = GLOBALSPEC_CASES + ERLANG_COM_CASES + RAPPAPORT_CASES


@pytest.mark.parametrize("n,p,a_table,half_unit", TABLE_CASES)
def test_erlang_b_table_entry(n, p, a_table, half_unit):
    lo = a_table - half_unit
    hi = a_table + half_unit
    # The table entry is consistent with the exact definition ...
    assert _mp_erlang_b(n, hi) >= p, f"table entry N={n}, {p:.1%}: A={a_table} inconsistent (hi)"
    if lo > 0:
        assert _mp_erlang_b(n, lo) <= p, (
            f"table entry N={n}, {p:.1%}: A={a_table} inconsistent (lo)"
        )
    # ... and so is the library.
    b_hi = erlang_b(n, hi)
    assert b_hi >= p, (
        f"erlang_b({n}, {hi}) = {b_hi!r} < {p} (table: N={n}, {p:.1%} -> {a_table} erl)"
    )
    if lo > 0:
        b_lo = erlang_b(n, lo)
        assert b_lo <= p, (
            f"erlang_b({n}, {lo}) = {b_lo!r} > {p} (table: N={n}, {p:.1%} -> {a_table} erl)"
        )


# --------------------------------------------------------------------------------------
# by hand
# --------------------------------------------------------------------------------------


def test_by_hand_values():
    # B(1, 1) = (1/1!) / (1 + 1) = 1/2 ;  B(2, 1) = (1/2) / (1 + 1 + 1/2) = 1/5
    assert erlang_b(1, 1.0) == pytest.approx(0.5, rel=1e-15, abs=0)
    assert erlang_b(2, 1.0) == pytest.approx(0.2, rel=1e-15, abs=0)
    # C(2, 1): p_k ∝ 1, 1, 1/2 * (1/2)^(k-2) ; P(k >= 2) = 1 / (1 + 1 + 1) = 1/3
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-15, abs=0)
    # M/M/1: P(wait) = rho
    assert erlang_c(1, 0.5) == pytest.approx(0.5, rel=1e-15, abs=0)


def test_by_hand_mm1_kpis():
    """M/M/1 textbook results: rho = 0.5, mu - lambda = 1/360 per second.

    P(wait) = rho; Wq = rho/(mu - lambda) = 180 s; Lq = rho^2/(1 - rho) = 0.5;
    P(Wq <= t) = 1 - rho*exp(-(mu - lambda) t).
    """
    df = queue_kpis(n_agents=1, offered=5.0, interval_s=1800.0, aht_s=180.0, answer_within_s=20.0)
    row = df.iloc[0]
    assert float(row["p_wait"]) == pytest.approx(0.5, rel=1e-12)
    assert float(row["mean_wait_s"]) == pytest.approx(180.0, rel=1e-12)
    assert float(row["asa_s"]) == pytest.approx(180.0, rel=1e-12)
    assert float(row["mean_queue"]) == pytest.approx(0.5, rel=1e-12)
    assert float(row["occupancy"]) == pytest.approx(0.5, rel=1e-12)
    assert float(row["service_level"]) == pytest.approx(
        1 - 0.5 * math.exp(-20.0 / 360.0), rel=1e-12
    )


@pytest.mark.parametrize("patience_s", [None, 120.0])
def test_kpis_without_pandas_are_the_table_columns(patience_s):
    """``as_frame=False`` gives the same columns, in order, as plain arrays (the command line
    starts without pandas); the worked example's 0.88835 at 14 agents in both forms."""
    import numpy as np

    args = ([13, 14, 15], 100, 1800, 180, 20, patience_s)
    table = queue_kpis(*args)
    columns = queue_kpis(*args, as_frame=False)
    assert list(columns) == list(table.columns)
    for name, values in columns.items():
        assert isinstance(values, np.ndarray) and values.shape == (3,)
        np.testing.assert_array_equal(values, table[name].to_numpy())
    if patience_s is None:
        assert round(float(columns["service_level"][1]), 5) == 0.88835
