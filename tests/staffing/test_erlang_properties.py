"""Property-based tests (hypothesis) and bad-input tests for ``staffing``'s Erlang API.

Only the public API is used.  Tolerances: values are compared through double-precision
arithmetic, so exact identities of the definitions are checked to ``1e-10`` relative /
``1e-12`` absolute, and monotonicity allows ``1e-12`` absolute slack for rounding.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from staffing import erlang_b, erlang_c, queue_kpis, required_agents

INTERVAL_S = 1800.0
SLACK = 1e-12
PROB_COLS = (
    "p_wait",
    "service_level",
    "service_level_of_answered",
    "service_level_excl_short_abandons",
    "service_level_wait_within",
    "p_abandon_within_target",
    "abandon_rate",
    "occupancy",
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

loads = st.floats(min_value=0.2, max_value=120.0, allow_nan=False, allow_infinity=False)
ahts = st.floats(min_value=60.0, max_value=900.0, allow_nan=False, allow_infinity=False)
patiences = st.floats(min_value=5.0, max_value=3000.0, allow_nan=False, allow_infinity=False)
targets_t = st.floats(min_value=0.0, max_value=120.0, allow_nan=False, allow_infinity=False)


def _first_stable(a: float) -> int:
    """Smallest n with n > A even after the library recomputes A = offered*aht/interval
    in floating point (A = 119.99999999999999 can come back as 120.0)."""
    return math.floor(a * (1 + 1e-12) + 1e-12) + 1


def _row(n, a, aht, t, patience) -> dict:
    df = queue_kpis(
        n_agents=n,
        offered=a * INTERVAL_S / aht,
        interval_s=INTERVAL_S,
        aht_s=aht,
        answer_within_s=t,
        mean_patience_s=patience,
    )
    assert len(df) == 1
    return {c: float(df[c].iloc[0]) for c in df.columns}


# --------------------------------------------------------------------------------------
# Erlang B / C basic properties
# --------------------------------------------------------------------------------------


@SETTINGS
@given(a=st.floats(min_value=1e-3, max_value=2000.0), n=st.integers(min_value=1, max_value=2500))
def test_erlang_b_c_are_probabilities_and_ordered(a, n):
    b = erlang_b(n, a)
    c = erlang_c(n, a)
    assert 0.0 <= b <= 1.0 and 0.0 <= c <= 1.0
    assert c >= b - SLACK  # waiting is at least as likely as blocking
    assert erlang_b(n + 1, a) <= b + SLACK  # more trunks, less blocking
    assert erlang_c(n + 1, a) <= c + SLACK
    if a >= n:
        assert c == 1.0


# --------------------------------------------------------------------------------------
# monotonicity in n_agents
# --------------------------------------------------------------------------------------


@SETTINGS
@given(a=loads, aht=ahts, t=targets_t, k=st.integers(min_value=0, max_value=30))
def test_erlang_c_monotone_in_agents(a, aht, t, k):
    n0 = _first_stable(a) + k  # stable M/M/n
    rows = [_row(n, a, aht, t, None) for n in range(n0, n0 + 8)]
    for lo, hi in zip(rows, rows[1:], strict=False):
        assert hi["service_level"] >= lo["service_level"] - SLACK
        assert hi["p_wait"] <= lo["p_wait"] + SLACK
        assert hi["mean_wait_s"] <= lo["mean_wait_s"] * (1 + 1e-12) + SLACK


@SETTINGS
@given(a=loads, aht=ahts, pat=patiences, t=targets_t, frac=st.floats(min_value=0.0, max_value=1.0))
def test_erlang_a_monotone_in_agents(a, aht, pat, t, frac):
    # a window of agent counts anywhere from heavy overload to light load
    n_hi = int(a + 4 * math.sqrt(a) + 6)
    n0 = 1 + int(frac * (n_hi - 1))
    rows = [_row(n, a, aht, t, pat) for n in range(n0, n0 + 8)]
    for lo, hi in zip(rows, rows[1:], strict=False):
        assert hi["service_level"] >= lo["service_level"] - SLACK
        assert hi["p_wait"] <= lo["p_wait"] + SLACK
        assert hi["abandon_rate"] <= lo["abandon_rate"] + SLACK


# --------------------------------------------------------------------------------------
# probabilities in [0, 1] and identities that follow from the column definitions
# --------------------------------------------------------------------------------------


@SETTINGS
@given(
    a=loads,
    aht=ahts,
    pat=st.one_of(st.none(), patiences),
    t=targets_t,
    n_rel=st.floats(min_value=0.3, max_value=2.0),
)
def test_kpis_are_probabilities_and_consistent(a, aht, pat, t, n_rel):
    n = max(1, int(round(n_rel * a)))
    if pat is None:
        n = max(n, _first_stable(a))  # Erlang C only defined when stable
    r = _row(n, a, aht, t, pat)
    for col in PROB_COLS:
        assert -SLACK <= r[col] <= 1 + SLACK, f"{col} = {r[col]!r} outside [0, 1]"
    for col in ("mean_wait_s", "asa_s", "mean_queue"):
        assert r[col] >= -SLACK and math.isfinite(r[col]), f"{col} = {r[col]!r}"
    lam = a / aht
    # Little's law over all arrivals: mean_queue = lambda * mean_wait_s
    assert r["mean_queue"] == pytest.approx(lam * r["mean_wait_s"], rel=1e-10, abs=1e-12)
    # answered within T / answered, with answered = 1 - abandon_rate
    assert r["service_level_of_answered"] == pytest.approx(
        r["service_level"] / (1 - r["abandon_rate"]), rel=1e-10, abs=1e-12
    )
    # answered within T / (arrivals - abandoned before T)
    assert r["service_level_excl_short_abandons"] == pytest.approx(
        r["service_level"] / (1 - r["p_abandon_within_target"]), rel=1e-10, abs=1e-12
    )
    # not still waiting at T = answered by T + abandoned by T
    assert r["service_level_wait_within"] == pytest.approx(
        r["service_level"] + r["p_abandon_within_target"], rel=1e-10, abs=1e-12
    )
    assert r["p_abandon_within_target"] <= r["abandon_rate"] + SLACK
    assert r["service_level"] >= 1 - r["p_wait"] - 1e-10  # answered at once counts as within T
    # served work / capacity: lambda*(1 - abandon_rate)/(n*mu)
    assert r["occupancy"] == pytest.approx(a * (1 - r["abandon_rate"]) / n, rel=1e-10, abs=1e-12)
    if pat is None:
        assert abs(r["abandon_rate"]) <= 1e-12 and abs(r["p_abandon_within_target"]) <= 1e-12
    else:
        # abandonment rate = theta * mean number waiting
        assert r["abandon_rate"] == pytest.approx(
            (1 / pat) * r["mean_queue"] / lam, rel=1e-10, abs=1e-12
        )


# --------------------------------------------------------------------------------------
# Erlang A -> Erlang C as the mean patience grows
# --------------------------------------------------------------------------------------


def patience_perturbation_bounds(n: int, a: float, aht: float, mean_patience_s: float) -> tuple:
    """First-order size of the effect of a tiny abandonment rate theta on a stable M/M/n.

    With abandonment the stationary weight of ``n + j`` is multiplied by
    ``prod_{i<=j} (1 + i*theta/(n*mu))^-1 >= 1 - theta*j*(j+1)/(2*n*mu)``, and given waiting
    the queue length Q of M/M/n is geometric with ratio rho = A/n.  Hence, to first order,
    probabilities move by at most ``d1 = theta*E[Q(Q+1)|wait]/(2 n mu)`` relative, and
    first moments (mean queue, waits) by at most ``d2 = theta*E[Q^2(Q+1)|wait]/(2 n mu E[Q|wait])``
    relative.  (The mpmath reference test checks these bounds against exact values.)
    """
    theta = 1.0 / mean_patience_s
    nmu = n / aht
    rho = a / n
    eq = rho / (1 - rho)
    eqq1 = 2 * rho / (1 - rho) ** 2
    eq2 = rho * (1 + rho) / (1 - rho) ** 2
    eq3 = rho * (1 + 4 * rho + rho * rho) / (1 - rho) ** 3
    return theta * eqq1 / (2 * nmu), theta * (eq3 + eq2) / (2 * nmu * eq)


@SETTINGS
@given(
    a=st.floats(min_value=0.2, max_value=100.0),
    aht=st.floats(min_value=60.0, max_value=600.0),
    t=st.floats(min_value=0.0, max_value=60.0),
    k=st.integers(min_value=0, max_value=20),
)
def test_erlang_a_tends_to_erlang_c(a, aht, t, k):
    n = max(1, math.ceil(a / 0.9 + 1e-9)) + k  # rho <= 0.9
    assume(a / n <= 0.9)
    pat = 1e7
    ra = _row(n, a, aht, t, pat)
    rc = _row(n, a, aht, t, None)
    d1, d2 = patience_perturbation_bounds(n, a, aht, pat)
    theta = 1.0 / pat
    # 3x the first-order bound (the reference test sees at most ~1.6x); theta*T bounds the
    # tagged caller's own abandonment within T.
    for col in (
        "p_wait",
        "service_level",
        "service_level_wait_within",
        "service_level_of_answered",
        "service_level_excl_short_abandons",
        "occupancy",
    ):
        tol = 3 * d1 * abs(rc[col]) + theta * t + 1e-12
        assert abs(ra[col] - rc[col]) <= tol, (
            f"{col}: A={ra[col]!r} C={rc[col]!r} tol={tol:.3g} (n={n}, A={a}, aht={aht}, T={t})"
        )
    for col in ("mean_wait_s", "mean_queue", "asa_s"):
        tol = 3 * d2 * abs(rc[col]) + 1e-12
        assert abs(ra[col] - rc[col]) <= tol, (
            f"{col}: A={ra[col]!r} C={rc[col]!r} tol={tol:.3g} (n={n}, A={a}, aht={aht}, T={t})"
        )
    # abandon_rate = theta * E[Q] / lambda ~ theta * ASA of Erlang C
    assert ra["abandon_rate"] <= theta * rc["mean_wait_s"] * (1 + 3 * d2) + 1e-15
    assert ra["p_abandon_within_target"] <= ra["abandon_rate"] + 1e-15


# --------------------------------------------------------------------------------------
# required_agents is minimal
# --------------------------------------------------------------------------------------


def _meets(r: dict, sl_target, max_asa, max_abandon, max_occ) -> bool:
    ok = r["service_level"] >= sl_target
    if max_asa is not None:
        ok = ok and r["asa_s"] <= max_asa  # issue 14: max_asa_s bounds the answered ASA
    if max_abandon is not None:
        ok = ok and r["abandon_rate"] <= max_abandon
    if max_occ is not None:
        ok = ok and r["occupancy"] <= max_occ
    return ok


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    a=st.floats(min_value=0.3, max_value=150.0),
    aht=st.floats(min_value=60.0, max_value=600.0),
    sl_target=st.floats(min_value=0.5, max_value=0.95),
    t=st.floats(min_value=5.0, max_value=60.0),
    pat=st.one_of(st.none(), st.floats(min_value=20.0, max_value=1200.0)),
    max_asa=st.one_of(st.none(), st.floats(min_value=5.0, max_value=120.0)),
    max_abandon=st.one_of(st.none(), st.floats(min_value=0.01, max_value=0.2)),
    max_occ=st.one_of(st.none(), st.floats(min_value=0.6, max_value=0.95)),
    min_agents=st.integers(min_value=0, max_value=10),
)
def test_required_agents_is_minimal(
    a, aht, sl_target, t, pat, max_asa, max_abandon, max_occ, min_agents
):
    if pat is None:
        max_abandon = None  # no abandonment without patience
    offered = a * INTERVAL_S / aht
    n = required_agents(
        offered,
        INTERVAL_S,
        aht,
        service_level_target=sl_target,
        answer_within_s=t,
        mean_patience_s=pat,
        max_asa_s=max_asa,
        max_abandon=max_abandon,
        max_occupancy=max_occ,
        min_agents=min_agents,
    )
    assert int(n) == n, f"required_agents returned non-integer {n!r}"
    n = int(n)
    assert n >= max(min_agents, 1)
    targets = (sl_target, max_asa, max_abandon, max_occ)
    case = (
        f"required_agents(offered={offered!r}, interval_s={INTERVAL_S}, aht_s={aht!r}, "
        f"service_level_target={sl_target!r}, answer_within_s={t!r}, mean_patience_s={pat!r}, "
        f"max_asa_s={max_asa!r}, max_abandon={max_abandon!r}, max_occupancy={max_occ!r}, "
        f"min_agents={min_agents}) = {n}"
    )
    r = _row(n, a, aht, t, pat)
    assert _meets(r, *targets), f"{case} does not meet the targets: {r}"
    m = n - 1
    if m >= max(min_agents, 1):
        if pat is None and m < _first_stable(a):
            return  # unstable M/M/m: cannot meet a service-level target
        r1 = _row(m, a, aht, t, pat)
        assert not _meets(r1, *targets), (
            f"{case} is not minimal: {m} agents already meet the targets: {r1}"
        )


# --------------------------------------------------------------------------------------
# D. bad input
# --------------------------------------------------------------------------------------

GOOD_Q = dict(
    n_agents=10,
    offered=100.0,
    interval_s=INTERVAL_S,
    aht_s=180.0,
    answer_within_s=20.0,
    mean_patience_s=120.0,
)
GOOD_R = dict(
    offered=100.0,
    interval_s=INTERVAL_S,
    aht_s=180.0,
    service_level_target=0.8,
    answer_within_s=20.0,
    mean_patience_s=120.0,
)


@pytest.mark.parametrize(
    "param,value",
    [
        ("offered", -1.0),
        ("offered", np.array([100.0, -1.0])),
        ("offered", float("nan")),
        ("aht_s", 0.0),
        ("aht_s", -180.0),
        ("aht_s", float("nan")),
        ("interval_s", 0.0),
        ("interval_s", float("nan")),
        ("answer_within_s", -1.0),
        ("answer_within_s", float("nan")),
        ("mean_patience_s", 0.0),
        ("mean_patience_s", -5.0),
        ("mean_patience_s", float("nan")),
        ("n_agents", -1),
        ("n_agents", float("nan")),
    ],
)
def test_queue_kpis_rejects_bad_input(param, value):
    kwargs = dict(GOOD_Q)
    kwargs[param] = value
    with pytest.raises(ValueError, match=param):
        queue_kpis(**kwargs)


@pytest.mark.parametrize(
    "param,value",
    [
        ("offered", -1.0),
        ("offered", float("nan")),
        ("aht_s", 0.0),
        ("aht_s", -1.0),
        ("aht_s", float("nan")),
        ("service_level_target", 0.0),
        ("service_level_target", 1.0),
        ("service_level_target", -0.1),
        ("service_level_target", 1.5),
        ("service_level_target", float("nan")),
        ("mean_patience_s", float("nan")),
    ],
)
def test_required_agents_rejects_bad_input(param, value):
    kwargs = dict(GOOD_R)
    kwargs[param] = value
    with pytest.raises(ValueError, match=param):
        required_agents(**kwargs)


@pytest.mark.parametrize("fn", [erlang_b, erlang_c])
@pytest.mark.parametrize(
    "n,a,param",
    [
        (10, -1.0, "offered_load_erl"),
        (10, float("nan"), "offered_load_erl"),
        (-1, 5.0, "n_agents"),
        (float("nan"), 5.0, "n_agents"),
    ],
)
def test_erlang_functions_reject_bad_input(fn, n, a, param):
    with pytest.raises(ValueError, match=param):
        fn(n, a)


def test_mismatched_shapes_rejected():
    with pytest.raises(ValueError, match="n_agents|offered"):
        queue_kpis(
            n_agents=np.array([10, 11, 12]),
            offered=np.array([100.0, 120.0]),
            interval_s=INTERVAL_S,
            aht_s=180.0,
            answer_within_s=20.0,
        )
    for fn in (erlang_b, erlang_c):
        with pytest.raises(ValueError, match="n_agents|offered_load_erl"):
            fn(np.array([1, 2, 3]), np.array([1.0, 2.0]))
