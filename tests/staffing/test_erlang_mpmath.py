"""High-precision reference tests for the Erlang B / C / A formulas in ``staffing``.

Every expected value in this module is computed here, at 50 significant digits with
mpmath, straight from the queueing definitions -- nothing is taken from the library
under test:

* Erlang B  -- M/M/n/n birth-death chain (truncated Poisson):
  ``B = (A^n/n!) / sum_{k=0..n} A^k/k!``.
* Erlang C  -- M/M/n stationary law, ``C = P(k >= n)`` (the geometric tail above ``n``
  is summed, *not* obtained from the B-to-C identity; the identity is checked
  separately).
* Erlang A  -- M/M/n+M birth-death chain with birth rate ``lambda`` and death rate
  ``min(k, n)*mu + max(k - n, 0)*theta``, summed until the terms are below 1e-60 of the
  running total.  Waiting-time quantities follow a tagged arrival that finds ``j``
  waiting (PASTA): its time to reach an agent is ``V_j = sum_{i=0..j} Exp(n*mu + i*theta)``
  and it is answered iff ``V_j`` beats its own ``Exp(theta)`` patience.  The
  distribution of the tagged customer at time ``T`` is obtained by *uniformization* of
  its small absorbing chain (state = number of customers ahead; absorbing states
  "answered" and "abandoned").  Uniformization only adds and multiplies non-negative
  numbers, so it has no cancellation, and its Poisson truncation error is bounded by the
  neglected Poisson tail (< 1e-60 here).  It is cross-checked below against the
  partial-fraction (hypoexponential density) formula evaluated at raised precision, and
  for ``theta = 0`` against the Erlang distribution function.

Conventions under test (see ``queue_kpis``): offered load ``A = offered*aht_s/interval_s``,
arrival rate ``lambda = offered/interval_s`` per second, ``mu = 1/aht_s`` and
``theta = 1/mean_patience_s`` (``mean_patience_s`` is a *mean*, not a rate).
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np
import pytest
from mpmath import mp, mpf

from staffing import erlang_b, erlang_c, queue_kpis

mp.dps = 50
EPS = mpf(10) ** -60
RTOL = 1e-9
INTERVAL_S = 1800.0

# --------------------------------------------------------------------------------------
# mpmath reference, from the definitions
# --------------------------------------------------------------------------------------


def _lower_sums(n: int, a) -> tuple:
    """``sum_{k<n} p_k/p_n`` and ``sum_{k<n} k*p_k/p_n`` for ``p_k ∝ a^k/k!``.

    Built downwards from ``k = n`` with ``p_{k}/p_{k+1} = (k+1)/a`` (exact ratios of the
    birth-death chain); terms are dropped only once they are decreasing (``k < a``) and
    below 1e-60 of the running sum.
    """
    s = mpf(0)
    sk = mpf(0)
    t = mpf(1)
    for k in range(n - 1, -1, -1):
        t = t * (k + 1) / a
        s += t
        sk += k * t
        if k < a and t < EPS * s:
            break
    return s, sk


@functools.cache
def ref_erlang_b(n: int, a) -> mpf:
    """Erlang B from the truncated-Poisson definition."""
    a = mpf(a)
    if n == 0:
        return mpf(1)
    if a == 0:
        return mpf(0)
    s, _ = _lower_sums(n, a)
    return 1 / (1 + s)  # p_n / sum_{k<=n} p_k with p_n = 1


@functools.cache
def ref_erlang_c(n: int, a) -> mpf:
    """Erlang C = P(k >= n) in the stationary M/M/n queue (geometric tail summed)."""
    a = mpf(a)
    if a >= n:
        return mpf(1)
    if a == 0:
        return mpf(0)
    s, _ = _lower_sums(n, a)
    tail = n / (n - a)  # sum_{j>=0} (a/n)^j, relative to p_n
    return tail / (s + tail)


def ref_erlang_b_gammainc(n: int, a) -> mpf:
    """Independent route: B = Poisson pmf(n; a) / Poisson cdf(n; a) (regularised gamma)."""
    a = mpf(a)
    log_pmf = -a + n * mp.log(a) - mp.loggamma(n + 1)
    cdf = mp.gammainc(n + 1, a, mp.inf, regularized=True)
    return mp.exp(log_pmf) / cdf


def ref_stationary(n: int, lam, mu, theta) -> dict:
    """Stationary law of the M/M/n+M chain (theta = 0 gives M/M/n, must be stable).

    Returns P(k < n), E[k; k < n] and either the weights ``w[j] = p_{n+j}`` (theta > 0) or,
    for theta = 0, ``p_n`` and ``rho = A/n`` (then ``p_{n+j} = p_n rho^j``, whose sums are
    evaluated as exact geometric series instead of term by term).
    """
    lam, mu, theta = mpf(lam), mpf(mu), mpf(theta)
    a = lam / mu
    s_low, sk_low = _lower_sums(n, a) if n > 0 else (mpf(0), mpf(0))
    if theta == 0:
        if lam >= n * mu:
            raise ValueError("unstable M/M/n: no stationary law")
        rho = a / n
        z = s_low + 1 / (1 - rho)
        return {"p_low": s_low / z, "e_low": sk_low / z, "p_n": 1 / z, "rho": rho}
    tail = [mpf(1)]
    s = mpf(1)
    j = 0
    while True:
        j += 1
        d = n * mu + j * theta  # death rate out of state n + j
        t = tail[-1] * lam / d
        tail.append(t)
        s += t
        if d > lam and t < EPS * s:  # terms now decreasing and negligible
            break
    z = s_low + s
    return {
        "p_low": s_low / z,
        "e_low": sk_low / z,
        "w": [t / z for t in tail],
    }


def _tagged_uniformization(n: int, mu, theta, w: list, t_s) -> tuple:
    """Mixture over j (weights w[j]) of P(answered by T | j) and P(still waiting at T | j).

    Tagged customer's chain: state i = customers ahead of it.  From i it advances at rate
    ``n*mu + i*theta`` (to i-1, or to "answered" from 0) and abandons at rate ``theta``.
    Uniformized with ``Lam >= max total rate``: P(X_T in S) = sum_m Pois(m; Lam*T) P(Y_m in S).
    """
    mu, theta, t_s = mpf(mu), mpf(theta), mpf(t_s)
    jmax = len(w) - 1
    r = [n * mu + i * theta for i in range(jmax + 1)]
    lam_u = r[jmax] + theta
    x = lam_u * t_s
    stay = [1 - (r[i] + theta) / lam_u for i in range(jmax + 1)]
    move = [r[i] / lam_u for i in range(jmax + 1)]
    v = list(w)
    answered = mpf(0)
    q = mp.exp(-x)
    ans_t = mpf(0)
    wait_t = mpf(0)
    qsum = mpf(0)
    m = 0
    while True:
        ans_t += q * answered
        wait_t += q * mp.fsum(v)
        qsum += q
        if m > x and q < EPS:  # Poisson tail beyond m is < q/(1 - x/(m+1)): negligible
            break
        answered += v[0] * move[0]
        v = [v[i] * stay[i] + v[i + 1] * move[i + 1] for i in range(jmax)] + [v[jmax] * stay[jmax]]
        m += 1
        q = q * x / m
    assert abs(qsum - 1) < mpf(10) ** -40
    return ans_t, wait_t


def _still_waiting_erlang_c(n: int, mu, p_n, rho, t_s):
    """theta = 0: sum_j p_n rho^j P(V_j > T) with V_j ~ Erlang(j+1, n*mu).

    P(V_j > T) = sum_{i<=j} Pois(i; x), x = n*mu*T.  Exchanging the two sums of
    non-negative terms: sum_i Pois(i; x) sum_{j>=i} rho^j = sum_i Pois(i; x) rho^i/(1-rho).
    """
    x = n * mpf(mu) * mpf(t_s)
    pois = mp.exp(-x)
    acc = mpf(0)
    rho_i = mpf(1)
    i = 0
    while True:
        term = pois * rho_i
        acc += term
        if i > x and term < EPS * acc:
            break
        i += 1
        pois = pois * x / i
        rho_i *= rho
    return p_n * acc / (1 - rho)


def ref_kpis(n: int, offered, interval_s, aht_s, answer_within_s, mean_patience_s=None) -> dict:
    """All ``queue_kpis`` columns from the definitions (see module docstring)."""
    offered, interval_s, aht_s = mpf(offered), mpf(interval_s), mpf(aht_s)
    lam = offered / interval_s
    mu = 1 / aht_s
    theta = mpf(0) if mean_patience_s is None else 1 / mpf(mean_patience_s)
    st = ref_stationary(n, lam, mu, theta)
    if theta == 0:
        p_n, rho = st["p_n"], st["rho"]
        p_wait = p_n / (1 - rho)  # sum_j p_n rho^j
        mean_queue = p_n * rho / (1 - rho) ** 2  # sum_j j p_n rho^j
    else:
        w = st["w"]
        p_wait = mp.fsum(w)
        mean_queue = mp.fsum(j * wj for j, wj in enumerate(w))
    busy = st["e_low"] + n * p_wait
    out = {
        "p_wait": p_wait,
        "mean_queue": mean_queue,
        "abandon_rate": theta * mean_queue / lam,
        "mean_wait_s": mean_queue / lam,  # Little's law over all arrivals
        "occupancy": busy / n,
    }
    if answer_within_s is None:
        return out
    if theta == 0:
        ans_all = mpf(1)
        # E[V_j] = (j+1)/(n mu);  sum_j (j+1) rho^j = 1/(1-rho)^2
        asa_answered = p_n / (1 - rho) ** 2 / (n * mu)
        wait_t = _still_waiting_erlang_c(n, mu, p_n, rho, answer_within_s)
        ans_t = 1 - wait_t
        ab_t = mpf(0)
    else:
        # P(answered) and E[V e^{-theta V}] from the Laplace transform prod r_i/(r_i + theta).
        ans_all = st["p_low"]
        ew = mpf(0)
        prod = mpf(1)
        hsum = mpf(0)
        for j, wj in enumerate(w):
            rj = n * mu + j * theta
            prod *= rj / (rj + theta)
            hsum += 1 / (rj + theta)
            ans_all += wj * prod
            ew += wj * prod * hsum
        asa_answered = ew / ans_all
        a_t, wait_t = _tagged_uniformization(n, mu, theta, w, answer_within_s)
        ans_t = st["p_low"] + a_t
        ab_t = 1 - ans_t - wait_t
    out.update(
        service_level=ans_t,
        service_level_wait_within=1 - wait_t,
        service_level_of_answered=ans_t / ans_all,
        p_abandon_within_target=ab_t,
        service_level_excl_short_abandons=ans_t / (1 - ab_t),
        asa_s=asa_answered,
        _p_answered=ans_all,
    )
    return out


def _hypoexp_partial_fractions(rates: list, theta, t_s) -> tuple:
    """P(V > T) and E[e^{-theta V}; V <= T] for V = sum Exp(rates) (distinct rates).

    Density f(v) = sum_i c_i r_i e^{-r_i v}, c_i = prod_{k != i} r_k/(r_k - r_i).  The c_i
    alternate in sign and can be huge, so the working precision is raised by their size.
    """
    with mp.workdps(30):
        mags = []
        for i, ri in enumerate(rates):
            lg = mpf(0)
            for k, rk in enumerate(rates):
                if k != i:
                    lg += mp.log10(abs(mpf(rk) / (mpf(rk) - mpf(ri))))
            mags.append(lg)
        extra = int(max(mags)) + 10 if mags else 10
    with mp.workdps(60 + max(extra, 0)):
        rs = [mpf(r) for r in rates]
        theta, t_s = mpf(theta), mpf(t_s)
        surv = mpf(0)
        a_t = mpf(0)
        for i, ri in enumerate(rs):
            c = mpf(1)
            for k, rk in enumerate(rs):
                if k != i:
                    c *= rk / (rk - ri)
            surv += c * mp.exp(-ri * t_s)
            a_t += c * ri * (1 - mp.exp(-(ri + theta) * t_s)) / (ri + theta)
        return +surv, +a_t


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def check_close(got, expected, case: str, rtol: float = RTOL, atol: float = 0.0) -> None:
    """Assert |got - expected| <= atol + rtol*|expected|, reporting the case on failure."""
    exp_f = float(expected)
    assert got is not None, f"{case}: got None, expected {exp_f!r}"
    got_f = float(got)
    assert math.isfinite(got_f), f"{case}: got non-finite {got!r}, expected {exp_f!r}"
    got_m = got if isinstance(got, mpf) else mpf(got_f)  # keep full precision for references
    err = abs(got_m - mpf(expected))
    tol = atol + rtol * abs(mpf(expected))
    rel = float(err / abs(mpf(expected))) if expected != 0 else float("inf")
    assert err <= tol, (
        f"{case}: got {got_f!r}, expected {mp.nstr(mpf(expected), 17)} "
        f"(abs err {float(err):.3e}, rel err {rel:.3e}, rtol {rtol:g}, atol {atol:g})"
    )


def _offered(a: float, aht_s: float) -> float:
    return a * INTERVAL_S / aht_s


def _row(n, offered, aht_s, answer_within_s, patience) -> dict:
    df = queue_kpis(
        n_agents=n,
        offered=offered,
        interval_s=INTERVAL_S,
        aht_s=aht_s,
        answer_within_s=answer_within_s,
        mean_patience_s=patience,
    )
    assert len(df) == 1, f"queue_kpis returned {len(df)} rows for one interval"
    return {c: df[c].iloc[0] for c in df.columns}


def _agents_around(a: float) -> list[int]:
    """n below the load (overload), near it, and comfortably above it."""
    below = max(1, int(math.floor(0.85 * a)))
    near = max(1, int(round(a)))
    above = int(math.ceil(a + 2.0 * math.sqrt(a) + 1.0))
    return sorted({below, near, above})


STATIONARY_COLS = ("p_wait", "abandon_rate", "mean_wait_s", "mean_queue", "occupancy")
SL_COLS = (
    "service_level",
    "service_level_wait_within",
    "service_level_of_answered",
    "service_level_excl_short_abandons",
    "p_abandon_within_target",
    "asa_s",
)

# --------------------------------------------------------------------------------------
# 0. the reference checks itself (limits and independent routes)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n,a", [(1, 0.5), (5, 2.0), (17, 10.0), (100, 90.0), (1200, 1000.0), (55000, 50000.0)]
)
def test_reference_erlang_b_two_routes(n, a):
    check_close(
        ref_erlang_b(n, a),
        ref_erlang_b_gammainc(n, a),
        f"ref B({n},{a}) sum vs gammainc",
        rtol=1e-30,
    )


@pytest.mark.parametrize("n,a", [(2, 1.0), (11, 10.0), (35, 30.0), (5200, 5000.0)])
def test_reference_b_c_identity(n, a):
    b = ref_erlang_b(n, a)
    c = ref_erlang_c(n, a)
    check_close(c, n * b / (n - a * (1 - b)), f"ref C({n},{a}) vs identity", rtol=1e-40)


def test_reference_by_hand():
    assert abs(ref_erlang_b(1, 1) - mpf(1) / 2) < mpf(10) ** -45
    assert abs(ref_erlang_c(2, 1) - mpf(1) / 3) < mpf(10) ** -45


@pytest.mark.parametrize("n,a,aht", [(11, 10.0, 180.0), (7, 4.0, 300.0), (35, 30.0, 240.0)])
def test_reference_erlang_a_huge_patience_is_erlang_c(n, a, aht):
    off = _offered(a, aht)
    ra = ref_kpis(n, off, INTERVAL_S, aht, 20.0, mean_patience_s=mpf(10) ** 20)
    rc = ref_kpis(n, off, INTERVAL_S, aht, 20.0, mean_patience_s=None)
    for col in ("p_wait", "mean_wait_s", "mean_queue", "occupancy", "service_level", "asa_s"):
        check_close(ra[col], rc[col], f"ref A(patience 1e20) vs C {col}", rtol=1e-12)
    # Erlang C closed forms (used only to validate the reference):
    c = ref_erlang_c(n, mpf(a))
    mu = 1 / mpf(aht)
    lam = mpf(off) / INTERVAL_S
    check_close(rc["p_wait"], c, "ref C p_wait", rtol=1e-40)
    check_close(
        rc["service_level"],
        1 - c * mp.exp(-(n * mu - lam) * 20),
        "ref C SL closed form",
        rtol=1e-40,
    )
    check_close(rc["mean_wait_s"], c / (n * mu - lam), "ref C ASA closed form", rtol=1e-40)


def test_reference_erlang_a_many_agents_means_no_wait():
    r = ref_kpis(60, _offered(5.0, 300.0), INTERVAL_S, 300.0, 20.0, mean_patience_s=120.0)
    assert r["p_wait"] < mpf(10) ** -25
    assert abs(r["service_level"] - 1) < mpf(10) ** -25
    check_close(r["occupancy"], mpf(5) / 60, "ref occupancy no-wait", rtol=1e-20)


@pytest.mark.parametrize(
    "n,a,aht,pat,t",
    [(10, 10.0, 180.0, 120.0, 20.0), (25, 30.0, 180.0, 600.0, 60.0), (32, 30.0, 300.0, 30.0, 20.0)],
)
def test_reference_erlang_a_internal_consistency(n, a, aht, pat, t):
    r = ref_kpis(n, _offered(a, aht), INTERVAL_S, aht, t, mean_patience_s=pat)
    # P(answered) from the Laplace transform equals 1 - theta*E[Q]/lambda from the chain.
    check_close(r["_p_answered"], 1 - r["abandon_rate"], "ref P(answered) two routes", rtol=1e-40)
    # Rate balance: served rate lambda*(1 - P_ab) equals E[busy]*mu.
    check_close(
        r["occupancy"] * n / mpf(a), 1 - r["abandon_rate"], "ref occupancy balance", rtol=1e-40
    )
    # The three fates at T partition the arrivals, and are ordered as they must be.
    assert 0 <= r["p_abandon_within_target"] <= r["abandon_rate"]
    assert r["service_level"] <= r["_p_answered"]
    check_close(
        r["service_level_wait_within"],
        r["service_level"] + r["p_abandon_within_target"],
        "ref wait-within = answered + abandoned by T",
        rtol=1e-40,
    )


@pytest.mark.parametrize(
    "n,a,aht",
    [
        (1, 0.9, 60.0),
        (3, 0.5, 60.0),
        (1, 0.5, 600.0),
        (8, 3.0, 60.0),
        (14, 12.0, 300.0),
        (67, 60.0, 600.0),
    ],
)
def test_reference_patience_perturbation_bound(n, a, aht):
    """Validates the first-order tolerance used by the Erlang A -> Erlang C property test
    (test_erlang_properties.patience_perturbation_bounds): with mean patience 1e7 s the exact
    deviation from Erlang C stays below 2x the bound (the property test allows 3x)."""
    pat, t = 1e7, 20.0
    theta = 1 / pat
    nmu = n / aht
    rho = a / n
    eq = rho / (1 - rho)
    d1 = theta * (2 * rho / (1 - rho) ** 2) / (2 * nmu)
    d2 = (
        theta
        * (rho * (1 + 4 * rho + rho * rho) / (1 - rho) ** 3 + rho * (1 + rho) / (1 - rho) ** 2)
        / (2 * nmu * eq)
    )
    off = _offered(a, aht)
    ra = ref_kpis(n, off, INTERVAL_S, aht, t, mean_patience_s=pat)
    rc = ref_kpis(n, off, INTERVAL_S, aht, t, mean_patience_s=None)
    for col in (
        "p_wait",
        "service_level",
        "service_level_wait_within",
        "service_level_of_answered",
        "service_level_excl_short_abandons",
        "occupancy",
    ):
        assert abs(ra[col] - rc[col]) <= 2 * d1 * abs(rc[col]) + theta * t, col
    for col in ("mean_wait_s", "mean_queue", "asa_s"):
        assert abs(ra[col] - rc[col]) <= 2 * d2 * abs(rc[col]), col


@pytest.mark.parametrize(
    "n,a,aht,t", [(14, 10.0, 180.0, 20.0), (40, 30.0, 240.0, 60.0), (3, 0.5, 300.0, 20.0)]
)
def test_reference_erlang_c_waiting_sum_termwise(n, a, aht, t):
    """The rearranged geometric sum equals sum_j p_{n+j} P(Erlang(j+1, n mu) > T) term by term."""
    mu = 1 / mpf(aht)
    st = ref_stationary(n, mpf(a) * mu, mu, 0)
    x = n * mu * t
    total = mpf(0)
    j = 0
    while True:
        term = st["p_n"] * st["rho"] ** j * mp.gammainc(j + 1, x, mp.inf, regularized=True)
        total += term
        if j > x and term < EPS * total:
            break
        j += 1
    check_close(
        _still_waiting_erlang_c(n, mu, st["p_n"], st["rho"], t),
        total,
        "ref Erlang C P(W > T)",
        rtol=1e-40,
    )


@pytest.mark.parametrize(
    "n,aht,pat,t,j",
    [
        (10, 180.0, 120.0, 20.0, 0),
        (10, 180.0, 120.0, 20.0, 7),
        (25, 180.0, 600.0, 60.0, 30),
        (32, 300.0, 30.0, 20.0, 12),
    ],
)
def test_reference_uniformization_vs_partial_fractions(n, aht, pat, t, j):
    mu = 1 / mpf(aht)
    theta = 1 / mpf(pat)
    w = [mpf(0)] * j + [mpf(1)]
    ans_t, wait_t = _tagged_uniformization(n, mu, theta, w, t)
    rates = [n * mu + i * theta for i in range(j + 1)]
    surv, a_t = _hypoexp_partial_fractions(rates, theta, t)
    check_close(ans_t, a_t, f"answered-by-T j={j}", rtol=1e-40)
    check_close(wait_t, surv * mp.exp(-theta * t), f"still-waiting-at-T j={j}", rtol=1e-40)


# --------------------------------------------------------------------------------------
# A. library vs reference
# --------------------------------------------------------------------------------------

B_LOADS = [0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 100.0, 500.0, 1000.0, 5000.0]


def _bc_grid():
    for a in B_LOADS:
        ns = {1, 2, max(1, int(0.5 * a)), int(math.floor(a)), int(math.ceil(a)) + 1}
        ns |= set(_agents_around(a))
        ns |= {int(math.ceil(a + 5 * math.sqrt(a) + 3))}
        for n in sorted(x for x in ns if x >= 1):
            yield n, a


BC_GRID = list(_bc_grid())


@pytest.mark.parametrize("n,a", BC_GRID)
def test_erlang_b_matches_definition(n, a):
    got = erlang_b(n, a)
    assert isinstance(got, float), f"erlang_b({n}, {a}) returned {type(got)} for scalar input"
    check_close(got, ref_erlang_b(n, a), f"erlang_b(n_agents={n}, offered_load_erl={a})")


@pytest.mark.parametrize("n,a", BC_GRID)
def test_erlang_c_matches_definition(n, a):
    got = erlang_c(n, a)
    assert isinstance(got, float), f"erlang_c({n}, {a}) returned {type(got)} for scalar input"
    if a >= n:
        assert got == 1.0, (
            f"erlang_c(n_agents={n}, offered_load_erl={a}) = {got!r}, expected 1.0 (load >= agents)"
        )
    else:
        check_close(got, ref_erlang_c(n, a), f"erlang_c(n_agents={n}, offered_load_erl={a})")


@pytest.mark.parametrize("n,a", [(n, a) for n, a in BC_GRID if a < n])
def test_library_b_c_identity(n, a):
    """C = N*B / (N - A*(1 - B)) between the library's own B and C."""
    b = erlang_b(n, a)
    c = erlang_c(n, a)
    check_close(
        c, mpf(n) * mpf(b) / (n - mpf(a) * (1 - mpf(b))), f"identity at n={n}, A={a}", rtol=1e-11
    )


def test_erlang_b_c_vectorised():
    ns = np.array([1, 5, 10, 17, 30, 120])
    loads = np.array([0.5, 2.0, 10.0, 10.0, 25.0, 100.0])
    gb = erlang_b(ns, loads)
    gc = erlang_c(ns, loads)
    assert isinstance(gb, np.ndarray) and gb.shape == ns.shape
    assert isinstance(gc, np.ndarray) and gc.shape == ns.shape
    for i, (n, a) in enumerate(zip(ns, loads, strict=True)):
        check_close(gb[i], ref_erlang_b(int(n), float(a)), f"vector erlang_b[{i}] n={n} A={a}")
        check_close(gc[i], ref_erlang_c(int(n), float(a)), f"vector erlang_c[{i}] n={n} A={a}")
    # broadcasting a scalar load over an array of agents
    gb2 = erlang_b(ns, 10.0)
    for i, n in enumerate(ns):
        check_close(gb2[i], ref_erlang_b(int(n), 10.0), f"broadcast erlang_b[{i}] n={n} A=10")


# ---- Erlang A / C stationary KPIs ---------------------------------------------------

A_LOADS_FAST = [0.5, 2.0, 10.0, 30.0, 100.0, 500.0]
A_LOADS_SLOW = [1000.0, 2000.0, 5000.0]
AHTS = [180.0, 300.0]
PATIENCES = [30.0, 120.0, 600.0]


def _a_grid(loads):
    for a in loads:
        for aht in AHTS:
            for pat in PATIENCES:
                for n in _agents_around(a):
                    yield n, a, aht, pat


A_GRID_FAST = list(_a_grid(A_LOADS_FAST)) + [
    (4250, 5000.0, 300.0, 120.0),
    (5000, 5000.0, 180.0, 600.0),
    (5142, 5000.0, 300.0, 30.0),
]
A_GRID_SLOW = [c for c in _a_grid(A_LOADS_SLOW) if c not in A_GRID_FAST]


def _check_stationary(n, a, aht, pat):
    off = _offered(a, aht)
    ref = ref_kpis(n, off, INTERVAL_S, aht, None, mean_patience_s=pat)
    row = _row(n, off, aht, 20.0, pat)
    case = (
        f"queue_kpis(n_agents={n}, offered={off!r}, interval_s={INTERVAL_S}, aht_s={aht}, "
        f"mean_patience_s={pat})"
    )
    for col in STATIONARY_COLS:
        check_close(row[col], ref[col], f"{case} [{col}]")


@pytest.mark.parametrize("n,a,aht,pat", A_GRID_FAST)
def test_erlang_a_stationary_kpis(n, a, aht, pat):
    _check_stationary(n, a, aht, pat)


@pytest.mark.slow
@pytest.mark.parametrize("n,a,aht,pat", A_GRID_SLOW)
def test_erlang_a_stationary_kpis_large(n, a, aht, pat):
    _check_stationary(n, a, aht, pat)


def _c_grid(loads):
    for a in loads:
        for aht in AHTS:
            for n in sorted(
                {
                    int(math.floor(a)) + 1,
                    int(math.ceil(a + 2 * math.sqrt(a) + 1)),
                    int(math.ceil(1.3 * a)) + 2,
                }
            ):
                yield n, a, aht


C_GRID_FAST = list(_c_grid([0.5, 2.0, 10.0, 30.0, 100.0, 500.0, 5000.0]))
C_GRID_SLOW = list(_c_grid([1000.0, 2000.0]))


def _check_erlang_c_kpis(n, a, aht, t):
    off = _offered(a, aht)
    ref = ref_kpis(n, off, INTERVAL_S, aht, t, mean_patience_s=None)
    row = _row(n, off, aht, t, None)
    case = (
        f"queue_kpis(n_agents={n}, offered={off!r}, interval_s={INTERVAL_S}, aht_s={aht}, "
        f"answer_within_s={t}, mean_patience_s=None)"
    )
    for col in STATIONARY_COLS + SL_COLS:
        if col in ("abandon_rate", "p_abandon_within_target"):
            # exactly 0 without abandonment; allow double rounding of a difference of O(1) terms
            check_close(row[col], 0, f"{case} [{col}]", atol=1e-12)
        else:
            check_close(row[col], ref[col], f"{case} [{col}]")


@pytest.mark.parametrize("n,a,aht", C_GRID_FAST)
@pytest.mark.parametrize("t", [0.0, 20.0, 60.0])
def test_erlang_c_queue_kpis(n, a, aht, t):
    _check_erlang_c_kpis(n, a, aht, t)


@pytest.mark.slow
@pytest.mark.parametrize("n,a,aht", C_GRID_SLOW)
@pytest.mark.parametrize("t", [20.0, 60.0])
def test_erlang_c_queue_kpis_large(n, a, aht, t):
    _check_erlang_c_kpis(n, a, aht, t)


# ---- Erlang A waiting-time KPIs -----------------------------------------------------

SL_GRID_FAST = [
    # (n, load, aht, patience, T)
    (1, 0.5, 180.0, 120.0, 20.0),
    (3, 0.5, 300.0, 30.0, 20.0),
    (2, 2.0, 180.0, 600.0, 60.0),
    (6, 2.0, 300.0, 120.0, 20.0),
    (8, 10.0, 180.0, 30.0, 20.0),
    (10, 10.0, 180.0, 120.0, 20.0),
    (10, 10.0, 300.0, 120.0, 0.0),
    (18, 10.0, 300.0, 600.0, 20.0),
    (12, 10.0, 240.0, 600.0, 60.0),
    (25, 30.0, 180.0, 600.0, 60.0),
    (30, 30.0, 300.0, 120.0, 20.0),
    (32, 30.0, 300.0, 30.0, 20.0),
    (42, 30.0, 180.0, 120.0, 60.0),
]


def _sl_grid_slow():
    for a in [0.5, 2.0, 5.0, 10.0, 20.0, 30.0]:
        for aht in AHTS:
            for pat in PATIENCES:
                for t in (20.0, 60.0):
                    for n in _agents_around(a):
                        case = (n, a, aht, pat, t)
                        if case not in SL_GRID_FAST:
                            yield case


def _check_sl(n, a, aht, pat, t):
    off = _offered(a, aht)
    ref = ref_kpis(n, off, INTERVAL_S, aht, t, mean_patience_s=pat)
    row = _row(n, off, aht, t, pat)
    case = (
        f"queue_kpis(n_agents={n}, offered={off!r}, interval_s={INTERVAL_S}, aht_s={aht}, "
        f"answer_within_s={t}, mean_patience_s={pat})"
    )
    for col in STATIONARY_COLS + SL_COLS:
        if col == "p_abandon_within_target" and t == 0:
            check_close(row[col], 0, f"{case} [{col}]", atol=1e-12)
        else:
            check_close(row[col], ref[col], f"{case} [{col}]")


@pytest.mark.parametrize("n,a,aht,pat,t", SL_GRID_FAST)
def test_erlang_a_waiting_time_kpis(n, a, aht, pat, t):
    _check_sl(n, a, aht, pat, t)


@pytest.mark.slow
@pytest.mark.parametrize("n,a,aht,pat,t", list(_sl_grid_slow()))
def test_erlang_a_waiting_time_kpis_wide(n, a, aht, pat, t):
    _check_sl(n, a, aht, pat, t)


def test_queue_kpis_one_row_per_interval():
    """Array input: one row per interval, each equal to the scalar reference."""
    offered = np.array([50.0, 100.0, 300.0, 20.0])
    agents = np.array([6, 12, 33, 4])
    df = queue_kpis(
        n_agents=agents,
        offered=offered,
        interval_s=INTERVAL_S,
        aht_s=180.0,
        answer_within_s=20.0,
        mean_patience_s=120.0,
    )
    assert len(df) == len(offered)
    for i in range(len(offered)):
        ref = ref_kpis(int(agents[i]), offered[i], INTERVAL_S, 180.0, 20.0, mean_patience_s=120.0)
        for col in STATIONARY_COLS + SL_COLS:
            check_close(
                df[col].iloc[i], ref[col], f"row {i} (n={agents[i]}, offered={offered[i]}) [{col}]"
            )


# --------------------------------------------------------------------------------------
# size: huge and tiny loads stay finite, in [0, 1], warning-free, and exact
# --------------------------------------------------------------------------------------

BIG_AGENTS = [50000, 50001, 50100, 50500, 51000, 52000, 55000, 60000]
TINY_AGENTS = [1, 2, 5, 10, 50, 100, 200]


def _size_case(fn, ref_fn, n, a):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fn(n, a)
    got = float(got)
    case = f"{fn.__name__}(n_agents={n}, offered_load_erl={a})"
    assert math.isfinite(got) and 0.0 <= got <= 1.0, f"{case} = {got!r} not a probability"
    ref = ref_fn(n, a)
    if ref > mpf("1e-300"):
        check_close(got, ref, case)
    else:
        assert got <= 1e-290, f"{case} = {got!r}, reference {mp.nstr(ref, 5)} (< 1e-300)"


@pytest.mark.parametrize("n", BIG_AGENTS)
def test_erlang_b_50000_erlangs(n):
    _size_case(erlang_b, ref_erlang_b, n, 50000.0)


@pytest.mark.parametrize("n", BIG_AGENTS)
def test_erlang_c_50000_erlangs(n):
    _size_case(erlang_c, ref_erlang_c, n, 50000.0)


@pytest.mark.parametrize("n", TINY_AGENTS)
def test_erlang_b_tiny_load(n):
    _size_case(erlang_b, ref_erlang_b, n, 0.01)


@pytest.mark.parametrize("n", TINY_AGENTS)
def test_erlang_c_tiny_load(n):
    _size_case(erlang_c, ref_erlang_c, n, 0.01)


def test_big_load_vectorised_no_warnings():
    ns = np.array(BIG_AGENTS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gb = np.asarray(erlang_b(ns, 50000.0), dtype=float)
        gc = np.asarray(erlang_c(ns, 50000.0), dtype=float)
    assert np.all(np.isfinite(gb)) and np.all((gb >= 0) & (gb <= 1))
    assert np.all(np.isfinite(gc)) and np.all((gc >= 0) & (gc <= 1))
    for i, n in enumerate(BIG_AGENTS):
        for got, ref_fn in ((gb[i], ref_erlang_b), (gc[i], ref_erlang_c)):
            ref = ref_fn(n, 50000.0)
            if ref > mpf("1e-300"):
                check_close(got, ref, f"vector {ref_fn.__name__} n={n} A=50000")


@pytest.mark.slow
@pytest.mark.parametrize("n", [49000, 49900, 50010, 50200, 50300, 53000, 57000])
def test_erlang_b_c_50000_erlangs_more(n):
    _size_case(erlang_b, ref_erlang_b, n, 50000.0)
    _size_case(erlang_c, ref_erlang_c, n, 50000.0)


@pytest.mark.parametrize("offered", [1e-305, 1e-308, 1e-320])
def test_erlang_a_at_a_load_so_small_that_its_inverse_overflows(offered):
    # Found by the scenario fuzz test: redials spilled by an exponential delay leave loads
    # like 4e-309 erlangs in later intervals, where 1 / rho overflows and the closed form for
    # P(abandon | wait) was inf - inf (a NaN and a RuntimeWarning). The mpmath definitions
    # hold at any load. Below 1e-300 erlangs the engine computes at 1e-300, so the rates may
    # differ from the definitions by 1e-299 at the most, the waits (s) by AHT times that.
    aht, pat = 180.0, 334.36
    ref = ref_kpis(1, offered, INTERVAL_S, aht, 20.0, mean_patience_s=pat)
    row = _row(1, offered, aht, 20.0, pat)
    for col in ("abandon_rate", "service_level", "p_wait", "asa_s", "mean_wait_s"):
        if col in ref:
            check_close(row[col], ref[col], f"queue_kpis(1, offered={offered!r}) [{col}]",
                        atol=aht * 1e-299 if col.endswith("_s") else 1e-299)
