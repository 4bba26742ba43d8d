"""Erlang A at extreme scale: bounded memory and time, and still exact (issue 14, section 3).

Two inputs from the issue allocated gigabytes: ``ccplan erlang --offered 1800000
--interval-s 1800 --aht-s 1 --patience-s 1e11 --agents 1001`` (6.7 GB) and 5,230
erlangs on 382 agents with AHT 0.001 s and mean patience 172,578 s (1.4 GB). Both are
inside the documented range (any patience and AHT), so both must run in bounded
memory and give exact KPIs.

References, all computed here in mpmath:

* the birth-death chain of M/M/n+M and the tagged-customer uniformization of
  ``test_erlang_mpmath`` (reused), wherever the chain is small enough to sum: the
  case of the issue with 1,001 agents (stationary KPIs and the mean wait of answered
  contacts; its chain has 140,000 states) and scaled cases with the same structure
  (``x = n * patience / AHT`` of 2e4 to 1e7, where ccplan switches method);
* where the chain cannot be summed (the second case: the mass sits around state
  8.4e11), the closed forms of Garnett, Mandelbaum & Reiman (2002) for the stationary
  law (``J`` and Erlang B) and the law of the offered wait ``P(V > t | wait) =
  P(x, y e^{-t/patience}) / P(x, y)``, each integral evaluated by mpmath's adaptive
  quadrature at 50 digits. This is a different algorithm from ccplan's fixed
  Gauss-Legendre rule; the law itself is checked against the chain in the scaled
  cases below.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from mpmath import mp, mpf

from staffing import queue_kpis, required_agents
from tests.staffing.test_erlang_mpmath import (
    SL_COLS,
    STATIONARY_COLS,
    check_close,
    ref_erlang_b,
    ref_kpis,
)

ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MB = 200.0

# The two cases of the issue, as queue_kpis arguments: (n, offered, interval_s, aht_s, patience)
CASE_CLI = (1001, 1_800_000.0, 1800.0, 1.0, 1e11)
CASE_DOC = (382, 5230 * 1800 / 0.001, 1800.0, 0.001, 172_578.0)


# --------------------------------------------------------------------------------------
# memory and time, measured in a fresh interpreter
# --------------------------------------------------------------------------------------


def _peak_in_subprocess(code: str, timeout_s: float = 120.0) -> dict:
    """Run ``code`` in a new Python with tracemalloc on; return its peak (MB) and output.

    The child's address space is capped at 4 GB so that a regression fails here
    (MemoryError) instead of exhausting the machine.
    """
    script = textwrap.dedent(
        """
        import json, resource, time, tracemalloc
        cap = 4 * 1024 ** 3
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        import numpy as np
        import staffing
        tracemalloc.start()
        t0 = time.perf_counter()
        result = {}
        """
    ) + textwrap.dedent(code) + textwrap.dedent(
        """
        result["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        result["seconds"] = time.perf_counter() - t0
        print(json.dumps(result))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=timeout_s, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_cli_case_runs_in_bounded_memory():
    """1,001 agents, 1,000 erlangs, AHT 1 s, mean patience 1e11 s: was 6.7 GB at peak."""
    n, off, ivl, aht, pat = CASE_CLI
    out = _peak_in_subprocess(
        f"""
        k = staffing.queue_kpis({n}, {off!r}, {ivl!r}, {aht!r}, 20.0, {pat!r})
        result["finite"] = bool(np.isfinite(k.drop(columns=["n_agents"]).to_numpy()).all())
        """
    )
    assert out["finite"]
    assert out["peak_mb"] < PEAK_LIMIT_MB, out


def test_documented_case_runs_in_bounded_memory():
    """382 agents on 5,230 erlangs, AHT 0.001 s, mean patience 172,578 s: was 1.4 GB at
    peak; required_agents on the same interval must stay bounded too."""
    n, off, ivl, aht, pat = CASE_DOC
    out = _peak_in_subprocess(
        f"""
        k = staffing.queue_kpis({n}, {off!r}, {ivl!r}, {aht!r}, 20.0, {pat!r})
        result["finite"] = bool(np.isfinite(k.drop(columns=["n_agents"]).to_numpy()).all())
        result["agents"] = int(staffing.required_agents({off!r}, {ivl!r}, {aht!r}, 0.8, 20.0,
                                                         {pat!r}, max_abandon=0.05))
        """
    )
    assert out["finite"]
    assert out["peak_mb"] < PEAK_LIMIT_MB, out


def test_patience_and_aht_far_apart_stay_bounded():
    """The sizes that drove the cost: patience / AHT from 1e6 to 1e14, loads 1 to 50,000
    erlangs, agents below, at and above the load: all in one call, bounded."""
    out = _peak_in_subprocess(
        """
        loads = np.array([1.0, 37.5, 1000.0, 5230.0, 50000.0])
        rows = []
        for a in loads:
            for n in {max(1, int(0.5 * a)), int(a), int(a) + 1, int(a + 3 * a ** 0.5) + 2}:
                for ratio in (1e6, 1e9, 1e11, 1e14):
                    rows.append((n, a, ratio))
        n, a, ratio = (np.array(c) for c in zip(*rows))
        k = staffing.queue_kpis(n, a * 1800 / 1.0, 1800.0, 1.0, 20.0, ratio * 1.0)
        body = k.drop(columns=["n_agents"]).to_numpy()
        result["finite"] = bool(np.isfinite(body).all())
        probs = k[["p_wait", "service_level", "abandon_rate", "occupancy"]].to_numpy()
        result["in_range"] = bool(((probs >= 0) & (probs <= 1)).all())
        """
    )
    assert out["finite"] and out["in_range"]
    assert out["peak_mb"] < PEAK_LIMIT_MB, out


# --------------------------------------------------------------------------------------
# exactness: the closed forms, integrated by mpmath (where the chain is out of reach)
# --------------------------------------------------------------------------------------


def ref_kpis_integral(n, offered, interval_s, aht_s, answer_within_s, mean_patience_s) -> dict:
    """All Erlang A columns from the closed forms, integrals by mpmath at 50 digits.

    With ``r = patience / AHT``, ``x = n r``, ``y = a r`` and ``s = V / patience`` (the
    scaled offered wait of a waiting arrival), ``s`` has density ``w(s) / Z`` on
    ``s >= 0``, ``w(s) = exp(-x s - y (e^{-s} - 1))`` (the derivative of ``P(x, y
    e^{-s}) / P(x, y)``), and ``J(x, y) = x Z``. Then ``P_wait = J B / (1 - B + J B)``
    with Erlang B from the truncated Poisson sum; a waiting arrival is answered iff
    its patience exceeds ``V``, which has probability ``e^{-s}`` given ``s``.
    """
    with mp.workdps(50):
        offered, interval_s, aht_s = mpf(offered), mpf(interval_s), mpf(aht_s)
        pat, t_s = mpf(mean_patience_s), mpf(answer_within_s)
        lam = offered / interval_s
        a = offered * aht_s / interval_s
        r = pat / aht_s
        x, y = n * r, a * r
        s0 = mp.log(y / x) if y > x else mpf(0)
        log_w0 = -x * s0 - y * mp.expm1(-s0)  # the maximum of log w

        def w(s):
            return mp.exp(-x * s - y * mp.expm1(-s) - log_w0)

        # breakpoints on the scale of the peak, so that each piece is smooth and small
        h = 1 / (abs(x - y) + mp.sqrt(max(x, y)))
        cut = t_s / pat
        pts = sorted({mpf(0), cut} | {s0 + k * h for k in (-60, -20, -5, 0, 5, 20, 60, 200)
                                      if s0 + k * h > 0})
        pts.append(mp.inf)

        def integral(f, lo=0, hi=mp.inf):
            seg = [p for p in pts if lo <= p <= hi]
            return mp.quad(f, seg)

        z = integral(w)
        log_j = mp.log(x) + log_w0 + mp.log(z)
        b = ref_erlang_b(n, a)
        # P_wait = 1 / (1 + (1 - B) / (J B)), in logs: J may be e^(1e11)
        p_wait = 1 / (1 + mp.exp(mp.log1p(-b) - log_j - mp.log(b)))
        p_ab_w = integral(lambda s: -mp.expm1(-s) * w(s)) / z
        p_ab = p_wait * p_ab_w
        t_ans = integral(lambda s: s * mp.exp(-s) * w(s)) / z
        within_w = integral(lambda s: mp.exp(-s) * w(s), 0, cut) / z
        beyond_w = integral(w, cut) / z
        ans_t = (1 - p_wait) + p_wait * within_w
        wait_t = p_wait * beyond_w * mp.exp(-cut)
        ab_t = 1 - ans_t - wait_t
        return {
            "p_wait": p_wait,
            "abandon_rate": p_ab,
            "mean_wait_s": p_ab * pat,
            "mean_queue": lam * p_ab * pat,
            "occupancy": a * (1 - p_ab) / n,
            "service_level": ans_t,
            "service_level_wait_within": 1 - wait_t,
            "service_level_of_answered": ans_t / (1 - p_ab),
            "service_level_excl_short_abandons": ans_t / (1 - ab_t),
            "p_abandon_within_target": ab_t,
            "asa_s": p_wait * t_ans * pat / (1 - p_ab),
        }


PROBABILITY_COLS = {
    "p_wait", "abandon_rate", "occupancy", "service_level", "service_level_wait_within",
    "service_level_of_answered", "service_level_excl_short_abandons", "p_abandon_within_target",
}


def _compare(row: dict, ref: dict, case: str, cols) -> None:
    for col in cols:
        # Probabilities are exact to 1e-9 relative, or to 1e-14 absolute when they are
        # differences near 0 (e.g. a service level of e^-(1e11)).
        atol = 1e-14 if col in PROBABILITY_COLS else 0.0
        check_close(row[col], ref[col], f"{case} [{col}]", atol=atol)


def _row(n, offered, interval_s, aht_s, answer_within_s, patience) -> dict:
    df = queue_kpis(n, offered, interval_s, aht_s, answer_within_s, patience)
    return {c: df[c].iloc[0] for c in df.columns}


def test_reference_integral_matches_the_chain():
    """The closed-form reference equals the birth-death chain where both can be computed."""
    for n, a, aht, pat, t in [(10, 10.0, 180.0, 120.0, 20.0), (25, 30.0, 180.0, 600.0, 60.0),
                              (3, 1.5, 180.0, 1.8e6, 20.0)]:
        off = a * 1800 / aht
        chain = ref_kpis(n, off, 1800.0, aht, t, mean_patience_s=pat)
        closed = ref_kpis_integral(n, off, 1800.0, aht, t, pat)
        for col in STATIONARY_COLS + SL_COLS:
            check_close(closed[col], chain[col], f"reference n={n} a={a} pat={pat} [{col}]",
                        rtol=1e-20, atol=1e-30)


@pytest.mark.slow
@pytest.mark.parametrize("case", [CASE_CLI, CASE_DOC], ids=["cli_1001_agents", "doc_382_agents"])
def test_issue_cases_match_the_closed_forms(case):
    n, off, ivl, aht, pat = case
    row = _row(n, off, ivl, aht, 20.0, pat)
    ref = ref_kpis_integral(n, off, ivl, aht, 20.0, pat)
    _compare(row, ref, f"queue_kpis{case}", STATIONARY_COLS + SL_COLS)


@pytest.mark.slow
def test_cli_case_matches_the_chain():
    """Stationary KPIs and the mean wait of answered contacts of the 1,001-agent case from
    the birth-death chain itself (140,000 states at 50 digits: about 20 s)."""
    n, off, ivl, aht, pat = CASE_CLI
    row = _row(n, off, ivl, aht, 20.0, pat)
    ref = ref_kpis(n, off, ivl, aht, None, mean_patience_s=pat)
    _compare(row, ref, "queue_kpis(1001 agents) vs chain", STATIONARY_COLS)
    # asa_s (answered contacts) from the chain: E[V e^{-theta V}] / P(answered), by the Laplace
    # transform of the hypoexponential V_j, as in test_erlang_mpmath.ref_kpis.
    with mp.workdps(50):
        from tests.staffing.test_erlang_mpmath import ref_stationary

        lam, mu, theta = mpf(off) / ivl, 1 / mpf(aht), 1 / mpf(pat)
        st = ref_stationary(n, lam, mu, theta)
        ans_all, ew, prod, hsum = st["p_low"], mpf(0), mpf(1), mpf(0)
        for j, wj in enumerate(st["w"]):
            rj = n * mu + j * theta
            prod *= rj / (rj + theta)
            hsum += 1 / (rj + theta)
            ans_all += wj * prod
            ew += wj * prod * hsum
        check_close(row["asa_s"], ew / ans_all, "asa_s vs chain")


# --------------------------------------------------------------------------------------
# exactness where ccplan changes method (x = n * patience / AHT >= 1e5): the chain
# --------------------------------------------------------------------------------------

# (n, load, aht, patience, T, forced): x from 2e4 to 1e6, under, at and over the load. The
# chain is summed term by term, so the cases with x = 2e4 and 3e4 (small enough for it) run
# the quadrature by lowering its threshold to 1e4 ("forced"); the last is above it anyway.
SCALED = [
    (2, 1.5, 180.0, 1.8e6, 20.0, True),  # x = 2e4, rho 0.75
    (2, 3.0, 180.0, 1.8e6, 20.0, True),  # x = 2e4, overload: queue mode near 1e4
    (3, 3.0, 180.0, 1.8e6, 60.0, True),  # x = 3e4, rho 1
    (10, 8.0, 300.0, 6e5, 20.0, True),  # x = 2e4
    (40, 39.0, 300.0, 7.5e6, 20.0, False),  # x = 1e6, 25 standard deviations into the lower tail
]


@pytest.mark.slow
@pytest.mark.parametrize("n,a,aht,pat,t,forced", SCALED)
def test_large_x_matches_the_chain(monkeypatch, n, a, aht, pat, t, forced):
    import staffing._erlang as erlang_kernels

    if forced:
        monkeypatch.setattr(erlang_kernels, "_QUAD_MIN_X", 1e4)
    off = a * 1800 / aht
    row = _row(n, off, 1800.0, aht, t, pat)
    ref = ref_kpis(n, off, 1800.0, aht, t, mean_patience_s=pat)
    _compare(row, ref, f"queue_kpis(n={n}, load={a}, aht={aht}, patience={pat}, T={t})",
             STATIONARY_COLS + SL_COLS)


@pytest.mark.parametrize("n,a,aht,pat", [
    (1000, 996.84, 3600.0, 3.6e7),  # x = 1e7, 10 sd below: scipy's gammainc is off by 0.1%
    (1000, 998.0, 3600.0, 3.6e8),  # x = 1e8, 20 sd below
])
def test_lower_tail_at_huge_x_is_exact(n, a, aht, pat):
    """Where scipy's incomplete gamma function fails (x >= 1e6, a few standard deviations
    into the lower tail), the stationary KPIs still match the chain."""
    off = a * 1800 / aht
    row = _row(n, off, 1800.0, aht, 20.0, pat)
    ref = ref_kpis(n, off, 1800.0, aht, None, mean_patience_s=pat)
    _compare(row, ref, f"queue_kpis(n={n}, load={a}, patience/AHT={pat / aht:g})",
             STATIONARY_COLS)


@pytest.mark.slow
def test_required_agents_at_huge_x_is_minimal():
    """required_agents on the documented case: the answer meets every target and one agent
    fewer misses one, by the mpmath closed forms."""
    _, off, ivl, aht, pat = CASE_DOC
    n = required_agents(off, ivl, aht, 0.8, 20.0, pat, max_abandon=0.05)
    ok = ref_kpis_integral(n, off, ivl, aht, 20.0, pat)
    below = ref_kpis_integral(n - 1, off, ivl, aht, 20.0, pat)
    assert ok["service_level"] >= 0.8 and ok["abandon_rate"] <= 0.05
    assert below["service_level"] < 0.8 or below["abandon_rate"] > 0.05
    assert math.isfinite(float(ok["asa_s"]))


@pytest.mark.parametrize("n,a,aht,pat,t", [(8, 10.0, 180.0, 30.0, 20.0),
                                           (42, 30.0, 180.0, 120.0, 60.0),
                                           (25, 30.0, 180.0, 600.0, 60.0)])
def test_queue_length_sum_in_small_blocks_is_exact(monkeypatch, n, a, aht, pat, t):
    """The sum behind asa_s (answered) for x < 1e5 holds at most _WINDOW_CELLS terms at a
    time, carrying its running sums from block to block; with blocks of 7 terms (so every
    window spans many blocks) it still matches the chain."""
    import staffing._erlang as erlang_kernels

    monkeypatch.setattr(erlang_kernels, "_WINDOW_CELLS", 7)
    off = a * 1800 / aht
    row = _row(n, off, 1800.0, aht, t, pat)
    ref = ref_kpis(n, off, 1800.0, aht, t, mean_patience_s=pat)
    _compare(row, ref, f"blocks of 7: n={n} load={a} patience={pat}", ["asa_s"])


# --------------------------------------------------------------------------------------
# the edges of what is computed: refused with the limit in the message, or exact up to it
# --------------------------------------------------------------------------------------


def test_patience_at_the_limit_is_erlang_c():
    """Mean patience 1e200 times the AHT (x = 1e203): nobody abandons, so every KPI is
    Erlang C's, from the mpmath chain (the deviation is of order 1e-200)."""
    n, a, aht = 1000, 950.0, 300.0
    off = a * 1800 / aht
    row = _row(n, off, 1800.0, aht, 20.0, 1e200 * aht)
    ref = ref_kpis(n, off, 1800.0, aht, 20.0, mean_patience_s=None)
    _compare(row, ref, "patience 1e200 x AHT vs Erlang C",
             ["p_wait", "mean_wait_s", "mean_queue", "occupancy", "service_level", "asa_s"])


@pytest.mark.parametrize("kwargs,message", [
    (dict(offered=1e12, aht_s=180.0, mean_patience_s=120.0),
     r"interval 0 has an offered load of 1e\+11 erlangs .* more than ccplan computes \(1e\+09"),
    (dict(offered=100.0, aht_s=1e-3, mean_patience_s=1e300),
     r"mean_patience_s=1e\+300 s, 1e\+303 times aht_s=0.001 s; Erlang A is computed up to "
     r"1e\+200 times.*mean_patience_s=None"),
    (dict(offered=100.0, aht_s=1e-300, mean_patience_s=1e300), r"inf times aht_s"),
])
def test_beyond_the_limits_is_refused_by_name(kwargs, message):
    from staffing.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=message):
        queue_kpis(10, kwargs["offered"], 1800.0, kwargs["aht_s"], 20.0,
                   kwargs["mean_patience_s"])
    with pytest.raises(InvalidParameterError, match=message):
        required_agents(kwargs["offered"], 1800.0, kwargs["aht_s"], 0.8, 20.0,
                        kwargs["mean_patience_s"])


def test_agents_beyond_exact_integers_are_refused():
    """1e300 agents used to become int64 -9223372036854775808 (a negative count)."""
    from staffing.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"n_agents must be .*<= 9\.0072e\+15, "
                                                    r"got 1e\+300"):
        queue_kpis(1e300, 100.0, 1800.0, 180.0, 20.0, 120.0)


def test_requirements_names_the_channel_of_an_absurd_load():
    import pandas as pd

    from staffing import requirements
    from staffing.errors import InvalidParameterError

    forecast = pd.DataFrame({
        "channel": ["voice", "chat"], "offered": [100.0, 1e13], "aht_s": [180.0, 300.0],
        "interval_start": pd.date_range("2026-03-02 09:00", periods=2, freq="30min"),
    })
    with pytest.raises(InvalidParameterError, match=r"interval 1 has an offered load of "
                       r"1\.66667e\+12 erlangs.*channel 'chat', interval_start 2026-03-02 09:30"):
        requirements(forecast, interval_s=1800)
