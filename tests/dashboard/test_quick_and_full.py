"""Quick view against full plan on the dashboard (issue 14).

The live quick view (interval Erlang, no shifts, no simulation) of the bundled
retail_bank.yaml ranks 8x5 cheapest per contact, the full plan 24x7; Finance and Compare
stayed on the quick numbers after a full run. Now the full plan is shown by default once it
exists, every quick figure says it is one, and a warning names the two rankings when they
disagree. The rankings are checked against ``scenarios.run_scenario`` called directly.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import scenarios
from dashboard import _tables
from tests.dashboard.dashboard_refs import APP, QUICK


def metric_labels(at: AppTest) -> list[str]:
    return [m.label for m in at.metric]


def test_cost_ranking_by_hand():
    # Three results with cost per contact 4.0, 2.5 and NaN: 2.5 first, NaN last.
    def result(name, per):
        import pandas as pd
        return scenarios.ScenarioResult(name, pd.DataFrame(), pd.DataFrame(),
                                        pd.DataFrame([{"cost_per_contact": per}]),
                                        pd.DataFrame(), pd.DataFrame())
    order = _tables.cost_ranking([result("a", 4.0), result("b", 2.5), result("c", float("nan"))])
    assert order == ["b", "a", "c"]


@pytest.mark.slow
def test_full_plan_is_the_default_and_disagreement_is_warned():
    bank = next(p for p in scenarios.example_files() if p.name == "retail_bank.yaml")
    quick = [scenarios.run_scenario(s) for s in scenarios.load_scenarios(bank, overrides=QUICK)]
    full = [scenarios.run_scenario(s) for s in scenarios.load_scenarios(bank)]

    def order(results):
        return [r.name for r in sorted(results,
                                       key=lambda r: float(r.totals["cost_per_contact"].iloc[0]))]
    quick_order, full_order = order(quick), order(full)
    assert quick_order != full_order                       # the case this test is about

    at = AppTest.from_file(APP, default_timeout=600).run()  # picks retail_bank.yaml
    assert not at.exception
    # Before the full run: Finance shows the quick view and labels its figures so.
    at.switch_page("views/finance.py").run()
    assert any(label.endswith(", quick view") for label in metric_labels(at))
    assert not at.warning
    at.switch_page("views/scenarios.py").run()
    at.button(key="full_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # After: the full plan by default, unlabelled figures, and the warning with both orders.
    at.switch_page("views/finance.py").run()
    assert at.radio(key="fin_kind").value == "full"
    assert not any(label.endswith(", quick view") for label in metric_labels(at))
    warning = " ".join(w.value for w in at.warning)
    assert "rank the scenarios differently" in warning
    assert "Quick view: " + " < ".join(quick_order).split(" < ")[0] in warning
    for names, part in ((quick_order, warning.split("Full plan:")[0]),
                        (full_order, warning.split("Full plan:")[1])):
        positions = [part.index(n + " (") for n in names]
        assert positions == sorted(positions), (names, part)
    at.switch_page("views/compare.py").run()
    assert at.radio(key="cmp_kind").value == "full"
    assert "rank the scenarios differently" in " ".join(w.value for w in at.warning)
