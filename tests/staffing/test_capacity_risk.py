"""The capacity risk runs and the plan at a probability (issue 17), against independent references.

* Zero variance (no attrition, every trainee graduates, one requirement path): the coverage
  probability is exactly 0 or 1 in every week and equals the expected model's comparison
  (available + overtime >= required), its available FTE the expected model's.
* Known demand variance: requirement paths drawn normal(mu, sd) with no attrition: the coverage
  probability is Phi((available + overtime limit - mu) / sd) within its binomial confidence
  interval.
* Binomial leavers: a single cohort of N with weekly rates q_k has Binomial(N, S_k) agents
  after k weeks, S_k = prod (1 - q_i): mean N S_k, variance N S_k (1 - S_k), and P(heads >= R)
  from scipy's binomial; a class graduates Binomial(size, share) and then thins the same way.
* The runs' means are the expected model's values (bands, early attrition, ramp, classes,
  transfers), within their confidence intervals; a transfer larger than the group moves all
  it has.
* The plan at a probability reaches it in every week it reports as reached, checked by an
  independent per-agent Monte Carlo (Bernoulli leavers, its own seed and demand paths), and
  costs at least as much as the plan for the point requirement.
* Determinism and common random numbers; bad input names the field, the value and the fix.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from staffing.capacity import (
    AgentGroup,
    HiringClass,
    HiringRules,
    Transfer,
    capacity_risk,
    capacity_whatif,
    plan_hiring,
    plan_hiring_at_risk,
)
from staffing.errors import InvalidParameterError

Z = 4.0  # half-width of the confidence intervals, in standard errors


def _rows(risk, group):
    return risk.weekly[risk.weekly["group"] == group].reset_index(drop=True)


def test_zero_variance_gives_exactly_0_or_1_and_the_expected_models_comparison():
    voice = AgentGroup("voice", starting_headcount=((0, 4), (30, 10)), attrition_weekly=0.0,
                       ramp=(0.5, 0.75), shrinkage=[0.2, 0.3, 0.25, 0.2, 0.2, 0.1],
                       fte_per_head=0.9, overtime_limit_fte=1.0)
    chat = AgentGroup("chat", starting_headcount=5, attrition_weekly=0.0,
                      overtime_limit_fte=[0.0, 0.5, 0.5, 0.0, 0.0, 0.0])
    classes = [HiringClass("voice", 0, 3, 2), HiringClass("chat", 1, 2, 1)]
    transfers = [Transfer(2, "voice", "chat", 1)]
    # voice available: 4 x 0.5 + 10 = 12 heads-equivalent x 0.9 x (1 - 0.2) = 8.64 in week 0
    required = {"voice": [8.64 + 1.0, 8.0, 11.5, 12.0, 14.0, 12.9],
                "chat": [5.0, 5.4, 8.0, 7.0, 7.1, 6.0]}
    expected = capacity_whatif(required, [voice, chat], classes, transfers=transfers)
    risk = capacity_risk({k: np.array([v]) for k, v in required.items()}, [voice, chat],
                         classes, transfers=transfers, n_runs=50, seed=3)
    covered = (expected.weekly["short_fte"] <= 1e-9).astype(float).to_numpy()
    assert set(risk.weekly["coverage_probability"]) <= {0.0, 1.0}
    np.testing.assert_array_equal(risk.weekly["coverage_probability"], covered)
    assert 0 < covered.sum() < len(covered)  # both outcomes occur
    np.testing.assert_allclose(risk.weekly["available_fte_mean"],
                               expected.weekly["available_fte"], rtol=1e-12)
    np.testing.assert_allclose(risk.weekly["short_fte_mean"], expected.weekly["short_fte"],
                               atol=1e-12)
    np.testing.assert_allclose(risk.weekly["overtime_fte_mean"],
                               expected.weekly["overtime_fte"], atol=1e-12)
    assert (risk.weekly["headcount_sd"] == 0).all()
    assert risk.summary["n_runs"] == 50 and risk.summary["seed"] == 3


def test_known_demand_variance_matches_the_normal_computation():
    team = AgentGroup("voice", starting_headcount=100, attrition_weekly=0.0, shrinkage=0.2,
                      overtime_limit_fte=2.0)
    mu = np.array([76.0, 80.0, 82.0, 84.0, 88.0])
    sd = np.array([4.0, 4.0, 3.0, 6.0, 5.0])
    n = 4000
    paths = np.random.default_rng(2027).normal(mu, sd, size=(n, len(mu)))
    risk = capacity_risk({"voice": paths}, [team], seed=1)
    assert risk.summary["n_runs"] == n
    phi = stats.norm.cdf((100 * 0.8 + 2.0 - mu) / sd)
    half = Z * np.sqrt(phi * (1 - phi) / n)
    got = risk.weekly["coverage_probability"].to_numpy()
    assert np.all(np.abs(got - phi) <= half), (got, phi)
    # the requirement's percentiles are the normal's, within the quantiles' standard errors
    for col, p in (("required_fte_p10", 0.1), ("required_fte_p50", 0.5),
                   ("required_fte_p90", 0.9)):
        q = stats.norm.ppf(p, mu, sd)
        se = np.sqrt(p * (1 - p) / n) / stats.norm.pdf(stats.norm.ppf(p)) * sd
        assert np.all(np.abs(risk.weekly[col] - q) <= Z * se), col


def test_binomial_leavers_of_one_cohort_match_the_binomial_formulas():
    n_heads, early, q = 200, (0.1, 0.05), 0.03
    team = AgentGroup("voice", starting_headcount=((0, n_heads),), attrition_weekly=q,
                      early_attrition_weekly=early)
    n_weeks, runs, level = 10, 4000, 150
    risk = capacity_risk({"voice": np.full((1, n_weeks), float(level))}, [team], n_runs=runs,
                         seed=11)
    rates = np.array(list(early) + [q] * n_weeks)[:n_weeks]
    survive = np.concatenate(([1.0], np.cumprod(1 - rates)[:-1]))  # S_k at the start of week k
    mean = n_heads * survive
    var = n_heads * survive * (1 - survive)
    w = risk.weekly
    assert w["headcount_mean"][0] == n_heads and w["headcount_sd"][0] == 0
    k = np.arange(1, n_weeks)
    assert np.all(np.abs(w["headcount_mean"][k] - mean[k]) <= Z * np.sqrt(var[k] / runs))
    # the sample variance's standard error from the binomial's fourth central moment
    pq = survive * (1 - survive)
    mu4 = n_heads * pq * (1 + 3 * (n_heads - 2) * pq)
    se_var = np.sqrt((mu4 - var**2 * (runs - 3) / (runs - 1)) / runs)
    assert np.all(np.abs(w["headcount_sd"][k] ** 2 - var[k]) <= Z * se_var[k])
    # the percentiles: binomial quantiles, within one agent (linear interpolation between
    # whole runs) plus the quantile's standard error
    for col, p in (("headcount_p10", 0.1), ("headcount_p90", 0.9)):
        q = stats.binom.ppf(p, n_heads, survive[k])
        se = np.sqrt(p * (1 - p) / runs) / stats.binom.pmf(q, n_heads, survive[k])
        assert np.all(np.abs(w[col][k] - q) <= 1.0 + Z * se), col
    # the whole distribution: P(heads >= level), each agent full time, no shrinkage
    p_cover = stats.binom.sf(level - 1, n_heads, survive)
    half = Z * np.sqrt(np.maximum(p_cover * (1 - p_cover), 1 / runs) / runs)
    assert np.all(np.abs(w["coverage_probability"] - p_cover) <= half)
    assert w["coverage_probability"].iloc[-1] < 0.5 < w["coverage_probability"].iloc[2]


def test_a_class_graduates_binomially_and_then_thins():
    size, share, q, training = 20, 0.7, 0.05, 2
    team = AgentGroup("voice", starting_headcount=0, attrition_weekly=q)
    n_weeks, runs = 8, 4000
    risk = capacity_risk({"voice": np.zeros(n_weeks)}, [team],
                         [HiringClass("voice", 1, size, training, share)], n_runs=runs,
                         seed=5)
    w = risk.weekly
    first = 1 + training
    assert (w["headcount_mean"][:first] == 0).all()
    j = np.arange(n_weeks - first)
    p = share * (1 - q) ** j
    mean, var = size * p, size * p * (1 - p)
    got_mean = w["headcount_mean"][first:].to_numpy()
    got_var = w["headcount_sd"][first:].to_numpy() ** 2
    assert np.all(np.abs(got_mean - mean) <= Z * np.sqrt(var / runs))
    pq = p * (1 - p)
    mu4 = size * pq * (1 + 3 * (size - 2) * pq)
    assert np.all(np.abs(got_var - var) <= Z * np.sqrt((mu4 - var**2) / runs))


def test_the_runs_means_are_the_expected_models_values():
    voice = AgentGroup("voice", starting_headcount=((0, 12), (3, 20), (60, 90)),
                       attrition_weekly=0.01, early_attrition_weekly=(0.05, 0.04, 0.03, 0.02),
                       ramp=(0.5, 0.6, 0.8), shrinkage=0.3, fte_per_head=0.85,
                       overtime_limit_fte=3.0)
    chat = AgentGroup("chat", starting_headcount=30, attrition_weekly=0.02, ramp=(0.7,),
                      shrinkage=0.25)
    classes = [HiringClass("voice", 2, 15, 3, 0.8), HiringClass("voice", 5, 10, 0),
               HiringClass("chat", 4, 8, 2, 0.9)]
    transfers = [Transfer(6, "voice", "chat", 4), Transfer(9, "chat", "voice", 2)]
    n_weeks, runs = 16, 3000
    required = {"voice": np.full(n_weeks, 80.0), "chat": np.full(n_weeks, 22.0)}
    expected = capacity_whatif(required, [voice, chat], classes, transfers=transfers)
    risk = capacity_risk({k: v[None, :] for k, v in required.items()}, [voice, chat], classes,
                         transfers=transfers, n_runs=runs, seed=9)
    for name in ("voice", "chat"):
        e = expected.weekly[expected.weekly["group"] == name].reset_index(drop=True)
        r = _rows(risk, name)
        se = np.maximum(r["headcount_sd"], 0.5) / math.sqrt(runs)
        assert np.all(np.abs(r["headcount_mean"] - e["headcount"]) <= Z * se), name
        # available FTE is at most fte_per_head x heads: its sd at most the headcount's
        assert np.all(np.abs(r["available_fte_mean"] - e["available_fte"]) <= Z * se), name
        assert (r["available_fte_p10"] <= r["available_fte_mean"] + 1e-9).all()
        assert (r["available_fte_mean"] <= r["available_fte_p90"] + 1e-9).all()
        assert r["coverage_probability"].between(0, 1).all()
        assert (r["short_fte_mean"] >= 0).all()


def test_a_transfer_larger_than_the_group_moves_all_it_has():
    a = AgentGroup("a", starting_headcount=2, attrition_weekly=0.0)
    b = AgentGroup("b", starting_headcount=1, attrition_weekly=0.0)
    risk = capacity_risk({"a": np.zeros(3), "b": np.zeros(3)}, [a, b],
                         transfers=[Transfer(0, "a", "b", 3)], n_runs=5)
    assert _rows(risk, "a")["headcount_mean"].tolist() == [2, 0, 0]
    assert _rows(risk, "b")["headcount_mean"].tolist() == [1, 3, 3]


def _group_plan():
    voice = AgentGroup("voice", starting_headcount=((2, 10), (60, 60)), attrition_weekly=0.01,
                       early_attrition_weekly=(0.04, 0.03), ramp=(0.6, 0.8), shrinkage=0.3)
    chat = AgentGroup("chat", starting_headcount=20, attrition_weekly=0.02, shrinkage=0.2)
    paths = {"voice": np.random.default_rng(1).normal(45, 3, (200, 12)),
             "chat": np.random.default_rng(2).normal(15, 2, (200, 12))}
    return voice, chat, paths


def test_same_seed_same_tables_and_common_random_numbers():
    voice, chat, paths = _group_plan()
    classes = [HiringClass("voice", 2, 8, 2, 0.9)]
    one = capacity_risk(paths, [voice, chat], classes, seed=4)
    two = capacity_risk(paths, [voice, chat], classes, seed=4)
    assert one.weekly.equals(two.weekly) and one.summary == two.summary
    other = capacity_risk(paths, [voice, chat], classes, seed=5)
    assert not other.weekly.equals(one.weekly)
    # a chat class leaves voice's draws alone; a later voice class leaves the weeks before
    # its graduates reach the floor alone
    more = capacity_risk(paths, [voice, chat], classes + [HiringClass("chat", 3, 5, 1),
                                                         HiringClass("voice", 5, 6, 2)],
                         seed=4)
    assert _rows(more, "voice")[:7].equals(_rows(one, "voice")[:7])
    assert not _rows(more, "voice")[7:].equals(_rows(one, "voice")[7:])
    assert not _rows(more, "chat").equals(_rows(one, "chat"))


def _reference_runs(group, classes, n_weeks, n_runs, rng):
    """An independent per-agent simulation of one group (no transfers): every agent a
    Bernoulli leaver each week at the rate of its tenure; heads and available FTE per run."""
    early = list(group.early_attrition_weekly)
    ramp = list(group.ramp)

    def rate(k):
        return early[k] if k < len(early) else group.attrition_weekly

    def prod(k):
        return ramp[k] if k < len(ramp) else 1.0

    agents = []  # (first week on the floor, tenure then, alive per run)
    for tenure, heads in group.starting_headcount:
        agents += [(0, tenure, np.ones(n_runs, bool)) for _ in range(int(heads))]
    for c in classes:
        agents += [(c.start_week + c.training_weeks, 0, rng.random(n_runs) < c.graduation_share)
                   for _ in range(c.size)]
    shrink = np.broadcast_to(np.asarray(group.shrinkage, float), (n_weeks,))
    avail = np.zeros((n_runs, n_weeks))
    for entry, tenure0, alive in agents:
        for t in range(entry, n_weeks):
            k = tenure0 + t - entry
            avail[:, t] += alive * prod(k) * group.fte_per_head * (1 - shrink[t])
            alive = alive & (rng.random(n_runs) >= rate(k))
    return avail


def test_the_plan_at_a_probability_reaches_it_by_an_independent_monte_carlo():
    n_weeks, p = 26, 0.9
    team = AgentGroup("voice", starting_headcount=((1, 6), (40, 44)), attrition_weekly=0.01,
                      early_attrition_weekly=(0.05, 0.03), ramp=(0.6, 0.8), shrinkage=0.25,
                      overtime_limit_fte=1.0, wage_per_fte_week=900, hire_cost=2500,
                      training_cost_per_week=300)
    rules = [HiringRules("voice", training_weeks=2, graduation_share=0.9, min_class_size=2,
                         max_class_size=30, lead_time_weeks=2)]
    # rising to the last week: the MILP pays the penalty there rather than hire for one week,
    # and the repair step lifts it
    mu = 34 + 0.4 * np.arange(n_weeks) + 3 * np.sin(np.arange(n_weeks) / 4)
    sd = 0.07 * mu

    def demand(seed, n):
        return np.random.default_rng(seed).normal(mu, sd, (n, n_weeks)).clip(min=0)

    plan, risk = plan_hiring_at_risk({"voice": demand(100, 1000)}, [team], rules,
                                     probability=p, required_fte={"voice": mu}, seed=7)
    point = plan_hiring({"voice": mu}, [team], rules)
    assert plan.summary["cost"] >= point.summary["cost"] * (1 - point.summary["mip_rel_gap"])
    assert plan.summary["cost"] > point.summary["cost"]  # the insurance is not free here
    below = plan.summary["weeks_below_probability"]["voice"]
    first_floor = rules[0].lead_time_weeks + rules[0].training_weeks
    assert all(w < first_floor for w in below), below  # hiring lifted every week it reaches
    assert 1 <= plan.summary["risk_rounds"] <= 8 and plan.summary["risk_repair_hires"] >= 1
    np.testing.assert_array_equal(plan.weekly["required_fte"], mu)
    # the independent check: other demand paths, another seed, per-agent Bernoulli leavers
    n = 2000
    classes = [HiringClass(*row) for row in plan.classes[
        ["group", "start_week", "size", "training_weeks", "graduation_share"]].itertuples(
            index=False)]
    avail = _reference_runs(team, classes, n_weeks, n, np.random.default_rng(2))
    need = demand(200, n)
    covered = ((need - avail) <= team.overtime_limit_fte + 1e-9).mean(axis=0)
    reached = [w for w in range(n_weeks) if w not in below]
    # the plan aims above p; the check allows the two estimates' combined noise
    half = Z * math.sqrt(p * (1 - p) / n + p * (1 - p) / 1000)
    assert np.all(covered[reached] >= p - half), covered
    np.testing.assert_allclose(covered, risk.weekly["coverage_probability"], atol=Z * math.sqrt(
        0.25 / n + 0.25 / 1000))


def test_a_week_the_milp_leaves_short_for_its_penalty_is_repaired_by_hand():
    # 40 agents, 25% shrinkage: 30 FTE. The last week needs N(31.2, 1): the point plan pays
    # the penalty (1.2 FTE x 2,000 < two hires at 2,500 + 2 weeks x 900 each). At 90%:
    # 3 agents (2.25 FTE) cover Phi(1.05) = 0.85, 4 agents (3 FTE) cover Phi(1.8) = 0.96,
    # so the plan hires 4 in the latest week that reaches the floor by week 11 (week 10).
    n_weeks, n = 12, 2000
    team = AgentGroup("voice", starting_headcount=40, attrition_weekly=0.0, shrinkage=0.25,
                      wage_per_fte_week=900, hire_cost=2500, short_penalty_per_fte_week=2000)
    rules = [HiringRules("voice", training_weeks=1)]
    mu = np.array([28.0] * 11 + [31.2])
    paths = np.random.default_rng(3).normal(mu, 1.0, (n, n_weeks))
    point = plan_hiring({"voice": mu}, [team], rules)
    assert point.classes.empty and point.summary["cost"] == 40 * 900 * 12
    plan, risk = plan_hiring_at_risk({"voice": paths}, [team], rules, probability=0.9,
                                     required_fte={"voice": mu})
    assert plan.classes[["start_week", "size"]].values.tolist() == [[10, 4]]
    assert plan.summary["cost"] == 40 * 900 * 12 + 4 * (2500 + 2 * 900)
    assert plan.summary["weeks_below_probability"] == {"voice": []}
    last = risk.weekly["coverage_probability"].iloc[-1]
    phi = stats.norm.cdf(30 + 4 * 0.75 - 31.2)
    assert abs(last - phi) <= Z * math.sqrt(phi * (1 - phi) / n)


def test_a_week_even_full_classes_cannot_lift_gets_nobody():
    # Week 11 needs N(40, 1) FTE against 30; the only class allowed (week 10) holds 2 agents
    # (1.5 FTE). The MILP pays the penalty (cheaper than the class), and the repair hires
    # nobody: two agents would cost 2 x (2,500 + 2 x 900) and leave the week at probability 0.
    n_weeks = 12
    team = AgentGroup("voice", starting_headcount=40, attrition_weekly=0.0, shrinkage=0.25,
                      wage_per_fte_week=900, hire_cost=2500, short_penalty_per_fte_week=2000)
    rules = [HiringRules("voice", training_weeks=1, max_class_size=2,
                         allowed_start_weeks=[10])]
    paths = np.full((500, n_weeks), 28.0)
    paths[:, -1] = np.random.default_rng(4).normal(40.0, 1.0, 500)
    plan, risk = plan_hiring_at_risk({"voice": paths}, [team], rules, probability=0.9)
    assert plan.classes.empty and plan.summary["risk_repair_hires"] == 0
    assert plan.summary["weeks_below_probability"] == {"voice": [11]}
    assert risk.weekly["coverage_probability"].tolist() == [1.0] * 11 + [0.0]


def test_the_plan_at_a_probability_is_deterministic_and_prices_the_point_requirement():
    voice, chat, paths = _group_plan()
    rules = [HiringRules("voice", training_weeks=2, max_class_size=10, lead_time_weeks=1)]
    one = plan_hiring_at_risk(paths, [voice, chat], rules, probability=0.8, seed=3)
    two = plan_hiring_at_risk(paths, [voice, chat], rules, probability=0.8, seed=3)
    assert one[0].classes.equals(two[0].classes) and one[1].weekly.equals(two[1].weekly)
    mean = {k: v.mean(axis=0) for k, v in paths.items()}
    for name in mean:
        got = one[0].weekly.loc[one[0].weekly["group"] == name, "required_fte"].to_numpy()
        np.testing.assert_allclose(got, mean[name], rtol=1e-12)
    # chat has no rules: its weeks below the probability are reported, not hidden
    chat_rows = _rows(one[1], "chat")
    assert one[0].summary["weeks_below_probability"]["chat"] == [
        int(w) for w in chat_rows.loc[chat_rows["coverage_probability"] < 0.8, "week"]]
    assert one[0].summary["risk_probability"] == 0.8 and one[0].summary["risk_n_runs"] == 200


@pytest.mark.parametrize(("change", "match"), [
    ({"groups": [AgentGroup("voice", starting_headcount=10.5, attrition_weekly=0.01)]},
     r"group 'voice': starting_headcount must be a whole number of agents in risk runs.*"
     r"got 10\.5\. Give whole agents"),
    ({"groups": [AgentGroup("voice", starting_headcount=((0, 2.5),), attrition_weekly=0.0)]},
     r"starting_headcount\[0\] heads must be a whole number"),
    ({"paths": {"voice": [[1.0, -2.0]]}}, r"required_fte_paths\['voice'\]\[0, 1\] must be a "
     r"finite FTE >= 0, got -2\.0"),
    ({"paths": {"voice": [[1.0, float("nan")]]}}, r"\[0, 1\] must be a finite FTE"),
    ({"paths": {"voice": [[[1.0]]]}}, "one row per run and one column per week"),
    ({"paths": {}}, "required_fte_paths must map each group"),
    ({"paths": {"voice": np.ones((3, 2))}, "n_runs": 5}, r"n_runs must equal the rows of "
     r"required_fte_paths \(3\), got 5"),
    ({"n_runs": 0}, r"n_runs must be >= 1, got 0"),
    ({"seed": -1}, r"seed must be >= 0, got -1"),
    ({"paths": {"voice": [1.0, 2.0], "chat": [1.0, 2.0]}}, "required_fte names the groups"),
])
def test_bad_input_names_the_field_the_value_and_the_fix(change, match):
    args = {"paths": {"voice": [[10.0, 10.0]]},
            "groups": [AgentGroup("voice", starting_headcount=10, attrition_weekly=0.01)],
            "n_runs": 10, "seed": 0} | change
    with pytest.raises(InvalidParameterError, match=match):
        capacity_risk(args["paths"], args["groups"], n_runs=args["n_runs"], seed=args["seed"])


def test_bad_input_of_the_plan_at_a_probability():
    team = AgentGroup("voice", starting_headcount=10, attrition_weekly=0.01)
    rules = [HiringRules("voice", training_weeks=1)]
    paths = {"voice": [[10.0, 10.0, 11.0]]}
    with pytest.raises(InvalidParameterError, match=r"probability must be a share in \(0, 1\), "
                       r"got 1\.0\. Give the coverage probability"):
        plan_hiring_at_risk(paths, [team], rules, probability=1.0)
    with pytest.raises(InvalidParameterError, match=r"max_rounds must be >= 1, got 0"):
        plan_hiring_at_risk(paths, [team], rules, probability=0.9, max_rounds=0)
    with pytest.raises(InvalidParameterError, match=r"required_fte must have the weeks of "
                       r"required_fte_paths \(3\)"):
        plan_hiring_at_risk(paths, [team], rules, probability=0.9,
                            required_fte={"voice": [1.0, 2.0]})
    with pytest.raises(InvalidParameterError, match=r"transfers\[0\]\.headcount must be a whole "
                       r"number of agents in risk runs.*got 1\.5"):
        plan_hiring_at_risk({"voice": paths["voice"], "chat": [[1.0, 1.0, 1.0]]},
                            [team, AgentGroup("chat", starting_headcount=3,
                                              attrition_weekly=0.0)], rules, probability=0.9,
                            transfers=[Transfer(0, "voice", "chat", 1.5)])
    with pytest.raises(InvalidParameterError, match=r"capacity_risk\(\): classes\[0\]\.size must "
                       r"be at most rules\[0\]\.max_class_size \(20\)"):
        capacity_risk(paths, [team], [HiringClass("voice", 0, 25, 1)], rules=rules, n_runs=5)
